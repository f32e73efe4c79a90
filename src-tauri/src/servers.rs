//! Keeps the tray and the window in step with the shared registry: servers started or stopped
//! from the CLI, or that died, show up within a few seconds.

use std::time::Duration;

use darwinix_core::jupyter::{self, Status};
use tauri::{AppHandle, Emitter, Manager};

use crate::state::AppState;

/// The window listens for this; its payload is the list of servers.
pub const CHANGED: &str = "servers-changed";
const POLL: Duration = Duration::from_secs(3);

/// Re-reads the registry; when the set of servers changed, rebuilds the tray menu and tells the
/// window. Returns the servers people started (a server the instant start keeps ready is not
/// shown until Start Notebook claims it).
pub async fn refresh(app: &AppHandle) -> Vec<Status> {
    let state = app.state::<AppState>();
    let servers: Vec<Status> = jupyter::list(&state.paths)
        .await
        .into_iter()
        .map(|(_, status)| status)
        .filter(|s| !s.spare)
        .collect();
    let now: Vec<_> = servers
        .iter()
        .map(|s| (s.id.clone(), format!("{:?}", s.state), s.port))
        .collect();
    let changed = {
        let mut shown = state.shown.lock().unwrap_or_else(|e| e.into_inner());
        let changed = *shown != now;
        *shown = now;
        changed
    };
    if changed {
        crate::tray::update(app, &servers);
        let _ = app.emit(CHANGED, &servers);
    }
    servers
}

/// Polls for the app's whole life.
pub fn watch(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        loop {
            refresh(&app).await;
            tokio::time::sleep(POLL).await;
        }
    });
}
