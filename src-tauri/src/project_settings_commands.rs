//! Project settings: where a project runs, which setup file and Python it is made with, and the
//! choices offered by a failed start (current versions, a way out of a build, a big install,
//! Darwinix's JupyterLab). Each is remembered by Darwinix, never written into the project.

use std::path::{Path, PathBuf};

use darwinix_core::install::{self, ProjectJupyter};
use darwinix_core::jupyter;
use darwinix_core::machine::wsl::{self, WslHost};
use darwinix_core::paths::AppPaths;
use darwinix_core::project::backend::{self, BackendChoice};
use darwinix_core::project::{config, requirements, Project};
use serde::Serialize;
use tauri::State;

use crate::ipc_error::{IpcError, IpcResult};
use crate::target;

/// A project's own settings: where it runs, and the choices this computer offers.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ProjectSettings {
    pub backend: BackendChoice,
    /// The folder has a `flake.nix` (the Nix choice makes sense).
    pub has_flake: bool,
    /// WSL distros of this Windows computer (none elsewhere).
    pub distros: Vec<String>,
    /// Where its packages come from, its JupyterLab and its kernel's Python.
    pub jupyter: ProjectJupyter,
}

/// The project whose settings these are (one on this computer: a remote project's are made on
/// the remote computer).
fn project(dir: &Path) -> IpcResult<Project> {
    target::here(dir, "Changing a project's settings")
}

pub(crate) async fn project_settings_of(
    paths: &AppPaths,
    project: &Project,
) -> IpcResult<ProjectSettings> {
    let backend = backend::load_choice(paths, project)?;
    let mut distros: Vec<String> = match wsl::detect_host().await {
        WslHost::Installed { distros } => distros.into_iter().map(|d| d.name).collect(),
        WslHost::NotInstalled | WslHost::NoDistros => vec![],
    };
    // A chosen distro stays listed even when wsl.exe no longer knows it, so the choice shows.
    if let BackendChoice::Wsl { distro } = &backend {
        if !distros.contains(distro) {
            distros.push(distro.clone());
        }
    }
    Ok(ProjectSettings {
        has_flake: project.dir.join(backend::FLAKE).is_file(),
        backend,
        distros,
        jupyter: install::describe(paths, project)?,
    })
}

#[tauri::command]
pub async fn project_settings(
    paths: State<'_, AppPaths>,
    dir: PathBuf,
) -> IpcResult<ProjectSettings> {
    project_settings_of(&paths, &project(&dir)?).await
}

/// Chooses where the project runs; its next start rebuilds `.venv` there.
#[tauri::command]
pub async fn set_backend(
    paths: State<'_, AppPaths>,
    dir: PathBuf,
    backend: BackendChoice,
) -> IpcResult<ProjectSettings> {
    let project = project(&dir)?;
    if let BackendChoice::Wsl { distro } = &backend {
        backend::Wsl::new(distro)?;
    }
    backend::save_choice(&paths, &project, &backend)?;
    // A server kept ready runs in the old place; the window asks for a new one.
    jupyter::spare::stop_spares(&paths, None).await?;
    project_settings_of(&paths, &project).await
}

/// Start with current versions: the project's version pins that no longer install are left
/// out (on), or used again (off). Remembered by Darwinix; the project's files stay unchanged.
#[tauri::command]
pub async fn set_ignore_pins(
    paths: State<'_, AppPaths>,
    dir: PathBuf,
    ignore: bool,
) -> IpcResult<ProjectSettings> {
    let project = project(&dir)?;
    config::update(&paths, &project, |c| {
        c.ignore_pins = ignore;
        c.relaxed_pins.clear();
    })?;
    project_settings_of(&paths, &project).await
}

/// One of a failed install's ways out (Use Python 3.10 for this project, Use box2d-py 2.3.10,
/// Start without box2d-py, Start with current versions): remembered by Darwinix for the
/// project, whose files stay unchanged; the window starts it again.
#[tauri::command]
pub async fn take_way_out(
    paths: State<'_, AppPaths>,
    dir: PathBuf,
    way: darwinix_core::install::way_out::WayOut,
) -> IpcResult<ProjectSettings> {
    let project = project(&dir)?;
    config::update(&paths, &project, |c| {
        darwinix_core::install::way_out::take(&way, c)
    })?;
    project_settings_of(&paths, &project).await
}

/// Use Darwinix's JupyterLab instead: a project that lists its own JupyterLab runs in the
/// shared one (on), or in its own again (off). Remembered by Darwinix; the project's files stay
/// unchanged.
#[tauri::command]
pub async fn set_shared_jupyterlab(
    paths: State<'_, AppPaths>,
    dir: PathBuf,
    shared: bool,
) -> IpcResult<ProjectSettings> {
    let project = project(&dir)?;
    config::update(&paths, &project, |c| c.shared_jupyterlab = shared)?;
    project_settings_of(&paths, &project).await
}

/// Install (3.5 GB): the user says yes to a big install of `bytes`; the project's installs up
/// to that size no longer ask. Remembered by Darwinix, so a retry after a failed download
/// does not ask again.
#[tauri::command]
pub async fn confirm_big_install(
    paths: State<'_, AppPaths>,
    dir: PathBuf,
    bytes: u64,
) -> IpcResult<ProjectSettings> {
    let project = project(&dir)?;
    config::update(&paths, &project, |c| c.big_install_ok_bytes = Some(bytes))?;
    project_settings_of(&paths, &project).await
}

/// Packages from: a setup file of the project's own choosing (one `setup_files` lists), or
/// `None` for the file Darwinix chooses as Binder would. Remembered by Darwinix; the project's
/// files stay unchanged.
#[tauri::command]
pub async fn set_source_file(
    paths: State<'_, AppPaths>,
    dir: PathBuf,
    file: Option<String>,
) -> IpcResult<ProjectSettings> {
    let project = project(&dir)?;
    if let Some(file) = &file {
        if !requirements::choose::pickable(&project.dir).contains(file) {
            return Err(IpcError::new(format!(
                "{file} is not one of this project's setup files"
            )));
        }
    }
    config::update(&paths, &project, |c| c.source = file)?;
    project_settings_of(&paths, &project).await
}

/// Python: the version the project's environment is made with (`3.9`), or `None` for what its
/// files ask for. The next start makes `.venv` again when it changes.
#[tauri::command]
pub async fn set_python_version(
    paths: State<'_, AppPaths>,
    dir: PathBuf,
    version: Option<String>,
) -> IpcResult<ProjectSettings> {
    let project = project(&dir)?;
    if let Some(v) = &version {
        let valid = v.split('.').count() == 2 && v.split('.').all(|p| p.parse::<u32>().is_ok());
        if !valid {
            return Err(IpcError::new(format!(
                "{v} is not a Python version such as 3.12"
            )));
        }
    }
    config::update(&paths, &project, |c| c.python = version)?;
    project_settings_of(&paths, &project).await
}
