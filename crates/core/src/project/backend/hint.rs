//! What to do when the place a project runs fails: its Nix shell, a WSL distro, a remote
//! computer — one family of [`crate::hints::hint`], in the window's words.

use crate::error::Error;

/// The hint for the errors of where a project runs; `None` for the others.
pub fn hint(error: &Error) -> Option<String> {
    Some(match error {
        Error::NixDevShell { dir, .. } => format!("fix `{}`, or choose This computer in Project settings", dir.join("flake.nix").display()),
        Error::Wsl { .. } => "choose another place to run the project in Project settings".into(),
        Error::WslPath { distro, .. } => format!(
            "move the project to a folder on a local drive (C:\\…) or inside {distro} (\\\\wsl$\\{distro}\\…)"
        ),
        Error::WslNoPython { distro, .. } => format!("install Python (python3 and python3-venv) in {distro}, or choose This computer in Project settings"),
        Error::Ssh { login, problem, .. } => crate::remote::ssh_hint(*problem, &login.host),
        Error::Remote { hint, .. } => hint.clone().unwrap_or_else(|| "Show details has what the remote computer said; Test connection checks the way there".into()),
        _ => return None,
    })
}
