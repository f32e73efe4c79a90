//! The main window: shown (built again from the configuration when it was closed), and told
//! when the lists it shows changed.

use std::sync::Arc;

use darwinix_tray::watcher::Lists;
use tauri::{AppHandle, Emitter, Manager, WebviewWindowBuilder};

pub const MAIN: &str = "main";
/// The window listens for this; its payload is the list of servers.
pub const SERVERS_CHANGED: &str = "servers-changed";
/// The window listens for this; its payload is the list of hubs with their servers.
pub const HUBS_CHANGED: &str = "hubs-changed";

/// Tells the window which of the lists changed from `before` to `now` (a window opened later
/// asks for the lists once, then listens).
pub fn lists_changed(app: &AppHandle, before: &Lists, now: &Lists) {
    if !Arc::ptr_eq(&before.servers, &now.servers) {
        let _ = app.emit(SERVERS_CHANGED, now.servers.as_slice());
    }
    if !Arc::ptr_eq(&before.hubs, &now.hubs) {
        let _ = app.emit(HUBS_CHANGED, now.hubs.as_slice());
    }
}

/// Shows and focuses the window, building a new one from the configuration when it was closed.
pub fn show(app: &AppHandle) {
    if let Some(window) = app.get_webview_window(MAIN) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
        return;
    }
    let Some(config) = app.config().app.windows.iter().find(|w| w.label == MAIN) else {
        return;
    };
    if let Ok(builder) = WebviewWindowBuilder::from_config(app, config) {
        if let Ok(window) = builder.build() {
            let _ = window.set_focus();
        }
    }
}
