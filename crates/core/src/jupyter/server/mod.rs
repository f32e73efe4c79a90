//! The server lifecycle: start (a launch plan, one readiness strategy per place, a guard that
//! undoes a failed start), verify, stop. Every decision to signal a process is preceded by
//! verification (`verify`).

mod launch;
mod log_tail;
mod options;
mod plan;
mod port;
mod ready;
mod stop;
mod verify;
mod waits;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use serde::{Deserialize, Serialize};

use self::launch::launch;
pub use self::log_tail::{log_path, tail};
pub use self::options::StartOptions;
pub use self::stop::{stop, stop_all};
pub use self::verify::{find, list, running_server_of, server_of, ServerState, Status};
use super::opening::{self, Opening};
use super::registry::{Entry, Registry};
use crate::error::{Error, Result};
use crate::install;
use crate::paths::AppPaths;
use crate::project::backend;
use crate::project::Project;
use crate::reporter::Reporter;

/// A started (or already running) server, without its token: safe to print and log (and read
/// back: a remote project's Darwinix prints it for this computer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ServerInfo {
    pub dir: PathBuf,
    pub url: String,
    pub port: u16,
    pub pid: u32,
    #[ts(type = "number")]
    pub started_at: u64,
    pub log: PathBuf,
    /// It was already running; nothing new was started.
    pub reused: bool,
    /// The notebook asked for, on this server (without the token).
    pub notebook_url: Option<String>,
    /// The remote machine it runs on (`user@host:port`); `None` on this computer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub host: Option<String>,
}

impl ServerInfo {
    fn from_entry(e: &Entry, reused: bool, notebook: Option<&str>) -> Self {
        Self {
            dir: e.dir.clone(),
            url: e.url(),
            port: e.port,
            pid: e.pid,
            started_at: e.started_at,
            log: e.log.clone(),
            reused,
            notebook_url: notebook.map(|nb| e.page(Some(nb))),
            host: None,
        }
    }
}

/// What [`start`] hands back: the server, and the browser on its way when one was asked for.
pub struct Started {
    pub server: ServerInfo,
    pub opening: Option<Opening>,
}

impl Started {
    fn of(entry: Entry, reused: bool, opening: Option<Opening>, notebook: Option<&str>) -> Self {
        Self {
            server: ServerInfo::from_entry(&entry, reused, notebook),
            opening,
        }
    }
}

/// Held while a project's server is started or claimed (and while a spare is stopped).
pub(crate) fn start_lock(paths: &AppPaths, id: &str) -> PathBuf {
    paths.lock(&format!("{id}.start.lock"))
}

/// Prepares the project (when anything changed) and starts its JupyterLab, or reuses the one
/// already running.
pub async fn start(
    paths: &AppPaths,
    project: &Project,
    options: &StartOptions,
    reporter: &dyn Reporter,
) -> Result<Started> {
    super::args::check(&options.extra_args)?;
    // One start per project at a time: two at once would both find nothing and start two.
    let _guard = crate::fs::lock::acquire(&start_lock(paths, &project.key()), || {}).await?;
    let (entry, reused) = match running(paths, project, options).await? {
        Some(entry) => (entry, true),
        None => (start_new(paths, project, options, reporter).await?, false),
    };
    let opening = open_if_asked(paths, &entry, options, reporter).await;
    Ok(Started::of(
        entry,
        reused,
        opening,
        options.notebook.as_deref(),
    ))
}

/// A new server: from the shared runtime (beside the project's setup), or the project's own
/// JupyterLab once its packages are in.
async fn start_new(
    paths: &AppPaths,
    project: &Project,
    options: &StartOptions,
    reporter: &dyn Reporter,
) -> Result<Entry> {
    // What the setup files alone say cannot work (Python 2, two binder folders, a file that
    // does not parse) is said before anything starts beside the setup.
    install::source::check(paths, project)?;
    if install::uses_runtime(paths, project)? {
        return start_from_runtime(paths, project, options, reporter).await;
    }
    // The project's own JupyterLab: its packages first, then the server from them (a Nix
    // shell's variables come from setup's cache a moment ago).
    setup_for_start(paths, project, options, reporter).await?;
    let backend = backend::resolve(paths, project, &crate::reporter::Silent).await?;
    launch(paths, project, &backend, None, options, reporter, None).await
}

/// The project's server when one runs and is what the user asks for now (re-found after a
/// crash: every entry is verified, the dead ones cleaned up). A spare the instant start made
/// ahead of time is claimed, unless it does not answer or the project changed since (new
/// requirements): the user never saw it, so it is simply replaced.
async fn running(
    paths: &AppPaths,
    project: &Project,
    options: &StartOptions,
) -> Result<Option<Entry>> {
    let running = list(paths).await;
    let Some((mut entry, status)) = running.into_iter().find(|(e, _)| e.id == project.key()) else {
        return Ok(None);
    };
    let answers = status.state == ServerState::Running;
    if !answers && !entry.spare {
        return Err(Error::NotResponding {
            dir: project.dir.clone(),
            pid: entry.pid,
        });
    }
    let claim = entry.spare && !options.spare;
    if claim && (!answers || !install::is_up_to_date(paths, project, &options.setup)) {
        stop(paths, &entry).await?;
        return Ok(None);
    }
    if claim {
        entry.spare = false;
        Registry::new(paths).save(&entry)?;
    }
    Ok(Some(entry))
}

/// A server from the shared runtime starts while the project's packages install (the runtime
/// itself is made beside them the first time); its kernel is ready once they are in.
async fn start_from_runtime(
    paths: &AppPaths,
    project: &Project,
    options: &StartOptions,
    reporter: &dyn Reporter,
) -> Result<Entry> {
    let backend = backend::resolve(paths, project, reporter).await?;
    let installing = AtomicBool::new(true);
    let setup = async {
        let done = setup_for_start(paths, project, options, reporter).await;
        installing.store(false, Ordering::SeqCst);
        done
    };
    let server = async {
        let runtime =
            install::runtime_at(paths, project, &backend, &options.setup, reporter).await?;
        let installing = Some(&installing);
        launch(
            paths,
            project,
            &backend,
            Some(&runtime),
            options,
            reporter,
            installing,
        )
        .await
    };
    match tokio::join!(setup, server) {
        (Ok(_), Ok(entry)) => Ok(entry),
        (Err(e), Ok(entry)) => {
            let _ = stop(paths, &entry).await;
            Err(e)
        }
        // The project's own problem is the one to tell first.
        (Err(e), Err(_)) | (Ok(_), Err(e)) => Err(e),
    }
}

/// The project's packages for a start, where the notebook matters more than a new package:
/// offline, the environment it has will do ([`install::kept_offline`]).
async fn setup_for_start(
    paths: &AppPaths,
    project: &Project,
    options: &StartOptions,
    reporter: &dyn Reporter,
) -> Result<install::SetupResult> {
    let started = Instant::now();
    let done = install::setup(paths, project, &options.setup, reporter).await;
    install::kept_offline(paths, project, done, started, reporter)
}

async fn open_if_asked(
    paths: &AppPaths,
    entry: &Entry,
    options: &StartOptions,
    reporter: &dyn Reporter,
) -> Option<Opening> {
    if !options.open_browser {
        return None;
    }
    Some(opening::open(paths, entry, options.notebook.as_deref(), reporter).await)
}

/// Stops the project's server when one runs, then starts it again (with today's settings).
pub async fn restart(
    paths: &AppPaths,
    project: &Project,
    options: &StartOptions,
    reporter: &dyn Reporter,
) -> Result<Started> {
    if let Some(entry) = find(paths, project).await {
        stop(paths, &entry).await?;
    }
    start(paths, project, options, reporter).await
}
