//! The window's commands on a project's JupyterLab: start, open, link, stop, restart, log, and
//! the one kept ready for an instant start. Each resolves its `dir` once (see `target`); the
//! target does the work here or on the remote computer.
//!
//! Before a stop the window asks whether a cell still runs (`running_cells`) and, if one does,
//! asks the user before it calls `stop_server`. Stops that begin here (the tray's Stop and Stop
//! all, its Quit, an update's restart) ask through the window instead: the question is kept
//! (`StopInbox`), the window is shown and told (`stop-asked`), it takes the question with
//! `pending_stop`, and its Stop anyway calls `stop_anyway`.

use std::path::PathBuf;
use std::sync::Mutex;

use darwinix_core::jupyter::{self, busy, ServerInfo, StartOptions, Status};
use darwinix_core::paths::AppPaths;
use darwinix_core::reporter::{SetupEvent, Silent};
use darwinix_core::settings::Settings;
use darwinix_tray::watcher::Watcher;
use serde::{Deserialize, Serialize};
use tauri::ipc::Channel;
use tauri::{AppHandle, Emitter, Manager, State};

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

/// The window listens for this (no payload): a stop waits for its answer (`pending_stop`).
pub const STOP_ASKED: &str = "stop-asked";

/// The notebooks still running a cell, and the question's first sentence.
#[derive(Debug, Clone, Default, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct RunningCells {
    /// As the server names them (`analysis.ipynb`, `week 2/b.ipynb`), or `a notebook`, `a
    /// console`; with their project (`… in Thesis`) when they are on several servers.
    pub notebooks: Vec<String>,
    /// "analysis.ipynb is still running a cell." (empty when none is).
    pub said: String,
}

impl RunningCells {
    fn of(notebooks: Vec<String>) -> Self {
        let said = busy::said(&notebooks);
        Self { notebooks, said }
    }
}

/// A stop that began outside the window and waits for the user's Stop anyway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum StopWhat {
    /// The tray's Stop of one server (`dir` as the window's cards name it).
    Server { dir: PathBuf },
    /// The tray's Stop all: every server, here and remote.
    All,
    /// The tray's Quit, with Settings saying that quitting stops the servers.
    Quit,
    /// Install and restart, with the servers stopped.
    Update,
}

/// The question the window asks before such a stop.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct StopAsked {
    pub what: StopWhat,
    pub running: RunningCells,
}

/// The question the window has not taken yet (a window built to ask it takes it when it loads).
#[derive(Default)]
pub struct StopInbox(Mutex<Option<StopAsked>>);

impl StopInbox {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<StopAsked>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Asks the window before `what`, since `notebooks` still run cells: the question kept, the
/// window shown (built again when it was closed) and told.
pub fn ask(app: &AppHandle, what: StopWhat, notebooks: Vec<String>) {
    let running = RunningCells::of(notebooks);
    *app.state::<StopInbox>().lock() = Some(StopAsked { what, running });
    let handle = app.clone();
    // Windows are made on the main thread; the event follows, for a window already there.
    let _ = app.run_on_main_thread(move || {
        crate::window::show(&handle);
        let _ = handle.emit(STOP_ASKED, ());
    });
}

/// The notebooks still running a cell on the server of `dir`, or on every server of this
/// computer when `dir` is `None` (a remote project's Darwinix asks there; none here).
#[tauri::command]
pub async fn running_cells(
    paths: State<'_, AppPaths>,
    dir: Option<PathBuf>,
) -> IpcResult<RunningCells> {
    let notebooks = match dir {
        None => busy::in_all(&paths).await,
        Some(dir) => match target::named(&dir)? {
            darwinix_core::target::Target::Here(project) => {
                busy::in_project(&paths, &project.dir).await
            }
            darwinix_core::target::Target::Remote(_) => Vec::new(),
        },
    };
    Ok(RunningCells::of(notebooks))
}

/// The stop waiting for the user's answer, if any (taken once).
#[tauri::command]
pub fn pending_stop(inbox: State<'_, StopInbox>) -> Option<StopAsked> {
    inbox.lock().take()
}

/// Stop anyway: does the stop the question was about, without asking again.
#[tauri::command]
pub async fn stop_anyway(
    app: AppHandle,
    paths: State<'_, AppPaths>,
    watcher: State<'_, Watcher>,
    what: StopWhat,
) -> IpcResult<()> {
    let result = match what {
        StopWhat::Server { dir } => target::named(&dir)?.stop(&paths).await.map(|_| ()),
        StopWhat::All => darwinix_core::target::stop_all(&paths).await.map(|_| ()),
        StopWhat::Quit => {
            crate::quit::quit(app);
            return Ok(());
        }
        StopWhat::Update => {
            let quit = app.state::<crate::quit::Quit>();
            let servers = crate::updates::ServersOnUpdate::Stop;
            return crate::updates::commands::install_and_restart(&app, &paths, &quit, servers)
                .await;
        }
    };
    watcher.refresh_servers().await;
    Ok(result?)
}
