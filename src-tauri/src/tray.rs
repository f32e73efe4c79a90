//! The app's tray icon and its menu, drawn with Tauri's menus from the entries the light tray
//! draws too (`darwinix_tray::menu`). Every action is a menu item, because on Linux clicking
//! the icon itself raises no event (appindicator only shows the menu).

use std::sync::{Arc, Mutex};

use darwinix_core::jupyter::Status;
use darwinix_tray::menu::{self, Entry, MenuId, TRAY_ID};
use tauri::menu::{Menu, MenuEvent, MenuItem, PredefinedMenuItem, Submenu};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Runtime};

use crate::hubs::{self, HubList};
use crate::servers;
use crate::state::AppState;

/// Creates the tray icon with an empty server list, then follows the registry watcher.
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
    // The menu shows both lists; each watcher publishes its own. It is rebuilt only when what it
    // shows changed (not for uptime or memory), since rebuilding closes it under the pointer.
    let both = Arc::new(Mutex::new((
        Vec::<Status>::new(),
        HubList::default(),
        Vec::new(),
    )));
    let (handle, lists) = (app.clone(), both.clone());
    servers::follow(servers::subscribe(app), move |now| {
        let mut lists = lists.lock().unwrap_or_else(|e| e.into_inner());
        lists.0.clone_from(now);
        update(&handle, &mut lists);
    });
    let handle = app.clone();
    servers::follow(hubs::subscribe(app), move |now| {
        let mut lists = both.lock().unwrap_or_else(|e| e.into_inner());
        lists.1 = now.clone();
        update(&handle, &mut lists);
    });
    Ok(())
}

/// Shows the servers and the hubs' running servers in the menu, if that changes what it shows.
fn update(app: &AppHandle, (servers, hubs, shown): &mut (Vec<Status>, HubList, Vec<Entry>)) {
    let entries = menu::entries(servers, hubs);
    if entries == *shown {
        return;
    }
    if let (Some(tray), Ok(menu)) = (app.tray_by_id(TRAY_ID), render(app, &entries)) {
        let _ = tray.set_menu(Some(menu));
        let _ = tray.set_tooltip(Some(menu::tooltip(servers, hubs)));
        *shown = entries;
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
        MenuId::Quit => crate::quit::quit(app),
        id => {
            tauri::async_runtime::spawn(async move {
                let paths = app.state::<AppState>().paths.clone();
                if let Some(opened) = darwinix_tray::actions::run(&paths, &id).await {
                    crate::opener::watch(&app, opened.dir, None, opened.opening);
                }
                // Show the outcome at once rather than at the watchers' next poll.
                servers::refresh(&app).await;
                if matches!(id, MenuId::HubOpen(_) | MenuId::HubStop(_)) {
                    hubs::refresh(&app).await;
                }
            });
        }
    }
}
