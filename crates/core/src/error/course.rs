//! The errors of course links (`crate::course`) and shared project files (`crate::share`):
//! one family, as plain data, inside [`super::Error::Course`].

use std::path::PathBuf;

use crate::format::{biggest_said, human_bytes, spoken_branches};

#[derive(Debug, thiserror::Error)]
pub enum CourseError {
    /// A link that is none of the forms Darwinix opens, or one it refuses (`file://`, `ssh://`,
    /// plain http to another computer, unknown `darwinix://` parameters). `why` says which.
    #[error("Darwinix cannot open `{link}`: {why}")]
    LinkNotUnderstood { link: String, why: String },

    /// The server answered that reading the repository needs a sign-in (or that it does not
    /// exist: hosts such as GitHub do not tell the two apart to strangers).
    #[error("the repository at {url} could not be read without signing in: it is private, or it does not exist")]
    RepositoryNotPublic { url: String },

    /// The address answered, but not as a git repository.
    #[error("{url} is not a git repository (the server answered {what})")]
    NotARepository { url: String, what: String },

    /// `branches`: the ones it has, for the message.
    #[error(
        "the repository at {url} has no branch `{branch}`{}",
        spoken_branches(branches)
    )]
    BranchMissing {
        url: String,
        branch: String,
        branches: Vec<String>,
    },

    /// The download passed the size limit: stopped, nothing kept; the user may allow it.
    #[error("the repository at {url} is bigger than {} (at least {}), so it was not downloaded", human_bytes(*limit), human_bytes(*bytes))]
    RepositoryTooLarge { url: String, bytes: u64, limit: u64 },

    /// The clone or fetch failed part-way (a dropped connection, a server error); what was
    /// half-made was removed, the student's files were not touched.
    #[error("could not download {url}: {why}")]
    CloneFailed { url: String, why: String },

    /// A notebook link whose download failed or was not a notebook.
    #[error("could not download the notebook {url}: {why}")]
    NotebookDownload { url: String, why: String },

    /// Updates asked for a folder that was not opened from a course link.
    #[error("`{}` was not opened from a course link, so it has no teacher's version to update from", dir.display())]
    NotACourse { dir: PathBuf },

    /// The course folder's own git data is damaged or not what Darwinix made.
    #[error("the course in `{}` cannot be used: {why}", dir.display())]
    CourseDamaged { dir: PathBuf, why: String },

    /// A `.darwinix.zip` entry that would land outside the new folder, or that is a link.
    #[error("`{}` was not opened: it holds `{entry}`, which {why}; nothing was unpacked", file.display())]
    ZipUnsafe {
        file: PathBuf,
        entry: String,
        why: String,
    },

    #[error("`{}` is not a Darwinix project file: {why}", file.display())]
    ZipUnreadable { file: PathBuf, why: String },

    /// Sharing needs what is installed, to write its lock.
    #[error("`{}` has no Python environment yet, so there is no list of what is installed to share", dir.display())]
    ShareNeedsEnvironment { dir: PathBuf },

    /// Data files over the size the user confirmed are left out only when they say so.
    /// `files`: the ones over the limit and their sizes, biggest first.
    #[error("`{}` has data files bigger than {}{}", dir.display(), human_bytes(*limit), biggest_said(files, 0))]
    ShareLargeFiles {
        dir: PathBuf,
        limit: u64,
        files: Vec<(String, u64)>,
    },

    /// Share as a link needs a public https remote.
    #[error("`{}` has no public https:// git address to link to{}", dir.display(), why.as_deref().map(|w| format!(" ({w})")).unwrap_or_default())]
    ShareNoLink { dir: PathBuf, why: Option<String> },
}
