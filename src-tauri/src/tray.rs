//! The tray icon and its menu. Every action is a menu item, because on Linux clicking the icon
//! itself raises no event (appindicator only shows the menu).

use std::fmt;
use std::sync::{Arc, Mutex};

use darwinix_core::hub::{self, HubServer, HubServerState, HubState, HubStatus};
use darwinix_core::jupyter::{self, Registry, ServerState, Status};
use darwinix_core::paths::AppPaths;
use darwinix_core::remote::{self, RemoteRegistry, SshAddress};
use darwinix_core::reporter::Silent;
use tauri::menu::{Menu, MenuEvent, MenuItem, PredefinedMenuItem, Submenu};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Runtime};

use crate::hubs::{self, HubList};
use crate::servers;
use crate::state::AppState;

const TRAY: &str = "main";

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

/// What the menu shows of a server: other changes (uptime, memory) leave it alone, since
/// rebuilding the menu closes it under the user's pointer.
#[derive(PartialEq, Eq)]
struct Shown {
    id: String,
    name: String,
    state: ServerState,
    port: u16,
}

impl Shown {
    fn of(servers: &[Status]) -> Vec<Self> {
        servers
            .iter()
            .map(|s| Self {
                id: s.id.clone(),
                name: s.name.clone(),
                state: s.state,
                port: s.port,
            })
            .collect()
    }
}

/// Creates the tray icon with an empty server list, then follows the registry watcher.
pub fn create(app: &AppHandle) -> tauri::Result<()> {
    let menu = menu(app, &[], &[])?;
    let mut builder = TrayIconBuilder::with_id(TRAY)
        .tooltip("Darwinix")
        .menu(&menu)
        .show_menu_on_left_click(true)
        .on_menu_event(on_menu);
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    builder.build(app)?;
    // The menu shows both lists; each watcher publishes its own.
    let both = Arc::new(Mutex::new((Vec::<Status>::new(), HubList::default())));
    let (handle, lists) = (app.clone(), both.clone());
    let mut shown = Vec::new();
    servers::follow(servers::subscribe(app), move |now| {
        let next = Shown::of(now);
        if next != shown {
            shown = next;
            let mut lists = lists.lock().unwrap_or_else(|e| e.into_inner());
            lists.0.clone_from(now);
            update(&handle, &lists.0, &lists.1);
        }
    });
    let handle = app.clone();
    servers::follow(hubs::subscribe(app), move |now| {
        let mut lists = both.lock().unwrap_or_else(|e| e.into_inner());
        lists.1 = now.clone();
        update(&handle, &lists.0, &lists.1);
    });
    Ok(())
}

/// Shows `servers` and the hubs' running servers in the menu.
fn update(app: &AppHandle, servers: &[Status], hubs: &[HubStatus]) {
    if let (Some(tray), Ok(menu)) = (app.tray_by_id(TRAY), menu(app, servers, hubs)) {
        let _ = tray.set_menu(Some(menu));
        let n = servers.len() + running_on_hubs(hubs).count();
        let _ = tray.set_tooltip(Some(match n {
            0 => "Darwinix".to_owned(),
            1 => "Darwinix — 1 notebook server running".to_owned(),
            n => format!("Darwinix — {n} notebook servers running"),
        }));
    }
}

fn item<R: Runtime>(
    app: &impl Manager<R>,
    id: MenuId,
    text: &str,
    enabled: bool,
) -> tauri::Result<MenuItem<R>> {
    MenuItem::with_id(app, id.to_string(), text, enabled, None::<&str>)
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

fn hub_items<R: Runtime>(
    app: &impl Manager<R>,
    menu: &Menu<R>,
    hubs: &[HubStatus],
) -> tauri::Result<()> {
    for (h, s) in running_on_hubs(hubs) {
        let key = format!("{}#{}", h.url, s.name);
        let title = hub_title(&h.url, &s.name, s.state);
        let open = item(app, MenuId::HubOpen(key.clone()), "Open in browser", true)?;
        let stop = item(app, MenuId::HubStop(key), "Stop", true)?;
        menu.append(&Submenu::with_items(app, title, true, &[&open, &stop])?)?;
    }
    for h in hubs.iter().filter(|h| h.state != HubState::Online) {
        let text = format!("{} — not reachable", short_url(&h.url));
        menu.append(&item(app, MenuId::NoServers, &text, false)?)?;
    }
    Ok(())
}

fn menu<R: Runtime>(
    app: &impl Manager<R>,
    servers: &[Status],
    hubs: &[HubStatus],
) -> tauri::Result<Menu<R>> {
    let menu = Menu::new(app)?;
    if servers.is_empty() && running_on_hubs(hubs).next().is_none() {
        menu.append(&item(
            app,
            MenuId::NoServers,
            "No notebook servers running",
            false,
        )?)?;
    }
    for s in servers {
        let name = match &s.host {
            Some(host) => format!("{} on {host}", s.name),
            None => s.name.clone(),
        };
        let title = match s.state {
            ServerState::Running => format!("{name} — port {}", s.port),
            ServerState::NotResponding => format!("{name} — not responding"),
            ServerState::Disconnected => format!("{name} — reconnecting"),
        };
        let open = item(app, MenuId::Open(s.id.clone()), "Open in browser", true)?;
        let stop = item(app, MenuId::Stop(s.id.clone()), "Stop", true)?;
        menu.append(&Submenu::with_items(app, title, true, &[&open, &stop])?)?;
    }
    hub_items(app, &menu, hubs)?;
    menu.append(&PredefinedMenuItem::separator(app)?)?;
    let any = !servers.is_empty();
    menu.append(&item(app, MenuId::StopAll, "Stop all", any)?)?;
    menu.append(&item(app, MenuId::Show, "Show Darwinix", true)?)?;
    menu.append(&item(app, MenuId::Quit, "Quit Darwinix", true)?)?;
    Ok(menu)
}

fn on_menu(app: &AppHandle, event: MenuEvent) {
    let Some(id) = MenuId::parse(event.id().as_ref()) else {
        return;
    };
    let app = app.clone();
    match id {
        MenuId::NoServers => {}
        MenuId::Show => crate::window::show(&app),
        MenuId::Quit => crate::quit::quit(app),
        MenuId::StopAll => {
            tauri::async_runtime::spawn(async move {
                let paths = app.state::<AppState>().paths.clone();
                let _ = jupyter::stop_all(&paths).await;
                let _ = remote::server::stop_all(&paths).await;
                servers::refresh(&app).await;
            });
        }
        MenuId::Open(server) => on_server(app, server, true),
        MenuId::Stop(server) => on_server(app, server, false),
        MenuId::HubOpen(key) => on_hub_server(app, key, true),
        MenuId::HubStop(key) => on_hub_server(app, key, false),
    }
}

/// Opens or stops a hub's server (`URL#NAME`), then asks the hubs again.
fn on_hub_server(app: AppHandle, key: String, open: bool) {
    tauri::async_runtime::spawn(async move {
        let Some((url, name)) = key.rsplit_once('#') else {
            return;
        };
        let paths = app.state::<AppState>().paths.clone();
        let server = (!name.is_empty()).then_some(name);
        if open {
            if let Ok(opening) = hub::open(&paths, url, server, &Silent).await {
                let _ = opening.settled().await;
            }
        } else {
            let _ = hub::stop(&paths, url, server, &Silent).await;
        }
        hubs::refresh(&app).await;
    });
}

/// Opens (`open`) or stops one server, then shows the result at once rather than at the
/// watcher's next poll.
fn on_server(app: AppHandle, server: String, open: bool) {
    tauri::async_runtime::spawn(async move {
        let paths = app.state::<AppState>().paths.clone();
        let Some(entry) = Registry::new(&paths).get(&server) else {
            if let Some(remote) = RemoteRegistry::new(&paths).by_id(&server) {
                on_remote(&app, &paths, &remote.address, open).await;
            }
            return;
        };
        if open {
            let opening = jupyter::open(&paths, &entry, None, &Silent).await;
            crate::opener::watch(&app, entry.dir.clone(), None, opening);
        } else {
            let _ = jupyter::stop(&paths, &entry).await;
        }
        servers::refresh(&app).await;
    });
}

async fn on_remote(app: &AppHandle, paths: &AppPaths, address: &SshAddress, open: bool) {
    if open {
        if let Ok(opening) = remote::server::open(paths, address, None, &Silent).await {
            crate::opener::watch(app, address.to_string().into(), None, opening);
        }
    } else {
        let _ = remote::server::stop(paths, address).await;
    }
    servers::refresh(app).await;
}

#[cfg(test)]
mod tests {
    use super::MenuId;

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
    fn hub_servers_are_named_by_their_hub() {
        use super::{hub_title, HubServerState};
        assert_eq!(
            hub_title("https://hub.example.org/jhub/", "", HubServerState::Ready),
            "Default server on hub.example.org/jhub (JupyterHub)"
        );
        assert_eq!(
            hub_title("http://127.0.0.1:8000/", "gpu", HubServerState::Starting),
            "gpu on 127.0.0.1:8000 (JupyterHub, starting)"
        );
    }

    #[test]
    fn unknown_menu_ids_are_none() {
        assert_eq!(MenuId::parse("open"), None);
        assert_eq!(MenuId::parse("close:darwinix-abc"), None);
        assert_eq!(MenuId::parse(""), None);
    }
}
