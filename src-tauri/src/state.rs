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
    /// What the window has not taken yet (see `opener`).
    pub pending: Mutex<crate::opener::Pending>,
}

impl AppState {
    /// The state of an app launched with `path` (a notebook to open), if any.
    pub fn with_launch_path(paths: AppPaths, path: Option<std::path::PathBuf>) -> Self {
        let state = Self::new(paths);
        state.pending.lock().unwrap_or_else(|e| e.into_inner()).open = path;
        state
    }

    pub fn new(paths: AppPaths) -> Self {
        Self {
            paths,
            shown: Mutex::new(Vec::new()),
            quitting: AtomicBool::new(false),
            pending: Mutex::new(crate::opener::Pending::default()),
        }
    }
}
