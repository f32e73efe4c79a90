//! What the app keeps between commands.

use std::sync::atomic::AtomicBool;
use std::sync::Mutex;

use darwinix_core::jupyter::Status;
use darwinix_core::paths::AppPaths;
use tokio::sync::watch;

pub struct AppState {
    pub paths: AppPaths,
    /// The servers as the registry watcher last published them (see `servers`); the tray and
    /// the window subscribe.
    pub servers: watch::Sender<Vec<Status>>,
    /// The user's JupyterHubs as last asked (see `hubs`).
    pub hubs: watch::Sender<crate::hubs::HubList>,
    /// Quit was chosen: the next exit request is let through.
    pub quitting: AtomicBool,
    /// Darwinix's data was removed (Settings → Storage): Quit removes what stopping the servers
    /// and the background watchers wrote since, so nothing of Darwinix's is left.
    pub purged: AtomicBool,
    /// What the window has not taken yet (see `opener`).
    pub pending: Mutex<crate::opener::Pending>,
    /// The children this program found when it started: the light tray's, when it handed over.
    #[cfg(target_os = "linux")]
    inherited: Mutex<darwinix_tray::inherited::Inherited>,
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
            servers: crate::servers::channel(),
            hubs: crate::hubs::channel(),
            quitting: AtomicBool::new(false),
            purged: AtomicBool::new(false),
            pending: Mutex::new(crate::opener::Pending::default()),
            #[cfg(target_os = "linux")]
            inherited: Mutex::new(darwinix_tray::inherited::Inherited::capture()),
        }
    }

    /// Collects the inherited children that ended (see `darwinix_tray::inherited`).
    // Linux only: only there does the app take over a process (from the light tray).
    #[cfg(target_os = "linux")]
    pub fn reap_inherited(&self) {
        self.inherited
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .reap();
    }

    // Elsewhere the app is always its own process: nothing is inherited.
    #[cfg(not(target_os = "linux"))]
    pub fn reap_inherited(&self) {}
}
