//! The known projects' environments: which projects Darwinix knows (the app's recent list, the
//! default project, those with a server), when each was last opened, what its `.venv` takes,
//! and removing a `.venv` — only that folder, only one Darwinix made or knows, never while
//! its server runs. The next start makes it again.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use super::cleaned::Removed;
use super::space::{measure_dir, ProjectSpace};
use crate::error::{Error, Result};
use crate::jupyter::Entry;
use crate::paths::AppPaths;
use crate::project::{recent, stamp, Project};

/// A project not opened for this many days is marked: its `.venv` is a candidate to remove.
pub const STALE_DAYS: u64 = 90;

/// The projects Darwinix knows on this computer, each once: the known projects (set up,
/// started or opened from the app or the CLI), the default project when it exists, and every
/// project with a registered server (remote projects have their `.venv` on the remote computer
/// and are left out).
pub fn known_projects(paths: &AppPaths, running: &[Entry]) -> Vec<PathBuf> {
    let mut known: Vec<PathBuf> = Vec::new();
    let recent = recent::known(paths)
        .into_iter()
        .filter(|d| !d.to_str().is_some_and(crate::remote::is_remote));
    let default = Some(paths.default_project.clone()).filter(|d| d.is_dir());
    let servers = running.iter().map(|e| e.dir.clone()).filter(|d| d.is_dir());
    for dir in recent.chain(default).chain(servers) {
        let dir = dunce::canonicalize(&dir).unwrap_or(dir);
        if !known.contains(&dir) {
            known.push(dir);
        }
    }
    known
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn modified(path: &Path) -> Option<u64> {
    let at = std::fs::metadata(path).ok()?.modified().ok()?;
    Some(at.duration_since(UNIX_EPOCH).ok()?.as_secs())
}

/// The last time the project was opened in the app, started, set up or changed: the newest of
/// the app's record, its logs and its environment's stamp.
fn last_opened(paths: &AppPaths, project: &Project) -> Option<u64> {
    let key = project.key();
    let files = [
        paths.log(&format!("{key}.jupyter.log")),
        paths.log(&format!("{key}.setup.log")),
        paths.log(&format!("{key}.packages.log")),
        stamp::path(&project.venv()),
    ];
    let times = files.iter().filter_map(|f| modified(f));
    times.chain(recent::opened_at(paths, &project.dir)).max()
}

/// Not opened for [`STALE_DAYS`] days at `now`; a project never opened counts as stale.
fn stale(last_opened: Option<u64>, now: u64) -> bool {
    last_opened.is_none_or(|at| now.saturating_sub(at) > STALE_DAYS * 24 * 60 * 60)
}

/// Every known project with its `.venv`'s size, most recently opened first.
pub(super) async fn list(paths: &AppPaths, running: &[Entry]) -> Vec<ProjectSpace> {
    let now = now();
    let mut out = Vec::new();
    for dir in known_projects(paths, running) {
        let project = Project::at(&dir);
        let venv = project.venv();
        let has_venv = std::fs::symlink_metadata(&venv).is_ok_and(|m| m.is_dir());
        let (bytes, problems) = match has_venv {
            true => measure_dir(&venv).await,
            false => (0, Vec::new()),
        };
        let last = last_opened(paths, &project);
        let is_running = running.iter().any(|e| e.id == project.key() && !e.spare);
        out.push(ProjectSpace {
            name: project.name(),
            dir,
            venv,
            has_venv,
            bytes,
            last_opened: last,
            stale: has_venv && !is_running && stale(last, now),
            running: is_running,
            problems,
        });
    }
    out.sort_by_key(|p| std::cmp::Reverse(p.last_opened));
    out
}

/// Removes the `.venv` of the project `dir` and says what it took. Refused for anything but a
/// real folder named `.venv` directly in a project Darwinix knows or whose environment it
/// made, and while the project's server runs. The project's own files are never touched.
pub async fn remove_venv(paths: &AppPaths, dir: &Path) -> Result<Removed> {
    let project = Project::open(dir)?;
    let venv = project.venv();
    let refuse = |why: &str| Error::NotRemovable {
        path: venv.clone(),
        why: why.into(),
    };
    let Ok(meta) = std::fs::symlink_metadata(&venv) else {
        return Ok(Removed {
            what: format!("the .venv of {} (there was none)", project.name()),
            path: Some(venv),
            bytes: 0,
        });
    };
    if !meta.is_dir() {
        return Err(refuse(
            "it is not a folder (a link or a file is left alone)",
        ));
    }
    let running = crate::jupyter::find(paths, &project).await;
    let known = known_projects(paths, running.as_slice()).contains(&project.dir);
    if !known && !stamp::path(&venv).is_file() {
        return Err(refuse(
            "Darwinix did not make it and does not know this project",
        ));
    }
    match running {
        // Kept ready by the app's instant start and never shown: stopped, and started again
        // when the app wants it.
        Some(entry) if entry.spare => crate::jupyter::stop(paths, &entry).await?,
        Some(_) => return Err(Error::ServerRunning { dir: project.dir }),
        None => {}
    }
    // A setup of this project waits, and then makes the environment again.
    let _lock = crate::install::lock_project(paths, &project, &crate::reporter::Silent).await?;
    let (bytes, _) = measure_dir(&venv).await;
    crate::install::venv::remove(&venv)?;
    Ok(Removed {
        what: format!("the .venv of {}", project.name()),
        path: Some(venv),
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: u64 = 24 * 60 * 60;

    #[test]
    fn ninety_days_without_opening_is_stale() {
        let now = 1_000 * DAY;
        assert!(!stale(Some(now - DAY), now));
        assert!(!stale(Some(now - 90 * DAY), now));
        assert!(stale(Some(now - 91 * DAY), now));
        assert!(stale(None, now));
    }

    fn fake_venv(dir: &Path, stamped: bool) -> PathBuf {
        let venv = dir.join(".venv");
        std::fs::create_dir_all(venv.join("lib")).unwrap();
        std::fs::write(venv.join("pyvenv.cfg"), "home = /usr/bin\n").unwrap();
        std::fs::write(venv.join("lib/big"), vec![0u8; 40_000]).unwrap();
        if stamped {
            std::fs::write(stamp::path(&venv), "{}").unwrap();
        }
        venv
    }

    #[tokio::test]
    async fn a_known_projects_venv_goes_and_its_files_stay() {
        let tmp = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(&tmp.path().join("home"));
        let dir = tmp.path().join("p");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("notebook.ipynb"), "{}").unwrap();
        let venv = fake_venv(&dir, false);
        let err = remove_venv(&paths, &dir).await.unwrap_err();
        assert!(matches!(err, Error::NotRemovable { .. }), "unknown: {err}");
        assert!(venv.is_dir());
        recent::touch(&paths, &dunce::canonicalize(&dir).unwrap()).unwrap();
        let listed = list(&paths, &[]).await;
        assert_eq!(listed.len(), 1);
        assert!(listed[0].bytes >= 40_000 && !listed[0].stale);
        let removed = remove_venv(&paths, &dir).await.unwrap();
        assert_eq!(removed.bytes, listed[0].bytes);
        assert!(!venv.exists());
        assert!(dir.join("notebook.ipynb").is_file());
    }

    #[tokio::test]
    async fn only_a_real_environment_is_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(&tmp.path().join("home"));
        let dir = tmp.path().join("p");
        std::fs::create_dir_all(dir.join(".venv")).unwrap();
        std::fs::write(dir.join(".venv/mine.txt"), "the user's").unwrap();
        recent::touch(&paths, &dunce::canonicalize(&dir).unwrap()).unwrap();
        let err = remove_venv(&paths, &dir).await.unwrap_err();
        assert!(matches!(err, Error::NotAVenv { .. }), "{err}");
        assert!(dir.join(".venv/mine.txt").is_file());
        // Stamped by Darwinix: removable even when the project is not in the list.
        let other = tmp.path().join("q");
        fake_venv(&other, true);
        remove_venv(&paths, &other).await.unwrap();
        assert!(!other.join(".venv").exists());
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn a_link_named_venv_is_left_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(&tmp.path().join("home"));
        let elsewhere = tmp.path().join("elsewhere");
        fake_venv(&elsewhere, true);
        let dir = tmp.path().join("p");
        std::fs::create_dir_all(&dir).unwrap();
        std::os::unix::fs::symlink(elsewhere.join(".venv"), dir.join(".venv")).unwrap();
        recent::touch(&paths, &dunce::canonicalize(&dir).unwrap()).unwrap();
        let err = remove_venv(&paths, &dir).await.unwrap_err();
        assert!(matches!(err, Error::NotRemovable { .. }), "{err}");
        assert!(elsewhere.join(".venv/pyvenv.cfg").is_file());
    }
}
