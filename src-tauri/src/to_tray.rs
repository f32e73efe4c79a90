//! The window was closed: the app goes on in the tray. On Linux it hands the tray to the light
//! tray, which keeps a tenth of the memory (see `darwinix_tray::handoff`).

use darwinix_core::paths::AppPaths;
use darwinix_tray::notice;
use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::{DialogExt, MessageDialogKind};

use crate::quit::Quit;

/// The window was closed: the app goes on in the tray (the light tray, where there is one:
/// it says the rest). The first time, it says so.
pub fn closed(app: &AppHandle) {
    if app.state::<Quit>().chosen() || hand_over(app) {
        return;
    }
    if notice::due(&app.state::<AppPaths>()) {
        app.dialog()
            .message(notice::TEXT)
            .title(notice::TITLE)
            .kind(MessageDialogKind::Info)
            .show(|_| {});
    }
}

/// Hands over once nothing is in the middle of a setup, start or package change (a change of
/// program would cut it off), unless the window comes back or Quit is chosen first. `false`
/// when there is no light tray to hand over to: the app stays in the tray itself.
// Linux: the light tray exists there only (see darwinix_tray's lib.rs).
#[cfg(target_os = "linux")]
fn hand_over(app: &AppHandle) -> bool {
    use std::time::Duration;

    use darwinix_tray::handoff::{self, AFTER_CLOSE, TRAY_PROGRAM};

    use crate::window::MAIN;

    let Ok(tray) = handoff::sibling(TRAY_PROGRAM) else {
        return false;
    };
    let app = app.clone();
    let wanted = move |app: &AppHandle| {
        !app.state::<Quit>().chosen() && app.get_webview_window(MAIN).is_none()
    };
    tauri::async_runtime::spawn(async move {
        while wanted(&app) && handoff::busy(&app.state::<AppPaths>()) {
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        let handle = app.clone();
        let _ = app.run_on_main_thread(move || {
            if !wanted(&handle) {
                return;
            }
            // The light tray takes the single-instance name; it must be free.
            tauri_plugin_single_instance::destroy(&handle);
            handle.cleanup_before_exit();
            let _ = handoff::exec(&tray, &[AFTER_CLOSE.into()], None, &[]);
            // Still here: the light tray could not start. The app stays in the tray; a second
            // launch now starts a second app rather than showing this one.
        });
    });
    true
}

// Elsewhere the app keeps its own tray.
#[cfg(not(target_os = "linux"))]
fn hand_over(_app: &AppHandle) -> bool {
    false
}
