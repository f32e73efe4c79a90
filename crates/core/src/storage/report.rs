//! The storage figures: every part measured at once, each on a blocking thread.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::size;
use super::uv_cache::UvCacheSpace;
use super::Problem;
use crate::paths::AppPaths;

/// What Darwinix takes on this computer, part by part.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct StorageReport {
    /// The shared JupyterLab runtimes and kernel layers, one per version (and place).
    pub runtimes: Vec<RuntimeSpace>,
    pub uv_cache: UvCacheSpace,
    /// Darwinix's own folders, without the runtimes (counted above).
    pub own: OwnSpace,
    /// The known projects' `.venv`s, most recently opened first.
    pub projects: Vec<ProjectSpace>,
    /// Projects not opened for this many days are `stale`.
    #[ts(type = "number")]
    pub stale_days: u64,
}

impl StorageReport {
    /// The space that "Remove unused runtimes" would give back.
    pub fn unused_runtimes_bytes(&self) -> u64 {
        self.runtimes
            .iter()
            .filter(|r| r.removable())
            .map(|r| r.bytes)
            .sum()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub enum RuntimeKind {
    /// JupyterLab itself, which every project's server runs from.
    Jupyterlab,
    /// The notebook kernel (ipykernel) for one Python version, linked into projects' `.venv`s.
    Kernel,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct RuntimeSpace {
    /// The folder's name: `jupyterlab-<version>-<place>` or `ipykernel-<version>-py3.11`.
    pub name: String,
    pub path: PathBuf,
    pub kind: RuntimeKind,
    /// The version this Darwinix uses (the others are from earlier releases).
    pub current: bool,
    /// A running server (or its kernel) uses it now.
    pub in_use: bool,
    #[ts(type = "number")]
    pub bytes: u64,
    pub problems: Vec<Problem>,
}

impl RuntimeSpace {
    /// Neither the current version nor in use: "Remove unused runtimes" takes it.
    pub fn removable(&self) -> bool {
        !self.current && !self.in_use
    }
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct OwnSpace {
    /// Darwinix's data, settings and cache folders.
    pub folders: Vec<PathBuf>,
    #[ts(type = "number")]
    pub bytes: u64,
    pub problems: Vec<Problem>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ProjectSpace {
    pub dir: PathBuf,
    pub name: String,
    pub venv: PathBuf,
    /// `.venv` is there (a project never started has none).
    pub has_venv: bool,
    /// What `.venv` takes (0 without one); the project's own files are not counted.
    #[ts(type = "number")]
    pub bytes: u64,
    /// When it was last opened or set up (seconds since the Unix epoch), if known.
    #[ts(type = "number | null")]
    pub last_opened: Option<u64>,
    /// Not opened for [`super::STALE_DAYS`] days.
    pub stale: bool,
    /// Its server runs: its `.venv` cannot be removed now.
    pub running: bool,
    pub problems: Vec<Problem>,
}

/// Measures everything. Never fails: what cannot be measured is named in `problems` and the
/// rest is still counted.
pub async fn report(paths: &AppPaths) -> StorageReport {
    let running = crate::jupyter::list(paths).await;
    let entries: Vec<_> = running.into_iter().map(|(e, _)| e).collect();
    let uv_cache = super::uv_cache::locate(paths);
    let runtimes = super::runtimes::list(paths, &entries);
    let projects = super::projects::list(paths, &entries);
    let own = blocking({
        let paths = paths.clone();
        move || own_space(&paths)
    });
    let (uv_cache, runtimes, projects, own) = tokio::join!(uv_cache, runtimes, projects, own);
    StorageReport {
        runtimes,
        uv_cache,
        own,
        projects,
        stale_days: super::STALE_DAYS,
    }
}

/// Runs `f` on a blocking thread (walking folders blocks).
pub(super) async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f)
        .await
        .expect("measuring does not panic")
}

fn own_space(paths: &AppPaths) -> OwnSpace {
    let roots = paths.roots();
    let runtimes = paths.runtimes();
    let measured = size::measure(&roots, &[runtimes.as_path()]);
    OwnSpace {
        folders: roots.iter().map(|r| r.to_path_buf()).collect(),
        bytes: measured.bytes,
        problems: problems(&measured),
    }
}

/// The problems of a walk, for a report.
pub(super) fn problems(measured: &size::Measured) -> Vec<Problem> {
    measured.unreadable.iter().map(Problem::from).collect()
}

/// One folder measured on a blocking thread: its bytes and problems.
pub(super) async fn measure_dir(path: &Path) -> (u64, Vec<Problem>) {
    let path = path.to_path_buf();
    blocking(move || {
        let m = size::of(&path);
        (m.bytes, problems(&m))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn own_data_leaves_the_runtimes_out() {
        let dir = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(dir.path());
        std::fs::create_dir_all(paths.runtimes().join("jupyterlab-x-y")).unwrap();
        std::fs::write(
            paths.runtimes().join("jupyterlab-x-y/big"),
            vec![0u8; 300_000],
        )
        .unwrap();
        std::fs::create_dir_all(&paths.config).unwrap();
        std::fs::write(paths.settings_file(), vec![1u8; 20_000]).unwrap();
        let own = own_space(&paths);
        assert!(own.bytes >= 20_000 && own.bytes < 300_000, "{}", own.bytes);
        assert!(own.problems.is_empty());
        assert_eq!(own.folders.len(), 3);
    }
}
