//! The window's commands: thin adapters from IPC to the engine. Each takes plain data, calls
//! darwinix-core, and returns plain data or an `IpcError` with the engine's fix.

use std::path::{Path, PathBuf};

use darwinix_core::doctor::{self, DoctorOptions, Report};
use darwinix_core::jupyter::{self, ServerInfo, StartOptions, Status};
use darwinix_core::project::gpu::GpuReady;
use darwinix_core::project::notebook::{self, NotebookView};
use darwinix_core::project::requirements::imports::{self, Found};
use darwinix_core::project::requirements::{self, Source};
use darwinix_core::project::{self, config, recent, template, Project};
use darwinix_core::python::interpreter::DEFAULT_PROBE_TIMEOUT;
use darwinix_core::reporter::{SetupEvent, Silent};
use darwinix_core::settings::Settings;
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::ipc_error::{IpcError, IpcResult};
use crate::opener::{self, Pending};
use crate::remote_commands;
use crate::servers;
use crate::state::AppState;

/// A project folder as the window shows it.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ProjectView {
    pub dir: PathBuf,
    pub name: String,
    /// Files Darwinix just wrote into the folder (only ever new ones).
    pub added: Vec<String>,
    /// The remote machine of a remote project (`user@host:port`); `None` here.
    pub host: Option<String>,
}

impl ProjectView {
    fn of(project: &Project, added: Vec<PathBuf>) -> Self {
        Self {
            dir: project.dir.clone(),
            name: project.name(),
            added: added
                .iter()
                .filter_map(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .collect(),
            host: None,
        }
    }

    /// A remembered project as the switcher lists it (a remote one by its address).
    fn remembered(dir: &Path) -> Self {
        match remote_commands::address(dir) {
            Some(Ok(address)) => Self::remote(&address),
            _ => Self::of(&Project::at(dir), vec![]),
        }
    }
}

/// A notebook opened lately, in any project.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct RecentNotebook {
    /// The file (absolute).
    pub file: PathBuf,
    /// Its name without `.ipynb`.
    pub name: String,
    /// The project's name, for people.
    pub project: String,
}

/// What the home screen needs.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Home {
    pub project: ProjectView,
    pub recent: Vec<ProjectView>,
    pub recent_notebooks: Vec<RecentNotebook>,
    pub default_dir: PathBuf,
}

fn recent_notebooks(state: &AppState) -> Vec<RecentNotebook> {
    recent::notebooks(&state.paths)
        .into_iter()
        .filter_map(|file| {
            let target = notebook::resolve(&file).ok()?;
            Some(RecentNotebook {
                name: file.file_stem()?.to_string_lossy().into_owned(),
                project: Project::at(&target.dir).name(),
                file,
            })
        })
        .collect()
}

/// The current project (the last one used, or the default project, created on first launch
/// with no questions asked) and the recent ones.
#[tauri::command]
pub async fn home(state: State<'_, AppState>) -> IpcResult<Home> {
    let paths = &state.paths;
    let current = recent::current(paths);
    if let Some(Some(Ok(address))) = current.as_deref().map(remote_commands::address) {
        return Ok(Home {
            project: ProjectView::remote(&address),
            recent: remembered(paths),
            recent_notebooks: recent_notebooks(&state),
            default_dir: paths.default_project.clone(),
        });
    }
    let (project, added) = match current {
        Some(dir) => (Project::open(&dir)?, vec![]),
        None => {
            let (project, created) = project::default_project(paths)?;
            let added = if created {
                vec![project.requirements()]
            } else {
                vec![]
            };
            (project, added)
        }
    };
    Ok(Home {
        project: ProjectView::of(&project, added),
        recent: remembered(paths),
        recent_notebooks: recent_notebooks(&state),
        default_dir: paths.default_project.clone(),
    })
}

fn remembered(paths: &darwinix_core::paths::AppPaths) -> Vec<ProjectView> {
    recent::load(paths)
        .iter()
        .map(|dir| ProjectView::remembered(dir))
        .collect()
}

/// The project's notebooks, most recently changed first (a remote project's are listed in
/// JupyterLab).
#[tauri::command]
pub async fn notebooks(dir: PathBuf) -> IpcResult<Vec<NotebookView>> {
    if remote_commands::address(&dir).is_some() {
        return Ok(vec![]);
    }
    let project = Project::open(&dir)?;
    tauri::async_runtime::spawn_blocking(move || notebook::list(&project.dir))
        .await
        .map_err(|e| IpcError::new(e.to_string()))
}

/// A folder or notebook to open: its project becomes current (as with Open folder…).
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct OpenTarget {
    pub project: ProjectView,
    /// The notebook, relative to the project; `None` for a folder.
    pub notebook: Option<String>,
}

/// Makes the project of `path` (a folder, or a notebook: its project folder) current.
#[tauri::command]
pub async fn open_path(state: State<'_, AppState>, path: PathBuf) -> IpcResult<OpenTarget> {
    let target = notebook::resolve(&path)?;
    let project = open_project(state, target.dir).await?;
    Ok(OpenTarget {
        project,
        notebook: target.notebook,
    })
}

/// What arrived while the window was not looking: a notebook to open, a browser that failed.
#[tauri::command]
pub async fn pending(state: State<'_, AppState>) -> IpcResult<Pending> {
    Ok(opener::take(&state))
}

/// Makes `dir` the current project. Nothing is written into it: its packages come from its
/// own files, or from what its notebooks import (asked at Start Notebook).
#[tauri::command]
pub async fn open_project(state: State<'_, AppState>, dir: PathBuf) -> IpcResult<ProjectView> {
    if let Some(address) = remote_commands::address(&dir) {
        return remote_commands::open(&state, &address?);
    }
    let project = Project::open(&dir)?;
    recent::touch(&state.paths, &project.dir)?;
    Ok(ProjectView::of(&project, vec![]))
}

/// For a folder with no list of packages: what its notebooks import, to show before anything is
/// installed. `None` when the project has its own list.
#[tauri::command]
pub async fn packages_found(state: State<'_, AppState>, dir: PathBuf) -> IpcResult<Option<Found>> {
    if remote_commands::address(&dir).is_some() {
        return Ok(None);
    }
    let project = Project::open(&dir)?;
    let picked = config::load(&state.paths, &project)?.source;
    tauri::async_runtime::spawn_blocking(move || {
        Ok(match Source::of(&project.dir, picked.as_deref())? {
            Some(_) => None,
            None => Some(imports::scan(&project.dir)),
        })
    })
    .await
    .map_err(|e| IpcError::new(e.to_string()))?
}

/// Writes the list the user confirmed (and perhaps edited) into a **new** `requirements.txt`.
#[tauri::command]
pub async fn write_requirements(dir: PathBuf, packages: Vec<String>) -> IpcResult<()> {
    let project = Project::open(&dir)?;
    let packages: Vec<String> = packages
        .iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    requirements::write_from_imports(&project.dir, &packages)?;
    Ok(())
}

/// Creates a project from a template (`default`, `minimal`, `ai` or `gpu`: PyTorch for this
/// computer's GPU) and makes it current.
#[tauri::command]
pub async fn new_project(
    state: State<'_, AppState>,
    dir: PathBuf,
    template: String,
) -> IpcResult<ProjectView> {
    let template: template::Template = template.parse().map_err(IpcError::new)?;
    let created = template::create(&dir, template)?;
    let project = Project::open(&created.dir)?;
    if template == template::Template::Gpu {
        project::gpu::make_ready_here(&project).await?;
    }
    recent::touch(&state.paths, &project.dir)?;
    Ok(ProjectView::of(&project, created.written))
}

/// Adds PyTorch for this computer's GPU (or CPU wheels) to the project's requirements.
#[tauri::command]
pub async fn make_gpu_ready(dir: PathBuf) -> IpcResult<GpuReady> {
    Ok(project::gpu::make_ready_here(&Project::open(&dir)?).await?)
}

fn start_options(state: &AppState, open_browser: bool) -> IpcResult<StartOptions> {
    let settings = Settings::load(&state.paths)?;
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
    state: State<'_, AppState>,
    dir: PathBuf,
    notebook: Option<String>,
    on_event: Channel<SetupEvent>,
) -> IpcResult<ServerInfo> {
    if let Some(address) = remote_commands::address(&dir) {
        return remote_commands::start(&app, &state, &address?, on_event).await;
    }
    let project = Project::open(&dir)?;
    recent::touch(&state.paths, &project.dir)?;
    let mut options = start_options(&state, true)?;
    options.notebook = notebook.clone();
    let result = jupyter::start(&state.paths, &project, &options, &forward(on_event)).await;
    servers::refresh(&app).await;
    let started = result?;
    if let Some(opening) = started.opening {
        opener::watch(&app, project.dir, notebook, opening);
    }
    Ok(started.server)
}

/// The engine's progress, sent to the window as it happens.
pub(crate) fn forward(channel: Channel<SetupEvent>) -> impl Fn(SetupEvent) + Send + Sync {
    move |event| {
        // The window may have been closed meanwhile; the work goes on regardless.
        let _ = channel.send(event);
    }
}

/// Every server of ours, including those started from the CLI or before a crash.
#[tauri::command]
pub async fn servers(app: AppHandle) -> IpcResult<Vec<Status>> {
    Ok(servers::refresh(&app).await)
}

/// The verified, answering server of the project in `dir` (found as the CLI finds it).
async fn running(state: &AppState, dir: &Path) -> IpcResult<jupyter::Entry> {
    Ok(jupyter::running_server_of(&state.paths, dir).await?)
}

/// Opens the server (or one of its notebooks) in the browser, logged in. A browser that
/// cannot be opened is an error here: the window asked, and waits for the answer.
#[tauri::command]
pub async fn open_server(
    state: State<'_, AppState>,
    dir: PathBuf,
    notebook: Option<String>,
) -> IpcResult<()> {
    if let Some(address) = remote_commands::address(&dir) {
        return remote_commands::open_browser(&state, &address?).await;
    }
    let entry = running(&state, &dir).await?;
    let opening = jupyter::open(&state.paths, &entry, notebook.as_deref(), &Silent).await;
    let address = opening.address.clone();
    opening.settled().await.map_err(|why| {
        IpcError::no_browser(
            &address,
            why,
            "use Copy link and paste it into your browser's address bar",
        )
    })
}

/// The address with its token, for "Copy link" (it logs whoever has it in: kept out of logs).
#[tauri::command]
pub async fn server_link(state: State<'_, AppState>, dir: PathBuf) -> IpcResult<String> {
    if let Some(address) = remote_commands::address(&dir) {
        return remote_commands::link(&state, &address?).await;
    }
    Ok(running(&state, &dir).await?.token_url())
}

#[tauri::command]
pub async fn stop_server(
    app: AppHandle,
    state: State<'_, AppState>,
    dir: PathBuf,
) -> IpcResult<()> {
    if let Some(address) = remote_commands::address(&dir) {
        return remote_commands::stop(&app, &state, &address?).await;
    }
    if let Some((entry, _)) = jupyter::server_of(&state.paths, &dir).await {
        jupyter::stop(&state.paths, &entry).await?;
    }
    servers::refresh(&app).await;
    Ok(())
}

#[tauri::command]
pub async fn restart_server(
    app: AppHandle,
    state: State<'_, AppState>,
    dir: PathBuf,
    on_event: Channel<SetupEvent>,
) -> IpcResult<ServerInfo> {
    if let Some(address) = remote_commands::address(&dir) {
        return remote_commands::restart(&app, &state, &address?, on_event).await;
    }
    let project = Project::open(&dir)?;
    let options = start_options(&state, false)?;
    let result = jupyter::restart(&state.paths, &project, &options, &forward(on_event)).await;
    servers::refresh(&app).await;
    Ok(result?.server)
}

/// The end of the project's JupyterLab log (kept after the server stops).
#[tauri::command]
pub async fn server_log(state: State<'_, AppState>, dir: PathBuf) -> IpcResult<String> {
    if let Some(address) = remote_commands::address(&dir) {
        return remote_commands::log(&state, &address?).await;
    }
    let log = jupyter::log_path(&state.paths, &Project::at(&dir));
    Ok(jupyter::tail(&log, 400))
}

#[tauri::command]
pub async fn doctor(state: State<'_, AppState>) -> IpcResult<Report> {
    let options = DoctorOptions {
        paths: state.paths.clone(),
        probe_timeout: DEFAULT_PROBE_TIMEOUT,
    };
    Ok(doctor::run(&options).await)
}

#[tauri::command]
pub async fn get_settings(state: State<'_, AppState>) -> IpcResult<Settings> {
    Ok(Settings::load(&state.paths)?)
}

/// Checks and saves the settings; the next start uses them.
#[tauri::command]
pub async fn save_settings(state: State<'_, AppState>, settings: Settings) -> IpcResult<Settings> {
    jupyter::args::check(&settings.extra_args)?;
    settings.save(&state.paths)?;
    // A server kept ready was started with the old settings (or is no longer wanted); the
    // window asks for a new one.
    jupyter::spare::stop_spares(&state.paths, None).await?;
    Ok(settings)
}

/// The instant start: keeps the project's JupyterLab started, unseen, so Start Notebook only
/// opens the browser. Does nothing when it is off in Settings, or when the project needs setup
/// work (that happens only when asked). Says whether a server was started.
#[tauri::command]
pub async fn keep_ready(state: State<'_, AppState>, dir: PathBuf) -> IpcResult<bool> {
    // A remote project's server is started when asked: it would run on someone's machine.
    if remote_commands::address(&dir).is_some() {
        return Ok(false);
    }
    let settings = Settings::load(&state.paths)?;
    if !settings.instant_start {
        jupyter::spare::stop_spares(&state.paths, None).await?;
        return Ok(false);
    }
    let project = Project::open(&dir)?;
    let options = StartOptions::from_settings(&settings, false);
    let started = jupyter::spare::keep_ready(&state.paths, &project, &options).await?;
    Ok(started.is_some())
}
