//! The light tray on GTK's thread: the icon and its menu, the single-instance name, the
//! notices, and the hand-over back to the app.

mod bus;
mod icon;
mod worker;

use std::cell::RefCell;
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use darwinix_core::paths::AppPaths;
use darwinix_tray::handoff::{self, AFTER_CLOSE, APP_PROGRAM};
use darwinix_tray::inherited::Inherited;
use darwinix_tray::menu::{self, Entry, MenuId, TRAY_ID};
use darwinix_tray::notice;
use gtk::prelude::*;
use tokio::sync::mpsc::UnboundedSender;
use tray_icon::menu::{Menu, MenuEvent, MenuItem, PredefinedMenuItem, Submenu};
use tray_icon::{TrayIcon, TrayIconBuilder};

use darwinix_tray::watcher::Lists;
use worker::{Job, Replies};

struct Tray {
    icon: TrayIcon,
    shown: Vec<Entry>,
    bus: Option<zbus::blocking::Connection>,
    jobs: UnboundedSender<Job>,
}

thread_local! {
    /// The tray, owned by GTK's thread (GTK objects never leave it).
    static TRAY: RefCell<Option<Tray>> = const { RefCell::new(None) };
}

/// Runs the light tray until Quit; the exit status.
#[allow(clippy::print_stderr)]
pub fn run() -> i32 {
    // Before anything of ours starts a child.
    let inherited = Inherited::capture();
    without_gl();
    let after_close = std::env::args_os().any(|a| a == AFTER_CLOSE);
    match start(inherited, after_close) {
        Ok(true) => {
            gtk::main();
            0
        }
        // Darwinix's window is open, and its tray with it.
        Ok(false) => 0,
        Err(err) => {
            eprintln!("Darwinix's tray could not start: {err}");
            1
        }
    }
}

/// The variable that keeps GTK from loading OpenGL: a tray draws nothing with it, and on X11
/// GTK would otherwise load the GL driver (with Mesa's software one, LLVM: 27 of 65 MB) only to
/// pick visuals. Set before any thread starts; taken back before the app takes over.
const NO_GL: (&str, &str) = ("GDK_GL", "disable");

static SET_NO_GL: AtomicBool = AtomicBool::new(false);

fn without_gl() {
    if std::env::var_os(NO_GL.0).is_none() {
        std::env::set_var(NO_GL.0, NO_GL.1);
        SET_NO_GL.store(true, Ordering::SeqCst);
    }
}

/// Shows the icon; `Ok(false)` when another Darwinix holds the single-instance name.
fn start(inherited: Inherited, after_close: bool) -> Result<bool, String> {
    let paths = AppPaths::from_env().map_err(|e| e.to_string())?;
    gtk::init().map_err(|e| e.to_string())?;
    // Without a session bus there is no second launch to answer; the tray still works.
    let bus = match bus::claim(hand_over) {
        Ok(None) => return Ok(false),
        Ok(Some(conn)) => Some(conn),
        Err(_) => None,
    };
    let replies = Replies {
        lists: show_lists,
        browser_failed,
        quit: gtk::main_quit,
        ask_in_window,
    };
    let jobs = worker::start(paths.clone(), inherited, replies).map_err(|e| e.to_string())?;
    let shown = menu::entries(&[], &[]);
    let icon = TrayIconBuilder::new()
        .with_id(TRAY_ID)
        .with_icon(icon::load()?)
        .with_tooltip(menu::tooltip(&[], &[]))
        .with_menu(Box::new(render(&shown).map_err(|e| e.to_string())?))
        .with_menu_on_left_click(true)
        .build()
        .map_err(|e| e.to_string())?;
    MenuEvent::set_event_handler(Some(|event: MenuEvent| {
        if let Some(id) = MenuId::parse(event.id().as_ref()) {
            on_item(id);
        }
    }));
    TRAY.with_borrow_mut(|tray| {
        *tray = Some(Tray {
            icon,
            shown,
            bus,
            jobs,
        })
    });
    if after_close && notice::due(&paths) {
        message(gtk::MessageType::Info, notice::TITLE, notice::TEXT);
    }
    Ok(true)
}

/// The menu's entries as muda's menu.
fn render(entries: &[Entry]) -> tray_icon::menu::Result<Menu> {
    let menu = Menu::new();
    for entry in entries {
        match entry {
            Entry::Item { id, text, enabled } => {
                menu.append(&MenuItem::with_id(id.to_string(), text, *enabled, None))?;
            }
            Entry::Server { title, open, stop } => {
                let open = MenuItem::with_id(open.to_string(), "Open in browser", true, None);
                let stop = MenuItem::with_id(stop.to_string(), "Stop", true, None);
                menu.append(&Submenu::with_items(title, true, &[&open, &stop])?)?;
            }
            Entry::Separator => menu.append(&PredefinedMenuItem::separator())?,
        }
    }
    Ok(menu)
}

/// Runs on GTK's thread (muda calls its handler from the menu's signal).
fn on_item(id: MenuId) {
    match id {
        MenuId::NoServers => {}
        MenuId::Show => hand_over((Vec::new(), String::new())),
        MenuId::Quit => send(Job::Quit),
        id => send(Job::Item(id)),
    }
}

/// A Stop, Stop all or Quit while a cell still runs: the window opens and asks.
fn ask_in_window(arg: String) {
    hand_over((vec![APP_PROGRAM.into(), arg], String::new()));
}

fn send(job: Job) {
    TRAY.with_borrow(|tray| {
        if let Some(tray) = tray {
            let _ = tray.jobs.send(job);
        }
    });
}

/// Shows the lists; the menu is rebuilt only when what it shows changed, since rebuilding it
/// closes it under the user's pointer.
fn show_lists(lists: Lists) {
    TRAY.with_borrow_mut(|tray| {
        let Some(tray) = tray else { return };
        let entries = menu::entries(&lists.servers, &lists.hubs);
        if entries != tray.shown {
            if let Ok(menu) = render(&entries) {
                tray.icon.set_menu(Some(Box::new(menu)));
                tray.shown = entries;
            }
        }
        let _ = tray
            .icon
            .set_tooltip(Some(menu::tooltip(&lists.servers, &lists.hubs)));
    });
}

fn browser_failed(project: String, why: String) {
    let text = format!(
        "Darwinix could not open a browser for {project}: {why}\n\n\
         Choose Show Darwinix in the tray menu: Running servers has the server's address to copy."
    );
    message(
        gtk::MessageType::Warning,
        "Darwinix could not open your browser",
        &text,
    );
}

/// A message with an OK button that Return presses; it closes itself.
fn message(kind: gtk::MessageType, title: &str, text: &str) {
    let dialog = gtk::MessageDialog::new(
        None::<&gtk::Window>,
        gtk::DialogFlags::empty(),
        kind,
        gtk::ButtonsType::Ok,
        text,
    );
    dialog.set_title(title);
    dialog.set_default_response(gtk::ResponseType::Ok);
    dialog.connect_response(|dialog, _| dialog.close());
    dialog.show_all();
}

/// Becomes the app again: for Show (no arguments) or a second launch (its arguments, run in
/// its folder, so a notebook it names opens). A moment later, so that a second launch's D-Bus
/// call gets its answer before this process changes program.
fn hand_over((argv, cwd): bus::Handover) {
    gtk::glib::timeout_add_local_once(Duration::from_millis(150), move || {
        let args: Vec<OsString> = argv.into_iter().skip(1).map(OsString::from).collect();
        let cwd = (!cwd.is_empty()).then(|| PathBuf::from(cwd));
        let err = match handoff::sibling(APP_PROGRAM) {
            Ok(app) => {
                TRAY.with_borrow(|tray| {
                    if let Some(bus) = tray.as_ref().and_then(|t| t.bus.as_ref()) {
                        bus::release(bus);
                    }
                });
                let unset: &[&str] = if SET_NO_GL.load(Ordering::SeqCst) {
                    &[NO_GL.0]
                } else {
                    &[]
                };
                handoff::exec(&app, &args, cwd.as_deref(), unset)
            }
            Err(err) => err,
        };
        let text =
            format!("Darwinix could not open its window: {err}. Reinstall Darwinix to repair it.");
        message(
            gtk::MessageType::Error,
            "Darwinix could not open its window",
            &text,
        );
    });
}
