//! The tray icon and its menu. Every action is a menu item, because on Linux clicking the icon
//! itself raises no event (appindicator only shows the menu).

use darwinix_core::jupyter::{self, Registry, ServerState, Status};
use darwinix_core::reporter::Silent;
use tauri::menu::{Menu, MenuEvent, MenuItem, PredefinedMenuItem, Submenu};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Runtime};

use crate::state::AppState;

const TRAY: &str = "main";

/// Creates the tray icon with an empty server list; `update` fills it in.
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
    Ok(())
}

/// Shows `servers` in the menu.
pub fn update(app: &AppHandle, servers: &[Status]) {
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

fn menu<R: Runtime>(app: &impl Manager<R>, servers: &[Status]) -> tauri::Result<Menu<R>> {
    let menu = Menu::new(app)?;
    if servers.is_empty() {
        menu.append(&MenuItem::with_id(
            app,
            "none",
            "No notebook servers running",
            false,
            None::<&str>,
        )?)?;
    }
    for s in servers {
        let title = match s.state {
            ServerState::Running => format!("{} — port {}", s.name, s.port),
            ServerState::NotResponding => format!("{} — not responding", s.name),
        };
        let open = MenuItem::with_id(
            app,
            format!("open:{}", s.id),
            "Open in browser",
            true,
            None::<&str>,
        )?;
        let stop = MenuItem::with_id(app, format!("stop:{}", s.id), "Stop", true, None::<&str>)?;
        menu.append(&Submenu::with_items(app, title, true, &[&open, &stop])?)?;
    }
    menu.append(&PredefinedMenuItem::separator(app)?)?;
    let any = !servers.is_empty();
    for (id, text, enabled) in [
        ("stop-all", "Stop all", any),
        ("show", "Show Darwinix", true),
        ("quit", "Quit Darwinix", true),
    ] {
        menu.append(&MenuItem::with_id(app, id, text, enabled, None::<&str>)?)?;
    }
    Ok(menu)
}

fn on_menu(app: &AppHandle, event: MenuEvent) {
    let id = event.id().as_ref().to_owned();
    let app = app.clone();
    match id.as_str() {
        "show" => crate::window::show(&app),
        "quit" => crate::quit(app),
        "stop-all" => {
            tauri::async_runtime::spawn(async move {
                let paths = app.state::<AppState>().paths.clone();
                let _ = jupyter::stop_all(&paths).await;
                crate::servers::refresh(&app).await;
            });
        }
        _ => {
            let Some((action, server)) = id.split_once(':') else {
                return;
            };
            let (action, server) = (action.to_owned(), server.to_owned());
            tauri::async_runtime::spawn(async move {
                let paths = app.state::<AppState>().paths.clone();
                let Some(entry) = Registry::new(&paths).get(&server) else {
                    return;
                };
                match action.as_str() {
                    "open" => {
                        let opening = jupyter::open(&paths, &entry, None, &Silent).await;
                        crate::opener::watch(&app, entry.dir.clone(), None, opening);
                    }
                    "stop" => {
                        let _ = jupyter::stop(&paths, &entry).await;
                    }
                    _ => {}
                }
                crate::servers::refresh(&app).await;
            });
        }
    }
}
