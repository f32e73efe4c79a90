//! The app's tray icon and its menu, drawn with Tauri's menus from the entries the light tray
//! draws too (`darwinix_tray::menu`). Every action is a menu item, because on Linux clicking
//! the icon itself raises no event (appindicator only shows the menu).

use darwinix_core::paths::AppPaths;
use darwinix_tray::actions::AskFirst;
use darwinix_tray::menu::{self, Entry, MenuId, TRAY_ID};
use darwinix_tray::watcher::{Lists, Watcher};
use tauri::menu::{Menu, MenuEvent, MenuItem, PredefinedMenuItem, Submenu};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Runtime};

use crate::server_commands::StopWhat;

/// Creates the tray icon with an empty server list; `Shown::update` shows the watcher's lists.
pub fn create(app: &AppHandle) -> tauri::Result<()> {
    let menu = render(app, &menu::entries(&[], &[]))?;
    let mut builder = TrayIconBuilder::with_id(TRAY_ID)
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

/// The menu's entries as last shown. It is rebuilt only when what it shows changed (not for
/// uptime or memory), since rebuilding closes it under the pointer.
#[derive(Default)]
pub struct Shown(Vec<Entry>);

impl Shown {
    /// Shows the servers and the hubs' running servers in the menu, if that changes what it
    /// shows.
    pub fn update(&mut self, app: &AppHandle, lists: &Lists) {
        let entries = menu::entries(&lists.servers, &lists.hubs);
        if entries == self.0 {
            return;
        }
        if let (Some(tray), Ok(menu)) = (app.tray_by_id(TRAY_ID), render(app, &entries)) {
            let _ = tray.set_menu(Some(menu));
            let _ = tray.set_tooltip(Some(menu::tooltip(&lists.servers, &lists.hubs)));
            self.0 = entries;
        }
    }
}

/// The menu's entries as Tauri's menu.
fn render<R: Runtime>(app: &impl Manager<R>, entries: &[Entry]) -> tauri::Result<Menu<R>> {
    let menu = Menu::new(app)?;
    let item = |id: &MenuId, text: &str, enabled: bool| {
        MenuItem::with_id(app, id.to_string(), text, enabled, None::<&str>)
    };
    for entry in entries {
        match entry {
            Entry::Item { id, text, enabled } => menu.append(&item(id, text, *enabled)?)?,
            Entry::Server { title, open, stop } => {
                let open = item(open, "Open in browser", true)?;
                let stop = item(stop, "Stop", true)?;
                menu.append(&Submenu::with_items(app, title, true, &[&open, &stop])?)?;
            }
            Entry::Separator => menu.append(&PredefinedMenuItem::separator(app)?)?,
        }
    }
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
        MenuId::Quit => crate::quit::quit_asking(app),
        id => {
            tauri::async_runtime::spawn(async move {
                let paths = app.state::<AppPaths>();
                if asked_first(&app, &paths, &id).await {
                    return;
                }
                if let Some(opened) = darwinix_tray::actions::run(&paths, &id).await {
                    crate::opener::watch(&app, opened.dir, None, opened.opening);
                }
                // Show the outcome at once rather than at the watcher's next read.
                let watcher = app.state::<Watcher>();
                watcher.refresh_servers().await;
                if matches!(id, MenuId::HubOpen(_) | MenuId::HubStop(_)) {
                    watcher.refresh_hubs().await;
                }
            });
        }
    }
}

/// Stop and Stop all while a cell still runs on a server of this computer: the window asks
/// first (its Stop anyway stops); `true` when it was asked.
async fn asked_first(app: &AppHandle, paths: &AppPaths, id: &MenuId) -> bool {
    match darwinix_tray::actions::ask_first(paths, id).await {
        Some((ask, notebooks)) => {
            crate::server_commands::ask(app, stop_what(ask), notebooks);
            true
        }
        None => false,
    }
}

/// The window's words for a stop the tray asks about.
pub fn stop_what(ask: AskFirst) -> StopWhat {
    match ask {
        AskFirst::Server(dir) => StopWhat::Server { dir },
        AskFirst::All => StopWhat::All,
        AskFirst::Quit => StopWhat::Quit,
    }
}

/// The light tray (Linux) handed a question over with the window's launch: asked now, if a
/// cell still runs.
pub fn ask_handed_over(app: &AppHandle, args: &[String]) {
    let Some(ask) = AskFirst::from_args(args) else {
        return;
    };
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let paths = app.state::<AppPaths>();
        let notebooks = ask.running(&paths).await;
        if !notebooks.is_empty() {
            crate::server_commands::ask(&app, stop_what(ask), notebooks);
        }
    });
}
