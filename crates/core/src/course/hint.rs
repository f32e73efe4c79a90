//! What to do about a course link that could not be opened or updated: one family of
//! [`crate::hints::hint`], in the window's words (the command line words its own in
//! `crates/cli/src/fix.rs`).

use crate::error::CourseError;
use crate::error::Error;

pub(crate) fn hint(error: &Error) -> Option<String> {
    Some(match error {
        Error::Course(CourseError::LinkNotUnderstood { .. }) => "paste the https:// address of a public git repository, of a notebook in one, of a .ipynb file, or a course link your teacher gave you".into(),
        Error::Course(CourseError::RepositoryNotPublic { .. }) => "check the link with whoever gave it to you; Darwinix opens public repositories only: a private one must be downloaded by someone with access and opened as a folder with Open folder".into(),
        Error::Course(CourseError::NotARepository { .. }) => "check the link: it should be the address of a repository's page or of a notebook in it".into(),
        Error::Course(CourseError::BranchMissing { .. }) => "check the link with whoever gave it to you: it names a branch the repository does not have".into(),
        Error::Course(CourseError::RepositoryTooLarge { .. }) => "press Download anyway if you have the disk space and the time; nothing was kept from the stopped download".into(),
        Error::Course(CourseError::CloneFailed { .. }) => "check your network connection and press Open again: nothing half-downloaded was kept".into(),
        Error::Course(CourseError::NotebookDownload { .. }) => "check the link: it should end in .ipynb, or be a notebook's page on GitHub, GitLab or Colab".into(),
        Error::Course(CourseError::NotACourse { .. }) => "only projects opened from a course link have a teacher's version; open the course's link to get it".into(),
        Error::Course(CourseError::CourseDamaged { .. }) => "when your copy is what is damaged, press Start over from the teacher's version (your copy is kept in a dated folder beside it); when the course itself holds such files, tell the teacher".into(),
        _ => return None,
    })
}
