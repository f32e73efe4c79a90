//! The notebook kernel (`ipykernel` and its ≈ 40 packages, ≈ 110 MB with pip) is the same for
//! every project on one Python version: Darwinix installs it once per Python version into a
//! folder of its own and links it into each project's `.venv` with one `.pth` file, which
//! Python reads at start and puts *after* the environment's own packages. The project's own
//! versions always win; where one of them differs from the kernel's (a project that pins its
//! own `tornado` or `ipython`), the kernel is installed into `.venv` instead, resolved together
//! with the project's packages, so the two can never disagree.
//!
//! Nothing is written into the user's files: the `.pth` lives in `.venv`, which is Darwinix's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::log::SetupLog;
use super::tool::{installer_env, Tool};
use crate::error::{Error, Result};
use crate::paths::AppPaths;
use crate::project::backend::Backend;
use crate::project::Layout;
use crate::reporter::{Reporter, SetupEvent};

/// Every package of the kernel at an exact version, for every supported Python.
pub const LOCK: &str = include_str!("runtime/kernel.txt");
/// The link in a project's site-packages.
pub const PTH: &str = "darwinix-kernel.pth";
const MARKER: &str = "darwinix-kernel.json";

/// `ipykernel-<lock hash>`: a Darwinix release with another lock links another folder.
pub fn version() -> String {
    format!(
        "ipykernel-{}",
        &crate::hash::hex_sha256(LOCK.as_bytes())[..10]
    )
}

/// The folder for one Python version (`3.11`).
pub fn dir_for(paths: &AppPaths, python_version: &str) -> PathBuf {
    paths
        .runtimes()
        .join(format!("{}-py{python_version}", version()))
}

/// `3.11` for an environment, from its `pyvenv.cfg` (uv writes `version_info`, venv `version`).
pub fn python_version(venv: &Path) -> Option<String> {
    let cfg = std::fs::read_to_string(venv.join("pyvenv.cfg")).ok()?;
    let full = cfg
        .lines()
        .filter_map(|l| l.split_once('='))
        .find(|(k, _)| matches!(k.trim(), "version_info" | "version"))
        .map(|(_, v)| v.trim().to_string())?;
    let mut parts = full.split('.');
    Some(format!("{}.{}", parts.next()?, parts.next()?))
}

/// The layer linked into `venv`, when it is linked and still agrees with the environment.
/// Only directory listings: this is part of the no-op check.
pub fn linked(venv: &Path, layout: Layout) -> Option<PathBuf> {
    let site = layout.site_packages(venv).into_iter().next()?;
    let layer = PathBuf::from(std::fs::read_to_string(site.join(PTH)).ok()?.trim());
    let complete = layer.join(MARKER).is_file();
    (complete && disagreements(&layer, &site).is_empty()).then_some(layer)
}

/// Packages both in the layer and in the environment, at other versions. The installers
/// themselves do not count: the kernel never imports them, and the environment's own pip (one
/// `venv` seeded) is the one `%pip` should use anyway.
fn disagreements(layer: &Path, site: &Path) -> Vec<String> {
    let theirs = dists(site);
    dists(layer)
        .into_iter()
        .filter(|(name, _)| !matches!(name.as_str(), "pip" | "setuptools" | "wheel"))
        .filter_map(|(name, version)| {
            theirs
                .get(&name)
                .filter(|v| **v != version)
                .map(|v| format!("{name} {v} (the kernel needs {version})"))
        })
        .collect()
}

/// `name → version` of the `*.dist-info` folders in `dir`, names normalised.
fn dists(dir: &Path) -> BTreeMap<String, String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return BTreeMap::new();
    };
    entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let stem = name.strip_suffix(".dist-info")?;
            let (dist, version) = stem.rsplit_once('-')?;
            Some((
                dist.to_ascii_lowercase().replace(['_', '.'], "-"),
                version.to_string(),
            ))
        })
        .collect()
}

/// How the kernel got into the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placed {
    /// Linked from the shared folder.
    Linked(PathBuf),
    /// Installed into `.venv` (the project's packages needed other versions of its parts).
    Installed,
}

/// Puts the kernel into the project's environment: linked when it agrees with the project's
/// packages, installed otherwise.
pub(super) async fn attach(
    paths: &AppPaths,
    venv: &Path,
    backend: &Backend,
    tool: &Tool,
    options: &super::SetupOptions,
    reporter: &dyn Reporter,
    log: &mut SetupLog,
) -> Result<Placed> {
    let layout = backend.layout();
    let site = layout
        .site_packages(venv)
        .into_iter()
        .next()
        .ok_or_else(|| Error::CreateVenv {
            path: venv.to_path_buf(),
            detail: "the environment has no site-packages folder".into(),
            apt_package: None,
            unreachable_index: None,
        })?;
    let version = python_version(venv).unwrap_or_else(|| "unknown".into());
    let layer = dir_for(paths, &version);
    let python = layout.python(venv);
    make(&layer, backend, &python, tool, options, log).await?;
    let pth = site.join(PTH);
    let disagree = disagreements(&layer, &site);
    if disagree.is_empty() {
        let line = format!("{}\n", backend.path(&layer)?.to_string_lossy());
        std::fs::write(&pth, line).map_err(|source| Error::WriteFile { path: pth, source })?;
        return Ok(Placed::Linked(layer));
    }
    let _ = std::fs::remove_file(&pth);
    let message = format!(
        "Installing the notebook kernel into this project's environment: its packages need other versions of {}",
        disagree.join(", ")
    );
    log.line(&message);
    reporter.report(SetupEvent::Log { line: message });
    install_into(venv, backend, tool, options, log).await?;
    Ok(Placed::Installed)
}

/// Makes the shared kernel folder for `python`'s version unless it is there (marker last; two
/// projects at once: the second waits).
async fn make(
    layer: &Path,
    backend: &Backend,
    python: &Path,
    tool: &Tool,
    options: &super::SetupOptions,
    log: &mut SetupLog,
) -> Result<()> {
    let _guard = crate::fs::lock::acquire(&super::runtime::beside(layer, "lock"), || {
        log.line("waiting for another project to set up the notebook kernel")
    })
    .await?;
    if layer.join(MARKER).is_file() {
        return Ok(());
    }
    if layer.exists() {
        // Left by an interrupted attempt: Darwinix's own.
        std::fs::remove_dir_all(layer).map_err(|source| Error::WriteFile {
            path: layer.to_path_buf(),
            source,
        })?;
    }
    let lock_file = super::runtime::beside(layer, "txt");
    std::fs::create_dir_all(layer.parent().expect("under runtimes"))
        .and_then(|()| std::fs::write(&lock_file, LOCK))
        .map_err(|source| Error::WriteFile {
            path: lock_file.clone(),
            source,
        })?;
    let python = backend.path(python)?;
    let target = backend.path(layer)?;
    // Not compiled here: a kernel's first start writes the bytecode of what it imports into
    // this shared folder, for every project after.
    let mut cmd = tool.pip_install(&python);
    cmd.arg("--target")
        .arg(&target)
        .arg("-r")
        .arg(backend.path(&lock_file)?);
    installer_env(&mut cmd, options);
    let made = match super::uv::run(backend.finish(cmd)?, log).await {
        Ok(made) => made,
        Err(e) => {
            let _ = std::fs::remove_dir_all(layer);
            return Err(e);
        }
    };
    if let Err(detail) = made {
        return Err(not_made(layer, detail));
    }
    let marker = layer.join(MARKER);
    std::fs::write(&marker, format!("{{\"version\":\"{}\"}}", version())).map_err(|source| {
        let _ = std::fs::remove_dir_all(layer);
        Error::WriteFile {
            path: marker.clone(),
            source,
        }
    })
}

/// A layer whose install failed: removed, and the error (a full disk said as such).
fn not_made(layer: &Path, detail: String) -> Error {
    let _ = std::fs::remove_dir_all(layer);
    if detail.lines().any(super::disk::is_disk_full) {
        // About what the kernel takes on disk (115 MB measured, with its bytecode).
        return super::disk::full_needing(layer, 130 << 20);
    }
    Error::Runtime {
        dir: layer.to_path_buf(),
        detail,
    }
}

/// `ipykernel` (and pip, for `%pip install`) into the environment itself.
async fn install_into(
    venv: &Path,
    backend: &Backend,
    tool: &Tool,
    options: &super::SetupOptions,
    log: &mut SetupLog,
) -> Result<()> {
    let python = backend.path(&backend.layout().python(venv))?;
    let mut cmd = tool.pip_install(&python);
    cmd.args(["ipykernel", "pip"]);
    installer_env(&mut cmd, options);
    super::uv::run(backend.finish(cmd)?, log)
        .await?
        .map_err(|detail| Error::Runtime {
            dir: venv.to_path_buf(),
            detail,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dist(dir: &Path, name: &str) {
        std::fs::create_dir_all(dir.join(format!("{name}.dist-info"))).unwrap();
    }

    #[test]
    fn the_python_version_comes_from_pyvenv_cfg() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("pyvenv.cfg"),
            "home = /usr/bin\nversion_info = 3.12.4\n",
        )
        .unwrap();
        assert_eq!(python_version(dir.path()).as_deref(), Some("3.12"));
        std::fs::write(
            dir.path().join("pyvenv.cfg"),
            "home = /usr/bin\nversion = 3.9.18\n",
        )
        .unwrap();
        assert_eq!(python_version(dir.path()).as_deref(), Some("3.9"));
    }

    #[test]
    fn only_other_versions_of_the_same_package_disagree() {
        let dir = tempfile::tempdir().unwrap();
        let (layer, site) = (dir.path().join("layer"), dir.path().join("site"));
        dist(&layer, "tornado-6.5.1");
        dist(&layer, "python_dateutil-2.9.0.post0");
        dist(&layer, "ipykernel-7.0.0");
        dist(&site, "python_dateutil-2.9.0.post0");
        dist(&site, "numpy-2.1.0");
        dist(&layer, "pip-26.0");
        dist(&site, "pip-23.0.1");
        assert!(
            disagreements(&layer, &site).is_empty(),
            "pip is not the kernel's"
        );
        dist(&site, "Tornado-5.1");
        let said = disagreements(&layer, &site);
        assert_eq!(said, ["tornado 5.1 (the kernel needs 6.5.1)"]);
    }

    #[test]
    fn a_link_counts_only_while_complete_and_agreeing() {
        let dir = tempfile::tempdir().unwrap();
        let venv = dir.path().join(".venv");
        let site = venv.join("lib/python3.11/site-packages");
        std::fs::create_dir_all(&site).unwrap();
        let layer = dir.path().join("layer");
        dist(&layer, "tornado-6.5.1");
        std::fs::write(site.join(PTH), format!("{}\n", layer.display())).unwrap();
        assert_eq!(linked(&venv, Layout::Posix), None, "no marker: incomplete");
        std::fs::write(layer.join(MARKER), "{}").unwrap();
        assert_eq!(linked(&venv, Layout::Posix), Some(layer.clone()));
        dist(&site, "tornado-4.0");
        assert_eq!(
            linked(&venv, Layout::Posix),
            None,
            "the project's tornado disagrees"
        );
    }
}
