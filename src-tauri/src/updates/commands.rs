//! The window's update commands: adapters over `updates`.

use darwinix_core::jupyter::browser;
use darwinix_core::paths::AppPaths;
use tauri::{AppHandle, State};

use super::{check_now, install, source, Problem, ServersOnUpdate, UpdateState, UpdateStatus};
use crate::ipc_error::{IpcError, IpcResult};
use crate::quit::Quit;

impl From<Problem> for IpcError {
    fn from(p: Problem) -> Self {
        Self {
            details: if p.details.is_empty() {
                p.message.clone()
            } else {
                p.details
            },
            message: p.message,
            hint: Some(p.hint).filter(|h| !h.is_empty()),
            action: None,
        }
    }
}

/// Where updates stand (the window asks when it loads; changes come as `update-changed`).
#[tauri::command]
pub async fn update_status(app: AppHandle, paths: State<'_, AppPaths>) -> IpcResult<UpdateStatus> {
    Ok(super::status(&app, &paths))
}

/// Settings → Check now.
#[tauri::command]
pub async fn check_update(app: AppHandle, paths: State<'_, AppPaths>) -> IpcResult<UpdateStatus> {
    Ok(check_now(&app, &paths).await?)
}

/// Install and restart: the servers kept or stopped as the user chose. Does not return when
/// it works (the app restarts as the new version). Stopping them while a cell still runs waits
/// for the window's Stop anyway (`server_commands::ask`; it returns at once, installing
/// nothing).
#[tauri::command]
pub async fn install_update(
    app: AppHandle,
    paths: State<'_, AppPaths>,
    quit: State<'_, Quit>,
    servers: ServersOnUpdate,
) -> IpcResult<()> {
    if servers == ServersOnUpdate::Stop {
        let notebooks = darwinix_core::jupyter::busy::in_all(&paths).await;
        if !notebooks.is_empty() {
            use crate::server_commands::{ask, StopWhat};
            ask(&app, StopWhat::Update, notebooks);
            return Ok(());
        }
    }
    install_and_restart(&app, &paths, &quit, servers).await
}

/// Installs the update found and restarts as it (does not return when that works).
pub async fn install_and_restart(
    app: &AppHandle,
    paths: &AppPaths,
    quit: &Quit,
    servers: ServersOnUpdate,
) -> IpcResult<()> {
    install::install(app, paths, servers).await?;
    quit.choose();
    app.restart()
}

/// The release page of the update found (or the latest release), in the user's browser: the
/// notice's link where the app cannot install it itself.
#[tauri::command]
pub async fn open_release_page(app: AppHandle, paths: State<'_, AppPaths>) -> IpcResult<()> {
    let version = match &super::status(&app, &paths).state {
        UpdateState::Available(a) => Some(a.version.clone()),
        _ => None,
    };
    let url = source::release_page(version.as_deref());
    // The browser's output goes to the logs folder, which a fresh install may not have yet.
    let _ = std::fs::create_dir_all(paths.logs());
    let launch = browser::launch(&url, &paths.log("browser.log")).await;
    match launch {
        Ok(launch) => launch.settle().await.map_err(|why| no_browser(&url, why)),
        Err(why) => Err(no_browser(&url, why)),
    }
}

fn no_browser(url: &str, why: String) -> IpcError {
    IpcError::no_browser(url, why, "Copy the address into your browser.")
}
