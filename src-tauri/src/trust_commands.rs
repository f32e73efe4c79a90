//! The trust prompt's answers (Trust and start, Start without installing) and Settings →
//! Trusted folders, where they are listed and forgotten.

use std::path::PathBuf;

use darwinix_core::paths::AppPaths;
use darwinix_core::trust::{store, Choice, Decision};
use tauri::State;

use crate::ipc_error::IpcResult;
use crate::project_settings_commands::{project_settings_of, ProjectSettings};
use crate::target;

/// The user's answer to the trust prompt for the folder `dir`, remembered (by path and owner)
/// so that the retried start, and later ones, go on with it.
#[tauri::command]
pub async fn trust_folder(
    paths: State<'_, AppPaths>,
    dir: PathBuf,
    choice: Choice,
) -> IpcResult<ProjectSettings> {
    let project = target::here(&dir, "Trusting a folder")?;
    store::remember(&paths, &project.dir, choice)?;
    project_settings_of(&paths, &project).await
}

/// The folders the user answered for, most recent first.
#[tauri::command]
pub fn trusted_folders(paths: State<'_, AppPaths>) -> IpcResult<Vec<Decision>> {
    let mut all = store::all(&paths)?;
    all.sort_by_key(|d| std::cmp::Reverse(d.at));
    Ok(all)
}

/// Forgets the answer for `dir` (its next start asks again); the list as it is then.
#[tauri::command]
pub fn forget_trust(paths: State<'_, AppPaths>, dir: PathBuf) -> IpcResult<Vec<Decision>> {
    store::forget(&paths, &dir)?;
    trusted_folders(paths)
}
