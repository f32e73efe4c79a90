//! Quitting for real (closing the window is not quitting: the app lives on in the tray).

use std::sync::atomic::Ordering;

use darwinix_core::jupyter;
use darwinix_core::settings::{OnQuit, Settings};
use tauri::{AppHandle, Manager};

use crate::state::AppState;

/// Quit from the tray: stops the servers first unless the settings say to leave them running.
pub fn quit(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let state = app.state::<AppState>();
        state.quitting.store(true, Ordering::SeqCst);
        let on_quit = Settings::load(&state.paths)
            .map(|s| s.on_quit)
            .unwrap_or_default();
        if on_quit == OnQuit::StopServers {
            let _ = jupyter::stop_all(&state.paths).await;
        } else {
            // Servers kept ready for the instant start were never asked for: they always go.
            let _ = jupyter::spare::stop_spares(&state.paths, None).await;
        }
        app.exit(0);
    });
}
