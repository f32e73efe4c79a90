//! The servers both trays list: this computer's (not the ones kept ready for an instant start)
//! and remote projects', whose broken forwards are made again in the background.

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::time::Duration;

use darwinix_core::jupyter::{self, ServerState, Status};
use darwinix_core::paths::AppPaths;
use darwinix_core::remote::{self, RemoteEntry};

/// How often the registry is read.
pub const SERVERS_POLL: Duration = Duration::from_secs(3);
/// How often the hubs are asked: each asks a server on the network.
pub const HUBS_POLL: Duration = Duration::from_secs(20);

/// The servers to show, and the remote ones whose connection dropped.
pub struct Listing {
    pub servers: Vec<Status>,
    pub disconnected: Vec<RemoteEntry>,
}

/// Reads the registries once.
pub async fn servers(paths: &AppPaths) -> Listing {
    let (local, remote) = tokio::join!(jupyter::list(paths), remote::server::list(paths));
    let mut servers: Vec<Status> = local
        .into_iter()
        .map(|(_, status)| status)
        .filter(|s| !s.spare)
        .collect();
    let mut disconnected = Vec::new();
    for (entry, status) in remote {
        if status.state == ServerState::Disconnected {
            disconnected.push(entry);
        }
        servers.push(status);
    }
    Listing {
        servers,
        disconnected,
    }
}

/// Makes a remote project's forward again, unless that is already being tried: a reconnect
/// can take longer than a poll.
pub async fn reconnect(paths: &AppPaths, entry: RemoteEntry) {
    static TRYING: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());
    let key = entry.address.to_string();
    if !TRYING
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key.clone())
    {
        return;
    }
    let _ = remote::server::reconnect(paths, entry).await;
    TRYING
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .remove(&key);
}
