//! The installer that does the work (uv, or the environment's own pip) and the environment
//! every installer command runs with.

use std::path::{Path, PathBuf};

use super::options::SetupOptions;
use crate::env_vars;
use crate::process;
use crate::settings::Installer;

/// The tool that will do the work.
pub(super) enum Tool {
    Uv(PathBuf),
    Pip,
}

impl Tool {
    /// `pip install` into the environment of `python` (as the backend names it): uv's, or the
    /// environment's own pip with bounded network waits. Options and packages follow.
    pub(super) fn pip_install(&self, python: &std::ffi::OsStr) -> tokio::process::Command {
        match self {
            Tool::Uv(uv) => {
                let mut c = process::command(uv);
                c.args(["pip", "install", "--python"]).arg(python);
                c
            }
            Tool::Pip => {
                let mut c = process::command(python);
                c.args(["-m", "pip", "install", "--timeout", "15", "--retries", "2"]);
                c
            }
        }
    }

    /// A new environment at `dir` (as the backend names it) from `python`: `uv venv`, or the
    /// interpreter's own `-m venv`.
    pub(super) fn venv(&self, python: &Path, dir: &std::ffi::OsStr) -> tokio::process::Command {
        match self {
            Tool::Uv(uv) => {
                let mut c = process::command(uv);
                // No --seed: pip is installed together with the requirements (one resolution,
                // one parallel download) instead of in a separate, sequential step.
                c.args(["venv", "--python"]).arg(python).arg(dir);
                c
            }
            Tool::Pip => {
                let mut c = process::command(python);
                c.args(["-m", "venv"]).arg(dir);
                c
            }
        }
    }

    pub(super) fn kind(&self) -> Installer {
        match self {
            Tool::Uv(_) => Installer::Uv,
            Tool::Pip => Installer::Pip,
        }
    }
}

/// The environment every installer command runs with: no activated venv leaking in, no
/// prompts, bounded network waits, the chosen index.
pub(super) fn installer_env(cmd: &mut tokio::process::Command, options: &SetupOptions) {
    use env_vars::*;
    process::clean_python_env(cmd)
        .env(UV_PYTHON_DOWNLOADS, "never")
        .env(UV_NO_PROGRESS, "1")
        .env(PIP_DISABLE_PIP_VERSION_CHECK, "1")
        .env(PIP_NO_INPUT, "1");
    if let Some(index) = &options.index_url {
        cmd.env(UV_INDEX_URL, index).env(PIP_INDEX_URL, index);
    }
    if options.native_tls {
        // Both names: older uv knows only the first, newer uv warns unless it has the second.
        cmd.env(UV_NATIVE_TLS, "1").env(UV_SYSTEM_CERTS, "1");
    }
}
