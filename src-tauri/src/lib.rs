//! Darwinix's desktop app: a Tauri shell over darwinix-core. Commands are adapters (the
//! `*commands.rs` files) that resolve what they act on once (target.rs); each part keeps its own
//! state, managed by Tauri (the paths, the registry watcher, the opener's inbox, quitting, the
//! updates). The tray (tray.rs) and the window (window.rs) are fed by one subscription (lists.rs)
//! to the registry watcher the light tray runs too. The command list is command_names.rs.

mod browser;
#[cfg(test)]
mod command_names;
#[cfg(test)]
mod command_names_tests;
mod commands;
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
mod target;
mod to_tray;
mod tray;
mod trust_commands;
pub mod updates;
mod window;

use darwinix_core::paths::AppPaths;
use darwinix_tray::inherited::Inherited;
use darwinix_tray::watcher::Watcher;
use tauri::{Builder, Manager, RunEvent, WindowEvent, Wry};

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
            // A second launch with a notebook (a double-click in the file manager) hands it over.
            match opener::path_argument(&argv, std::path::Path::new(&cwd)) {
                Some(path) => opener::request_open(app, path),
                None => window::show(app),
            }
        }))
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
        .manage(Quit::default())
        .manage(paths)
        .setup(|app| {
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

/// The app's commands: the same list as command_names.rs (its tests compare them).
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
        server_commands::restart_server,
        server_commands::server_log,
        commands::doctor,
        commands::get_settings,
        commands::save_settings,
        project_settings_commands::project_settings,
        project_settings_commands::set_backend,
        commands::make_gpu_ready,
        server_commands::keep_ready,
        commands::notebooks,
        commands::open_path,
        commands::pending,
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
        hub_commands::hubs,
        hub_commands::hub_add,
        hub_commands::hub_start,
        hub_commands::hub_stop,
        hub_commands::hub_open,
        hub_commands::hub_remove,
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

/// The notebook or folder the app was launched with (Linux and Windows pass it as an argument).
fn launch_path() -> Option<std::path::PathBuf> {
    let args: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let cwd = std::env::current_dir().unwrap_or_default();
    opener::path_argument(&args, &cwd)
}

/// Before the window exists there is nowhere to show an error but the terminal.
#[allow(clippy::print_stderr)]
fn fail(message: &str) -> ! {
    eprintln!("{message}");
    std::process::exit(1)
}
