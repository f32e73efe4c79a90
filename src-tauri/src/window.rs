//! The main window's life: closing it keeps Darwinix in the tray (and frees the webview), the
//! tray or a second launch brings it back.

use std::sync::atomic::Ordering;

use darwinix_tray::notice;
use tauri::{AppHandle, Emitter, Manager, WebviewWindowBuilder};
use tauri_plugin_dialog::{DialogExt, MessageDialogKind};

use crate::servers;
use crate::state::AppState;

pub const MAIN: &str = "main";
/// The window listens for this; its payload is the list of servers.
pub const SERVERS_CHANGED: &str = "servers-changed";

/// Tells the window about every change of the server list, for the app's whole life (a window
/// opened later asks for the list once, then listens).
pub fn follow_servers(app: &AppHandle) {
    let handle = app.clone();
    servers::follow(servers::subscribe(app), move |now| {
        let _ = handle.emit(SERVERS_CHANGED, now);
    });
}

/// The window listens for this; its payload is the list of hubs with their servers.
pub const HUBS_CHANGED: &str = "hubs-changed";

/// Tells the window about every change of the hubs, as for the servers.
pub fn follow_hubs(app: &AppHandle) {
    let handle = app.clone();
    servers::follow(crate::hubs::subscribe(app), move |now| {
        let _ = handle.emit(HUBS_CHANGED, now.as_slice());
    });
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

/// The window was closed: the app goes on in the tray (the light tray, where there is one:
/// it says the rest). The first time, it says so.
pub fn closed(app: &AppHandle) {
    let state = app.state::<AppState>();
    if state.quitting.load(Ordering::SeqCst) || crate::to_tray::hand_over(app) {
        return;
    }
    if notice::due(&state.paths) {
        app.dialog()
            .message(notice::TEXT)
            .title(notice::TITLE)
            .kind(MessageDialogKind::Info)
            .show(|_| {});
    }
}
