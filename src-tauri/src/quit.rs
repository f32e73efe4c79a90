//! Quitting for real (closing the window is not quitting: the app lives on in the tray).

use std::sync::atomic::Ordering;

use tauri::{AppHandle, Manager};

use crate::state::AppState;

/// Quit from the tray: stops the servers first unless the settings say to leave them running.
pub fn quit(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let state = app.state::<AppState>();
        state.quitting.store(true, Ordering::SeqCst);
        darwinix_tray::actions::quit(&state.paths).await;
        if state.purged.load(Ordering::SeqCst) {
            // Stopping the servers (their locks and logs) and the watchers' last polls may
            // have made the folders again since the purge.
            for root in state.paths.roots() {
                let _ = std::fs::remove_dir_all(root);
            }
        }
        app.exit(0);
    });
}
