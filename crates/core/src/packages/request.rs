//! A change of packages in the engine's words: what is asked (add, remove, update, keep) and
//! what it did — the types the command line and the window pass in and get back.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// What to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(tag = "kind", content = "names", rename_all = "snake_case")]
pub enum Change {
    /// Requirements as a person writes them: `pandas`, `numpy>=2`, `pandas[excel]==2.2.3`.
    Add(Vec<String>),
    Remove(Vec<String>),
    /// These (none: every requested one) to their newest allowed versions.
    Update(Vec<String>),
    /// Packages installed by hand, written into the project's file.
    Keep(Vec<String>),
}

/// A package taken out of the file that stays installed because others need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct StillNeeded {
    pub name: String,
    pub by: Vec<String>,
}

/// What a change did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Changed {
    pub file: PathBuf,
    /// The file is different now (adding a package that is already listed changes nothing).
    pub file_changed: bool,
    pub still_needed: Vec<StillNeeded>,
    /// The project's server runs: its kernels see the change after a restart.
    pub restart_kernels: bool,
    /// What PyTorch, JAX or TensorFlow can use now (empty: the project has none of them).
    pub gpu: Vec<crate::install::gpu_check::GpuCheck>,
    #[ts(type = "number")]
    pub elapsed_ms: u64,
}
