//! Quitting for real (closing the window is not quitting: the app lives on in the tray).

use std::sync::atomic::{AtomicBool, Ordering};

use darwinix_core::paths::AppPaths;
use tauri::{AppHandle, Manager};

use crate::server_commands::StopWhat;
use darwinix_tray::menu::MenuId;

/// Quitting's state.
#[derive(Default)]
pub struct Quit {
    /// Quit was chosen (or an update restarts the app): the next exit request is let through.
    chosen: AtomicBool,
    /// Darwinix's data was removed (Settings → Storage): Quit removes what stopping the servers
    /// and the background watchers wrote since, so nothing of Darwinix's is left.
    purged: AtomicBool,
}

impl Quit {
    pub fn chosen(&self) -> bool {
        self.chosen.load(Ordering::SeqCst)
    }

    /// Lets the next exit request through.
    pub fn choose(&self) {
        self.chosen.store(true, Ordering::SeqCst);
    }

    /// Darwinix's data was removed: Quit removes it again.
    pub fn after_purge(&self) {
        self.purged.store(true, Ordering::SeqCst);
    }
}

/// The tray's Quit: when quitting stops the servers (Settings) and a cell still runs, the
/// window asks first (its Stop anyway quits); otherwise [`quit`] at once.
pub fn quit_asking(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let paths = app.state::<AppPaths>();
        let asked = darwinix_tray::actions::ask_first(&paths, &MenuId::Quit).await;
        if let Some((_, notebooks)) = asked {
            crate::server_commands::ask(&app, StopWhat::Quit, notebooks);
            return;
        }
        quit(app.clone());
    });
}

/// Quit (the tray's, once asked, and the window's): stops the servers first unless the
/// settings say to leave them running.
pub fn quit(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let quit = app.state::<Quit>();
        let paths = app.state::<AppPaths>();
        quit.choose();
        darwinix_tray::actions::quit(&paths).await;
        if quit.purged.load(Ordering::SeqCst) {
            // Stopping the servers (their locks and logs) and the watchers' last polls may
            // have made the folders again since the purge.
            for root in paths.roots() {
                let _ = std::fs::remove_dir_all(root);
            }
        }
        app.exit(0);
    });
}
