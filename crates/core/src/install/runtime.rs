//! The shared JupyterLab runtime: one environment, owned by Darwinix, that every project's
//! server runs from — so a project's `.venv` holds only its own packages (and the kernel,
//! `kernel_layer`). Its bytecode is written once, right after it is made, for every project.
//!
//! It is made once per runtime version (the lock file below; a Darwinix release with another
//! lock makes a new one beside the old, so a running server is never changed under it) and per
//! place (this computer, a Nix dev shell). It is built in a folder of its own and renamed into
//! place when complete: an interrupted download leaves only a `.partial` folder, which the next
//! start removes. Two projects making it at once: the second waits for the first.

use std::path::{Path, PathBuf};

use super::log::SetupLog;
use super::{installer_env, Tool};
use crate::error::{Error, Result};
use crate::paths::AppPaths;
use crate::process;
use crate::project::backend::Backend;
use crate::project::Layout;
use crate::reporter::{Reporter, SetupEvent, SetupStep};

/// Every package of the runtime at an exact version, for every supported Python.
pub const LOCK: &str = include_str!("runtime/jupyterlab.txt");
/// JupyterLab settings for people who never configured Jupyter; their own settings win.
const OVERRIDES: &str = include_str!("runtime/overrides.json");
/// About what a runtime takes on disk (176 MB measured, with its bytecode), for a full disk's
/// message.
const SIZE: u64 = 200 << 20;
/// Written last into a runtime: what it was made from.
const MARKER: &str = "darwinix-runtime.json";

/// A runtime that is ready to run servers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Runtime {
    pub dir: PathBuf,
    /// `jupyterlab-<lock hash>`, the same for every place.
    pub version: String,
}

impl Runtime {
    pub fn jupyter_lab(&self, layout: Layout) -> PathBuf {
        layout.program(&self.dir, "jupyter-lab")
    }

    pub fn python(&self, layout: Layout) -> PathBuf {
        layout.python(&self.dir)
    }
}

/// The runtime version this Darwinix ships.
pub fn version() -> String {
    format!(
        "jupyterlab-{}",
        &crate::hash::hex_sha256(LOCK.as_bytes())[..10]
    )
}

/// Where the runtimes live.
pub fn root(paths: &AppPaths) -> PathBuf {
    paths.data.join("runtimes")
}

/// The runtime's folder for a place (`backend::stamp_input`: this computer, or a Nix shell and
/// its flake).
pub fn dir_for(paths: &AppPaths, place_input: &[u8]) -> PathBuf {
    let place = &crate::hash::hex_sha256(place_input)[..8];
    root(paths).join(format!("{}-{place}", version()))
}

/// The runtime when it is already complete: only `stat`s and one small read.
pub fn existing(dir: &Path, layout: Layout) -> Option<Runtime> {
    let marker = std::fs::read_to_string(dir.join(MARKER)).ok()?;
    let complete = marker.contains(&version())
        && super::venv::health(dir, layout) == super::venv::Health::Healthy
        && std::fs::symlink_metadata(layout.program(dir, "jupyter-lab")).is_ok();
    complete.then(|| Runtime {
        dir: dir.to_path_buf(),
        version: version(),
    })
}

/// `dir` + `.ext`, a file beside a folder (not `with_extension`: `py3.11` has a dot).
pub(super) fn beside(dir: &Path, ext: &str) -> PathBuf {
    let mut name = dir.as_os_str().to_owned();
    name.push(".");
    name.push(ext);
    PathBuf::from(name)
}

/// The JupyterLab version a runtime holds (its `jupyterlab-X.dist-info`).
pub fn jupyterlab_version(dir: &Path) -> Option<String> {
    existing(dir, Layout::NATIVE)?;
    let layout = Layout::NATIVE;
    layout.site_packages(dir).iter().find_map(|site| {
        std::fs::read_dir(site).ok()?.flatten().find_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let version = name
                .strip_prefix("jupyterlab-")?
                .strip_suffix(".dist-info")?;
            Some(version.to_string())
        })
    })
}

/// Holds the runtime's lock: one project makes it, another one waits (and then finds it made).
pub(super) async fn lock(dir: &Path, reporter: &dyn Reporter) -> Result<super::guard::Guard> {
    super::guard::acquire(&beside(dir, "lock"), || {
        reporter.report(SetupEvent::Warning {
            message: "Another project is setting up JupyterLab; waiting for it to finish".into(),
        })
    })
    .await
}

/// Makes the runtime at `dir` (the caller holds its `lock` and found none there) with `base` (a
/// Python as the backend names it) and `tool`. It is built where it stays (a venv's scripts name
/// their own folder) and counts as made only once its marker is written, last.
pub(super) async fn make(
    dir: &Path,
    backend: &Backend,
    base: &Path,
    tool: &Tool,
    options: &super::SetupOptions,
    reporter: &dyn Reporter,
    log: &mut SetupLog,
) -> Result<Runtime> {
    reporter.report(SetupEvent::Step {
        step: SetupStep::CreatingEnvironment,
        detail: "Setting up JupyterLab for all your projects (only this once)".into(),
    });
    // Without a marker it is what an interrupted attempt left: Darwinix's own, made again.
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|source| Error::WriteFile {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    if let Err(e) = build(dir, backend, base, tool, options, log).await {
        let _ = std::fs::remove_dir_all(dir);
        return Err(match e {
            Error::Runtime { detail, .. } if detail.lines().any(super::disk::is_disk_full) => {
                super::disk::full_needing(dir, SIZE)
            }
            other => other,
        });
    }
    Ok(Runtime {
        dir: dir.to_path_buf(),
        version: version(),
    })
}

async fn build(
    dir: &Path,
    backend: &Backend,
    base: &Path,
    tool: &Tool,
    options: &super::SetupOptions,
    log: &mut SetupLog,
) -> Result<()> {
    let layout = backend.layout();
    let lock_file = dir.join("darwinix-runtime.txt");
    let fail = |detail: String| Error::Runtime {
        dir: dir.to_path_buf(),
        detail,
    };
    let mut venv = match tool {
        Tool::Uv(uv) => {
            let mut c = process::command(uv);
            c.args(["venv", "--python"])
                .arg(base)
                .arg(backend.path(dir)?);
            c
        }
        Tool::Pip => {
            let mut c = process::command(base);
            c.args(["-m", "venv"]).arg(backend.path(dir)?);
            c
        }
    };
    installer_env(&mut venv, options);
    super::uv::run(backend.finish(venv)?, log)
        .await
        .map_err(fail)?;
    std::fs::write(&lock_file, LOCK).map_err(|source| Error::WriteFile {
        path: lock_file.clone(),
        source,
    })?;
    let python = backend.path(&layout.python(dir))?;
    // No `--compile-bytecode` (compiling all of it costs more than the first start's share):
    // once made, a background Python compiles what the server imports (`bytecode`), for every
    // project after.
    let mut install = tool.pip_install(&python);
    install.arg("-r").arg(backend.path(&lock_file)?);
    installer_env(&mut install, options);
    super::uv::run(backend.finish(install)?, log)
        .await
        .map_err(fail)?;
    let settings = dir.join("share/jupyter/lab/settings");
    let overrides = settings.join("overrides.json");
    std::fs::create_dir_all(&settings)
        .and_then(|()| std::fs::write(&overrides, OVERRIDES))
        .map_err(|source| Error::WriteFile {
            path: overrides,
            source,
        })?;
    let marker = dir.join(MARKER);
    let text = serde_json::json!({ "version": version(), "python": base }).to_string();
    std::fs::write(&marker, text).map_err(|source| Error::WriteFile {
        path: marker,
        source,
    })?;
    if let Err(e) = super::bytecode::warm_up_env(dir, dir, backend, log.path()) {
        // Only a head start: the server compiles what it needs anyway.
        log.line(&format!(
            "compiling JupyterLab's modules ahead of time failed: {e}"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_pins_everything_jupyterlab_needs() {
        let pins: Vec<&str> = LOCK
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .collect();
        assert!(pins.iter().all(|l| l.contains("==")), "exact versions only");
        for name in ["jupyterlab==", "ipykernel==", "jupyter-server=="] {
            assert!(pins.iter().any(|l| l.starts_with(name)), "{name}");
        }
    }

    #[test]
    fn a_version_and_a_place_name_the_folder() {
        let paths = AppPaths::under(Path::new("/d"));
        let here = dir_for(&paths, b"local");
        assert!(here.starts_with("/d/data/runtimes"));
        assert!(here
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with(&version()));
        assert_ne!(here, dir_for(&paths, b"nix\0/p/flake.nix"));
        assert_eq!(here, dir_for(&paths, b"local"));
    }

    #[test]
    fn an_incomplete_runtime_is_not_used() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(existing(dir.path(), Layout::NATIVE), None);
        std::fs::write(dir.path().join(MARKER), "{\"version\":\"jupyterlab-old\"}").unwrap();
        assert_eq!(existing(dir.path(), Layout::NATIVE), None);
    }
}
