//! Where a project runs. A project with a `flake.nix`, on a computer with Nix, runs inside its
//! dev shell: its Python builds `.venv`, and its variables reach the installer, JupyterLab and
//! every kernel. Otherwise it runs on this computer's Python.

use super::Project;
use crate::error::Result;
use crate::machine::nix::{self, NixStatus};
use crate::machine::nix_env::{self, DevEnv};
use crate::machine::shell_env;
use crate::paths::AppPaths;
use crate::reporter::{Reporter, SetupEvent, SetupStep};

pub const FLAKE: &str = "flake.nix";

/// The project's dev shell, or `None` when it runs on this computer's Python.
pub async fn dev_env(
    paths: &AppPaths,
    project: &Project,
    reporter: &dyn Reporter,
) -> Result<Option<DevEnv>> {
    if !project.dir.join(FLAKE).is_file() {
        return Ok(None);
    }
    let path = shell_env::repaired_path().await;
    let home = crate::paths::home_dir();
    let user = std::env::var(crate::env_vars::USER).ok();
    let mut dirs = crate::paths::absolute_dirs(&path);
    dirs.extend(nix::well_known_dirs(home.as_deref(), user.as_deref()));
    let install = match nix::detect(&dirs).await {
        NixStatus::Present(install) => install,
        NixStatus::Absent | NixStatus::Broken { .. } => {
            reporter.report(SetupEvent::Warning {
                message: format!(
                    "{} has a flake.nix, but Nix is not installed: using this computer's Python",
                    project.name()
                ),
            });
            return Ok(None);
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
    Ok(Some(env))
}
