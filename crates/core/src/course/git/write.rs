//! Putting the teacher's files on disk: only inside the course folder, never through a link,
//! each file whole (written beside under a temporary name, then renamed over).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use gix::ObjectId;

use super::errors::damaged;
use super::rules::{Entry, Kind};
use crate::error::CourseError;
use crate::error::{Error, Result};

/// The files of a commit's tree, by path with `/`.
pub(super) fn tree_files(
    repo: &gix::Repository,
    commit: ObjectId,
    dir: &Path,
) -> Result<BTreeMap<String, Entry>> {
    let tree = repo
        .find_commit(commit)
        .and_then(|c| c.tree())
        .map_err(|e| damaged(dir, "the teacher's version cannot be read", e))?;
    let entries = tree
        .traverse()
        .breadthfirst
        .files()
        .map_err(|e| damaged(dir, "the teacher's version cannot be read", e))?;
    let mut files = BTreeMap::new();
    for entry in entries {
        let path = entry.filepath.to_string();
        let kind = match entry.mode.kind() {
            gix::objs::tree::EntryKind::Blob => Kind::File { exec: false },
            gix::objs::tree::EntryKind::BlobExecutable => Kind::File { exec: true },
            gix::objs::tree::EntryKind::Tree => continue,
            gix::objs::tree::EntryKind::Link | gix::objs::tree::EntryKind::Commit => Kind::Link,
        };
        inside(dir, &path)?;
        files.insert(
            path,
            Entry {
                id: entry.oid,
                kind,
            },
        );
    }
    Ok(files)
}

/// `path` (with `/`) under `dir`, refused when it would leave it or reach into `.git`.
pub(super) fn inside(dir: &Path, path: &str) -> Result<PathBuf> {
    let options = gix::validate::path::component::Options {
        protect_windows: cfg!(windows),
        protect_hfs: cfg!(target_os = "macos"),
        protect_ntfs: true,
    };
    let bad = path.split('/').any(|part| {
        part.contains('\0') || gix::validate::path::component(part.into(), None, options).is_err()
    });
    let full = dir.join(path);
    let stays = full
        .strip_prefix(dir)
        .is_ok_and(|rest| rest.components().all(|c| matches!(c, Component::Normal(_))));
    if bad || !stays {
        return Err(Error::Course(CourseError::CourseDamaged {
            dir: dir.to_path_buf(),
            why: format!("the teacher's version holds `{path}`, a name that would land outside the folder or in its git data"),
        }));
    }
    Ok(full)
}

/// Every folder between `dir` and `path` is a real folder (made when missing), not a link or
/// a file: a write must not land elsewhere through a link the student made.
pub(super) fn parents(dir: &Path, path: &str, create: bool) -> Result<()> {
    let mut at = dir.to_path_buf();
    let parts: Vec<&str> = path.split('/').collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        at.push(part);
        match std::fs::symlink_metadata(&at) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => {
                let shown = at.strip_prefix(dir).unwrap_or(&at).display().to_string();
                return Err(damaged(
                    dir,
                    &format!("`{shown}` is a file or a link"),
                    "the teacher's version has a folder there",
                ));
            }
            Err(_) if create => std::fs::create_dir(&at).map_err(|source| Error::CreateDir {
                path: at.clone(),
                source,
            })?,
            Err(_) => return Ok(()),
        }
    }
    Ok(())
}

/// Writes `bytes` to `path` under `dir` whole: a temporary file beside it, renamed over.
pub(super) fn write_file(dir: &Path, path: &str, bytes: &[u8], exec: bool) -> Result<()> {
    let target = inside(dir, path)?;
    parents(dir, path, true)?;
    replace(&target, bytes, exec)
}

/// Writes `bytes` to `target` under a temporary name beside it, then renames it over.
pub(super) fn replace(target: &Path, bytes: &[u8], exec: bool) -> Result<()> {
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    let temp = target.with_file_name(format!(".{name}.darwinix-new-{}", random_suffix()?));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        set_executable(&file, exec)?;
        drop(file);
        std::fs::rename(&temp, target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.map_err(|source| Error::WriteFile {
        path: target.to_path_buf(),
        source,
    })
}

#[cfg(unix)]
fn set_executable(file: &std::fs::File, exec: bool) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    if exec {
        let mut perms = file.metadata()?.permissions();
        // Execute wherever read is allowed, as git does within the umask.
        perms.set_mode(perms.mode() | (perms.mode() & 0o444) >> 2);
        file.set_permissions(perms)?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn set_executable(_file: &std::fs::File, _exec: bool) -> std::io::Result<()> {
    Ok(())
}

/// Removes `path` under `dir`, then the folders it leaves empty.
pub(super) fn remove_file(dir: &Path, path: &str) -> Result<()> {
    let target = inside(dir, path)?;
    std::fs::remove_file(&target).map_err(|source| Error::Remove {
        path: target.clone(),
        source,
    })?;
    let mut at = target.parent();
    while let Some(folder) = at.filter(|f| *f != dir && f.starts_with(dir)) {
        if std::fs::remove_dir(folder).is_err() {
            break;
        }
        at = folder.parent();
    }
    Ok(())
}

/// Writes every file of `files` into the fresh folder `dir` (a clone), links left out.
pub(super) fn checkout(
    repo: &gix::Repository,
    dir: &Path,
    files: &BTreeMap<String, Entry>,
) -> Result<()> {
    for (path, entry) in files {
        if let Kind::File { exec } = entry.kind {
            write_file(dir, path, &blob(repo, dir, entry.id)?, exec)?;
        }
    }
    Ok(())
}

/// The content of blob `id`.
pub(super) fn blob(repo: &gix::Repository, dir: &Path, id: ObjectId) -> Result<Vec<u8>> {
    repo.find_object(id)
        .map(|object| object.detach().data)
        .map_err(|e| damaged(dir, "a file of the teacher's version is missing", e))
}

/// git's index, rewritten from `commit`'s tree: `git status` then compares the folder with
/// the teacher's version the student has.
pub(super) fn index(repo: &gix::Repository, dir: &Path, commit: ObjectId) -> Result<()> {
    let tree = repo
        .find_commit(commit)
        .and_then(|c| c.tree_id())
        .map_err(|e| damaged(dir, "the teacher's version cannot be read", e))?;
    let mut index = repo
        .index_from_tree(&tree)
        .map_err(|e| damaged(dir, "git's index cannot be made", e))?;
    index
        .write(Default::default(), Default::default())
        .map_err(|e| damaged(dir, "git's index cannot be written", e))
}

/// Eight random hex digits, for temporary names.
pub(super) fn random_suffix() -> Result<String> {
    let mut bytes = [0u8; 4];
    getrandom::fill(&mut bytes).map_err(|source| Error::Random { source })?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}
