//! The window's commands on projects: thin adapters from IPC to the engine. Each takes plain
//! data, resolves the `dir` it names once (see `target`), calls darwinix-core, and returns plain
//! data or an `IpcError` with the engine's fix. The server's commands are server_commands.rs.

use std::path::PathBuf;

use darwinix_core::doctor::{self, DoctorOptions, Report};
use darwinix_core::jupyter;
use darwinix_core::locale::{self, LanguageChoices};
use darwinix_core::paths::AppPaths;
use darwinix_core::project::gpu::GpuReady;
use darwinix_core::project::notebook::{self, NotebookView};
use darwinix_core::project::requirements::imports::{self, Found};
use darwinix_core::project::requirements::{self, Source};
use darwinix_core::project::{self, config, template, Project};
use darwinix_core::python::interpreter::DEFAULT_PROBE_TIMEOUT;
use darwinix_core::settings::Settings;
use darwinix_core::target::Target;
use serde::Serialize;
use tauri::State;

use crate::home::{self, Home, ProjectView};
use crate::ipc_error::{IpcError, IpcResult};
use crate::opener::{Inbox, Pending};
use crate::target;

/// The current project (the last one used, or the default project, created on first launch
/// with no questions asked) and the recent ones.
#[tauri::command]
pub async fn home(paths: State<'_, AppPaths>) -> IpcResult<Home> {
    home::home(&paths)
}

/// The project's notebooks, most recently changed first (a remote project's are listed in
/// JupyterLab).
#[tauri::command]
pub async fn notebooks(dir: PathBuf) -> IpcResult<Vec<NotebookView>> {
    let project = target::here(&dir, "The list of notebooks")?;
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
pub async fn open_path(paths: State<'_, AppPaths>, path: PathBuf) -> IpcResult<OpenTarget> {
    let (target, notebook) = Target::named(&path)?;
    Ok(OpenTarget {
        project: make_current(&paths, &target, vec![])?,
        notebook,
    })
}

/// What arrived while the window was not looking: a notebook to open, a browser that failed.
#[tauri::command]
pub async fn pending(inbox: State<'_, Inbox>) -> IpcResult<Pending> {
    Ok(inbox.take())
}

/// Makes `dir` the current project. Nothing is written into it: its packages come from its
/// own files, or from what its notebooks import (asked at Start Notebook). A remote one is not
/// checked: Start Notebook says what is wrong.
#[tauri::command]
pub async fn open_project(paths: State<'_, AppPaths>, dir: PathBuf) -> IpcResult<ProjectView> {
    make_current(&paths, &target::of(&dir)?, vec![])
}

fn make_current(paths: &AppPaths, target: &Target, added: Vec<PathBuf>) -> IpcResult<ProjectView> {
    target.remember(paths)?;
    Ok(ProjectView::of(target, added))
}

/// For a folder with no list of packages: what its notebooks import, to show before anything is
/// installed. `None` when the project has its own list.
#[tauri::command]
pub async fn packages_found(paths: State<'_, AppPaths>, dir: PathBuf) -> IpcResult<Option<Found>> {
    let project = target::here(&dir, "Finding the packages notebooks import")?;
    let picked = config::load(&paths, &project)?.source;
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
    let project = target::here(&dir, "Writing requirements.txt")?;
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
    paths: State<'_, AppPaths>,
    dir: PathBuf,
    template: String,
) -> IpcResult<ProjectView> {
    let template: template::Template = template.parse().map_err(IpcError::new)?;
    let created = template::create(&dir, template)?;
    let project = Project::open(&created.dir)?;
    if template == template::Template::Gpu {
        project::gpu::make_ready_here(&project).await?;
    }
    make_current(&paths, &Target::Here(project), created.written)
}

/// Adds PyTorch for this computer's GPU (or CPU wheels) to the project's requirements.
#[tauri::command]
pub async fn make_gpu_ready(dir: PathBuf) -> IpcResult<GpuReady> {
    let project = target::here(&dir, "Making a project GPU-ready")?;
    Ok(project::gpu::make_ready_here(&project).await?)
}

#[tauri::command]
pub async fn doctor(paths: State<'_, AppPaths>) -> IpcResult<Report> {
    let options = DoctorOptions {
        paths: paths.inner().clone(),
        probe_timeout: DEFAULT_PROBE_TIMEOUT,
    };
    Ok(doctor::run(&options).await)
}

#[tauri::command]
pub async fn get_settings(paths: State<'_, AppPaths>) -> IpcResult<Settings> {
    Ok(Settings::load(&paths)?)
}

/// Checks and saves the settings; the next start uses them.
#[tauri::command]
pub async fn save_settings(paths: State<'_, AppPaths>, settings: Settings) -> IpcResult<Settings> {
    jupyter::args::check(&settings.extra_args)?;
    settings.save(&paths)?;
    // A server kept ready was started with the old settings (or is no longer wanted); the
    // window asks for a new one.
    jupyter::spare::stop_spares(&paths, None).await?;
    Ok(settings)
}

/// Settings → Language: the choices, the one saved, this computer's language, and the one the
/// window's own words use (`effective`).
#[tauri::command]
pub async fn languages(paths: State<'_, AppPaths>) -> IpcResult<LanguageChoices> {
    let chosen = Settings::load(&paths)?.language;
    Ok(LanguageChoices::new(&chosen, &locale::preferred()))
}
