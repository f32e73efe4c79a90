//! Getting uv: next to the Darwinix executable (bundled with the app), on the search path, or
//! fetched once from PyPI into Darwinix's own folder with the chosen Python.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::log::SetupLog;
use crate::error::{Error, Result};
use crate::paths::AppPaths;
use crate::process;
use crate::python::SearchPlan;

fn exe(name: &str) -> String {
    format!("{name}{}", std::env::consts::EXE_SUFFIX)
}

/// Where Darwinix keeps the uv it fetched itself.
pub fn bootstrap_env(paths: &AppPaths) -> PathBuf {
    paths.data.join("tools").join("uv")
}

fn bootstrapped(paths: &AppPaths) -> PathBuf {
    crate::project::venv_python(&bootstrap_env(paths)).with_file_name(exe("uv"))
}

/// The name of the uv that ships beside the app and the CLI (`externalBin` in
/// `src-tauri/tauri.bundle.conf.json`): not `uv`, so that the package never shadows or collides
/// with a uv the user installed in `/usr/bin`.
pub const BUNDLED: &str = "darwinix-uv";

/// The uv installed with Darwinix: beside the running executable — the real file's folder,
/// since the CLI may be run through a link (macOS: `/usr/local/bin/darwinix` → the app bundle,
/// and there `current_exe` is the link).
pub fn bundled() -> Option<PathBuf> {
    let exe_path = std::env::current_exe().ok()?;
    let exe_path = dunce::canonicalize(&exe_path).unwrap_or(exe_path);
    Some(exe_path.parent()?.join(exe(BUNDLED))).filter(|p| p.is_file())
}

/// A uv that is already here, without fetching anything: the bundled one first (the version
/// Darwinix was tested with), then one on the search path, then the one it fetched earlier.
pub fn find(paths: &AppPaths, plan: &SearchPlan) -> Option<PathBuf> {
    bundled()
        .or_else(|| plan.find_tool("uv"))
        .or_else(|| Some(bootstrapped(paths)).filter(|p| p.is_file()))
}

/// Fetches uv from the package index into its own environment under `DARWINIX_HOME`, using
/// `python` (which needs `ensurepip` for that). Returns the uv binary.
pub async fn bootstrap(
    paths: &AppPaths,
    python: &Path,
    index_url: Option<&str>,
    log: &mut SetupLog,
) -> Result<PathBuf> {
    let env = bootstrap_env(paths);
    let lock = paths.data.join("tools").join("uv.lock");
    let _guard =
        super::guard::acquire(&lock, || log.line("waiting for another download of uv")).await?;
    let uv = bootstrapped(paths);
    if uv.is_file() {
        return Ok(uv);
    }
    if env.exists() {
        // A previous attempt died half-way: this folder is Darwinix's own.
        let _ = std::fs::remove_dir_all(&env);
    }
    let fail = |detail: String| Error::GetUv { detail };
    let mut venv = process::command(python);
    venv.arg("-m").arg("venv").arg(&env);
    run(venv, log).await.map_err(|d| {
        let _ = std::fs::remove_dir_all(&env);
        fail(format!("could not create its environment: {d}"))
    })?;
    let mut pip = process::command(crate::project::venv_python(&env));
    pip.args([
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--no-input",
        "--timeout",
        "15",
        "--retries",
        "2",
    ]);
    if let Some(index) = index_url {
        // In the environment: an index URL may carry credentials, and argv is visible in `ps`.
        pip.env("PIP_INDEX_URL", index);
    }
    pip.arg("uv");
    run(pip, log).await.map_err(|d| {
        let _ = std::fs::remove_dir_all(&env);
        fail(format!("pip could not install it: {d}"))
    })?;
    if uv.is_file() {
        Ok(uv)
    } else {
        Err(fail(format!(
            "the uv package did not provide {}",
            uv.display()
        )))
    }
}

/// Runs a bootstrap step, logging its output; `Err` carries its last lines.
/// Runs one command into the log; `Err` holds its last lines.
pub(super) async fn run(
    cmd: tokio::process::Command,
    log: &mut SetupLog,
) -> std::result::Result<(), String> {
    log.command(&cmd);
    let mut tail = Vec::new();
    let code = process::stream(cmd, |line| {
        log.line(line);
        tail.push(line.to_string());
    })
    .await
    .map_err(|e| e.to_string())?;
    if code == Some(0) {
        Ok(())
    } else {
        let start = tail.len().saturating_sub(8);
        Err(tail[start..].join("\n"))
    }
}

/// The Python uv installs when the computer has none (uv keeps it in its own folder, where
/// discovery finds it next time).
pub const MANAGED_PYTHON: &str = "3.12";

/// Has uv download and install Python [`MANAGED_PYTHON`] (a standalone build), and returns its
/// interpreter. `Err` carries the last lines uv printed.
pub async fn install_python(
    uv: &Path,
    version: &str,
    log: &mut SetupLog,
) -> std::result::Result<PathBuf, String> {
    let mut install = process::command(uv);
    install
        .args(["python", "install", version])
        // Darwinix's installer commands forbid downloads (`UV_PYTHON_DOWNLOADS=never`): a venv
        // must come from the Python the user has. This is the one place that asks for one.
        .env("UV_PYTHON_DOWNLOADS", "automatic")
        .env("UV_NO_PROGRESS", "1");
    run(install, log).await?;
    let mut find = process::command(uv);
    find.args(["python", "find", "--managed-python", version])
        .env("UV_PYTHON_DOWNLOADS", "never");
    log.command(&find);
    let out = process::output(find, Duration::from_secs(30))
        .await
        .map_err(|e| e.to_string())?;
    let path = PathBuf::from(out.stdout_text().trim());
    if out.success() && path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "`uv python find` did not name the Python it installed: {}",
            out.stderr_text().trim()
        ))
    }
}

/// `uv --version`, to tell the user which uv runs.
pub async fn version(uv: &Path) -> Option<String> {
    let mut cmd = process::command(uv);
    cmd.arg("--version");
    let out = process::output(cmd, Duration::from_secs(10)).await.ok()?;
    out.success().then(|| out.stdout_text().trim().to_string())
}
