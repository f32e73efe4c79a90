//! Settings → Storage: what Darwinix takes on disk, and the buttons that give it back. Adapters
//! only: the figures, the refusals and the removals are `darwinix_core::storage`'s.

use std::path::PathBuf;

use darwinix_core::paths::AppPaths;
use darwinix_core::storage::{self, Cleaned, PurgeReport, StorageReport};
use tauri::State;

use crate::ipc_error::IpcResult;
use crate::quit::Quit;

/// The runtimes, uv's cache, Darwinix's own data and each known project's `.venv`.
#[tauri::command]
pub async fn storage(paths: State<'_, AppPaths>) -> IpcResult<StorageReport> {
    Ok(storage::report(&paths).await)
}

/// Free up uv cache: `uv cache prune`, and how much it gave back.
#[tauri::command]
pub async fn free_uv_cache(paths: State<'_, AppPaths>) -> IpcResult<Cleaned> {
    Ok(storage::prune_uv_cache(&paths).await)
}

/// Remove unused runtimes: earlier versions no running server uses.
#[tauri::command]
pub async fn remove_unused_runtimes(paths: State<'_, AppPaths>) -> IpcResult<Cleaned> {
    Ok(storage::remove_unused_runtimes(&paths).await)
}

/// Remove a known project's `.venv` (refused while its server runs); made again on its next start.
#[tauri::command]
pub async fn remove_venv(paths: State<'_, AppPaths>, dir: PathBuf) -> IpcResult<Cleaned> {
    let removed = storage::remove_venv(&paths, &dir).await?;
    Ok(Cleaned {
        removed: vec![removed],
        problems: Vec::new(),
    })
}

/// Remove Darwinix's data: what it would remove and what it would leave; nothing is touched.
#[tauri::command]
pub async fn purge_preview(paths: State<'_, AppPaths>) -> IpcResult<PurgeReport> {
    Ok(storage::purge(&paths, false).await)
}

/// Remove Darwinix's data, on the user's word: its servers stopped, its folders, the hub tokens
/// it kept and its Start at login entry; the projects and their `.venv`s stay. The window then
/// offers Quit, so that nothing of Darwinix's is made again before the program is removed.
#[tauri::command]
pub async fn purge_data(
    paths: State<'_, AppPaths>,
    quit: State<'_, Quit>,
) -> IpcResult<PurgeReport> {
    let report = storage::purge(&paths, true).await;
    quit.after_purge();
    Ok(report)
}

/// The window's Quit (after Remove Darwinix's data): the same as the tray's.
#[tauri::command]
pub fn quit_app(app: tauri::AppHandle) {
    crate::quit::quit(app);
}
