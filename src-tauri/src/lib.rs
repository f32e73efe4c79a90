//! Darwinix's desktop app: a Tauri shell over darwinix-core. Commands are adapters
//! (commands.rs); the tray (tray.rs) and the window (window.rs) share one registry watcher
//! (servers.rs) with the CLI.

#[cfg(test)]
mod command_names;
mod commands;
mod ipc_error;
mod opener;
mod servers;
mod state;
mod tray;
mod window;

use std::sync::atomic::Ordering;

use darwinix_core::jupyter;
use darwinix_core::paths::AppPaths;
use darwinix_core::settings::{OnQuit, Settings};
use tauri::{AppHandle, Manager, RunEvent, WindowEvent};

use crate::state::AppState;

pub fn run() {
    let paths = match AppPaths::from_env() {
        Ok(paths) => paths,
        Err(err) => fail(&err.to_string()),
    };
    let app = tauri::Builder::default()
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
        .manage(AppState::with_launch_path(paths, launch_path()))
        .setup(|app| {
            // Queued behind the window's creation: the tray and the first registry poll are
            // not worth delaying the window people are waiting for.
            let handle = app.handle().clone();
            app.handle().run_on_main_thread(move || {
                if let Err(err) = tray::create(&handle) {
                    fail(&format!("Darwinix could not create its tray icon: {err}"));
                }
                servers::watch(handle);
            })?;
            Ok(())
        })
        .on_window_event(|window, event| {
            if window.label() == window::MAIN && matches!(event, WindowEvent::Destroyed) {
                window::closed(window.app_handle());
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::home,
            commands::open_project,
            commands::new_project,
            commands::start_notebook,
            commands::servers,
            commands::open_server,
            commands::server_link,
            commands::stop_server,
            commands::restart_server,
            commands::server_log,
            commands::doctor,
            commands::get_settings,
            commands::save_settings,
            commands::project_settings,
            commands::set_backend,
            commands::make_gpu_ready,
            commands::keep_ready,
            commands::notebooks,
            commands::open_path,
            commands::pending,
            commands::packages_found,
            commands::write_requirements,
            commands::set_ignore_pins,
        ])
        .build(tauri::generate_context!());
    let app = match app {
        Ok(app) => app,
        Err(err) => fail(&format!("Darwinix could not start: {err}")),
    };
    app.run(|app, event| match event {
        // Closing the last window is not quitting: the app lives on in the tray until Quit.
        RunEvent::ExitRequested {
            api, code: None, ..
        } if !app.state::<AppState>().quitting.load(Ordering::SeqCst) => api.prevent_exit(),
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

/// The notebook or folder the app was launched with (Linux and Windows pass it as an argument).
fn launch_path() -> Option<std::path::PathBuf> {
    let args: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let cwd = std::env::current_dir().unwrap_or_default();
    opener::path_argument(&args, &cwd)
}

/// Quit from the tray: stops the servers first unless the settings say to leave them running.
pub(crate) fn quit(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let state = app.state::<AppState>();
        state.quitting.store(true, Ordering::SeqCst);
        let on_quit = Settings::load(&state.paths)
            .map(|s| s.on_quit)
            .unwrap_or_default();
        if on_quit == OnQuit::StopServers {
            let _ = jupyter::stop_all(&state.paths).await;
        } else {
            // Servers kept ready for the instant start were never asked for: they always go.
            let _ = jupyter::spare::stop_spares(&state.paths, None).await;
        }
        app.exit(0);
    });
}

/// Before the window exists there is nowhere to show an error but the terminal.
#[allow(clippy::print_stderr)]
fn fail(message: &str) -> ! {
    eprintln!("{message}");
    std::process::exit(1)
}

#[cfg(test)]
mod tests {
    /// A command the capability does not grant fails at run time in the window only; catch it here.
    #[test]
    fn the_window_is_granted_every_command_and_nothing_else_of_ours() {
        let capability: serde_json::Value =
            serde_json::from_str(include_str!("../capabilities/main.json")).unwrap();
        let granted: Vec<&str> = capability["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p.as_str())
            .filter_map(|p| p.strip_prefix("allow-"))
            .collect();
        let mut expected: Vec<String> = crate::command_names::COMMANDS
            .iter()
            .map(|c| c.replace('_', "-"))
            .collect();
        expected.sort();
        let mut granted: Vec<String> = granted.iter().map(|s| s.to_string()).collect();
        granted.sort();
        assert_eq!(granted, expected);
    }
}
