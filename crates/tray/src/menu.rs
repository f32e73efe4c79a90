//! What the tray menu shows, as plain data: the app's tray (Tauri's menus) and the light tray
//! (muda's, without Tauri) render the same entries, so both menus read the same.

use std::fmt;

use darwinix_core::hub::{HubServer, HubServerState, HubState, HubStatus};
use darwinix_core::jupyter::{ServerState, Status};

/// The tray icon's id in both trays: Linux's fallback icon is found by it
/// ("tray-icon tray app main").
pub const TRAY_ID: &str = "main";

/// What a menu item does; its id is this, written with `Display` and read back with `parse`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MenuId {
    /// "No notebook servers running" (disabled).
    NoServers,
    Open(String),
    Stop(String),
    /// A server on a JupyterHub: `URL#NAME` (the default server's name is empty).
    HubOpen(String),
    HubStop(String),
    StopAll,
    Show,
    Quit,
}

impl fmt::Display for MenuId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoServers => f.write_str("none"),
            Self::Open(server) => write!(f, "open:{server}"),
            Self::Stop(server) => write!(f, "stop:{server}"),
            Self::HubOpen(server) => write!(f, "hub-open:{server}"),
            Self::HubStop(server) => write!(f, "hub-stop:{server}"),
            Self::StopAll => f.write_str("stop-all"),
            Self::Show => f.write_str("show"),
            Self::Quit => f.write_str("quit"),
        }
    }
}

impl MenuId {
    pub fn parse(id: &str) -> Option<Self> {
        Some(match id {
            "none" => Self::NoServers,
            "stop-all" => Self::StopAll,
            "show" => Self::Show,
            "quit" => Self::Quit,
            _ => match id.split_once(':')? {
                ("open", server) => Self::Open(server.to_owned()),
                ("stop", server) => Self::Stop(server.to_owned()),
                ("hub-open", server) => Self::HubOpen(server.to_owned()),
                ("hub-stop", server) => Self::HubStop(server.to_owned()),
                _ => return None,
            },
        })
    }
}

/// One line of the menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Item {
        id: MenuId,
        text: String,
        enabled: bool,
    },
    /// A server: its title, with "Open in browser" and "Stop" inside.
    Server {
        title: String,
        open: MenuId,
        stop: MenuId,
    },
    Separator,
}

fn item(id: MenuId, text: &str, enabled: bool) -> Entry {
    Entry::Item {
        id,
        text: text.to_owned(),
        enabled,
    }
}

/// The menu for these servers and hubs: one entry per server, the hubs' running servers and
/// unreachable hubs, then Stop all, Show and Quit.
pub fn entries(servers: &[Status], hubs: &[HubStatus]) -> Vec<Entry> {
    let mut menu = Vec::new();
    if servers.is_empty() && running_on_hubs(hubs).next().is_none() {
        menu.push(item(
            MenuId::NoServers,
            "No notebook servers running",
            false,
        ));
    }
    for s in servers {
        menu.push(Entry::Server {
            title: server_title(s),
            open: MenuId::Open(s.id.clone()),
            stop: MenuId::Stop(s.id.clone()),
        });
    }
    for (h, s) in running_on_hubs(hubs) {
        let key = format!("{}#{}", h.url, s.name);
        menu.push(Entry::Server {
            title: hub_title(&h.url, &s.name, s.state),
            open: MenuId::HubOpen(key.clone()),
            stop: MenuId::HubStop(key),
        });
    }
    for h in hubs.iter().filter(|h| h.state != HubState::Online) {
        let text = format!("{} — not reachable", short_url(&h.url));
        menu.push(item(MenuId::NoServers, &text, false));
    }
    menu.push(Entry::Separator);
    menu.push(item(MenuId::StopAll, "Stop all", !servers.is_empty()));
    menu.push(item(MenuId::Show, "Show Darwinix", true));
    menu.push(item(MenuId::Quit, "Quit Darwinix", true));
    menu
}

/// The icon's tooltip: how many servers run.
pub fn tooltip(servers: &[Status], hubs: &[HubStatus]) -> String {
    match servers.len() + running_on_hubs(hubs).count() {
        0 => "Darwinix".to_owned(),
        1 => "Darwinix — 1 notebook server running".to_owned(),
        n => format!("Darwinix — {n} notebook servers running"),
    }
}

fn server_title(s: &Status) -> String {
    let name = match &s.host {
        Some(host) => format!("{} on {host}", s.name),
        None => s.name.clone(),
    };
    match s.state {
        ServerState::Running => format!("{name} — port {}", s.port),
        ServerState::NotResponding => format!("{name} — not responding"),
        ServerState::Disconnected => format!("{name} — reconnecting"),
    }
}

/// The hubs' servers that run or are starting, with their hub.
fn running_on_hubs(hubs: &[HubStatus]) -> impl Iterator<Item = (&HubStatus, &HubServer)> {
    hubs.iter().flat_map(|h| {
        h.servers
            .iter()
            .filter(|s| matches!(s.state, HubServerState::Ready | HubServerState::Starting))
            .map(move |s| (h, s))
    })
}

/// A hub's address as people write it: no scheme, no trailing slash.
fn short_url(url: &str) -> &str {
    let url = url.split_once("://").map_or(url, |(_, rest)| rest);
    url.trim_end_matches('/')
}

fn hub_title(url: &str, name: &str, state: HubServerState) -> String {
    let server = if name.is_empty() {
        "Default server"
    } else {
        name
    };
    let starting = if state == HubServerState::Starting {
        ", starting"
    } else {
        ""
    };
    format!("{server} on {} (JupyterHub{starting})", short_url(url))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn menu_ids_read_back_as_written() {
        for id in [
            MenuId::NoServers,
            MenuId::Open("darwinix-abc".into()),
            MenuId::Stop("darwinix-a:b".into()),
            MenuId::HubOpen("https://hub.example.org/#".into()),
            MenuId::HubStop("https://hub.example.org/jhub/#gpu-1".into()),
            MenuId::StopAll,
            MenuId::Show,
            MenuId::Quit,
        ] {
            assert_eq!(MenuId::parse(&id.to_string()), Some(id));
        }
    }

    #[test]
    fn unknown_menu_ids_are_none() {
        assert_eq!(MenuId::parse("open"), None);
        assert_eq!(MenuId::parse("close:darwinix-abc"), None);
        assert_eq!(MenuId::parse(""), None);
    }

    #[test]
    fn hub_servers_are_named_by_their_hub() {
        assert_eq!(
            hub_title("https://hub.example.org/jhub/", "", HubServerState::Ready),
            "Default server on hub.example.org/jhub (JupyterHub)"
        );
        assert_eq!(
            hub_title("http://127.0.0.1:8000/", "gpu", HubServerState::Starting),
            "gpu on 127.0.0.1:8000 (JupyterHub, starting)"
        );
    }

    fn status(name: &str, state: ServerState, host: Option<&str>) -> Status {
        Status {
            id: format!("darwinix-{name}"),
            name: name.into(),
            dir: format!("/home/ann/{name}").into(),
            url: "http://127.0.0.1:8888/".into(),
            pid: 42,
            port: 8888,
            uptime_secs: 0,
            memory_bytes: 0,
            state,
            spare: false,
            host: host.map(str::to_owned),
        }
    }

    fn texts(menu: &[Entry]) -> Vec<String> {
        menu.iter()
            .map(|e| match e {
                Entry::Item { text, enabled, .. } => {
                    format!("{text}{}", ["", " (off)"][usize::from(!enabled)])
                }
                Entry::Server { title, .. } => format!("[{title}]"),
                Entry::Separator => "—".into(),
            })
            .collect()
    }

    #[test]
    fn nothing_running_disables_stop_all() {
        assert_eq!(
            texts(&entries(&[], &[])),
            [
                "No notebook servers running (off)",
                "—",
                "Stop all (off)",
                "Show Darwinix",
                "Quit Darwinix"
            ]
        );
        assert_eq!(tooltip(&[], &[]), "Darwinix");
    }

    #[test]
    fn each_server_is_a_submenu_with_its_state() {
        let servers = [
            status("maths", ServerState::Running, None),
            status("gpu", ServerState::Disconnected, Some("lab.example.org")),
        ];
        assert_eq!(
            texts(&entries(&servers, &[])),
            [
                "[maths — port 8888]",
                "[gpu on lab.example.org — reconnecting]",
                "—",
                "Stop all",
                "Show Darwinix",
                "Quit Darwinix"
            ]
        );
        assert_eq!(
            tooltip(&servers, &[]),
            "Darwinix — 2 notebook servers running"
        );
    }
}
