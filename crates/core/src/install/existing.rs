//! An environment that is already there, for changing its packages one at a time: what is in
//! it, exactly (to put it back), taking packages out, and the installer that does it — the
//! same one its setup uses.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use super::interpreter::{here_python_and_tool, wsl_tool};
use super::log::SetupLog;
use super::options::{index_in_use, SetupOptions};
use super::tool::{installer_env, Tool};
use super::{uv, venv};
use crate::error::{Error, Result};
use crate::paths::AppPaths;
use crate::process;
use crate::project::backend::{self, Backend};
use crate::project::Project;
use crate::reporter::Reporter;

/// A project's working environment and its installer.
pub struct Existing {
    pub backend: Backend,
    tool: Tool,
    /// Its Python, as the backend names it.
    pub python: OsString,
    venv: PathBuf,
}

impl Existing {
    /// The project's environment, when it works; `None` when it is missing or broken (the
    /// next setup makes it).
    pub async fn open(
        paths: &AppPaths,
        project: &Project,
        options: &SetupOptions,
        reporter: &dyn Reporter,
        log: &mut SetupLog,
    ) -> Result<Option<Self>> {
        let backend = backend::resolve(paths, project, &crate::reporter::Silent).await?;
        let layout = backend.layout();
        let venv = project.venv();
        if venv::health(&venv, layout) != venv::Health::Healthy {
            return Ok(None);
        }
        let tool = match &backend {
            Backend::Wsl(wsl) => wsl_tool(wsl, options, reporter).await,
            _ => {
                here_python_and_tool(paths, &backend, false, options, None, reporter, log)
                    .await?
                    .1
            }
        };
        let python = backend.path(&layout.python(&venv))?;
        Ok(Some(Self {
            backend,
            tool,
            python,
            venv,
        }))
    }

    /// Every package at its exact version (`name==1.0`, `-e file:///…`): what `put_back`
    /// restores.
    pub async fn freeze(&self) -> Result<String> {
        let mut cmd = match &self.tool {
            Tool::Uv(uv) => {
                let mut c = process::command(uv);
                c.args(["pip", "freeze", "--python"]).arg(&self.python);
                c
            }
            Tool::Pip => {
                let mut c = process::command(&self.python);
                c.args(["-m", "pip", "freeze", "--all"]);
                c
            }
        };
        installer_env(&mut cmd, &SetupOptions::default());
        let out = process::output(self.backend.finish(cmd)?, Duration::from_secs(120)).await?;
        if !out.success() {
            return Err(Error::Freeze {
                dir: self.venv.clone(),
                what: "Listing packages".into(),
                detail: out.stderr_text().trim().to_string(),
            });
        }
        Ok(out.stdout_text().into_owned())
    }

    /// Makes the environment hold exactly what `frozen` (from [`Existing::freeze`]) lists.
    pub async fn put_back(
        &self,
        frozen: &str,
        options: &SetupOptions,
        log: &mut SetupLog,
    ) -> Result<()> {
        let file = self
            .venv
            .join(format!("darwinix-before-{}.txt", std::process::id()));
        std::fs::write(&file, frozen).map_err(|source| Error::WriteFile {
            path: file.clone(),
            source,
        })?;
        let listed = self.backend.path(&file)?;
        let mut cmd = match &self.tool {
            Tool::Uv(uv) => {
                let mut c = process::command(uv);
                c.args(["pip", "sync", "--python"])
                    .arg(&self.python)
                    .arg(&listed);
                c
            }
            Tool::Pip => {
                let mut c = self.tool.pip_install(&self.python);
                c.args(["--no-deps", "-r"]).arg(&listed);
                c
            }
        };
        installer_env(&mut cmd, options);
        let synced = uv::run(self.backend.finish(cmd)?, log).await;
        let _ = std::fs::remove_file(&file);
        synced?.map_err(|detail| Error::Install {
            dir: self.venv.clone(),
            installer: self.tool.kind().to_string(),
            detail,
            network: false,
            index: index_in_use(options),
            file: None,
        })?;
        if let Tool::Pip = self.tool {
            // pip installs what the list has; what came since goes out here.
            let now = self.freeze().await?;
            let keep: Vec<&str> = frozen.lines().filter_map(pin_name).collect();
            let added: Vec<String> = now
                .lines()
                .filter_map(pin_name)
                .filter(|n| !keep.contains(n))
                .map(str::to_string)
                .collect();
            self.uninstall(&added, log).await?;
        }
        Ok(())
    }

    /// Runs uv with `args` in `dir` for the project's environment (a uv project's own commands:
    /// `uv add`, `uv remove`, `uv lock`).
    pub async fn uv(
        &self,
        args: &[String],
        dir: &std::path::Path,
        options: &SetupOptions,
        log: &mut SetupLog,
    ) -> Result<()> {
        let Tool::Uv(uv) = &self.tool else {
            return Err(Error::Install {
                dir: dir.to_path_buf(),
                installer: "pip".into(),
                detail: "a uv project (pyproject.toml with uv.lock) is changed with uv: choose uv in Settings → Installer".into(),
                network: false,
                index: String::new(),
                file: None,
            });
        };
        let mut cmd = process::command(uv);
        cmd.args(args).current_dir(dir).env(
            crate::env_vars::UV_PROJECT_ENVIRONMENT,
            self.backend.path(&self.venv)?,
        );
        installer_env(&mut cmd, options);
        uv::run(self.backend.finish(cmd)?, log)
            .await?
            .map_err(|detail| Error::Install {
                dir: dir.to_path_buf(),
                installer: "uv".into(),
                detail,
                network: false,
                index: String::new(),
                file: None,
            })
    }

    /// Takes `names` out of the environment.
    pub async fn uninstall(&self, names: &[String], log: &mut SetupLog) -> Result<()> {
        if names.is_empty() {
            return Ok(());
        }
        let mut cmd = match &self.tool {
            Tool::Uv(uv) => {
                let mut c = process::command(uv);
                c.args(["pip", "uninstall", "--python"]).arg(&self.python);
                c
            }
            Tool::Pip => {
                let mut c = process::command(&self.python);
                c.args(["-m", "pip", "uninstall", "-y"]);
                c
            }
        };
        cmd.args(names);
        installer_env(&mut cmd, &SetupOptions::default());
        uv::run(self.backend.finish(cmd)?, log)
            .await?
            .map_err(|detail| Error::Install {
                dir: self.venv.clone(),
                installer: self.tool.kind().to_string(),
                detail,
                network: false,
                index: String::new(),
                file: None,
            })
    }
}

/// The name of a `name==1.0` line of a freeze.
fn pin_name(line: &str) -> Option<&str> {
    line.split_once("==").map(|(n, _)| n.trim())
}

/// A Python to ask things with, where the project runs: its environment's, or — before it has
/// one — the one a new environment would be made from.
pub async fn python_for(
    paths: &AppPaths,
    project: &Project,
    options: &SetupOptions,
    log: &mut SetupLog,
) -> Result<(Backend, OsString)> {
    if let Some(env) =
        Existing::open(paths, project, options, &crate::reporter::Silent, log).await?
    {
        return Ok((env.backend, env.python));
    }
    let backend = backend::resolve(paths, project, &crate::reporter::Silent).await?;
    let base = match &backend {
        Backend::Wsl(wsl) => wsl.find_python().await?.path,
        _ => {
            let silent = &crate::reporter::Silent;
            let (base, _) =
                here_python_and_tool(paths, &backend, true, options, None, silent, log).await?;
            base.expect("a new environment gets a base Python").path
        }
    };
    let python = backend.path(&base)?;
    Ok((backend, python))
}
