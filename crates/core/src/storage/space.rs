//! What one part takes: a runtime, a project's `.venv` — each folder measured on a blocking
//! thread (walking folders blocks), with what could not be read named as a problem.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::cleaned::Problem;
use super::size;

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

/// Runs `f` on a blocking thread (walking folders blocks).
pub(super) async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f)
        .await
        .expect("measuring does not panic")
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
