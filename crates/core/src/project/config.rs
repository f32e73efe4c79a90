//! What Darwinix remembers about one project, in its own config folder — never in the
//! project's files: where it runs, and whether it starts with current versions instead of its
//! old pins.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::backend::BackendChoice;
use super::Project;
use crate::error::{Error, Result};
use crate::paths::{write_atomically, AppPaths};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectConfig {
    #[serde(default)]
    pub backend: BackendChoice,
    /// The user chose Start with current versions: version pins that no longer install are
    /// left out (`install::pins`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ignore_pins: bool,
    /// The pins left out last time (`*`: all of them), so later installs go straight there
    /// and every start can say which.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relaxed_pins: Vec<String>,
    /// Packages of a list Darwinix made from the imports that the package index does not have
    /// (a module of the folder's own, a hosted service's): left out, and said so.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub left_out: Vec<String>,
    /// The setup file the user picked instead of the one Darwinix chose (relative to the
    /// project folder: `environment.yml`, `binder/requirements.txt`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The Python version the user chose for the project (Use Python 3.9 for this project),
    /// over what its files ask for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub python: Option<String>,
    /// Packages the user chose to start without (one that cannot be built here, say).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub without: Vec<String>,
    /// Requirements the user chose over the project's own for the same package (`box2d-py==
    /// 2.3.10`, a version that is ready-made here), or added for a dependency.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instead: Vec<String>,
    /// The project lists its own JupyterLab, but the user chose Darwinix's shared one.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub shared_jupyterlab: bool,
    /// The download size the user said yes to (Install (3.5 GB)): an install of the project up
    /// to that size goes on without asking again — also after a retry of one that failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub big_install_ok_bytes: Option<u64>,
}

pub(crate) fn file(paths: &AppPaths, project: &Project) -> PathBuf {
    paths
        .project_configs()
        .join(format!("{}.json", project.key()))
}

/// The project's settings; defaults when none were saved. A damaged file is an error that
/// names it (nothing is guessed, nothing deleted).
pub fn load(paths: &AppPaths, project: &Project) -> Result<ProjectConfig> {
    let file = file(paths, project);
    match std::fs::read(&file) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map_err(|source| Error::CorruptFile { path: file, source }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(ProjectConfig::default()),
        Err(source) => Err(Error::ReadFile { path: file, source }),
    }
}

/// Changes one setting, keeping the others.
pub fn update(
    paths: &AppPaths,
    project: &Project,
    change: impl FnOnce(&mut ProjectConfig),
) -> Result<()> {
    let mut config = load(paths, project)?;
    change(&mut config);
    let bytes = serde_json::to_vec_pretty(&config).expect("plain data");
    write_atomically(&file(paths, project), &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_kept_apart_and_together() {
        let dir = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(dir.path());
        let project = Project::at(&dir.path().join("p"));
        assert_eq!(load(&paths, &project).unwrap(), ProjectConfig::default());
        update(&paths, &project, |c| c.ignore_pins = true).unwrap();
        update(&paths, &project, |c| {
            c.backend = BackendChoice::ThisComputer
        })
        .unwrap();
        let both = load(&paths, &project).unwrap();
        assert!(both.ignore_pins);
        assert_eq!(both.backend, BackendChoice::ThisComputer);
        // Files written before this setting existed still load.
        std::fs::write(file(&paths, &project), r#"{"backend":{"kind":"nix"}}"#).unwrap();
        assert!(!load(&paths, &project).unwrap().ignore_pins);
    }
}
