//! The app's one subscription to the registry watcher (`darwinix_tray::watcher`, the same one
//! the light tray runs): every change goes to the window and to the tray.

use darwinix_tray::watcher::{self, Watcher};
use tauri::{AppHandle, Manager};

use crate::{tray, window};

/// Starts the watcher and follows it, for the app's whole life.
pub fn follow(app: &AppHandle) {
    let watcher = app.state::<Watcher>();
    let lists = watcher.subscribe();
    let mut before = lists.borrow().clone();
    let (handle, mut menu) = (app.clone(), tray::Shown::default());
    tauri::async_runtime::spawn(watcher::follow(lists, move |now| {
        window::lists_changed(&handle, &before, now);
        menu.update(&handle, now);
        before = now.clone();
    }));
    let handle = app.clone();
    tauri::async_runtime::spawn(async move { handle.state::<Watcher>().run().await });
}
