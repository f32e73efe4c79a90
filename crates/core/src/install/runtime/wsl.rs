//! The shared runtime inside a WSL distro. A WSL project's server runs in the distro, so its
//! JupyterLab lives there too: in the distro's own filesystem (Linux files, and far faster than
//! `/mnt/c`), in the distro user's data folder (`$XDG_DATA_HOME/darwinix/runtimes`, where
//! Darwinix on Linux keeps its own), one per runtime version like everywhere else. This computer
//! keeps only its lock (two projects in one distro make it once) and the small files that are
//! staged here and copied in.

use std::ffi::OsStr;
use std::path::Path;

use super::{beside, lock, Maker, Runtime, Site};
use crate::error::{Error, Result};
use crate::install::interpreter::wsl_tool;
use crate::install::log::SetupLog;
use crate::install::SetupOptions;
use crate::machine::wsl::decode_output;
use crate::project::backend::{Backend, Wsl};
use crate::project::Layout;
use crate::reporter::Reporter;

/// Only folders with this in their path are ever removed inside the distro.
const OURS: &str = "/darwinix/runtimes/jupyterlab-";

/// The runtime named like `here` (its folder on this computer's side: the lock goes beside it)
/// inside the distro; made when it is not there or not complete.
pub async fn get(
    backend: &Backend,
    wsl: &Wsl,
    here: &Path,
    options: &SetupOptions,
    reporter: &dyn Reporter,
    log: impl FnOnce() -> SetupLog,
) -> Result<Runtime> {
    let name = here
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stage = beside(here, "staged");
    let site = |dir: String| Site::Distro {
        wsl,
        dir,
        stage: stage.clone(),
    };
    if let (dir, true) = look(wsl, &name).await? {
        return Ok(site(dir).runtime(Layout::Posix));
    }
    let _guard = lock(here, reporter).await?;
    // Made meanwhile by another project's start, which this one waited for.
    let (dir, ready) = look(wsl, &name).await?;
    if ready {
        return Ok(site(dir).runtime(Layout::Posix));
    }
    let mut log = log();
    let maker = Maker::new(site(dir), backend, options);
    let picked = match wsl.find_python().await {
        Ok(base) => Ok((base.path, wsl_tool(wsl, &maker.options, reporter).await)),
        Err(e) => Err(e),
    };
    maker.make(picked, reporter, &mut log).await
}

/// The runtime's folder in the distro (the distro's name for it) and whether it is complete:
/// one `wsl.exe` call.
async fn look(wsl: &Wsl, name: &str) -> Result<(String, bool)> {
    let script = r#"d="${XDG_DATA_HOME:-$HOME/.local/share}/darwinix/runtimes/$1"
case "$d" in /*) ;; *) echo "no home folder" >&2; exit 3 ;; esac
printf '%s\n' "$d"
if [ -x "$d/bin/jupyter-lab" ] && [ -x "$d/bin/python" ] && grep -qF "$2" "$d/darwinix-runtime.json" 2>/dev/null; then
  echo ready
fi"#;
    let out = wsl.ask(script, &[name, &super::version()]).await?;
    let text = decode_output(&out.stdout);
    let mut lines = text.lines().map(str::trim);
    match (out.success(), lines.next()) {
        (true, Some(dir)) if dir.starts_with('/') && dir.contains(OURS) => {
            Ok((dir.to_string(), lines.next() == Some("ready")))
        }
        _ => Err(wsl.failed("Finding JupyterLab's folder", &out)),
    }
}

/// Copies a file of this computer (`from`, the distro's name for it) to `to` in the distro.
pub(super) async fn copy_in(wsl: &Wsl, from: &OsStr, to: &str) -> Result<()> {
    let from = from.to_string_lossy();
    let script = r#"mkdir -p "$(dirname "$2")" && cp -- "$1" "$2""#;
    let out = wsl.ask(script, &[&from, to]).await?;
    if out.success() {
        Ok(())
    } else {
        Err(wsl.failed(&format!("Copying {from} to {to}"), &out))
    }
}

/// Removes a runtime folder in the distro (only ever one of Darwinix's).
pub(super) async fn remove(wsl: &Wsl, dir: &str) -> Result<()> {
    if !dir.starts_with('/') || !dir.contains(OURS) || dir.contains("/../") {
        return Err(Error::Wsl {
            distro: wsl.distro.clone(),
            detail: format!("{dir} is not a folder of Darwinix's runtimes"),
        });
    }
    let out = wsl.ask(r#"rm -rf -- "$1""#, &[dir]).await?;
    if out.success() {
        Ok(())
    } else {
        Err(wsl.failed(&format!("Removing {dir}"), &out))
    }
}
