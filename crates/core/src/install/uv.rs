//! Getting uv: next to the Darwinix executable (bundled with the app), on the search path, or
//! fetched once from PyPI into Darwinix's own folder with the chosen Python.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::log::SetupLog;
use crate::error::{Error, Result};
use crate::paths::AppPaths;
use crate::python::SearchPlan;
use crate::{env_vars, process};

fn exe(name: &str) -> String {
    format!("{name}{}", std::env::consts::EXE_SUFFIX)
}

/// Where Darwinix keeps the uv it fetched itself.
pub fn bootstrap_env(paths: &AppPaths) -> PathBuf {
    paths.tools().join("uv")
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
    let lock = paths.tools().join("uv.lock");
    let _guard =
        crate::fs::lock::acquire(&lock, || log.line("waiting for another download of uv")).await?;
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
    let made = run(venv, log).await;
    if !matches!(made, Ok(Ok(()))) {
        let _ = std::fs::remove_dir_all(&env);
    }
    made?.map_err(|d| fail(format!("could not create its environment: {d}")))?;
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
        pip.env(crate::env_vars::PIP_INDEX_URL, index);
    }
    pip.arg("uv");
    let installed = run(pip, log).await;
    if !matches!(installed, Ok(Ok(()))) {
        let _ = std::fs::remove_dir_all(&env);
    }
    installed?.map_err(|d| fail(format!("pip could not install it: {d}")))?;
    if uv.is_file() {
        Ok(uv)
    } else {
        Err(fail(format!(
            "the uv package did not provide {}",
            uv.display()
        )))
    }
}

/// Runs one command into the log. The outer `Err`: it could not run (or was stopped), with
/// its cause; the inner `Err`: it failed, and holds the last lines it printed.
pub(super) async fn run(
    cmd: tokio::process::Command,
    log: &mut SetupLog,
) -> Result<std::result::Result<(), String>> {
    log.command(&cmd);
    let mut tail = Vec::new();
    let code = process::stream(cmd, |line| {
        log.line(line);
        tail.push(line.to_string());
    })
    .await?;
    if code == Some(0) {
        Ok(Ok(()))
    } else {
        let start = tail.len().saturating_sub(8);
        Ok(Err(tail[start..].join("\n")))
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
        .env(env_vars::UV_PYTHON_DOWNLOADS, "automatic")
        .env(env_vars::UV_NO_PROGRESS, "1");
    run(install, log).await.map_err(|e| e.to_string())??;
    let mut find = process::command(uv);
    find.args(["python", "find", "--managed-python", version])
        .env(env_vars::UV_PYTHON_DOWNLOADS, "never");
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

/// The uv versions whose verbose output the progress parser was tested against (the bundled
/// one is the newest): from `0.5` up to and including the minor version of [`TESTED_UP_TO`].
const TESTED_FROM: (u32, u32) = (0, 5);
pub const TESTED_UP_TO: (u32, u32) = (0, 13);

/// Whether `uv --version`'s answer names a uv in the tested range.
pub fn progress_known(version_text: &str) -> bool {
    let Some(version) = version_text.split_whitespace().nth(1) else {
        return false;
    };
    let mut parts = version.split('.').map(|p| p.parse::<u32>().ok());
    match (parts.next().flatten(), parts.next().flatten()) {
        (Some(major), Some(minor)) => (TESTED_FROM..=TESTED_UP_TO).contains(&(major, minor)),
        _ => false,
    }
}

/// Whether the progress of this uv (as `backend` runs it) can be read from its output: the
/// bundled uv always, another one when its version is in the tested range. Asked once per uv.
pub async fn speaks_known_progress(uv: &Path, backend: &crate::project::backend::Backend) -> bool {
    use std::collections::HashMap;
    use std::sync::Mutex;
    static KNOWN: Mutex<Option<HashMap<PathBuf, bool>>> = Mutex::new(None);
    if bundled().is_some_and(|b| b == uv) {
        return true;
    }
    let cached = KNOWN.lock().ok().and_then(|k| k.as_ref()?.get(uv).copied());
    if let Some(known) = cached {
        return known;
    }
    let mut cmd = process::command(uv);
    // Like every uv command but `python install`: never a Python download.
    cmd.arg("--version")
        .env(env_vars::UV_PYTHON_DOWNLOADS, "never");
    let answer = match backend.finish(cmd) {
        Ok(cmd) => process::output(cmd, Duration::from_secs(10)).await.ok(),
        Err(_) => None,
    };
    let known = answer.is_some_and(|out| out.success() && progress_known(&out.stdout_text()));
    if let Ok(mut k) = KNOWN.lock() {
        k.get_or_insert_with(HashMap::new)
            .insert(uv.to_path_buf(), known);
    }
    known
}

/// `uv --version`, to tell the user which uv runs.
pub async fn version(uv: &Path) -> Option<String> {
    let mut cmd = process::command(uv);
    cmd.arg("--version");
    let out = process::output(cmd, Duration::from_secs(10)).await.ok()?;
    out.success().then(|| out.stdout_text().trim().to_string())
}

#[cfg(test)]
mod version_tests {
    use super::*;

    #[test]
    fn only_a_tested_uv_has_its_progress_read() {
        for (text, known) in [
            ("uv 0.13.9 (x86_64-unknown-linux-gnu)", true),
            ("uv 0.5.0", true),
            ("uv 0.9.18 (0cee76417 2025-12-16)", true),
            ("uv 0.4.30", false),
            ("uv 0.14.0", false),
            ("uv 1.0.0", false),
            ("uv", false),
            ("not uv at all", false),
        ] {
            assert_eq!(progress_known(text), known, "{text}");
        }
    }

    #[test]
    fn the_bundled_uv_is_in_the_tested_range() {
        let file = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../packaging/uv-wheels.json"
        );
        let wheels: serde_json::Value =
            serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
        let version = wheels["version"].as_str().unwrap();
        assert!(
            progress_known(&format!("uv {version}")),
            "packaging bundles uv {version}: test the progress parser with it and move TESTED_UP_TO"
        );
    }
}
