//! The server lifecycle. Every decision to signal a process is preceded by verification: a pid
//! from the registry is only touched when it is alive, started no later than we recorded, runs
//! Jupyter, and answers `/api/status` with our token.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::Serialize;

use super::opening::{self, Opening};
use super::procs::{self, Proc};
use super::registry::{Entry, Guest, Registry};
use super::{http, kernel, login, private};
use crate::env_vars::{JUPYTER_CONFIG_PATH, JUPYTER_PATH, JUPYTER_RUNTIME_DIR, JUPYTER_TOKEN};
use crate::error::{Error, Result};
use crate::install::runtime::Runtime;
use crate::install::{self, SetupOptions};
use crate::paths::AppPaths;
use crate::process;
use crate::project::backend::{self, Backend, Wsl};
use crate::project::Project;
use crate::reporter::{Reporter, SetupEvent, SetupStep};

const HTTP_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, Clone)]
pub struct StartOptions {
    pub setup: SetupOptions,
    pub open_browser: bool,
    /// The notebook to open (relative to the project, `/`-separated) instead of JupyterLab's
    /// start page.
    pub notebook: Option<String>,
    /// More `--Option=value` arguments for JupyterLab (from settings).
    pub extra_args: Vec<String>,
    pub ready_timeout: Duration,
    /// Start it ahead of time for the instant start: no browser, and unseen until claimed.
    pub spare: bool,
}

impl Default for StartOptions {
    fn default() -> Self {
        Self {
            setup: SetupOptions::default(),
            open_browser: true,
            notebook: None,
            extra_args: vec![],
            ready_timeout: Duration::from_secs(90),
            spare: false,
        }
    }
}

impl StartOptions {
    /// What the user's settings ask for (installer, Python, index, extra arguments).
    pub fn from_settings(settings: &crate::settings::Settings, open_browser: bool) -> Self {
        Self {
            setup: SetupOptions::from(settings),
            open_browser,
            extra_args: settings.extra_args.clone(),
            ..Self::default()
        }
    }
}

/// A started (or already running) server, without its token: safe to print and log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
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
            notebook_url: notebook.map(|nb| login::notebook_url(e.port, nb)),
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

/// Whether a server of ours answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub enum ServerState {
    #[serde(rename = "running")]
    Running,
    /// Our process, but `/api/status` did not answer (busy, paused, or shutting down).
    #[serde(rename = "not responding")]
    NotResponding,
}

/// A running server as `list` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Status {
    /// The project's key (one server per project).
    pub id: String,
    /// The project folder's name, for people.
    pub name: String,
    pub dir: PathBuf,
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
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// What the process table and the server say about a registry entry.
enum Check {
    /// Our server: same pid, same start time, Jupyter, answering to our token.
    Ours(Proc),
    /// Our process (same pid, start time and command), but not answering right now (busy,
    /// stopped, or shutting down). Kept in the registry; never mistaken for a stranger.
    Silent(Proc),
    /// The pid is gone, or belongs to another process now: forget the entry, never signal it.
    Gone,
}

async fn check(entry: &Entry) -> Check {
    let Some(proc) = procs::one(entry.pid) else {
        return Check::Gone;
    };
    // `started_at` is the process's own start time, read right after it was spawned (whole
    // seconds, so allow one either way).
    let same_start = proc.start_time.abs_diff(entry.started_at) <= 1;
    if !same_start || !proc.cmdline.to_ascii_lowercase().contains("jupyter") {
        return Check::Gone;
    }
    match http::status(
        entry.port,
        "GET",
        "/api/status",
        Some(&entry.token),
        HTTP_TIMEOUT,
    )
    .await
    {
        Ok(200) => Check::Ours(proc),
        _ => Check::Silent(proc),
    }
}

/// Forgets an entry that failed verification. Never signals its pid.
fn forget(paths: &AppPaths, entry: &Entry) {
    Registry::new(paths).remove(&entry.id);
    // Only ever a folder Darwinix made for a server: a direct child of the runtime root.
    let root = runtime_root(paths);
    if entry.runtime_dir.parent() == Some(root.as_path()) && entry.runtime_dir.file_name().is_some()
    {
        let _ = std::fs::remove_dir_all(&entry.runtime_dir);
    }
}

fn runtime_root(paths: &AppPaths) -> PathBuf {
    paths.data.join("runtime")
}

/// The verified server of `project`, if one runs; a stale entry is cleaned up on the way.
pub async fn find(paths: &AppPaths, project: &Project) -> Option<Entry> {
    let entry = Registry::new(paths).get(&project.key())?;
    match check(&entry).await {
        Check::Ours(_) => Some(entry),
        Check::Silent(_) => None,
        Check::Gone => {
            forget(paths, &entry);
            None
        }
    }
}

/// Every server of ours, running or not responding; entries whose pid is gone or now belongs
/// to another process are removed (those pids are never touched).
pub async fn list(paths: &AppPaths) -> Vec<(Entry, Status)> {
    let (entries, _damaged) = Registry::new(paths).all();
    let mut out = Vec::new();
    for entry in entries {
        let (proc, state) = match check(&entry).await {
            Check::Ours(p) => (p, ServerState::Running),
            Check::Silent(p) => (p, ServerState::NotResponding),
            Check::Gone => {
                forget(paths, &entry);
                continue;
            }
        };
        let tree: u64 = procs::descendants(&procs::table(), entry.pid)
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
        };
        out.push((entry, status));
    }
    out
}

/// Held while a project's server is started or claimed (and while a spare is stopped).
pub(crate) fn start_lock(paths: &AppPaths, id: &str) -> PathBuf {
    paths.data.join("locks").join(format!("{id}.start.lock"))
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
    let _guard = crate::install::guard::acquire(&start_lock(paths, &project.key()), || {}).await?;
    // Re-find after a crash: every entry is verified, the dead ones cleaned up.
    let running = list(paths).await;
    if let Some((mut entry, status)) = running.into_iter().find(|(e, _)| e.id == project.key()) {
        if status.state != ServerState::Running && !entry.spare {
            return Err(Error::NotResponding {
                dir: project.dir.clone(),
                pid: entry.pid,
            });
        }
        // A server the instant start made ahead of time is claimed, unless it does not answer
        // or the project changed since (new requirements): then it is not what the user asks
        // for now (and the user never saw it, so it is simply replaced).
        let claim = entry.spare && !options.spare;
        let stale = status.state != ServerState::Running
            || !install::is_up_to_date(paths, project, &options.setup);
        if claim && stale {
            stop(paths, &entry).await?;
        } else {
            if claim {
                entry.spare = false;
                Registry::new(paths).save(&entry)?;
            }
            let opening = open_if_asked(paths, &entry, options, reporter).await;
            return Ok(Started::of(
                entry,
                true,
                opening,
                options.notebook.as_deref(),
            ));
        }
    }
    let entry = if install::uses_runtime(paths, project)? {
        // The shared runtime's server starts while the project's packages install (the
        // runtime itself is made beside them the first time); its kernel is ready once they
        // are in.
        let installing = AtomicBool::new(true);
        let setup = async {
            let done = install::setup_or_keep(paths, project, &options.setup, reporter).await;
            installing.store(false, Ordering::SeqCst);
            done
        };
        let server = async {
            let runtime = install::runtime_for(paths, project, &options.setup, reporter).await?;
            launch(
                paths,
                project,
                runtime.as_ref(),
                options,
                reporter,
                Some(&installing),
            )
            .await
        };
        let (setup, server) = tokio::join!(setup, server);
        match (setup, server) {
            (Ok(_), Ok(entry)) => entry,
            (Err(e), Ok(entry)) => {
                let _ = stop(paths, &entry).await;
                return Err(e);
            }
            // The project's own problem is the one to tell first.
            (Err(e), Err(_)) | (Ok(_), Err(e)) => return Err(e),
        }
    } else {
        // The project's own JupyterLab: its packages first, then the server from them.
        install::setup_or_keep(paths, project, &options.setup, reporter).await?;
        launch(paths, project, None, options, reporter, None).await?
    };
    let opening = open_if_asked(paths, &entry, options, reporter).await;
    Ok(Started::of(
        entry,
        false,
        opening,
        options.notebook.as_deref(),
    ))
}

/// Starts the server for `project`: from the shared runtime, or from the project's own
/// environment. Saved in the registry once it answers, locked.
async fn launch(
    paths: &AppPaths,
    project: &Project,
    runtime: Option<&Runtime>,
    options: &StartOptions,
    reporter: &dyn Reporter,
    installing: Option<&AtomicBool>,
) -> Result<Entry> {
    // Where it runs (a Nix shell's variables come from setup's cache a moment ago).
    let backend = backend::resolve(paths, project, &crate::reporter::Silent).await?;
    let layout = backend.layout();
    let jupyter = match runtime {
        Some(runtime) => runtime.jupyter_lab(layout),
        None => layout.program(&project.venv(), "jupyter-lab"),
    };
    if std::fs::symlink_metadata(&jupyter).is_err() {
        return Err(Error::NoJupyter {
            dir: project.dir.clone(),
        });
    }
    reporter.report(SetupEvent::Step {
        step: SetupStep::StartingJupyter,
        detail: format!("Starting JupyterLab in {}", project.dir.display()),
    });

    let id = project.key();
    let token = new_token()?;
    let runtime_name = format!("{id}-{}", &new_token()?[..8]);
    // A private folder here (JupyterLab's runtime files and the sign-in links' config; for a
    // server in WSL only the config, its runtime files staying in a private folder inside the
    // distro).
    let runtime_dir = runtime_root(paths).join(&runtime_name);
    private::create_dir(&runtime_dir)?;
    // Darwinix's sign-in links; a server in WSL reads them from here through /mnt.
    let login_config = login::install(&runtime_dir)?;
    let kernel_data = kernel::data_dir(&runtime_dir);
    if runtime.is_some() {
        let venv = project.venv();
        let name = |p: &Path| backend.path(p).map(|p| p.to_string_lossy().into_owned());
        let python = name(&layout.python(&venv))?;
        kernel::install(&login_config, &kernel_data, project, &python, &name(&venv)?)?;
    }
    let login_config = backend.path(&login_config)?;
    let (guest_runtime, as_root) = match &backend {
        Backend::Wsl(wsl) => {
            let (dir, root) = wsl.runtime_dir(&runtime_name).await?;
            (Some(dir), root)
        }
        _ => (None, running_as_root(&runtime_dir)),
    };
    let log = log_path(paths, project);
    private::create_dir(log.parent().expect("log has a folder"))?;
    let mut log_file = private::append_file(&log)?;
    {
        use std::io::Write;
        let _ = writeln!(
            log_file,
            "--- darwinix {}: starting JupyterLab in {}",
            crate::doctor::VERSION,
            project.dir.display()
        );
    }

    let mut cmd = process::command(backend.path(&jupyter)?);
    let root_dir = backend.path(&project.dir)?;
    cmd.arg("--no-browser")
        .arg("--ServerApp.ip=127.0.0.1")
        .arg("--ServerApp.port=0")
        .arg(format!(
            "--ServerApp.root_dir={}",
            root_dir.to_string_lossy()
        ))
        .args(&options.extra_args)
        .current_dir(&project.dir)
        // The token travels in the environment: argv is visible to every user in `ps`.
        .env(JUPYTER_TOKEN, &token)
        .env(
            JUPYTER_RUNTIME_DIR,
            guest_runtime
                .as_deref()
                .map_or(runtime_dir.as_os_str(), |d| d.as_ref()),
        )
        .env(
            JUPYTER_CONFIG_PATH,
            config_path(login_config, guest_runtime.is_some()),
        )
        // Whatever Python setup the caller's shell had must not leak into the project's.
        .env_remove("VIRTUAL_ENV")
        .env_remove("PYTHONPATH")
        .env_remove("PYTHONHOME")
        // Its venv is Darwinix's: with bytecode written once, later starts skip compiling.
        .env_remove("PYTHONDONTWRITEBYTECODE");
    if runtime.is_some() {
        cmd.env(
            JUPYTER_PATH,
            kernel::jupyter_path(&backend.path(&kernel_data)?),
        );
    }
    if as_root {
        // Jupyter refuses root without this; containers and CI run as root.
        cmd.arg("--ServerApp.allow_root=True");
    }
    // A Nix shell adds its variables (they reach every kernel); WSL wraps it in wsl.exe.
    let cmd = backend.finish(cmd)?;
    let mut child = process::spawn_detached(cmd, log_file)?;

    // The server's pid inside a WSL distro, once known: killing wsl.exe may not end it.
    let mut guest_pid = None;
    let ready = match (&backend, &guest_runtime) {
        (Backend::Wsl(wsl), Some(dir)) => {
            let timeout = options.ready_timeout;
            wait_ready_wsl(&mut child, wsl, dir, &token, timeout, &mut guest_pid).await
        }
        _ => wait_ready(&mut child, &runtime_dir, &token, options.ready_timeout).await,
    };
    let ready = match ready {
        // A configuration (~/.jupyter, the venv's etc/jupyter) can switch authentication off;
        // such a server is not started on Darwinix's name.
        Ok((port, _)) if !locked(port).await => Err(Ready::Open),
        other => other,
    };
    if ready.is_ok() && installing.is_some_and(|i| i.load(Ordering::SeqCst)) {
        reporter.report(SetupEvent::Step {
            step: SetupStep::StartingJupyter,
            detail: "JupyterLab is ready; your packages are still installing".into(),
        });
    }
    let (port, pid) = match ready {
        Ok(found) => found,
        Err(e) => {
            let _ = child.start_kill();
            if let (Backend::Wsl(wsl), Some(dir)) = (&backend, &guest_runtime) {
                if let Some(pid) = guest_pid {
                    wsl.signal_tree(pid, true).await;
                }
                wsl.remove_runtime_dir(dir).await;
            }
            let _ = std::fs::remove_dir_all(&runtime_dir);
            return Err(match e {
                Ready::Died => Error::ServerDied {
                    tail: tail(&log, 20),
                    log,
                },
                Ready::TimedOut => Error::ServerTimeout {
                    seconds: options.ready_timeout.as_secs(),
                    log,
                },
                Ready::Open => Error::ServerUnprotected {
                    dir: project.dir.clone(),
                },
            });
        }
    };
    // In WSL the pid in the runtime file is the distro's; this computer knows the wsl.exe
    // that carries the server.
    let (pid, guest) = match (&backend, guest_runtime) {
        (Backend::Wsl(wsl), Some(dir)) => {
            let host = child.id().unwrap_or_default();
            let guest = Guest {
                distro: wsl.distro.clone(),
                pid,
                runtime_dir: dir,
            };
            (host, Some(guest))
        }
        _ => (pid, None),
    };
    // The server's own start time, so a later pid reuse is recognised even across clock steps.
    let started_at = procs::one(pid).map_or_else(now, |p| p.start_time);
    let entry = Entry {
        id,
        dir: project.dir.clone(),
        pid,
        port,
        token,
        started_at,
        runtime_dir,
        log,
        guest,
        spare: options.spare,
    };
    Registry::new(paths).save(&entry)?;
    Ok(entry)
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

/// `JUPYTER_CONFIG_PATH` for a server: Darwinix's folder first, then whatever the user set (the
/// config file gives the rest back to kernels). A server in WSL gets only ours: the rest names
/// folders of this computer.
fn config_path(ours: std::ffi::OsString, in_wsl: bool) -> std::ffi::OsString {
    let theirs = std::env::var_os(JUPYTER_CONFIG_PATH).filter(|v| !v.is_empty() && !in_wsl);
    let mut all = vec![std::path::PathBuf::from(ours.clone())];
    all.extend(theirs.iter().flat_map(std::env::split_paths));
    std::env::join_paths(all).unwrap_or(ours)
}

enum Ready {
    Died,
    TimedOut,
    /// Answers without the token.
    Open,
}

/// Whether the server refuses a request without the token, as it must.
async fn locked(port: u16) -> bool {
    matches!(
        http::status(port, "GET", "/api/contents", None, HTTP_TIMEOUT).await,
        Ok(401 | 403)
    )
}

/// Polls until the server's runtime file names its port and pid, and `/api/status` answers 200
/// to the token. The pid is the one in the file: on Windows `jupyter-lab.exe` is a launcher that
/// starts Python as a child. The runtime folder is this server's alone, so one file is ours.
async fn wait_ready(
    child: &mut tokio::process::Child,
    runtime_dir: &Path,
    token: &str,
    timeout: Duration,
) -> std::result::Result<(u16, u32), Ready> {
    let deadline = Instant::now() + timeout;
    let mut found = None;
    while Instant::now() < deadline {
        if matches!(child.try_wait(), Ok(Some(_))) {
            return Err(Ready::Died);
        }
        if found.is_none() {
            found = server_file(runtime_dir);
        }
        if let Some((port, pid)) = found {
            if let Ok(200) =
                http::status(port, "GET", "/api/status", Some(token), HTTP_TIMEOUT).await
            {
                return Ok((port, pid));
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Err(Ready::TimedOut)
}

/// [`wait_ready`] for a server inside a WSL distro: its runtime file is read there (one waiting
/// command), then `/api/status` is polled from here through WSL's localhost forwarding.
/// Returns the port and the server's pid inside the distro.
async fn wait_ready_wsl(
    child: &mut tokio::process::Child,
    wsl: &Wsl,
    runtime_dir: &str,
    token: &str,
    timeout: Duration,
    guest_pid: &mut Option<u32>,
) -> std::result::Result<(u16, u32), Ready> {
    let deadline = Instant::now() + timeout;
    let found = tokio::select! {
        found = wsl.server_file(runtime_dir, timeout) => found.ok(),
        _ = child.wait() => return Err(Ready::Died),
    };
    let Some((port, pid)) = found else {
        return Err(match child.try_wait() {
            Ok(Some(_)) => Ready::Died,
            _ => Ready::TimedOut,
        });
    };
    *guest_pid = Some(pid);
    while Instant::now() < deadline {
        if matches!(child.try_wait(), Ok(Some(_))) {
            return Err(Ready::Died);
        }
        if let Ok(200) = http::status(port, "GET", "/api/status", Some(token), HTTP_TIMEOUT).await {
            return Ok((port, pid));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Err(Ready::TimedOut)
}

/// `(port, pid)` from the `jpserver-<pid>.json` in `runtime_dir`.
fn server_file(runtime_dir: &Path) -> Option<(u16, u32)> {
    let file = std::fs::read_dir(runtime_dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.starts_with("jpserver-") && name.ends_with(".json")
        })?;
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(file).ok()?).ok()?;
    Some((
        u16::try_from(v["port"].as_u64()?).ok()?,
        u32::try_from(v["pid"].as_u64()?).ok()?,
    ))
}

/// Stops a server and everything it started: the polite `POST /api/shutdown` (kernels cleaned
/// up by Jupyter), then SIGTERM, then SIGKILL for whatever of the tree is left. An entry that
/// fails verification is only forgotten.
pub async fn stop(paths: &AppPaths, entry: &Entry) -> Result<()> {
    // A silent server is still ours (same pid, start time and command line), so it may be
    // signalled; a stranger at that pid never is.
    let server = match check(entry).await {
        Check::Ours(p) | Check::Silent(p) => p,
        Check::Gone => {
            forget(paths, entry);
            return Ok(());
        }
    };
    // Kernels run in their own session: find them now, while their parent links still exist.
    let tree = procs::descendants(&procs::table(), entry.pid);
    let _ = http::status(
        entry.port,
        "POST",
        "/api/shutdown",
        Some(&entry.token),
        HTTP_TIMEOUT,
    )
    .await;
    // The Linux side of a server in WSL is signalled there; this side only sees wsl.exe.
    let guest = entry
        .guest
        .as_ref()
        .and_then(|g| Some((Wsl::new(&g.distro).ok()?, g)));
    if !wait_gone(&server, Duration::from_secs(5)).await {
        if let Some((wsl, g)) = &guest {
            wsl.signal_tree(g.pid, false).await;
        }
        procs::signal(&server, false);
        if !wait_gone(&server, Duration::from_secs(3)).await {
            if let Some((wsl, g)) = &guest {
                wsl.signal_tree(g.pid, true).await;
            }
            procs::signal(&server, true);
            wait_gone(&server, Duration::from_secs(2)).await;
        }
    }
    for p in tree.iter().filter(|p| procs::is_alive(p)) {
        procs::signal(p, true);
    }
    for p in &tree {
        wait_gone(p, Duration::from_secs(2)).await;
    }
    if let Some((wsl, g)) = &guest {
        if wsl.is_alive(g.pid).await {
            wsl.signal_tree(g.pid, true).await;
        }
        wsl.remove_runtime_dir(&g.runtime_dir).await;
    }
    forget(paths, entry);
    Ok(())
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

/// Stops every registered server; returns how many were running.
pub async fn stop_all(paths: &AppPaths) -> Result<usize> {
    let running = list(paths).await;
    for (entry, _) in &running {
        stop(paths, entry).await?;
    }
    Ok(running.len())
}

async fn wait_gone(proc: &Proc, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if !procs::is_alive(proc) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    !procs::is_alive(proc)
}

/// Whether we run as root: a folder we just created is owned by our effective user.
#[cfg(unix)]
fn running_as_root(created_by_us: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(created_by_us).is_ok_and(|m| m.uid() == 0)
}

// Windows has no root user; administrators are not refused by Jupyter.
#[cfg(not(unix))]
fn running_as_root(_created_by_us: &Path) -> bool {
    false
}

/// 192 random bits, hex: the server's password for this run only.
fn new_token() -> Result<String> {
    let mut bytes = [0u8; 24];
    getrandom::fill(&mut bytes).map_err(|e| Error::Spawn {
        program: "random number generator".into(),
        source: std::io::Error::other(e.to_string()),
    })?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Where a project's JupyterLab writes its output (kept after it stops, for `logs`).
pub fn log_path(paths: &AppPaths, project: &Project) -> PathBuf {
    paths
        .data
        .join("logs")
        .join(format!("{}.jupyter.log", project.key()))
}

/// The last `lines` lines of a log file.
pub fn tail(path: &Path, lines: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}
