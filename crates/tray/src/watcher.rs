//! The one watcher of the registries, for both trays and the window: it reads the servers every
//! few seconds and asks the hubs every little while, and publishes the lists only when what is
//! shown of them changed. Servers started or stopped from the CLI, or that died, show up within
//! a few seconds. It only publishes: whoever shows the lists subscribes, and it knows none of them.

use std::sync::{Arc, Mutex};

use darwinix_core::hub::{self, HubStatus};
use darwinix_core::jupyter::Status;
use darwinix_core::paths::AppPaths;
use tokio::sync::watch;

use crate::inherited::Inherited;
use crate::listing::{self, HUBS_POLL, SERVERS_POLL};
use crate::shown::{hubs_differ, servers_differ};

/// What is published. Each list is replaced (a new `Arc`) only when what is shown of it
/// changed, so a subscriber tells which one did with `Arc::ptr_eq`.
#[derive(Clone, Default)]
pub struct Lists {
    /// The servers people started (not those kept ready for an instant start).
    pub servers: Arc<Vec<Status>>,
    /// Shared: a hub's status holds its error, which is not Clone.
    pub hubs: Arc<Vec<HubStatus>>,
}

pub struct Watcher {
    paths: AppPaths,
    lists: watch::Sender<Lists>,
    /// Reaped before every read, so that an inherited server that ended is not listed as alive.
    inherited: Mutex<Inherited>,
}

impl Watcher {
    pub fn new(paths: AppPaths, inherited: Inherited) -> Self {
        Self {
            paths,
            lists: watch::channel(Lists::default()).0,
            inherited: Mutex::new(inherited),
        }
    }

    /// A new subscriber; it sees the next change, not the current lists.
    pub fn subscribe(&self) -> watch::Receiver<Lists> {
        self.lists.subscribe()
    }

    /// Reads the registries now, publishes the servers when what is shown of them changed, and
    /// returns them. Lost remote forwards (after sleep or a network change) are made again in
    /// the background; a later read shows the outcome.
    pub async fn refresh_servers(&self) -> Vec<Status> {
        self.inherited
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .reap();
        let listing = listing::servers(&self.paths).await;
        for entry in listing.disconnected {
            let paths = self.paths.clone();
            tokio::spawn(async move { listing::reconnect(&paths, entry).await });
        }
        let servers = listing.servers;
        self.lists.send_if_modified(|lists| {
            let changed = servers_differ(&lists.servers, &servers);
            if changed {
                lists.servers = Arc::new(servers.clone());
            }
            changed
        });
        servers
    }

    /// Asks every hub now (one that does not answer is listed as unreachable and holds up
    /// nothing else) and publishes the answer when it changed what is shown.
    pub async fn refresh_hubs(&self) -> Arc<Vec<HubStatus>> {
        let hubs = Arc::new(hub::list(&self.paths).await.unwrap_or_default());
        self.lists.send_if_modified(|lists| {
            let changed = hubs_differ(&lists.hubs, &hubs);
            if changed {
                lists.hubs = hubs.clone();
            }
            changed
        });
        hubs
    }

    /// Reads the servers and asks the hubs, each at its own pace, for the program's whole life
    /// (a slow hub never delays the servers).
    pub async fn run(&self) {
        let servers = async {
            loop {
                self.refresh_servers().await;
                tokio::time::sleep(SERVERS_POLL).await;
            }
        };
        let hubs = async {
            loop {
                self.refresh_hubs().await;
                tokio::time::sleep(HUBS_POLL).await;
            }
        };
        tokio::join!(servers, hubs);
    }
}

/// Calls `on_change` with the lists every time they are published, until the watcher is gone;
/// the caller runs it on its own runtime.
pub async fn follow(mut lists: watch::Receiver<Lists>, mut on_change: impl FnMut(&Lists)) {
    while lists.changed().await.is_ok() {
        let now = lists.borrow_and_update().clone();
        on_change(&now);
    }
}
