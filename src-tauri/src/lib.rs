//! Darwinix's desktop app: a Tauri shell over darwinix-core. Commands are adapters (the
//! `*commands.rs` files) that resolve what they act on once (target.rs); each part keeps its own
//! state, managed by Tauri (the paths, the registry watcher, the opener's inbox, quitting, the
//! updates). The tray (tray.rs) and the window (window.rs) are fed by one subscription (lists.rs)
//! to the registry watcher the light tray runs too. The command list is command_names.rs.
//! What reaches the app from outside (a notebook or a shared file double-clicked, a `darwinix://`
//! course link clicked) comes as a launch's arguments or, on macOS, as events: see `shell`.

mod browser;
#[cfg(test)]
mod command_names;
#[cfg(test)]
mod command_names_tests;
mod commands;
mod course_commands;
mod disk_commands;
mod home;
mod hub_commands;
mod ipc_error;
mod lists;
mod opener;
mod package_commands;
mod progress;
mod project_settings_commands;
mod quit;
mod remote_commands;
mod server_commands;
mod share_commands;
mod target;
mod to_tray;
mod tray;
mod trust_commands;
pub mod updates;
mod window;

use darwinix_core::paths::AppPaths;
use darwinix_tray::inherited::Inherited;
use darwinix_tray::watcher::Watcher;
use tauri::{AppHandle, Builder, Manager, RunEvent, WindowEvent, Wry};
use tauri_plugin_deep_link::DeepLinkExt;

use crate::course_commands::LinkInbox;
use crate::opener::Inbox;
use crate::quit::Quit;

pub fn run() {
    web_view_env();
    let paths = match AppPaths::from_env() {
        Ok(paths) => paths,
        Err(err) => fail(&err.to_string()),
    };
    let app = match with_commands(shell(paths)).build(tauri::generate_context!()) {
        Ok(app) => app,
        Err(err) => fail(&format!("Darwinix could not start: {err}")),
    };
    app.run(|app, event| match event {
        // Closing the last window is not quitting: the app lives on in the tray until Quit.
        RunEvent::ExitRequested {
            api, code: None, ..
        } if !app.state::<Quit>().chosen() => api.prevent_exit(),
        // macOS hands a double-clicked notebook over as an event, not as an argument.
        #[cfg(target_os = "macos")]
        RunEvent::Opened { urls } => {
            if let Some(path) = urls.iter().find_map(|u| u.to_file_path().ok()) {
                opener::request_open(app, path);
            }
        }
        _ => {}
    });
}

/// The app without its commands: plugins, each part's state, the tray and the window's life.
fn shell(paths: AppPaths) -> Builder<Wry> {
    Builder::default()
        // First, so a second launch hands over before anything else starts.
        .plugin(tauri_plugin_single_instance::init(|app, argv, cwd| {
            // A second launch hands over a course link (clicked on a web page), or a notebook
            // or shared project file (a double-click in the file manager).
            if let Some(link) = course_commands::link_argument(&argv) {
                course_commands::link_arrived(app, link);
                return;
            }
            match opener::path_argument(&argv, std::path::Path::new(&cwd)) {
                Some(path) => opener::request_open(app, path),
                None => window::show(app),
            }
        }))
        // `darwinix://` as the system knows it (tauri.conf.json); the window is not given the
        // plugin's own commands: links are read here and shown to it as offers.
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            None,
        ))
        .plugin(updates::plugin())
        .manage(updates::State::default())
        // The children the light tray handed over are noted before this program starts any.
        .manage(Watcher::new(paths.clone(), Inherited::capture()))
        .manage(Inbox::new(launch_path()))
        .manage(LinkInbox::default())
        .manage(Quit::default())
        .manage(server_commands::StopInbox::default())
        .manage(paths)
        .setup(|app| {
            follow_links(app.handle());
            tray::ask_handed_over(app.handle(), &launch_args());
            // Queued behind the window's creation: the tray and the first registry poll are
            // not worth delaying the window people are waiting for.
            let handle = app.handle().clone();
            app.handle().run_on_main_thread(move || {
                if let Err(err) = tray::create(&handle) {
                    fail(&format!("Darwinix could not create its tray icon: {err}"));
                }
                lists::follow(&handle);
                updates::watch(handle);
            })?;
            Ok(())
        })
        .on_window_event(|window, event| {
            if window.label() == window::MAIN && matches!(event, WindowEvent::Destroyed) {
                to_tray::closed(window.app_handle());
            }
        })
}

/// The app's commands: the same list as command_names.rs (its tests compare them). Related
/// commands may share a line: rustfmt would give each one its own, and the list would outgrow a
/// function's length.
#[rustfmt::skip]
fn with_commands(builder: Builder<Wry>) -> Builder<Wry> {
    builder.invoke_handler(tauri::generate_handler![
        commands::home,
        commands::open_project,
        commands::new_project,
        server_commands::start_notebook,
        server_commands::servers,
        server_commands::open_server,
        server_commands::server_link,
        server_commands::stop_server,
        server_commands::running_cells, server_commands::pending_stop, server_commands::stop_anyway,
        server_commands::restart_server,
        server_commands::server_log,
        commands::doctor,
        commands::get_settings,
        commands::save_settings, commands::languages,
        project_settings_commands::project_settings,
        project_settings_commands::set_backend,
        commands::make_gpu_ready,
        server_commands::keep_ready,
        commands::notebooks,
        commands::open_path,
        commands::pending,
        course_commands::pending_link, course_commands::course_place, course_commands::open_link,
        course_commands::course_of, course_commands::course_update, course_commands::course_start_over,
        share_commands::share_plan, share_commands::share_export, share_commands::open_shared,
        commands::packages_found,
        commands::write_requirements,
        project_settings_commands::set_ignore_pins,
        project_settings_commands::take_way_out,
        project_settings_commands::set_shared_jupyterlab,
        project_settings_commands::confirm_big_install,
        trust_commands::trust_folder,
        trust_commands::trusted_folders,
        trust_commands::forget_trust,
        project_settings_commands::set_source_file,
        project_settings_commands::set_python_version,
        package_commands::packages,
        package_commands::search_package,
        package_commands::change_packages,
        package_commands::freeze_versions,
        package_commands::restart_kernels,
        remote_commands::test_remote,
        hub_commands::hubs, hub_commands::hub_add, hub_commands::hub_start,
        hub_commands::hub_stop, hub_commands::hub_open, hub_commands::hub_remove,
        disk_commands::storage,
        disk_commands::free_uv_cache,
        disk_commands::remove_unused_runtimes,
        disk_commands::remove_venv,
        disk_commands::purge_preview,
        disk_commands::purge_data,
        disk_commands::quit_app,
        updates::commands::update_status,
        updates::commands::check_update,
        updates::commands::install_update,
        updates::commands::open_release_page,
    ])
}

/// Linux: WebKitGTK's accelerated compositing draws through OpenGL, which costs the web view
/// 80 MB more (with Mesa's software driver; a GPU's driver is no lighter) for a window of forms
/// and lists that needs none of it; it also is what leaves the window blank on some GPU
/// drivers. Set first thing, before any thread runs; the user's own setting wins, and the
/// browsers Darwinix opens do not get it (`DARWINIX_APP_ENV`).
#[cfg(target_os = "linux")]
fn web_view_env() {
    use darwinix_core::env_vars::{DARWINIX_APP_ENV, WEBKIT_DISABLE_COMPOSITING_MODE};
    if std::env::var_os(WEBKIT_DISABLE_COMPOSITING_MODE).is_none() {
        std::env::set_var(WEBKIT_DISABLE_COMPOSITING_MODE, "1");
        std::env::set_var(DARWINIX_APP_ENV, WEBKIT_DISABLE_COMPOSITING_MODE);
    }
}

// macOS and Windows: their web views (WKWebView, WebView2) have no such switch to set.
#[cfg(not(target_os = "linux"))]
fn web_view_env() {}

fn launch_args() -> Vec<String> {
    std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect()
}

/// The notebook, folder or shared file the app was launched with (Linux and Windows pass it as
/// an argument); not a course link, which is an argument too (`follow_links`).
fn launch_path() -> Option<std::path::PathBuf> {
    let args = launch_args();
    if course_commands::link_argument(&args).is_some() {
        return None;
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    opener::path_argument(&args, &cwd)
}

/// Course links for this (first) instance: the one it was launched with (Linux and Windows: an
/// argument, which the plugin reads too; macOS: an event, as later ones are there). A second
/// launch's link comes through the single-instance callback.
fn follow_links(app: &AppHandle) {
    let launched = app.deep_link().get_current().ok().flatten();
    let launched = launched
        .and_then(|urls| urls.first().map(|u| u.to_string()))
        .or_else(|| course_commands::link_argument(&launch_args()).map(String::from));
    if let Some(link) = launched {
        course_commands::link_arrived(app, &link);
    }
    #[cfg(target_os = "macos")]
    {
        let handle = app.clone();
        app.deep_link().on_open_url(move |event| {
            for url in event.urls() {
                course_commands::link_arrived(&handle, url.as_str());
            }
        });
    }
}

/// Before the window exists there is nowhere to show an error but the terminal.
#[allow(clippy::print_stderr)]
fn fail(message: &str) -> ! {
    eprintln!("{message}");
    std::process::exit(1)
}
