//! Keeps the tray and the window in step with the shared registry: servers started or stopped
//! from the CLI, or that died, show up within a few seconds. The watcher only publishes; the tray
//! and the window subscribe (`subscribe`), so it knows nothing of either.

use std::path::Path;

use darwinix_core::jupyter::{ServerState, Status};
use darwinix_tray::listing::{self, SERVERS_POLL};
use tauri::{AppHandle, Manager};
use tokio::sync::watch;

use crate::state::AppState;

/// The servers as last published; the watcher owns the sending side.
pub type Servers = watch::Receiver<Vec<Status>>;

pub fn channel() -> watch::Sender<Vec<Status>> {
    watch::channel(Vec::new()).0
}

/// A new subscriber to the server list; it sees the next change, not the current list.
pub fn subscribe(app: &AppHandle) -> Servers {
    app.state::<AppState>().servers.subscribe()
}

/// A server as the window shows it, at the precision it shows it: the window's uptime counts
/// minutes and its memory has two or three digits, so a change finer than that is not one
/// (the registry is read every 3 s and the exact numbers differ every time).
#[derive(Debug, PartialEq, Eq)]
struct Shown<'a> {
    id: &'a str,
    name: &'a str,
    dir: &'a Path,
    url: &'a str,
    pid: u32,
    port: u16,
    state: ServerState,
    up_minutes: u64,
    memory: (u8, u64),
}

impl<'a> Shown<'a> {
    fn of(s: &'a Status) -> Self {
        Self {
            id: &s.id,
            name: &s.name,
            dir: &s.dir,
            url: &s.url,
            pid: s.pid,
            port: s.port,
            state: s.state,
            up_minutes: s.uptime_secs / 60,
            memory: memory_step(s.memory_bytes),
        }
    }
}

/// Memory in the unit of the window's last shown digit (a tenth under ten, a whole one above,
/// as `bytes` in ui/src/format.ts writes it).
fn memory_step(bytes: u64) -> (u8, u64) {
    const MIB: u64 = 1 << 20;
    const GIB: u64 = 1 << 30;
    match bytes {
        b if b < 10 * MIB => (0, b / (MIB / 10)),
        b if b < GIB => (1, b / MIB),
        b if b < 10 * GIB => (2, b / (GIB / 10)),
        b => (3, b / GIB),
    }
}

/// Whether the window would show `new` differently from `old`.
fn differs(old: &[Status], new: &[Status]) -> bool {
    !old.iter().map(Shown::of).eq(new.iter().map(Shown::of))
}

/// Re-reads the registry and publishes the list when what the window shows of it changed.
/// Returns the servers people started (a server the instant start keeps ready is not shown
/// until Start Notebook claims it). Lost remote forwards (after sleep or a network change) are
/// made again in the background; the next poll shows the outcome.
pub async fn refresh(app: &AppHandle) -> Vec<Status> {
    let state = app.state::<AppState>();
    state.reap_inherited();
    let listing = listing::servers(&state.paths).await;
    for entry in listing.disconnected {
        let paths = state.paths.clone();
        tauri::async_runtime::spawn(async move { listing::reconnect(&paths, entry).await });
    }
    let servers = listing.servers;
    state.servers.send_if_modified(|shown| {
        let changed = differs(shown, &servers);
        if changed {
            shown.clone_from(&servers);
        }
        changed
    });
    servers
}

/// Polls for the app's whole life.
pub fn watch(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        loop {
            refresh(&app).await;
            tokio::time::sleep(SERVERS_POLL).await;
        }
    });
}

/// Calls `on_change` with every list published from now on, for the app's whole life (the
/// servers' list, or the hubs').
pub fn follow<T: Clone + Send + Sync + 'static>(
    mut published: watch::Receiver<T>,
    mut on_change: impl FnMut(&T) + Send + 'static,
) {
    tauri::async_runtime::spawn(async move {
        while published.changed().await.is_ok() {
            let now = published.borrow_and_update().clone();
            on_change(&now);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(uptime_secs: u64, memory_bytes: u64) -> Status {
        Status {
            id: "darwinix-abc".into(),
            name: "thesis".into(),
            dir: "/home/ada/thesis".into(),
            url: "http://127.0.0.1:41234/lab".into(),
            pid: 4242,
            port: 41234,
            uptime_secs,
            memory_bytes,
            state: ServerState::Running,
            spare: false,
            host: None,
        }
    }

    const MIB: u64 = 1 << 20;

    #[test]
    fn a_new_minute_of_uptime_or_a_megabyte_more_is_a_change() {
        let old = [server(125, 88 * MIB)];
        assert!(!differs(&old, &[server(170, 88 * MIB + 4096)]));
        assert!(differs(&old, &[server(180, 88 * MIB)]));
        assert!(differs(&old, &[server(125, 89 * MIB)]));
    }

    #[test]
    fn servers_that_come_go_or_stop_answering_are_changes() {
        let old = [server(125, 88 * MIB)];
        assert!(differs(&old, &[]));
        assert!(differs(&[], &old));
        let mut stuck = server(125, 88 * MIB);
        stuck.state = ServerState::NotResponding;
        assert!(differs(&old, &[stuck]));
    }

    #[test]
    fn memory_steps_follow_the_digits_the_window_shows() {
        assert_eq!(memory_step(5 * MIB), memory_step(5 * MIB + 50 * 1024));
        assert_ne!(memory_step(5 * MIB), memory_step(5 * MIB + 200 * 1024));
        assert_eq!(memory_step(2 << 30), memory_step((2 << 30) + 50 * MIB));
        assert_ne!(memory_step(2 << 30), memory_step((2 << 30) + 150 * MIB));
        assert!(memory_step(10 * MIB - 1) < memory_step(10 * MIB + MIB));
    }
}
