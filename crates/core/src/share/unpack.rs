//! Opening a `.darwinix.zip`: every entry checked first (`check`), then unpacked into a hidden
//! folder that becomes the project under a name nothing has yet (`Course`, `Course 2`, …), so
//! a half-unpacked project is never seen and nothing the user has is ever replaced. The new
//! project installs from the lock inside (`.darwinix/requirements.lock.txt`, hashes checked;
//! with no network when its wheels are inside), with the Python it was made with — both
//! remembered in Darwinix's settings for it, the files left as they came. It is remembered as
//! come from that file, so the trust prompt asks before its first install.

use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use zip::ZipArchive;

use super::check::{self, Checked, Entry};
use super::meta::{self, ShareMeta};
use super::pack::Temporary;
use crate::course::record;
use crate::error::CourseError;
use crate::error::{Error, Result};
use crate::paths::AppPaths;
use crate::project::config::{self, ProjectConfig};
use crate::project::Project;

/// `share.json` is a few hundred bytes; more is not one of ours.
const MAX_META: u64 = 1 << 20;

/// A project unpacked from a shared file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export, rename = "ImportedProject")]
#[serde(rename_all = "camelCase")]
pub struct Imported {
    #[ts(type = "string")]
    pub dir: PathBuf,
    /// The notebook to open first: the one nearest the top, by name.
    #[ts(type = "string | null")]
    pub notebook: Option<PathBuf>,
    /// Its wheels are inside: it installs with no network.
    pub offline: bool,
    /// `3.11`: the Python it was made with.
    pub python: String,
}

/// Unpacks `zip_file` into a new folder of `parent`.
pub fn import(paths: &AppPaths, zip_file: &Path, parent: &Path) -> Result<Imported> {
    let zip_file = std::path::absolute(zip_file).unwrap_or_else(|_| zip_file.to_path_buf());
    let read = |source| Error::ReadFile {
        path: zip_file.clone(),
        source,
    };
    let file = File::open(&zip_file).map_err(read)?;
    let weight = file.metadata().map_err(read)?.len();
    let mut archive =
        ZipArchive::new(BufReader::new(file)).map_err(|e| check::unreadable(&zip_file, e))?;
    let checked = check::check(&mut archive, &zip_file, weight, check::LIMITS)?;
    let share = read_meta(&mut archive, &checked, &zip_file)?;
    std::fs::create_dir_all(parent).map_err(|source| Error::CreateDir {
        path: parent.to_path_buf(),
        source,
    })?;
    let temp =
        Temporary::new(parent.join(format!(".{}.unpacking-{}", checked.top, std::process::id())));
    let _ = std::fs::remove_dir_all(&temp.path);
    std::fs::create_dir(&temp.path).map_err(|source| Error::CreateDir {
        path: temp.path.clone(),
        source,
    })?;
    extract(&mut archive, &checked, &temp.path, &zip_file)?;
    if share.offline && share.platform != meta::platform() {
        index_too(&temp.path)?;
    }
    let dir = place(&temp.path, parent, &checked.top)?;
    temp.keep();
    let project = Project::open(&dir)?;
    remember(paths, &project, &share, &zip_file)?;
    Ok(Imported {
        notebook: first_notebook(&checked.entries).map(|n| project.dir.join(n)),
        dir: project.dir,
        offline: share.offline,
        python: share.python,
    })
}

/// [`import`] for a start: into the courses folder (the one the user chose, else
/// `~/Darwinix`), off the async threads (a big file takes a while).
pub async fn import_for_start(paths: &AppPaths, zip_file: &Path) -> Result<Imported> {
    if let Some(again) = opened_before(paths, zip_file) {
        return Ok(again);
    }
    let settings = crate::settings::Settings::load(paths)?;
    let parent = settings
        .courses_dir
        .unwrap_or_else(|| paths.courses.clone());
    let (paths, zip_file) = (paths.clone(), zip_file.to_path_buf());
    tokio::task::spawn_blocking(move || import(&paths, &zip_file, &parent))
        .await
        .expect("unpacking does not panic")
}

/// The folder this same file was unpacked into before, when it is still there and the file
/// has not changed since: a second double-click opens the project, not a second copy of it.
fn opened_before(paths: &AppPaths, zip_file: &Path) -> Option<Imported> {
    let file = std::path::absolute(zip_file).ok()?;
    let changed = std::fs::metadata(&file)
        .and_then(|m| m.modified())
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs();
    let course = record::all(paths).ok()?.into_iter().rev().find(|c| {
        matches!(&c.from, record::From::SharedFile { file: f } if *f == file)
            && c.opened_at >= changed
            && c.dir.join(meta::DIR).is_dir()
    })?;
    let text = std::fs::read(course.dir.join(meta::DIR).join(meta::META)).ok()?;
    let share: meta::ShareMeta = serde_json::from_slice(&text).ok()?;
    let mut notebooks: Vec<PathBuf> = std::fs::read_dir(&course.dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ipynb"))
        .collect();
    notebooks.sort();
    Some(Imported {
        notebook: notebooks.into_iter().next(),
        offline: share.offline,
        python: share.python,
        dir: course.dir,
    })
}

/// `share.json`: there, readable, of a format this Darwinix knows, with its lock beside it.
fn read_meta<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
    checked: &Checked,
    zip_file: &Path,
) -> Result<ShareMeta> {
    let not_ours = |why: String| {
        Error::Course(CourseError::ZipUnreadable {
            file: zip_file.to_path_buf(),
            why,
        })
    };
    let find = |name: &str| {
        let wanted = Path::new(meta::DIR).join(name);
        checked.entries.iter().find(|e| !e.dir && e.path == wanted)
    };
    let Some(entry) = find(meta::META) else {
        return Err(not_ours(format!(
            "it has no {}/{} (a zip made otherwise than with Share…)",
            meta::DIR,
            meta::META
        )));
    };
    let mut text = String::new();
    archive
        .by_index(entry.index)
        .map_err(|e| check::unreadable(zip_file, e))?
        .take(MAX_META)
        .read_to_string(&mut text)
        .map_err(|e| not_ours(format!("its {} cannot be read: {e}", meta::META)))?;
    let share: ShareMeta = serde_json::from_str(&text)
        .map_err(|e| not_ours(format!("its {} cannot be read: {e}", meta::META)))?;
    if share.format > meta::FORMAT {
        return Err(not_ours(format!(
            "it was made by a newer Darwinix ({}); update Darwinix to open it",
            share.made_by
        )));
    }
    if find(meta::LOCK).is_none() {
        return Err(not_ours(format!("it has no {}", meta::lock_in_project())));
    }
    Ok(share)
}

/// Unpacks the checked entries into `into`.
fn extract<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
    checked: &Checked,
    into: &Path,
    zip_file: &Path,
) -> Result<()> {
    for entry in &checked.entries {
        let target = into.join(&entry.path);
        let folder = match entry.dir {
            true => target.as_path(),
            false => target.parent().unwrap_or(into),
        };
        std::fs::create_dir_all(folder).map_err(|source| Error::CreateDir {
            path: folder.to_path_buf(),
            source,
        })?;
        if !entry.dir {
            unpack_file(archive, entry, &target, zip_file)?;
        }
    }
    Ok(())
}

/// One file, never more bytes than the entry said it holds (its size is what was checked).
fn unpack_file<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
    entry: &Entry,
    target: &Path,
    zip_file: &Path,
) -> Result<()> {
    let written = |source| Error::WriteFile {
        path: target.to_path_buf(),
        source,
    };
    let mut out = File::create_new(target).map_err(written)?;
    let reader = archive
        .by_index(entry.index)
        .map_err(|e| check::unreadable(zip_file, e))?;
    let copied = std::io::copy(&mut reader.take(entry.size + 1), &mut out);
    let copied = copied.map_err(|e| match e.kind() {
        std::io::ErrorKind::InvalidData | std::io::ErrorKind::UnexpectedEof => {
            Error::Course(CourseError::ZipUnreadable {
                file: zip_file.to_path_buf(),
                why: format!("`{}` is damaged: {e}", entry.path.display()),
            })
        }
        _ => written(e),
    })?;
    if copied > entry.size {
        return Err(Error::Course(CourseError::ZipUnsafe {
            file: zip_file.to_path_buf(),
            entry: entry.path.display().to_string(),
            why: "unpacks into more than it says".into(),
        }));
    }
    Ok(())
}

/// An offline file opened on another system: its wheels may not install here, so the lock
/// may take the rest from the package index (the hashes still check every file).
fn index_too(dir: &Path) -> Result<()> {
    let lock = dir.join(meta::DIR).join(meta::LOCK);
    let text = std::fs::read_to_string(&lock).map_err(|source| Error::ReadFile {
        path: lock.clone(),
        source,
    })?;
    let kept: String = text
        .lines()
        .filter(|l| l.trim() != "--no-index")
        .map(|l| format!("{l}\n"))
        .collect();
    crate::paths::write_atomically(&lock, kept.as_bytes())
}

/// Renames `temp` to `parent/name`, or the first of `name 2`, `name 3`, … that nothing has.
/// The name is taken first (an empty folder), so two imports at once never pick the same one.
fn place(temp: &Path, parent: &Path, name: &str) -> Result<PathBuf> {
    for candidate in meta::numbered_folder(parent, name).take(1000) {
        match std::fs::create_dir(&candidate) {
            Ok(()) => return move_into(temp, candidate),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(source) => {
                return Err(Error::CreateDir {
                    path: candidate,
                    source,
                })
            }
        }
    }
    Err(Error::CreateDir {
        path: parent.join(name),
        source: std::io::ErrorKind::AlreadyExists.into(),
    })
}

/// `temp` becomes the empty folder `reserved`: a rename over it on Unix; Windows renames onto
/// no folder, so the empty one goes first (never one with files: `remove_dir` refuses those).
fn move_into(temp: &Path, reserved: PathBuf) -> Result<PathBuf> {
    let moved = std::fs::rename(temp, &reserved).or_else(|_| {
        std::fs::remove_dir(&reserved)?;
        std::fs::rename(temp, &reserved)
    });
    match moved {
        Ok(()) => Ok(reserved),
        Err(source) => {
            let _ = std::fs::remove_dir(&reserved);
            Err(Error::WriteFile {
                path: reserved,
                source,
            })
        }
    }
}

/// The project's settings (a fresh start: the lock, the Python) and where it came from.
fn remember(paths: &AppPaths, project: &Project, share: &ShareMeta, zip_file: &Path) -> Result<()> {
    let fresh = ProjectConfig {
        source: Some(meta::lock_in_project()),
        python: Some(share.python.clone()),
        ..ProjectConfig::default()
    };
    config::update(paths, project, |c| *c = fresh)?;
    let from = record::From::SharedFile {
        file: zip_file.to_path_buf(),
    };
    record::remember(paths, &project.dir, from)
}

/// The notebook nearest the top, by name; none in a hidden folder (checkpoints).
fn first_notebook(entries: &[Entry]) -> Option<PathBuf> {
    entries
        .iter()
        .filter(|e| !e.dir && e.path.extension().is_some_and(|x| x == "ipynb"))
        .filter(|e| {
            e.path
                .components()
                .all(|c| !c.as_os_str().to_string_lossy().starts_with('.'))
        })
        .min_by_key(|e| (e.path.components().count(), e.path.clone()))
        .map(|e| e.path.clone())
}
