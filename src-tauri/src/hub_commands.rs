//! The window's commands for JupyterHub: add a hub (its token goes to the credential store),
//! its servers' Start, Open and Stop, and Remove. The list itself comes from the hub watcher.

use darwinix_core::hub::{self, HubInfo, HubServer, HubStatus};
use darwinix_core::paths::AppPaths;
use darwinix_core::reporter::{SetupEvent, Silent};
use darwinix_tray::watcher::Watcher;
use tauri::ipc::Channel;
use tauri::State;

use crate::browser;
use crate::ipc_error::IpcResult;
use crate::progress::forward;

/// Every added hub with its servers, asked now.
#[tauri::command]
pub async fn hubs(paths: State<'_, AppPaths>) -> IpcResult<Vec<HubStatus>> {
    Ok(hub::list(&paths).await?)
}

/// Adds a hub with the API token the user made on its Token page (checked on the hub first;
/// kept in the system's credential store, or a private file when there is none). Plain
/// `http://` to another computer needs `allow_insecure_http`: the user pressed Connect without
/// encryption after the window said why.
#[tauri::command]
pub async fn hub_add(
    paths: State<'_, AppPaths>,
    watcher: State<'_, Watcher>,
    url: String,
    token: String,
    allow_insecure_http: Option<bool>,
) -> IpcResult<HubInfo> {
    let confirmed = allow_insecure_http.unwrap_or(false);
    let added = hub::add(&paths, url.trim(), token.trim(), confirmed).await?;
    watcher.refresh_hubs().await;
    Ok(added)
}

/// Starts a server on a hub (the default one without `server`), with the hub's progress, and
/// opens it in the browser once it is ready.
#[tauri::command]
pub async fn hub_start(
    paths: State<'_, AppPaths>,
    watcher: State<'_, Watcher>,
    url: String,
    server: Option<String>,
    on_event: Channel<SetupEvent>,
) -> IpcResult<HubServer> {
    let reporter = forward(on_event);
    let result = hub::start(&paths, &url, server.as_deref(), &reporter).await;
    watcher.refresh_hubs().await;
    let started = result?;
    let opening = hub::open(&paths, &url, server.as_deref(), &reporter).await?;
    // The server is up either way; a browser that failed is said by Open's own error later.
    let _ = opening.settled().await;
    Ok(started)
}

#[tauri::command]
pub async fn hub_stop(
    paths: State<'_, AppPaths>,
    watcher: State<'_, Watcher>,
    url: String,
    server: Option<String>,
) -> IpcResult<HubServer> {
    let result = hub::stop(&paths, &url, server.as_deref(), &Silent).await;
    watcher.refresh_hubs().await;
    Ok(result?)
}

/// Opens a hub's server in the browser, through the hub's own sign-in (no token in the
/// address).
#[tauri::command]
pub async fn hub_open(
    paths: State<'_, AppPaths>,
    url: String,
    server: Option<String>,
) -> IpcResult<()> {
    let opening = hub::open(&paths, &url, server.as_deref(), &Silent).await?;
    let hint = "open that address in your browser yourself";
    browser::opened(opening.address.clone(), opening.settled(), hint).await
}

/// Forgets a hub and its token (nothing changes on the hub).
#[tauri::command]
pub async fn hub_remove(
    paths: State<'_, AppPaths>,
    watcher: State<'_, Watcher>,
    url: String,
) -> IpcResult<()> {
    hub::remove(&paths, &url).await?;
    watcher.refresh_hubs().await;
    Ok(())
}
