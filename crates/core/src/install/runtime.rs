//! The shared JupyterLab runtime: one environment, owned by Darwinix, that every project's
//! server runs from — so a project's `.venv` holds only its own packages (and the kernel,
//! `kernel_layer`). Its bytecode is written once, right after it is made, for every project.
//!
//! It is made once per runtime version (the lock file below; a Darwinix release with another
//! lock makes a new one beside the old, so a running server is never changed under it) and per
//! place: this computer, a Nix dev shell, or inside a WSL distro (`wsl`), where its servers run.
//! It is built where it stays and counts only once its marker is written, last: what an
//! interrupted download leaves has none, and the next start removes it and makes it again.
//! Two projects making it at once: the second waits for the first.

use std::path::{Path, PathBuf};

use super::log::SetupLog;
use super::tool::{installer_env, Tool};
use crate::error::{Error, Result};
use crate::paths::AppPaths;
use crate::project::backend::{Backend, Wsl};
use crate::project::Layout;
use crate::reporter::{Reporter, SetupEvent, SetupStep};

pub mod language;
pub(super) mod wsl;

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
    /// Its folder, as the backend names it (inside a WSL distro: the distro's name for it).
    pub dir: PathBuf,
    /// `jupyterlab-<lock hash>`, the same for every place.
    pub version: String,
    /// JupyterLab's program, as the backend names it.
    pub jupyter_lab: PathBuf,
}

/// The runtime version this Darwinix ships.
pub fn version() -> String {
    format!(
        "jupyterlab-{}",
        &crate::hash::hex_sha256(LOCK.as_bytes())[..10]
    )
}

/// The runtime's folder for a place (`backend::stamp_input`: this computer, or a Nix shell and
/// its flake).
pub fn dir_for(paths: &AppPaths, place_input: &[u8]) -> PathBuf {
    let place = &crate::hash::hex_sha256(place_input)[..8];
    paths.runtimes().join(format!("{}-{place}", version()))
}

/// The runtime when it is already complete: only `stat`s and one small read.
pub fn existing(dir: &Path, layout: Layout) -> Option<Runtime> {
    let marker = std::fs::read_to_string(dir.join(MARKER)).ok()?;
    let complete = marker.contains(&version())
        && super::venv::health(dir, layout) == super::venv::Health::Healthy
        && std::fs::symlink_metadata(layout.program(dir, "jupyter-lab")).is_ok();
    complete.then(|| Site::Here(dir).runtime(layout))
}

/// `dir` + `.ext`, a file beside a folder (not `with_extension`: `py3.11` has a dot).
pub(crate) fn beside(dir: &Path, ext: &str) -> PathBuf {
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
pub(super) async fn lock(dir: &Path, reporter: &dyn Reporter) -> Result<crate::fs::lock::Guard> {
    crate::fs::lock::acquire(&beside(dir, "lock"), || {
        reporter.report(SetupEvent::Warning {
            message: "Another project is setting up JupyterLab; waiting for it to finish".into(),
        })
    })
    .await
}

/// Where a runtime is built: a folder of this computer (or of its Nix shell), or one inside a
/// WSL distro, whose files are staged in a folder of this computer first.
pub(super) enum Site<'a> {
    Here(&'a Path),
    Distro {
        wsl: &'a Wsl,
        dir: String,
        stage: PathBuf,
    },
}

impl Site<'_> {
    /// The folder, as the backend names it.
    fn name(&self, backend: &Backend) -> Result<std::ffi::OsString> {
        match self {
            Site::Here(dir) => backend.path(dir),
            Site::Distro { dir, .. } => Ok(dir.into()),
        }
    }

    fn program(&self, layout: Layout, name: &str) -> PathBuf {
        match self {
            Site::Here(dir) => layout.program(dir, name),
            // The distro's paths are built with `/` whatever this computer uses.
            Site::Distro { dir, .. } => PathBuf::from(format!("{dir}/bin/{name}")),
        }
    }

    fn runtime(&self, layout: Layout) -> Runtime {
        let dir = match self {
            Site::Here(dir) => dir.to_path_buf(),
            Site::Distro { dir, .. } => PathBuf::from(dir),
        };
        Runtime {
            dir,
            version: version(),
            jupyter_lab: self.program(layout, "jupyter-lab"),
        }
    }

    /// Writes `text` to `relative` (`/`-separated) in the runtime; its name for the backend.
    async fn put(
        &self,
        backend: &Backend,
        relative: &str,
        text: &str,
    ) -> Result<std::ffi::OsString> {
        let write = |path: &Path| {
            path.parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| std::fs::write(path, text))
                .map_err(|source| Error::WriteFile {
                    path: path.to_path_buf(),
                    source,
                })
        };
        match self {
            Site::Here(dir) => {
                let path = relative
                    .split('/')
                    .fold(dir.to_path_buf(), |p, s| p.join(s));
                write(&path)?;
                backend.path(&path)
            }
            Site::Distro { wsl, dir, stage } => {
                let staged = stage.join(relative.rsplit('/').next().unwrap_or(relative));
                write(&staged)?;
                let target = format!("{dir}/{relative}");
                wsl::copy_in(wsl, &backend.path(&staged)?, &target).await?;
                Ok(target.into())
            }
        }
    }

    /// Removes what an earlier attempt left (Darwinix's own: it has no marker).
    async fn clear(&self) -> Result<()> {
        match self {
            Site::Here(dir) if dir.exists() => {
                std::fs::remove_dir_all(dir).map_err(|source| Error::WriteFile {
                    path: dir.to_path_buf(),
                    source,
                })
            }
            Site::Here(_) => Ok(()),
            Site::Distro { wsl, dir, .. } => wsl::remove(wsl, dir).await,
        }
    }

    fn disk_full(&self) -> Error {
        match self {
            Site::Here(dir) => super::disk::full_needing(dir, SIZE),
            Site::Distro { dir, .. } => super::disk::full_needing(Path::new(dir), SIZE),
        }
    }
}

/// Makes a runtime at `site`, run by `backend`: Darwinix's own, so built from the Python the
/// caller picked, whichever one the project was asked to use.
pub(super) struct Maker<'a> {
    pub site: Site<'a>,
    pub backend: &'a Backend,
    pub options: super::SetupOptions,
}

impl<'a> Maker<'a> {
    pub(super) fn new(site: Site<'a>, backend: &'a Backend, options: &super::SetupOptions) -> Self {
        let options = super::SetupOptions {
            python: None,
            ..options.clone()
        };
        Self {
            site,
            backend,
            options,
        }
    }

    /// Makes the runtime from `picked` (a base Python as the backend names it, and the
    /// installer) once the caller holds its `lock` and found none there. It is built where it
    /// stays (a venv's scripts name their own folder) and counts as made only once its marker
    /// is written, last. A failure, the pick's included, ends the log.
    pub(super) async fn make(
        &self,
        picked: Result<(PathBuf, Tool)>,
        reporter: &dyn Reporter,
        log: &mut SetupLog,
    ) -> Result<Runtime> {
        let made = match picked {
            Ok((base, tool)) => self.make_from(&base, &tool, reporter, log).await,
            Err(e) => Err(e),
        };
        if let Err(e) = &made {
            log.line(&format!("FAILED: {e}"));
        }
        made
    }

    async fn make_from(
        &self,
        base: &Path,
        tool: &Tool,
        reporter: &dyn Reporter,
        log: &mut SetupLog,
    ) -> Result<Runtime> {
        reporter.report(SetupEvent::Step {
            step: SetupStep::CreatingEnvironment,
            detail: "Setting up JupyterLab for all your projects (only this once)".into(),
        });
        let (site, backend) = (&self.site, self.backend);
        site.clear().await?;
        if let Err(e) = build(site, backend, base, tool, &self.options, log).await {
            let _ = site.clear().await;
            return Err(match e {
                Error::Runtime { detail, .. } if detail.lines().any(super::disk::is_disk_full) => {
                    site.disk_full()
                }
                other => other,
            });
        }
        Ok(site.runtime(backend.layout()))
    }
}

async fn build(
    site: &Site<'_>,
    backend: &Backend,
    base: &Path,
    tool: &Tool,
    options: &super::SetupOptions,
    log: &mut SetupLog,
) -> Result<()> {
    let dir = site.name(backend)?;
    let fail = |detail: String| Error::Runtime {
        dir: PathBuf::from(&dir),
        detail,
    };
    let mut venv = tool.venv(base, dir.as_ref());
    installer_env(&mut venv, options);
    super::uv::run(backend.finish(venv)?, log)
        .await?
        .map_err(fail)?;
    let lock_file = site.put(backend, "darwinix-runtime.txt", LOCK).await?;
    let python = site.program(backend.layout(), "python");
    // No `--compile-bytecode` (compiling all of it costs more than the first start's share):
    // once made, a background Python compiles what the server imports (`bytecode`), for every
    // project after.
    let mut install = tool.pip_install(&backend.path(&python)?);
    install.arg("-r").arg(lock_file);
    installer_env(&mut install, options);
    super::uv::run(backend.finish(install)?, log)
        .await?
        .map_err(fail)?;
    site.put(
        backend,
        "share/jupyter/lab/settings/overrides.json",
        OVERRIDES,
    )
    .await?;
    let marker = serde_json::json!({ "version": version(), "python": base }).to_string();
    site.put(backend, MARKER, &marker).await?;
    let cwd = match site {
        Site::Here(dir) => dir.to_path_buf(),
        Site::Distro { stage, .. } => stage.clone(),
    };
    if let Err(e) = super::bytecode::warm_up_python(&python, &cwd, backend, log.path()) {
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
    fn a_runtime_in_a_distro_is_named_in_the_distros_terms() {
        let wsl = Wsl {
            exe: "wsl.exe".into(),
            distro: "Ubuntu".into(),
        };
        let dir = "/home/ann/.local/share/darwinix/runtimes/jupyterlab-1".to_string();
        let site = Site::Distro {
            wsl: &wsl,
            dir: dir.clone(),
            stage: PathBuf::from("staged"),
        };
        let runtime = site.runtime(Layout::Posix);
        assert_eq!(runtime.dir, Path::new(&dir));
        // `/` on every computer: the name is the distro's, passed to wsl.exe as it is.
        assert_eq!(
            runtime.jupyter_lab.to_string_lossy(),
            format!("{dir}/bin/jupyter-lab")
        );
    }

    #[test]
    fn an_incomplete_runtime_is_not_used() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(existing(dir.path(), Layout::NATIVE), None);
        std::fs::write(dir.path().join(MARKER), "{\"version\":\"jupyterlab-old\"}").unwrap();
        assert_eq!(existing(dir.path(), Layout::NATIVE), None);
    }
}
