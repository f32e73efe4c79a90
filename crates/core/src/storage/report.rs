//! The storage figures: every part measured at once, each on a blocking thread.

use std::path::PathBuf;

use serde::Serialize;

use super::cleaned::Problem;
use super::projects::STALE_DAYS;
use super::size;
use super::space::{blocking, problems, ProjectSpace, RuntimeSpace};
use super::uv_cache::UvCacheSpace;
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
        stale_days: STALE_DAYS,
    }
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
