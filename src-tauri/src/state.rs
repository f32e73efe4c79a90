//! What the app keeps between commands.

use std::sync::atomic::AtomicBool;
use std::sync::Mutex;

use darwinix_core::paths::AppPaths;

pub struct AppState {
    pub paths: AppPaths,
    /// The servers' identities as the tray last showed them (id, state, port), so the tray menu
    /// is only rebuilt when something changed.
    pub shown: Mutex<Vec<(String, String, u16)>>,
    /// Quit was chosen: the next exit request is let through.
    pub quitting: AtomicBool,
}

impl AppState {
    pub fn new(paths: AppPaths) -> Self {
        Self {
            paths,
            shown: Mutex::new(Vec::new()),
            quitting: AtomicBool::new(false),
        }
    }
}
