//! The wheels of an offline file: every package of the lock, for this computer's system and
//! the `.venv`'s Python, downloaded and checked against the lock's hashes.
//!
//! uv has no `pip download`, and its cache keeps wheels unpacked (not as the `.whl` files
//! another computer needs), so pip does it: `uv tool run --from pip` with the `.venv`'s
//! interpreter, so pip picks the wheels that interpreter installs (and the project's own
//! environment needs no pip of its own). Only wheels (`--only-binary`): a package that would
//! have to be built on the other computer is no offline package; pip's error names it.

use std::path::{Path, PathBuf};

use super::lock::Locked;
use super::tools::Tools;
use crate::error::{Error, Result};
use crate::process;
use crate::project::Project;
use crate::reporter::{Reporter, SetupEvent, SetupStep};

/// Downloads the wheels of `locked` into the folder `into` (made, and empty); returns them.
pub(super) async fn download(
    tools: &Tools,
    project: &Project,
    locked: &Locked,
    into: &Path,
    reporter: &dyn Reporter,
) -> Result<Vec<PathBuf>> {
    if locked.packages == 0 {
        return Ok(Vec::new());
    }
    reporter.report(SetupEvent::Step {
        step: SetupStep::Downloading,
        detail: format!(
            "Downloading the wheels of {} packages for offline use",
            locked.packages
        ),
    });
    let list = into.join("requirements.txt");
    crate::paths::write_atomically(&list, locked.text(&project.name(), false).as_bytes())?;
    let mut cmd = tools.uv();
    cmd.args(["tool", "run", "--from", "pip", "--python"])
        .arg(&tools.python)
        .args(["pip", "download", "--only-binary=:all:", "--no-deps"])
        .args(["--progress-bar", "off", "--dest"])
        .arg(tools.path(into)?)
        .arg("-r")
        .arg(tools.path(&list)?);
    let mut tail: Vec<String> = Vec::new();
    let code = process::stream(tools.finish(cmd)?, |line| {
        reporter.report(SetupEvent::Log {
            line: line.to_string(),
        });
        tail.push(line.to_string());
    })
    .await?;
    let _ = std::fs::remove_file(&list);
    if code != Some(0) {
        let start = tail.len().saturating_sub(8);
        return Err(Error::Freeze {
            dir: project.dir.clone(),
            what: "Downloading the packages for offline use".into(),
            detail: tail[start..].join("\n"),
        });
    }
    wheels_in(into)
}

/// The `.whl` files in `dir`, sorted.
fn wheels_in(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::ReadFile {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut wheels: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "whl") && p.is_file())
        .collect();
    wheels.sort();
    Ok(wheels)
}
