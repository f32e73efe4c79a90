//! Which registered servers are still ours. A pid from the registry is only trusted when it is
//! alive, started when we recorded, runs Jupyter, and answers `/api/status` with our token.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

use super::waits::HTTP_TIMEOUT;
use crate::error::{Error, Result};
use crate::http::local;
use crate::jupyter::procs::{self, Proc};
use crate::jupyter::registry::{Entry, Registry};
use crate::paths::AppPaths;
use crate::project::Project;

/// Whether a server of ours answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub enum ServerState {
    #[serde(rename = "running")]
    Running,
    /// Our process, but `/api/status` did not answer (busy, paused, or shutting down).
    #[serde(rename = "not responding")]
    NotResponding,
    /// A remote project's server that this computer cannot reach right now (the connection
    /// dropped, the computer slept): the forward is made again when it can be.
    #[serde(rename = "disconnected")]
    Disconnected,
}

/// A running server as `list` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Status {
    /// The project's key (one server per project).
    pub id: String,
    /// The project folder's name, for people.
    pub name: String,
    pub dir: std::path::PathBuf,
    pub url: String,
    pub pid: u32,
    pub port: u16,
    #[ts(type = "number")]
    pub uptime_secs: u64,
    /// The server and every process it started (kernels included).
    #[ts(type = "number")]
    pub memory_bytes: u64,
    pub state: ServerState,
    /// Kept ready by the app's instant start and not opened yet.
    pub spare: bool,
    /// The remote machine it runs on (`user@host:port`); `None` on this computer.
    pub host: Option<String>,
}

pub(super) fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// What the process table and the server say about a registry entry.
pub(super) enum Check {
    /// Our server: same pid, same start time, Jupyter, answering to our token.
    Ours(Proc),
    /// Our process (same pid, start time and command), but not answering right now (busy,
    /// stopped, or shutting down). Kept in the registry; never mistaken for a stranger.
    NotResponding(Proc),
    /// The pid is gone, or belongs to another process now: forget the entry, never signal it.
    Gone,
}

pub(super) async fn check(entry: &Entry) -> Check {
    let Some(proc) = procs::one(entry.pid) else {
        return Check::Gone;
    };
    // `started_at` is the process's own start time, read right after it was spawned (whole
    // seconds, so allow one either way).
    let same_start = proc.start_time.abs_diff(entry.started_at) <= 1;
    if !same_start || !proc.cmdline.to_ascii_lowercase().contains("jupyter") {
        return Check::Gone;
    }
    let token = Some(entry.token.as_str());
    match local::status(entry.port, "GET", "/api/status", token, HTTP_TIMEOUT).await {
        Ok(200) => Check::Ours(proc),
        _ => Check::NotResponding(proc),
    }
}

/// Forgets an entry that failed verification. Never signals its pid.
pub(super) fn forget(paths: &AppPaths, entry: &Entry) {
    Registry::new(paths).remove(&entry.id);
    // Only ever a folder Darwinix made for a server: a direct child of the runtime root.
    let root = paths.server_runtime_root();
    if entry.runtime_dir.parent() == Some(root.as_path()) && entry.runtime_dir.file_name().is_some()
    {
        let _ = std::fs::remove_dir_all(&entry.runtime_dir);
    }
}

/// The verified server of `project`, if one runs; a stale entry is cleaned up on the way.
pub async fn find(paths: &AppPaths, project: &Project) -> Option<Entry> {
    let entry = Registry::new(paths).get(&project.key())?;
    match check(&entry).await {
        Check::Ours(_) => Some(entry),
        Check::NotResponding(_) => None,
        Check::Gone => {
            forget(paths, &entry);
            None
        }
    }
}

/// The project a folder names when its server is looked for: the canonical folder, or the
/// path as given when the folder is gone (its server can still be stopped).
fn project_of(dir: &Path) -> Project {
    Project::open(dir).unwrap_or_else(|_| Project::at(dir))
}

/// The server of the folder `dir`, answering or not, the way the command line and the window
/// both look for it.
pub async fn server_of(paths: &AppPaths, dir: &Path) -> Option<(Entry, Status)> {
    let key = project_of(dir).key();
    list(paths).await.into_iter().find(|(e, _)| e.id == key)
}

/// The server of the folder `dir` when it answers (to open it, or copy its link).
pub async fn running_server_of(paths: &AppPaths, dir: &Path) -> Result<Entry> {
    match server_of(paths, dir).await {
        Some((entry, status)) if status.state == ServerState::Running => Ok(entry),
        Some((entry, _)) => Err(Error::NotResponding {
            dir: entry.dir,
            pid: entry.pid,
        }),
        None => Err(Error::NotRunning {
            dir: project_of(dir).dir,
        }),
    }
}

/// Every server of ours, running or not responding; entries whose pid is gone or now belongs
/// to another process are removed (those pids are never touched). The servers are asked at
/// once: one that does not answer does not hold up the others.
pub async fn list(paths: &AppPaths) -> Vec<(Entry, Status)> {
    let (entries, _damaged) = Registry::new(paths).all();
    let checked = futures_util::future::join_all(entries.iter().map(check)).await;
    let table = procs::table();
    let mut out = Vec::new();
    for (entry, check) in entries.into_iter().zip(checked) {
        let (proc, state) = match check {
            Check::Ours(p) => (p, ServerState::Running),
            Check::NotResponding(p) => (p, ServerState::NotResponding),
            Check::Gone => {
                forget(paths, &entry);
                continue;
            }
        };
        let tree: u64 = procs::descendants(&table, entry.pid)
            .iter()
            .map(|p| p.memory_bytes)
            .sum();
        let status = Status {
            id: entry.id.clone(),
            name: Project::at(&entry.dir).name(),
            dir: entry.dir.clone(),
            url: entry.url(),
            pid: entry.pid,
            port: entry.port,
            uptime_secs: now().saturating_sub(entry.started_at),
            memory_bytes: proc.memory_bytes + tree,
            state,
            spare: entry.spare,
            host: None,
        };
        out.push((entry, status));
    }
    out
}
