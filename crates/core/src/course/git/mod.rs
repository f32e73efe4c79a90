//! A course's git repository, without git installed: a shallow clone of the teacher's branch, and
//! updates that never lose the student's work. gix does the network part (smart HTTP, protocol
//! v2, depth 1); which file gets written where is this module's own code, because gix has no
//! checkout of a merge or reset, and because the rules are ours.
//!
//! # Update rules
//!
//! The *base* is the teacher's version the student last received (the remote-tracking branch,
//! or HEAD when there is none: Darwinix moves both together). Each of the teacher's files is
//! compared as bytes on disk against the base's blob (not against git's index, which the
//! student never touches). After the teacher's newest commit *T* was fetched completely:
//!
//! - the teacher changed or added a file the student left as it was (or does not have):
//!   T's version is written (`Updated`, `Added`);
//! - the teacher changed it and so did the student, or the teacher added a file the student
//!   already has with other content: the student's file stays as it is, and T's version is
//!   written *beside* it as `name (teacher's version).ext` (`KeptYours`);
//! - the student deleted a file: it comes back as T's version (`Restored`), changed or not;
//! - the teacher deleted a file: removed if the student had not changed it (`Removed`),
//!   kept otherwise (`KeptYoursTeacherRemoved`);
//! - the student's own files (in neither version) are never touched nor listed.
//!
//! Why beside rather than a line merge: notebooks are JSON with outputs and cell ids, and a
//! textual merge of two edited `.ipynb` files can produce one that no longer opens, or mixes
//! two versions of a cell silently. nbgitpuller merges with `-Xours` and its users complain
//! they are never told what conflicted (#263) and that a deleted file comes back as the
//! student's version (#279). Beside, the student sees both versions whole and the report says
//! which files, in words.
//!
//! A name beside is never a student's file: when taken, ` 2`, ` 3`, … is added; only a copy
//! Darwinix wrote earlier and nobody changed since (listed in `.git/darwinix-teachers-copies`)
//! is replaced. Links and submodules in the teacher's tree are never made (a link could point
//! anywhere on the student's computer): a clone leaves them out, an update lists them as
//! `SkippedLink`. A path that would leave the folder (`..`, absolute, `.git`) is refused
//! (`CourseDamaged`) before anything is written.
//!
//! After the files, the index is rewritten from T's tree and the branch moved to T, so a real
//! `git status` shows the student's changes as modifications of the teacher's version. Each
//! file is written to a temporary name and renamed; a failure part-way leaves files that a
//! later update treats as the student's (kept, the teacher's beside), never lost.

mod clone;
mod copies;
mod errors;
mod fetch;
mod made_lists;
mod progress;
mod rules;
mod start_over;
mod update;
mod write;

#[cfg(all(test, unix))]
mod tests;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::Result;

/// How far a download is: objects received of the pack's total, and bytes so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub received: u64,
    pub total: Option<u64>,
    pub bytes: u64,
}

/// What a clone checked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cloned {
    /// The branch the folder follows (the remote's default when none was asked for).
    pub branch: String,
    /// The teacher's commit, in full.
    pub commit: String,
}

/// What an update did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, rename = "CourseUpdate")]
#[serde(rename_all = "camelCase")]
pub struct UpdateReport {
    /// The teacher's commit before and after, short.
    pub before: String,
    pub after: String,
    /// The teacher had nothing new: nothing was written.
    pub already_current: bool,
    /// Every file the update wrote, removed, or left for the student's sake.
    pub files: Vec<FileUpdate>,
}

/// One file of an update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, rename = "CourseFileUpdate")]
#[serde(rename_all = "camelCase")]
pub struct FileUpdate {
    /// Inside the course folder, with `/`.
    pub path: String,
    pub outcome: FileOutcome,
    /// What happened, one sentence for people.
    pub words: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, rename = "CourseFileOutcome")]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum FileOutcome {
    Updated,
    Added,
    Restored,
    Removed,
    /// The student's file stays; the teacher's is at `teachers_copy` (with `/`).
    #[serde(rename_all = "camelCase")]
    KeptYours {
        teachers_copy: String,
    },
    KeptYoursTeacherRemoved,
    /// A link or submodule in the teacher's version, not made.
    SkippedLink,
    /// The `requirements.txt` Darwinix made from the imports, moved here (`path`) to make way
    /// for the one the teacher added at `from`.
    MovedAside {
        from: String,
    },
}

/// Shallow (depth 1) clone of `url` at `branch` (`None`: the remote's HEAD) into `dest`, which
/// must not exist. The download goes to `.<name>.darwinix-partial-<random>` beside `dest`,
/// renamed to `dest` only when complete and removed on any failure (a stale one from a killed
/// run is removed by the next clone). Past `max_bytes` received: `RepositoryTooLarge`.
/// Blocking (gix's HTTP client must not run on a tokio runtime thread).
pub fn clone(
    url: &str,
    branch: Option<&str>,
    dest: &Path,
    max_bytes: Option<u64>,
    on_progress: &(dyn Fn(Progress) + Sync),
) -> Result<Cloned> {
    clone::clone(url, branch, dest, max_bytes, on_progress)
}

/// The checkout's `remote.origin.url`, when `dir` itself is a git checkout.
pub fn remote_url(dir: &Path) -> Option<String> {
    let repo = update::open(dir).ok()?;
    let remote = repo.find_remote("origin").ok()?;
    let url = remote.url(gix::remote::Direction::Fetch)?;
    Some(url.to_bstring().to_string())
}

/// The branch the checkout follows, when HEAD is on one.
pub fn branch(dir: &Path) -> Option<String> {
    let repo = update::open(dir).ok()?;
    let head = repo.head_name().ok()??;
    Some(head.shorten().to_string())
}

/// Fetches the teacher's newest commit of the branch and applies the rules above. Blocking.
pub fn update(dir: &Path, on_progress: &(dyn Fn(Progress) + Sync)) -> Result<UpdateReport> {
    update::update(dir, on_progress)
}

/// Moves the student's folder to a dated sibling `<name> (my copy 2026-12-06)` (` 2`, ` 3` when
/// taken) and clones the teacher's version fresh into `dir`; the kept folder is returned. When
/// the clone fails, the student's folder is put back. Blocking.
pub fn start_over(dir: &Path, on_progress: &(dyn Fn(Progress) + Sync)) -> Result<PathBuf> {
    start_over::start_over(dir, on_progress)
}
