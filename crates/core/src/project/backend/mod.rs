//! Where a project's programs run: on this computer, inside its Nix dev shell, or inside a WSL
//! distro. The user's choice is kept per project in Darwinix's config folder (never in the
//! project); `Auto` means the dev shell when the folder has a `flake.nix` and Nix is installed.
//!
//! Every command for a project is built as if it ran here, with paths passed through
//! [`Backend::path`], and handed to [`Backend::finish`] before it is spawned: that is where a
//! dev shell adds its variables and WSL wraps the command in `wsl.exe -d DISTRO --exec`.

mod choice;
pub(crate) mod hint;
mod place;
pub mod wsl;
mod wsl_paths;

use std::ffi::OsString;
use std::path::Path;

use tokio::process::Command;

use super::{Layout, Project};
use crate::error::{Error, Result};
use crate::machine::nix::{self, NixStatus};
use crate::machine::nix_env::{self, DevEnv};
use crate::machine::shell_env;
use crate::paths::AppPaths;
use crate::reporter::{Reporter, SetupEvent, SetupStep};

pub use choice::{BackendChoice, FLAKE, FLAKE_LOCK};
pub use place::Place;
pub use wsl::Wsl;

/// The bytes besides requirements that decide the environment: where it runs, and for a Nix
/// shell its flake (a changed flake may bring another Python or other libraries). Another
/// place means another environment (another Python, maybe another operating system).
pub fn stamp_input(place: &Place, project: &Project) -> Vec<u8> {
    let mut bytes = place.to_string().into_bytes();
    if *place == Place::Nix {
        for file in [FLAKE, FLAKE_LOCK] {
            bytes.push(0);
            bytes.extend(std::fs::read(project.dir.join(file)).unwrap_or_default());
        }
    }
    bytes
}

/// The project's choice; `Auto` when none was saved. A damaged file is an error that names it
/// (nothing is guessed, nothing deleted).
pub fn load_choice(paths: &AppPaths, project: &Project) -> Result<BackendChoice> {
    super::config::load(paths, project).map(|c| c.backend)
}

pub fn save_choice(paths: &AppPaths, project: &Project, choice: &BackendChoice) -> Result<()> {
    if let BackendChoice::Wsl { distro } = choice {
        if !wsl::valid_distro_name(distro) {
            return Err(Error::Wsl {
                distro: distro.clone(),
                detail: "that is not a WSL distro name".into(),
            });
        }
    }
    super::config::update(paths, project, |c| c.backend = choice.clone())
}

/// Where a project's commands run, resolved from the choice.
#[derive(Debug, Clone)]
pub enum Backend {
    Local,
    Nix(DevEnv),
    Wsl(Wsl),
}

impl Backend {
    /// Where it runs, as the environment's stamp records it.
    pub fn place(&self) -> Place {
        match self {
            Backend::Local => Place::ThisComputer,
            Backend::Nix(_) => Place::Nix,
            Backend::Wsl(wsl) => Place::Wsl {
                distro: wsl.distro.clone(),
            },
        }
    }

    pub fn layout(&self) -> Layout {
        match self {
            Backend::Wsl(_) => Layout::Posix,
            _ => Layout::NATIVE,
        }
    }

    /// How a path of this computer is named where the command runs.
    pub fn path(&self, path: &Path) -> Result<OsString> {
        match self {
            Backend::Wsl(wsl) => wsl.guest_path(path).map(OsString::from),
            _ => Ok(path.as_os_str().to_owned()),
        }
    }

    /// Makes a command built for this computer run in the backend. A dev shell's variables are
    /// added where the command does not set (or remove) the variable itself: Darwinix's own
    /// settings (the token, the runtime folder) always win over a flake's.
    pub fn finish(&self, mut cmd: Command) -> Result<Command> {
        match self {
            Backend::Local => Ok(cmd),
            Backend::Nix(dev) => {
                let set: Vec<OsString> = cmd.as_std().get_envs().map(|(k, _)| k.into()).collect();
                for (key, value) in &dev.vars {
                    if !set.iter().any(|k| k == key.as_str()) {
                        cmd.env(key, value);
                    }
                }
                Ok(cmd)
            }
            Backend::Wsl(wsl) => wsl.wrap(&cmd),
        }
    }
}

/// Resolves the project's backend. Reports what it chose when that is not plain "this
/// computer", and warns when a flake is passed over because Nix is missing.
pub async fn resolve(
    paths: &AppPaths,
    project: &Project,
    reporter: &dyn Reporter,
) -> Result<Backend> {
    let choice = load_choice(paths, project)?;
    let has_flake = project.dir.join(FLAKE).is_file();
    match choice {
        BackendChoice::ThisComputer => Ok(Backend::Local),
        BackendChoice::Auto if !has_flake => Ok(Backend::Local),
        BackendChoice::Nix if !has_flake => Err(Error::NixDevShell {
            dir: project.dir.clone(),
            detail: format!(
                "the project is set to run in its Nix dev shell, but it has no {FLAKE}"
            ),
        }),
        BackendChoice::Auto | BackendChoice::Nix => {
            let required = choice == BackendChoice::Nix;
            dev_env(paths, project, required, reporter).await
        }
        BackendChoice::Wsl { distro } => {
            let wsl = Wsl::new(&distro)?;
            reporter.report(SetupEvent::Step {
                step: SetupStep::CheckingComputer,
                detail: format!("Running {} in the WSL distro {distro}", project.name()),
            });
            Ok(Backend::Wsl(wsl))
        }
    }
}

async fn dev_env(
    paths: &AppPaths,
    project: &Project,
    required: bool,
    reporter: &dyn Reporter,
) -> Result<Backend> {
    let path = shell_env::repaired_path().await;
    let home = crate::paths::home_dir();
    let user = std::env::var(crate::env_vars::USER).ok();
    let mut dirs = crate::paths::absolute_dirs(&path);
    dirs.extend(nix::well_known_dirs(home.as_deref(), user.as_deref()));
    let install = match nix::detect(&dirs).await {
        NixStatus::Present(install) => install,
        NixStatus::Absent | NixStatus::Broken { .. } if required => {
            return Err(Error::NixDevShell {
                dir: project.dir.clone(),
                detail: "the project is set to run in its Nix dev shell, but Nix is not installed"
                    .into(),
            })
        }
        NixStatus::Absent | NixStatus::Broken { .. } => {
            reporter.report(SetupEvent::Warning {
                message: format!(
                    "{} has a flake.nix, but Nix is not installed: using this computer's Python",
                    project.name()
                ),
            });
            return Ok(Backend::Local);
        }
    };
    reporter.report(SetupEvent::Step {
        step: SetupStep::CheckingComputer,
        detail: format!(
            "Entering the Nix dev shell of {} (Nix {})",
            project.dir.join(FLAKE).display(),
            install.version.version
        ),
    });
    let env = nix_env::load(
        paths,
        &install.path,
        &install.version.version,
        &project.dir,
        &path,
    )
    .await?;
    Ok(Backend::Nix(env))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_parse_save_and_load() {
        for (text, choice) in [
            ("auto", BackendChoice::Auto),
            ("local", BackendChoice::ThisComputer),
            ("this-computer", BackendChoice::ThisComputer),
            ("nix", BackendChoice::Nix),
            (
                "wsl:Ubuntu-22.04",
                BackendChoice::Wsl {
                    distro: "Ubuntu-22.04".into(),
                },
            ),
        ] {
            assert_eq!(BackendChoice::parse(text), Some(choice), "{text}");
        }
        for bad in ["", "wsl:", "wsl:two words", "docker", "wsl:a/b"] {
            assert_eq!(BackendChoice::parse(bad), None, "{bad}");
        }

        let tmp = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(&tmp.path().join("home"));
        let project = Project::at(&tmp.path().join("p"));
        assert_eq!(load_choice(&paths, &project).unwrap(), BackendChoice::Auto);
        let wsl = BackendChoice::Wsl {
            distro: "Debian".into(),
        };
        save_choice(&paths, &project, &wsl).unwrap();
        assert_eq!(load_choice(&paths, &project).unwrap(), wsl);
        let other = Project::at(&tmp.path().join("q"));
        assert_eq!(load_choice(&paths, &other).unwrap(), BackendChoice::Auto);

        let file = crate::project::config::file(&paths, &project);
        std::fs::write(&file, "{ not json").unwrap();
        let err = load_choice(&paths, &project).unwrap_err();
        assert!(matches!(err, Error::CorruptFile { .. }), "{err:?}");
        assert!(file.exists(), "a damaged file is kept");
    }

    #[test]
    fn the_flake_counts_only_in_a_nix_shell() {
        let tmp = tempfile::tempdir().unwrap();
        let project = Project::at(tmp.path());
        let nix = stamp_input(&Place::Nix, &project);
        let local = stamp_input(&Place::ThisComputer, &project);
        std::fs::write(tmp.path().join(FLAKE), "{ outputs = _: {}; }").unwrap();
        assert_ne!(stamp_input(&Place::Nix, &project), nix);
        assert_eq!(stamp_input(&Place::ThisComputer, &project), local);
    }

    #[test]
    fn a_dev_shell_never_overrides_what_darwinix_sets() {
        let dev = DevEnv {
            vars: [
                ("JUPYTER_TOKEN".to_string(), String::new()),
                ("GREETING".to_string(), "hi".to_string()),
                ("VIRTUAL_ENV".to_string(), "/nix/venv".to_string()),
            ]
            .into_iter()
            .collect(),
            path_dirs: vec![],
        };
        let mut cmd = crate::process::command("jupyter-lab");
        cmd.env("JUPYTER_TOKEN", "secret").env_remove("VIRTUAL_ENV");
        let cmd = Backend::Nix(dev).finish(cmd).unwrap();
        let envs: Vec<(String, Option<String>)> = cmd
            .as_std()
            .get_envs()
            .map(|(k, v)| {
                (
                    k.to_string_lossy().into_owned(),
                    v.map(|v| v.to_string_lossy().into_owned()),
                )
            })
            .collect();
        assert!(envs.contains(&("JUPYTER_TOKEN".into(), Some("secret".into()))));
        assert!(envs.contains(&("GREETING".into(), Some("hi".into()))));
        assert!(envs.contains(&("VIRTUAL_ENV".into(), None)));
    }
}
