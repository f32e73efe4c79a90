//! The Packages view's commands: what a project's `.venv` holds, a name looked up on the index,
//! a change (add, remove, update, keep) with the same live step list as Start, the versions
//! frozen, and the project's kernels restarted after a change.

use std::path::{Path, PathBuf};

use darwinix_core::install::{freeze, SetupOptions};
use darwinix_core::jupyter;
use darwinix_core::packages::{self, index::OnIndex, Change, Changed, Listing};
use darwinix_core::paths::AppPaths;
use darwinix_core::project::Project;
use darwinix_core::reporter::SetupEvent;
use darwinix_core::settings::Settings;
use tauri::ipc::Channel;
use tauri::State;

use crate::ipc_error::IpcResult;
use crate::progress::forward;
use crate::target;

fn options(paths: &AppPaths) -> IpcResult<SetupOptions> {
    Ok(SetupOptions::from(&Settings::load(paths)?))
}

/// The project whose packages the view shows (one on this computer: a remote project's
/// environment is on the remote).
fn project(dir: &Path) -> IpcResult<Project> {
    target::here(dir, "The Packages view")
}

/// Every package in the project's `.venv`: asked for, pulled in, or installed by hand.
#[tauri::command]
pub async fn packages(paths: State<'_, AppPaths>, dir: PathBuf) -> IpcResult<Listing> {
    Ok(packages::list(&paths, &project(&dir)?)?)
}

/// A name looked up on the package index: its newest version and summary.
#[tauri::command]
pub async fn search_package(
    paths: State<'_, AppPaths>,
    dir: PathBuf,
    name: String,
) -> IpcResult<OnIndex> {
    let project = project(&dir)?;
    let options = options(&paths)?;
    Ok(packages::search(&paths, &project, &name, &options).await?)
}

/// Changes the project's packages: its file first, then `.venv`; every step to `on_event`.
#[tauri::command]
pub async fn change_packages(
    paths: State<'_, AppPaths>,
    dir: PathBuf,
    change: Change,
    on_event: Channel<SetupEvent>,
) -> IpcResult<Changed> {
    let project = project(&dir)?;
    let options = options(&paths)?;
    Ok(packages::apply(&paths, &project, &change, &options, &forward(on_event)).await?)
}

/// Freeze versions: `requirements.lock` with what is installed now; how many it pins.
#[tauri::command]
pub async fn freeze_versions(paths: State<'_, AppPaths>, dir: PathBuf) -> IpcResult<usize> {
    let project = project(&dir)?;
    Ok(freeze::write_lock(&paths, &project).await?.1)
}

/// Restarts the kernels of the project's running JupyterLab, so they see changed packages.
#[tauri::command]
pub async fn restart_kernels(paths: State<'_, AppPaths>, dir: PathBuf) -> IpcResult<usize> {
    let project = project(&dir)?;
    let Some(entry) = jupyter::find(&paths, &project).await else {
        return Ok(0);
    };
    Ok(jupyter::kernel::restart_all(&entry).await?)
}
