//! What `darwinix doctor` hands to the command line and the app: the facts and the findings.

use std::path::PathBuf;

use serde::Serialize;

use crate::machine::gpu::GpuReport;
use crate::machine::nix::NixStatus;
use crate::machine::os::OsInfo;
use crate::machine::resources::Resources;
use crate::machine::wsl::WslHost;
use crate::python::{Interpreter, Skipped};

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Report {
    pub darwinix_version: &'static str,
    pub os: OsInfo,
    pub resources: Resources,
    pub nix: NixStatus,
    /// The Windows side of WSL; `None` on other systems.
    pub wsl: Option<WslHost>,
    pub python: PythonReport,
    pub gpu: GpuReport,
    pub findings: Vec<Finding>,
    /// A usable Python exists, or a way to get one.
    pub ready: bool,
    /// Why `ready` is what it is, in words.
    pub ready_reason: String,
    #[ts(type = "number")]
    pub elapsed_ms: u64,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct PythonReport {
    pub interpreters: Vec<Interpreter>,
    pub skipped: Vec<Skipped>,
    pub chosen: Option<Chosen>,
    /// `uv`, which can install a Python when there is none.
    pub uv: Option<PathBuf>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Chosen {
    pub path: PathBuf,
    pub version: String,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warn,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Finding {
    pub severity: Severity,
    /// Stable identifier, for the UI and tests.
    pub code: &'static str,
    pub message: String,
    pub fix: Option<String>,
}

impl Finding {
    pub(super) fn new(
        severity: Severity,
        code: &'static str,
        message: impl Into<String>,
        fix: Option<String>,
    ) -> Self {
        Self {
            severity,
            code,
            message: message.into(),
            fix,
        }
    }
}
