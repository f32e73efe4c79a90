//! What the user chose for where a project runs, and where that will be, told from files
//! alone (the no-op check must stay a few file reads). Kept in the project's settings
//! (`project::config`), which is why it stands apart from running anything.

use serde::{Deserialize, Serialize};

use super::{wsl, Place};
use crate::machine::nix;
use crate::project::{Layout, Project};

pub const FLAKE: &str = "flake.nix";
pub const FLAKE_LOCK: &str = "flake.lock";

/// What the user chose for a project.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum BackendChoice {
    /// The Nix dev shell when the folder has a `flake.nix` and Nix is installed, else this
    /// computer.
    #[default]
    Auto,
    /// This computer's Python, even when the folder has a flake.
    ThisComputer,
    /// The folder's Nix dev shell; an error when Nix or the flake is missing.
    Nix,
    /// A WSL distro (Windows).
    Wsl { distro: String },
}

impl BackendChoice {
    /// The choice as the CLI spells it.
    pub fn label(&self) -> String {
        match self {
            BackendChoice::Auto => "auto".into(),
            BackendChoice::ThisComputer => "this-computer".into(),
            BackendChoice::Nix => "nix".into(),
            BackendChoice::Wsl { distro } => format!("wsl:{distro}"),
        }
    }

    /// The `.venv` layout the environment will have.
    pub fn layout(&self) -> Layout {
        match self {
            BackendChoice::Wsl { .. } => Layout::Posix,
            _ => Layout::NATIVE,
        }
    }

    /// Parses the CLI's spelling: `auto`, `this-computer` (or `local`), `nix`, `wsl:DISTRO`.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "auto" => Some(BackendChoice::Auto),
            "this-computer" | "local" => Some(BackendChoice::ThisComputer),
            "nix" => Some(BackendChoice::Nix),
            other => {
                let distro = other.strip_prefix("wsl:")?.trim();
                wsl::valid_distro_name(distro).then(|| BackendChoice::Wsl {
                    distro: distro.to_string(),
                })
            }
        }
    }

    /// Where the project will run ([`Backend::place`]), told without running anything (the
    /// no-op check must stay a few file reads): `auto` with a flake means Nix when a `nix`
    /// program is on disk.
    pub fn expected_place(&self, project: &Project) -> Place {
        match self {
            BackendChoice::ThisComputer => Place::ThisComputer,
            BackendChoice::Nix => Place::Nix,
            BackendChoice::Wsl { distro } => Place::Wsl {
                distro: distro.clone(),
            },
            BackendChoice::Auto if project.dir.join(FLAKE).is_file() && nix_on_disk() => Place::Nix,
            BackendChoice::Auto => Place::ThisComputer,
        }
    }
}

/// A `nix` program on PATH or in Nix's usual places (file checks only).
fn nix_on_disk() -> bool {
    let home = crate::paths::home_dir();
    let user = std::env::var(crate::env_vars::USER).ok();
    let path = std::env::var_os(crate::env_vars::PATH).unwrap_or_default();
    crate::paths::absolute_dirs(&path)
        .into_iter()
        .chain(nix::well_known_dirs(home.as_deref(), user.as_deref()))
        .any(|d| {
            d.join(format!("nix{}", std::env::consts::EXE_SUFFIX))
                .is_file()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_without_running_anything() {
        let tmp = tempfile::tempdir().unwrap();
        let project = Project::at(tmp.path());
        let here = Place::ThisComputer;
        assert_eq!(BackendChoice::Auto.expected_place(&project), here);
        assert_eq!(BackendChoice::ThisComputer.expected_place(&project), here);
        assert_eq!(BackendChoice::Nix.expected_place(&project), Place::Nix);
        let wsl = BackendChoice::Wsl {
            distro: "Debian".into(),
        };
        assert_eq!(wsl.expected_place(&project).to_string(), "wsl:Debian");
        std::fs::write(tmp.path().join(FLAKE), "{ outputs = _: {}; }").unwrap();
        let auto = BackendChoice::Auto.expected_place(&project);
        assert_eq!(auto == Place::Nix, nix_on_disk(), "{auto}");
    }
}
