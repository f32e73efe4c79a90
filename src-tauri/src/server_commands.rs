//! The window's commands on a project's JupyterLab: start, open, link, stop, restart, log, and
//! the one kept ready for an instant start. Each resolves its `dir` once (see `target`); the
//! target does the work here or on the remote computer.

use std::path::PathBuf;

use darwinix_core::jupyter::{self, ServerInfo, StartOptions, Status};
use darwinix_core::paths::AppPaths;
use darwinix_core::reporter::{SetupEvent, Silent};
use darwinix_core::settings::Settings;
use darwinix_tray::watcher::Watcher;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::browser::{self, USE_COPY_LINK};
use crate::ipc_error::IpcResult;
use crate::opener;
use crate::progress::forward;
use crate::target;

fn start_options(paths: &AppPaths, open_browser: bool) -> IpcResult<StartOptions> {
    let settings = Settings::load(paths)?;
    let mut options = StartOptions::from_settings(&settings, open_browser);
    // The window asks before a big install (its Install (3.5 GB) button says yes).
    options.setup.ask_before_big_install = true;
    Ok(options)
}

/// Prepares the project and starts (or reuses) its JupyterLab, then opens the browser; every
/// step and installer line goes to `on_event`.
#[tauri::command]
pub async fn start_notebook(
    app: AppHandle,
    paths: State<'_, AppPaths>,
    watcher: State<'_, Watcher>,
    dir: PathBuf,
    notebook: Option<String>,
    on_event: Channel<SetupEvent>,
) -> IpcResult<ServerInfo> {
    let target = target::of(&dir)?;
    let mut options = start_options(&paths, true)?;
    options.notebook = notebook.clone();
    let result = target.start(&paths, &options, &forward(on_event)).await;
    watcher.refresh_servers().await;
    let started = result?;
    if let Some(opening) = started.opening {
        opener::watch(&app, target.key(), notebook, opening);
    }
    Ok(started.server)
}

/// Every server of ours, including those started from the CLI or before a crash.
#[tauri::command]
pub async fn servers(watcher: State<'_, Watcher>) -> IpcResult<Vec<Status>> {
    Ok(watcher.refresh_servers().await)
}

/// Opens the server (or one of its notebooks) in the browser, logged in. A browser that
/// cannot be opened is an error here: the window asked, and waits for the answer.
#[tauri::command]
pub async fn open_server(
    paths: State<'_, AppPaths>,
    dir: PathBuf,
    notebook: Option<String>,
) -> IpcResult<()> {
    let target = target::named(&dir)?;
    let opening = target.open(&paths, notebook.as_deref(), &Silent).await?;
    browser::opened(opening.address.clone(), opening.settled(), USE_COPY_LINK).await
}

/// The address with its token, for "Copy link" (it logs whoever has it in: kept out of logs).
#[tauri::command]
pub async fn server_link(paths: State<'_, AppPaths>, dir: PathBuf) -> IpcResult<String> {
    Ok(target::named(&dir)?.link(&paths, None).await?)
}

#[tauri::command]
pub async fn stop_server(
    paths: State<'_, AppPaths>,
    watcher: State<'_, Watcher>,
    dir: PathBuf,
) -> IpcResult<()> {
    let result = target::named(&dir)?.stop(&paths).await;
    watcher.refresh_servers().await;
    result?;
    Ok(())
}

#[tauri::command]
pub async fn restart_server(
    paths: State<'_, AppPaths>,
    watcher: State<'_, Watcher>,
    dir: PathBuf,
    on_event: Channel<SetupEvent>,
) -> IpcResult<ServerInfo> {
    let target = target::of(&dir)?;
    let options = start_options(&paths, false)?;
    let result = target.restart(&paths, &options, &forward(on_event)).await;
    watcher.refresh_servers().await;
    Ok(result?.server)
}

/// The end of the project's JupyterLab log (kept after the server stops).
#[tauri::command]
pub async fn server_log(paths: State<'_, AppPaths>, dir: PathBuf) -> IpcResult<String> {
    Ok(target::named(&dir)?.log(&paths).await?)
}

/// The instant start: keeps the project's JupyterLab started, unseen, so Start Notebook only
/// opens the browser. Does nothing when it is off in Settings, or when the project needs setup
/// work (that happens only when asked). Says whether a server was started. A remote project's
/// server is refused: it is started only when asked, since it runs on someone's machine.
#[tauri::command]
pub async fn keep_ready(paths: State<'_, AppPaths>, dir: PathBuf) -> IpcResult<bool> {
    let project = target::here(&dir, "The instant start")?;
    let settings = Settings::load(&paths)?;
    if !settings.instant_start {
        jupyter::spare::stop_spares(&paths, None).await?;
        return Ok(false);
    }
    let options = StartOptions::from_settings(&settings, false);
    let started = jupyter::spare::keep_ready(&paths, &project, &options).await?;
    Ok(started.is_some())
}
