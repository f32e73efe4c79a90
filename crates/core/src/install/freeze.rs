//! `darwinix lock`: write `requirements.lock` with the exact versions installed now, so the
//! project can be re-created identically ("freeze what works").

use std::path::PathBuf;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::paths::{write_atomically, AppPaths};
use crate::process;
use crate::project::backend::{self, Backend};
use crate::project::Project;
use crate::python::SearchPlan;

/// Writes the lock file and returns its path and the number of pinned packages.
pub async fn write_lock(paths: &AppPaths, project: &Project) -> Result<(PathBuf, usize)> {
    let backend = backend::resolve(paths, project, &crate::reporter::Silent).await?;
    let layout = backend.layout();
    if super::venv::health(&project.venv(), layout) != super::venv::Health::Healthy {
        return Err(Error::Freeze {
            dir: project.dir.clone(),
            what: "Locking".into(),
            detail: "the project has no working .venv".into(),
        });
    }
    let python = backend.path(&layout.python(&project.venv()))?;
    let uv = match &backend {
        Backend::Wsl(wsl) => wsl.find_uv().await,
        _ => {
            let plan = SearchPlan::from_env(&crate::machine::shell_env::repaired_path().await);
            super::uv::find(paths, &plan)
        }
    };
    let mut cmd = match uv {
        Some(uv) => {
            let mut c = process::command(uv);
            c.args(["pip", "freeze", "--python"]).arg(&python);
            c
        }
        None => {
            let mut c = process::command(&python);
            c.args(["-m", "pip", "freeze", "--all"]);
            c
        }
    };
    process::clean_python_env(&mut cmd).env(crate::env_vars::PIP_DISABLE_PIP_VERSION_CHECK, "1");
    let cmd = backend.finish(cmd)?;
    let out = process::output(cmd, Duration::from_secs(60)).await?;
    if !out.success() {
        return Err(Error::Freeze {
            dir: project.dir.clone(),
            what: "Listing packages".into(),
            detail: out.stderr_text().trim().to_string(),
        });
    }
    let pins = frozen(&out.stdout_text());
    let mut text = String::from("# Exact versions installed in .venv, written by `darwinix lock`.\n# Darwinix installs requirements.txt with these versions; delete this file to let them float.\n");
    for pin in &pins {
        text.push_str(pin);
        text.push('\n');
    }
    let file = project.lock_file();
    write_atomically(&file, text.as_bytes())?;
    Ok((file, pins.len()))
}

/// The lines of a `pip freeze` (one requirement each), without blanks and comments.
pub(crate) fn frozen(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}
