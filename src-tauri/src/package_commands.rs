//! The Packages view's commands: what a project's `.venv` holds, a name looked up on the index,
//! a change (add, remove, update, keep) with the same live step list as Start, the versions
//! frozen, and the project's kernels restarted after a change.

use std::path::PathBuf;

use darwinix_core::install::{freeze, SetupOptions};
use darwinix_core::jupyter;
use darwinix_core::packages::{self, index::OnIndex, Change, Changed, Listing};
use darwinix_core::project::Project;
use darwinix_core::reporter::SetupEvent;
use darwinix_core::settings::Settings;
use tauri::ipc::Channel;
use tauri::State;

use crate::ipc_error::IpcResult;
use crate::state::AppState;

fn options(state: &AppState) -> IpcResult<SetupOptions> {
    Ok(SetupOptions::from(&Settings::load(&state.paths)?))
}

/// Every package in the project's `.venv`: asked for, pulled in, or installed by hand.
#[tauri::command]
pub async fn packages(state: State<'_, AppState>, dir: PathBuf) -> IpcResult<Listing> {
    Ok(packages::list(&state.paths, &Project::open(&dir)?)?)
}

/// A name looked up on the package index: its newest version and summary.
#[tauri::command]
pub async fn search_package(
    state: State<'_, AppState>,
    dir: PathBuf,
    name: String,
) -> IpcResult<OnIndex> {
    let project = Project::open(&dir)?;
    let options = options(&state)?;
    Ok(packages::search(&state.paths, &project, &name, &options).await?)
}

/// Changes the project's packages: its file first, then `.venv`; every step to `on_event`.
#[tauri::command]
pub async fn change_packages(
    state: State<'_, AppState>,
    dir: PathBuf,
    change: Change,
    on_event: Channel<SetupEvent>,
) -> IpcResult<Changed> {
    let project = Project::open(&dir)?;
    let options = options(&state)?;
    let forward = move |event| {
        // The window may have been closed meanwhile; the change goes on regardless.
        let _ = on_event.send(event);
    };
    Ok(packages::apply(&state.paths, &project, &change, &options, &forward).await?)
}

/// Freeze versions: `requirements.lock` with what is installed now; how many it pins.
#[tauri::command]
pub async fn freeze_versions(state: State<'_, AppState>, dir: PathBuf) -> IpcResult<usize> {
    let project = Project::open(&dir)?;
    Ok(freeze::write_lock(&state.paths, &project).await?.1)
}

/// Restarts the kernels of the project's running JupyterLab, so they see changed packages.
#[tauri::command]
pub async fn restart_kernels(state: State<'_, AppState>, dir: PathBuf) -> IpcResult<usize> {
    let project = Project::open(&dir)?;
    let Some(entry) = jupyter::find(&state.paths, &project).await else {
        return Ok(0);
    };
    Ok(jupyter::kernel::restart_all(&entry).await?)
}
