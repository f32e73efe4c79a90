//! The tray icon and its menu. Every action is a menu item, because on Linux clicking the icon
//! itself raises no event (appindicator only shows the menu).

use std::fmt;

use darwinix_core::jupyter::{self, Registry, ServerState, Status};
use darwinix_core::paths::AppPaths;
use darwinix_core::remote::{self, RemoteRegistry, SshAddress};
use darwinix_core::reporter::Silent;
use tauri::menu::{Menu, MenuEvent, MenuItem, PredefinedMenuItem, Submenu};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Runtime};

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
    let menu = menu(app, &[])?;
    let mut builder = TrayIconBuilder::with_id(TRAY)
        .tooltip("Darwinix")
        .menu(&menu)
        .show_menu_on_left_click(true)
        .on_menu_event(on_menu);
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    builder.build(app)?;
    let handle = app.clone();
    let mut shown = Vec::new();
    servers::follow(servers::subscribe(app), move |now| {
        let next = Shown::of(now);
        if next != shown {
            shown = next;
            update(&handle, now);
        }
    });
    Ok(())
}

/// Shows `servers` in the menu.
fn update(app: &AppHandle, servers: &[Status]) {
    if let (Some(tray), Ok(menu)) = (app.tray_by_id(TRAY), menu(app, servers)) {
        let _ = tray.set_menu(Some(menu));
        let n = servers.len();
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

fn menu<R: Runtime>(app: &impl Manager<R>, servers: &[Status]) -> tauri::Result<Menu<R>> {
    let menu = Menu::new(app)?;
    if servers.is_empty() {
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
    }
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
}
