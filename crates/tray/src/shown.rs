//! What the trays and the window show of the servers and the hubs, at the precision they show
//! it: a change finer than that is not one, and publishing it would only redraw the same thing
//! (rebuilding a tray menu closes it under the pointer).

use std::path::Path;

use darwinix_core::hub::{HubServer, HubState, HubStatus};
use darwinix_core::jupyter::{ServerState, Status};

/// A server as shown: the window's uptime counts minutes and its memory has two or three digits
/// (the registry is read every few seconds and the exact numbers differ every time).
#[derive(Debug, PartialEq, Eq)]
struct Server<'a> {
    id: &'a str,
    name: &'a str,
    dir: &'a Path,
    url: &'a str,
    host: Option<&'a str>,
    pid: u32,
    port: u16,
    state: ServerState,
    up_minutes: u64,
    memory: (u8, u64),
}

impl<'a> Server<'a> {
    fn of(s: &'a Status) -> Self {
        Self {
            id: &s.id,
            name: &s.name,
            dir: &s.dir,
            url: &s.url,
            host: s.host.as_deref(),
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

/// Whether `new` servers would be shown differently from `old`.
pub fn servers_differ(old: &[Status], new: &[Status]) -> bool {
    !old.iter().map(Server::of).eq(new.iter().map(Server::of))
}

/// A hub as shown: a change of anything else is not one.
#[derive(PartialEq, Eq)]
struct Hub<'a> {
    url: &'a str,
    state: HubState,
    servers: &'a [HubServer],
    problem: Option<&'a str>,
}

impl<'a> Hub<'a> {
    fn of(h: &'a HubStatus) -> Self {
        Self {
            url: &h.url,
            state: h.state,
            servers: &h.servers,
            problem: h.problem.as_deref(),
        }
    }
}

/// Whether `new` hubs would be shown differently from `old`.
pub fn hubs_differ(old: &[HubStatus], new: &[HubStatus]) -> bool {
    !old.iter().map(Hub::of).eq(new.iter().map(Hub::of))
}

#[cfg(test)]
mod tests {
    use super::*;
    use darwinix_core::hub::{HubServerState, TokenStorage};

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
        assert!(!servers_differ(&old, &[server(170, 88 * MIB + 4096)]));
        assert!(servers_differ(&old, &[server(180, 88 * MIB)]));
        assert!(servers_differ(&old, &[server(125, 89 * MIB)]));
    }

    #[test]
    fn servers_that_come_go_or_stop_answering_are_changes() {
        let old = [server(125, 88 * MIB)];
        assert!(servers_differ(&old, &[]));
        assert!(servers_differ(&[], &old));
        let mut stuck = server(125, 88 * MIB);
        stuck.state = ServerState::NotResponding;
        assert!(servers_differ(&old, &[stuck]));
    }

    #[test]
    fn memory_steps_follow_the_digits_the_window_shows() {
        assert_eq!(memory_step(5 * MIB), memory_step(5 * MIB + 50 * 1024));
        assert_ne!(memory_step(5 * MIB), memory_step(5 * MIB + 200 * 1024));
        assert_eq!(memory_step(2 << 30), memory_step((2 << 30) + 50 * MIB));
        assert_ne!(memory_step(2 << 30), memory_step((2 << 30) + 150 * MIB));
        assert!(memory_step(10 * MIB - 1) < memory_step(10 * MIB + MIB));
    }

    fn hub(state: HubState, servers: Vec<HubServer>) -> HubStatus {
        HubStatus {
            url: "https://hub.example.org/".into(),
            user: "ada".into(),
            storage: TokenStorage::System,
            kept_in: "the system keyring".into(),
            state,
            servers,
            problem: None,
            hint: None,
            error: None,
        }
    }

    fn hub_server(state: HubServerState) -> HubServer {
        HubServer {
            name: String::new(),
            state,
            url: "https://hub.example.org/user/ada/".into(),
        }
    }

    #[test]
    fn a_server_that_starts_or_a_hub_that_goes_away_is_a_change() {
        let before = [hub(
            HubState::Online,
            vec![hub_server(HubServerState::Stopped)],
        )];
        let same = [hub(
            HubState::Online,
            vec![hub_server(HubServerState::Stopped)],
        )];
        assert!(!hubs_differ(&before, &same));
        let started = [hub(
            HubState::Online,
            vec![hub_server(HubServerState::Ready)],
        )];
        assert!(hubs_differ(&before, &started));
        let gone = [hub(HubState::Unreachable, vec![])];
        assert!(hubs_differ(&before, &gone));
    }
}
