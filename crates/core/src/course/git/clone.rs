//! A shallow clone into a temporary sibling folder, renamed into place only when complete: a
//! folder at the course's name is always a whole course.

use std::num::NonZeroU32;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::errors::{check_url, download_error, or_branch_missing};
use super::progress::watch;
use super::{write, Cloned, Progress};
use crate::error::CourseError;
use crate::error::{Error, Result};

const PARTIAL: &str = ".darwinix-partial-";

pub(super) fn clone(
    url: &str,
    branch: Option<&str>,
    dest: &Path,
    max_bytes: Option<u64>,
    on_progress: &(dyn Fn(Progress) + Sync),
) -> Result<Cloned> {
    check_url(url)?;
    crate::http::install_tls();
    let (parent, name) = match (dest.parent(), dest.file_name()) {
        (Some(parent), Some(name)) => (parent, name.to_string_lossy().to_string()),
        _ => return Err(exists(dest, std::io::ErrorKind::InvalidInput)),
    };
    if dest.symlink_metadata().is_ok() {
        return Err(exists(dest, std::io::ErrorKind::AlreadyExists));
    }
    std::fs::create_dir_all(parent).map_err(|source| Error::CreateDir {
        path: parent.to_path_buf(),
        source,
    })?;
    remove_stale(parent, &name);
    let temp = parent.join(format!(".{name}{PARTIAL}{}", write::random_suffix()?));
    let result = download(url, branch, &temp, max_bytes, on_progress).and_then(|cloned| {
        if dest.symlink_metadata().is_ok() {
            return Err(exists(dest, std::io::ErrorKind::AlreadyExists));
        }
        std::fs::rename(&temp, dest).map_err(|source| Error::CreateDir {
            path: dest.to_path_buf(),
            source,
        })?;
        Ok(cloned)
    });
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&temp);
    }
    result.map_err(|err| match err {
        // The student knows the folder by its name, not by the download's.
        Error::Course(CourseError::CourseDamaged { dir, why }) if dir == temp => {
            Error::Course(CourseError::CourseDamaged {
                dir: dest.to_path_buf(),
                why,
            })
        }
        err => err,
    })
}

fn exists(dest: &Path, kind: std::io::ErrorKind) -> Error {
    Error::CreateDir {
        path: dest.to_path_buf(),
        source: kind.into(),
    }
}

/// Partial downloads of `name` a killed run left behind.
fn remove_stale(parent: &Path, name: &str) {
    let prefix = format!(".{name}{PARTIAL}");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Fetches into `temp` (made by gix) and writes the teacher's files there.
fn download(
    url: &str,
    branch: Option<&str>,
    temp: &Path,
    max_bytes: Option<u64>,
    on_progress: &(dyn Fn(Progress) + Sync),
) -> Result<Cloned> {
    let asked = Arc::new(AtomicBool::new(false));
    let (fetched, watched) = watch(max_bytes, on_progress, |tracker, interrupt| {
        let asked = asked.clone();
        let mut prepare = gix::prepare_clone(url, temp)?
            .with_shallow(gix::remote::fetch::Shallow::DepthAtRemote(NonZeroU32::MIN))
            .with_ref_name(branch)?
            .configure_connection(move |connection| {
                connection.set_credentials(no_credentials(asked.clone()));
                Ok(())
            });
        prepare.fetch_only(tracker, interrupt).map(|(repo, _)| repo)
    });
    if let (Some(limit), true) = (max_bytes, watched.too_large) {
        return Err(Error::Course(CourseError::RepositoryTooLarge {
            url: url.to_string(),
            bytes: watched.bytes,
            limit,
        }));
    }
    let repo =
        fetched.map_err(|err| failed(url, branch, temp, &err, asked.load(Ordering::Acquire)))?;
    let commit = repo.head_id().map(|id| id.detach()).map_err(|_| {
        Error::Course(CourseError::CloneFailed {
            url: url.to_string(),
            why: "the repository is empty: nothing was put in it yet".into(),
        })
    })?;
    let files = write::tree_files(&repo, commit, temp)?;
    write::checkout(&repo, temp, &files)?;
    write::index(&repo, temp, commit)?;
    let branch = repo
        .head_name()
        .ok()
        .flatten()
        .map(|name| name.shorten().to_string())
        .unwrap_or_default();
    Ok(Cloned {
        branch,
        commit: commit.to_string(),
    })
}

/// The credentials callback: never a prompt nor a helper (a course link is public), only a
/// note that the server asked, which makes the failure `RepositoryNotPublic`.
pub(super) fn no_credentials(
    asked: Arc<AtomicBool>,
) -> impl FnMut(
    gix::credentials::helper::Action,
) -> gix::Result<Option<gix::credentials::protocol::Outcome>> {
    move |_| {
        asked.store(true, Ordering::Release);
        Ok(None)
    }
}

/// A failed download, told: a branch the repository lacks is named with the ones it has.
fn failed(url: &str, branch: Option<&str>, temp: &Path, err: &gix::Error, asked: bool) -> Error {
    let told = download_error(url, err, asked);
    let Some(branch) = branch else {
        return told;
    };
    or_branch_missing(told, url, branch, || {
        let scratch = temp.with_extension("refs");
        let branches = gix::init_bare(&scratch)
            .ok()
            .and_then(|repo| list_branches(&repo, url));
        let _ = std::fs::remove_dir_all(&scratch);
        branches
    })
}

/// The branches at `url`, `None` when it cannot be asked.
pub(super) fn list_branches(repo: &gix::Repository, url: &str) -> Option<Vec<String>> {
    let remote = repo.remote_at(url).ok()?;
    let mut connection = remote.connect(gix::remote::Direction::Fetch).ok()?;
    connection.set_credentials(no_credentials(Arc::default()));
    let options = gix::remote::ref_map::Options {
        prefix_from_spec_as_filter_on_remote: false,
        ..Default::default()
    };
    let (map, _) = connection.ref_map(gix::progress::Discard, options).ok()?;
    let names = map.remote_refs.iter().filter_map(|r| {
        let name = r.unpack().0.to_string();
        name.strip_prefix("refs/heads/").map(str::to_string)
    });
    Some(names.collect())
}
