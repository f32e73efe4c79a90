//! What to do about an environment that could not be made: no Python, no venv module, no uv,
//! a full disk, a big download — one family of [`crate::hints::hint`], in the window's words.
//! A failed install itself is `way_out`'s (it has buttons).

use crate::error::Error;
use crate::format::human_bytes;

/// The hint for the errors of making an environment; `None` for the others.
pub fn hint(error: &Error) -> Option<String> {
    Some(match error {
        Error::NotAVenv { path } => format!("rename or remove `{}`; Darwinix will create a fresh environment there", path.display()),
        Error::NoPython { .. } => no_python_fix().into(),
        Error::UvPython { .. } => format!(
            "check the network (uv downloads Python from GitHub), or {}",
            no_python_fix()
        ),
        Error::BadPython { .. } => "choose another interpreter in Settings, or leave the choice to Darwinix (the This computer tab lists them)".into(),
        Error::CreateVenv { unreachable_index: Some(index), .. } => unreachable(index),
        Error::CreateVenv { apt_package: Some(pkg), .. } => format!("install {pkg} with your software center, or choose uv in Settings → Installer"),
        Error::CreateVenv { .. } => "Show details has the full output; the This computer tab checks your Python".into(),
        Error::GetUv { .. } => "choose pip in Settings → Installer, or check the network and try again".into(),
        Error::Freeze { .. } => "press Start Notebook first so the environment exists".into(),
        Error::DiskFull { .. } => "make room on that disk (empty the trash, move or delete large files), then press Start Notebook again; what the install had added was taken out again".into(),
        Error::BigInstall { bytes, .. } => format!("press Install ({}) to download them, or take the large packages out of the project's list of packages", human_bytes(*bytes)),
        Error::NoRoomForInstall { .. } => "make room on that disk (empty the trash, move or delete large files), or take large packages out of the project's list, then press Start Notebook again".into(),
        Error::Runtime { .. } => "check the network and press Start Notebook again; Show details has the installer's output".into(),
        Error::NoJupyter { dir } => format!("add `jupyterlab` to `{}`", dir.join("requirements.txt").display()),
        _ => return None,
    })
}

/// How to install a Python by hand, for this platform.
fn no_python_fix() -> &'static str {
    if cfg!(windows) {
        "install Python 3.12 from python.org (tick \"Add to PATH\")"
    } else if cfg!(target_os = "macos") {
        "install Python 3.12 from python.org"
    } else {
        "install Python 3 with its venv module (python3 and python3-venv) from your software center"
    }
}

/// A package index that did not answer (making an environment, installing, changing packages).
pub(crate) fn unreachable(index: &str) -> String {
    format!("could not reach the package index {index}: check your internet connection, proxy (HTTPS_PROXY) or the index URL")
}
