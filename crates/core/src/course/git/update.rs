//! An update: fetch the teacher's newest commit, plan by the rules, check every target, then
//! write; git's index and branch follow only when every file is in place.

use std::path::Path;

use gix::refs::transaction::PreviousValue;
use gix::ObjectId;

use super::copies::Copies;
use super::errors::damaged;
use super::rules::{self, Action, Disk, Files};
use super::{fetch, write, FileOutcome, FileUpdate, Progress, UpdateReport};
use crate::error::CourseError;
use crate::error::{Error, Result};

/// The git checkout at exactly `dir` (never one of its parents).
pub(super) fn open(dir: &Path) -> Result<gix::Repository> {
    let not_course = || {
        Error::Course(CourseError::NotACourse {
            dir: dir.to_path_buf(),
        })
    };
    if !dir.join(".git").is_dir() {
        return Err(not_course());
    }
    gix::open(dir).map_err(|_| not_course())
}

pub(super) fn update(dir: &Path, on_progress: &(dyn Fn(Progress) + Sync)) -> Result<UpdateReport> {
    let mut repo = open(dir)?;
    // The reflog needs a name, and a student's computer often has no git identity at all.
    repo.committer_or_set_fallback("Darwinix", "darwinix@localhost")
        .map_err(|e| damaged(dir, "its git settings cannot be read", e))?;
    let url = super::remote_url(dir).ok_or_else(|| {
        Error::Course(CourseError::NotACourse {
            dir: dir.to_path_buf(),
        })
    })?;
    let branch = super::branch(dir)
        .ok_or_else(|| damaged(dir, "it follows no branch", "its HEAD is detached"))?;
    let base = base(&repo, dir, &branch)?;
    let newest = fetch::newest(&repo, dir, &url, &branch, on_progress)?;
    let short = |id: ObjectId| id.to_hex_with_len(7).to_string();
    let mut report = UpdateReport {
        before: short(base),
        after: short(newest),
        already_current: newest == base,
        files: Vec::new(),
    };
    if report.already_current {
        return Ok(report);
    }
    let old = write::tree_files(&repo, base, dir)?;
    let new = write::tree_files(&repo, newest, dir)?;
    let moved = super::made_lists::make_way(dir, &old, &new)?;
    let hash = |path: &str| disk(&repo, dir, path);
    let actions = rules::plan(&old, &new, hash)?;
    report.files = moved;
    report
        .files
        .extend(apply(&repo, dir, [&old, &new], actions)?);
    write::index(&repo, dir, newest)?;
    for name in [
        format!("refs/heads/{branch}"),
        format!("refs/remotes/origin/{branch}"),
    ] {
        repo.reference(
            name,
            newest,
            PreviousValue::Any,
            "darwinix: the teacher's new version",
        )
        .map_err(|e| damaged(dir, "its branch cannot be moved", e))?;
    }
    Ok(report)
}

/// The teacher's version the student last received: the remote-tracking branch, which only
/// an applied update moves (a student who committed with git has moved HEAD past it).
fn base(repo: &gix::Repository, dir: &Path, branch: &str) -> Result<ObjectId> {
    let tracking = format!("refs/remotes/origin/{branch}");
    if let Ok(Some(mut reference)) = repo.try_find_reference(tracking.as_str()) {
        if let Ok(id) = reference.peel_to_id() {
            return Ok(id.detach());
        }
    }
    repo.head_id()
        .map(|id| id.detach())
        .map_err(|e| damaged(dir, "its git data has no commit", e))
}

/// What is at `path` in the student's folder.
fn disk(repo: &gix::Repository, dir: &Path, path: &str) -> Result<Disk> {
    let parts: Vec<&str> = path.split('/').collect();
    let mut at = dir.to_path_buf();
    for (i, part) in parts.iter().enumerate() {
        at.push(part);
        let last = i + 1 == parts.len();
        match std::fs::symlink_metadata(&at) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Disk::Missing),
            Err(source) => return Err(Error::ReadFile { path: at, source }),
            Ok(meta) if meta.is_dir() && !last || meta.is_file() && last => {}
            Ok(_) => return Ok(Disk::Other),
        }
    }
    let bytes = std::fs::read(&at).map_err(|source| Error::ReadFile { path: at, source })?;
    gix::objs::compute_hash(repo.object_hash(), gix::objs::Kind::Blob, &bytes)
        .map(Disk::File)
        .map_err(|e| damaged(dir, "a file could not be compared", e))
}

/// Names the teacher's copies, checks that every file to write can be written, then writes.
fn apply(
    repo: &gix::Repository,
    dir: &Path,
    trees: [&Files; 2],
    actions: Vec<Action>,
) -> Result<Vec<FileUpdate>> {
    let mut copies = Copies::read(repo);
    let mut planned = Vec::new();
    for action in actions {
        let (target, file) = match action {
            Action::Beside { path, entry, added } => {
                let copy = rules::teachers_copy(&path, |c| {
                    copies.usable(c, trees, |p| disk(repo, dir, p))
                });
                copies.claim(&copy, entry.id);
                let outcome = FileOutcome::KeptYours {
                    teachers_copy: copy.clone(),
                };
                (Some((copy, entry)), told(path, outcome, added))
            }
            Action::Write {
                path,
                entry,
                outcome,
            } => (Some((path.clone(), entry)), told(path, outcome, false)),
            Action::Remove { path } => (None, told(path, FileOutcome::Removed, false)),
            Action::Leave { path, outcome } => (None, told(path, outcome, false)),
        };
        if let Some((target, _)) = &target {
            write::inside(dir, target)?;
            write::parents(dir, target, false)?;
        }
        planned.push((target, file));
    }
    let written = write_all(repo, dir, &planned);
    // Saved even when a write failed: the copies that were written are Darwinix's to replace.
    copies.save(dir)?;
    written?;
    Ok(planned.into_iter().map(|(_, file)| file).collect())
}

type Planned = (Option<(String, rules::Entry)>, FileUpdate);

fn write_all(repo: &gix::Repository, dir: &Path, planned: &[Planned]) -> Result<()> {
    for (target, file) in planned {
        match target {
            Some((path, entry)) => {
                let exec = matches!(entry.kind, rules::Kind::File { exec: true });
                write::write_file(dir, path, &write::blob(repo, dir, entry.id)?, exec)?;
            }
            None if file.outcome == FileOutcome::Removed => write::remove_file(dir, &file.path)?,
            None => {}
        }
    }
    Ok(())
}

fn told(path: String, outcome: FileOutcome, added: bool) -> FileUpdate {
    FileUpdate {
        words: rules::words(&outcome, added),
        path,
        outcome,
    }
}
