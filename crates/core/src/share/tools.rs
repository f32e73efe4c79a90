//! The programs sharing runs, as setup runs them: Darwinix's uv (bundled, on the search path,
//! or the one it fetched), the project's `.venv` interpreter, where the project runs (this
//! computer, its Nix shell, a WSL distro), and the package index of the settings.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::env_vars;
use crate::error::CourseError;
use crate::error::{Error, Result};
use crate::install::uv;
use crate::paths::AppPaths;
use crate::process;
use crate::project::backend::{self, Backend};
use crate::project::Project;
use crate::python::SearchPlan;
use crate::settings::Settings;

pub(super) struct Tools {
    pub backend: Backend,
    uv: PathBuf,
    /// The `.venv`'s interpreter, as the backend names it.
    pub python: OsString,
    /// `3.11`.
    pub python_version: String,
    index_url: Option<String>,
    native_tls: bool,
}

impl Tools {
    /// The tools for `project`, whose `.venv` must be there.
    pub async fn of(paths: &AppPaths, project: &Project) -> Result<Self> {
        let backend = backend::resolve(paths, project, &crate::reporter::Silent).await?;
        let venv = project.venv();
        let layout = backend.layout();
        let needs_environment = || {
            Error::Course(CourseError::ShareNeedsEnvironment {
                dir: project.dir.clone(),
            })
        };
        if crate::install::venv::health(&venv, layout) != crate::install::venv::Health::Healthy {
            return Err(needs_environment());
        }
        let python_version =
            crate::install::kernel_layer::python_version(&venv).ok_or_else(needs_environment)?;
        let uv = match &backend {
            Backend::Wsl(wsl) => wsl.find_uv().await,
            _ => {
                let plan = SearchPlan::from_env(&crate::machine::shell_env::repaired_path().await);
                uv::find(paths, &plan)
            }
        };
        let uv = uv.ok_or_else(|| Error::GetUv {
            detail: "no uv was found; a setup of the project gets it".into(),
        })?;
        let settings = Settings::load(paths)?;
        Ok(Self {
            python: backend.path(&layout.python(&venv))?,
            backend,
            uv,
            python_version,
            index_url: settings.index_url,
            native_tls: settings.native_tls,
        })
    }

    /// `uv`, with the environment every installer command of Darwinix runs with: no
    /// activated venv leaking in, no Python downloads, no prompts, the chosen index.
    pub fn uv(&self) -> tokio::process::Command {
        use env_vars::*;
        let mut cmd = process::command(&self.uv);
        process::clean_python_env(&mut cmd)
            .env(UV_PYTHON_DOWNLOADS, "never")
            .env(UV_NO_PROGRESS, "1")
            .env(PIP_DISABLE_PIP_VERSION_CHECK, "1")
            .env(PIP_NO_INPUT, "1");
        if let Some(index) = &self.index_url {
            // In the environment: an index URL may carry credentials, and argv shows in `ps`.
            cmd.env(UV_INDEX_URL, index).env(PIP_INDEX_URL, index);
        }
        if self.native_tls {
            cmd.env(UV_NATIVE_TLS, "1").env(UV_SYSTEM_CERTS, "1");
        }
        cmd
    }

    /// `cmd` as it runs where the project runs.
    pub fn finish(&self, cmd: tokio::process::Command) -> Result<tokio::process::Command> {
        self.backend.finish(cmd)
    }

    /// `path` (a file of this computer) as the backend names it.
    pub fn path(&self, path: &Path) -> Result<OsString> {
        self.backend.path(path)
    }
}
