//! The window's commands for JupyterHub: add a hub (its token goes to the credential store),
//! its servers' Start, Open and Stop, and Remove. The list itself comes from the hub watcher.

use darwinix_core::hub::{self, HubInfo, HubServer, HubStatus};
use darwinix_core::reporter::{SetupEvent, Silent};
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::commands::forward;
use crate::hubs;
use crate::ipc_error::{IpcError, IpcResult};
use crate::state::AppState;

/// Every added hub with its servers, asked now.
#[tauri::command]
pub async fn hubs(state: State<'_, AppState>) -> IpcResult<Vec<HubStatus>> {
    Ok(hub::list(&state.paths).await?)
}

/// Adds a hub with the API token the user made on its Token page (checked on the hub first;
/// kept in the system's credential store, or a private file when there is none).
#[tauri::command]
pub async fn hub_add(
    app: AppHandle,
    state: State<'_, AppState>,
    url: String,
    token: String,
) -> IpcResult<HubInfo> {
    let added = hub::add(&state.paths, url.trim(), token.trim()).await?;
    hubs::refresh(&app).await;
    Ok(added)
}

/// Starts a server on a hub (the default one without `server`), with the hub's progress, and
/// opens it in the browser once it is ready.
#[tauri::command]
pub async fn hub_start(
    app: AppHandle,
    state: State<'_, AppState>,
    url: String,
    server: Option<String>,
    on_event: Channel<SetupEvent>,
) -> IpcResult<HubServer> {
    let reporter = forward(on_event);
    let result = hub::start(&state.paths, &url, server.as_deref(), &reporter).await;
    hubs::refresh(&app).await;
    let started = result?;
    let opening = hub::open(&state.paths, &url, server.as_deref(), &reporter).await?;
    // The server is up either way; a browser that failed is said by Open's own error later.
    let _ = opening.settled().await;
    Ok(started)
}

#[tauri::command]
pub async fn hub_stop(
    app: AppHandle,
    state: State<'_, AppState>,
    url: String,
    server: Option<String>,
) -> IpcResult<HubServer> {
    let result = hub::stop(&state.paths, &url, server.as_deref(), &Silent).await;
    hubs::refresh(&app).await;
    Ok(result?)
}

/// Opens a hub's server in the browser, through the hub's own sign-in (no token in the
/// address).
#[tauri::command]
pub async fn hub_open(
    state: State<'_, AppState>,
    url: String,
    server: Option<String>,
) -> IpcResult<()> {
    let opening = hub::open(&state.paths, &url, server.as_deref(), &Silent).await?;
    let address = opening.address.clone();
    opening.settled().await.map_err(|why| {
        IpcError::no_browser(&address, why, "open that address in your browser yourself")
    })
}

/// Forgets a hub and its token (nothing changes on the hub).
#[tauri::command]
pub async fn hub_remove(app: AppHandle, state: State<'_, AppState>, url: String) -> IpcResult<()> {
    hub::remove(&state.paths, &url).await?;
    hubs::refresh(&app).await;
    Ok(())
}
