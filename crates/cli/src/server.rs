//! `darwinix start | stop | list | open | logs | restart`: JupyterLab servers for projects.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use darwinix_core::doctor::human_bytes;
use darwinix_core::jupyter::{self, StartOptions};
use darwinix_core::paths::AppPaths;
use darwinix_core::project::{notebook, Project};
use darwinix_core::reporter::Silent;
use darwinix_core::settings::Settings;

use crate::setup::Bar;

#[derive(Debug, clap::Args)]
pub struct StartArgs {
    /// Project folder, or a notebook (.ipynb) to open: its project is the nearest folder above
    /// it with requirements.txt, pyproject.toml or a Darwinix .venv (default: your default
    /// project, created on first use).
    #[arg(value_name = "PATH")]
    dir: Option<PathBuf>,
    /// Do not open a browser; print the address instead.
    #[arg(long)]
    no_browser: bool,
    /// Print the server as JSON: {dir, url, port, pid, started_at, log, reused, notebook_url}
    /// (no token).
    #[arg(long)]
    json: bool,
    /// Start it ahead of time and open nothing (what the app's instant start does): the app
    /// keeps it out of sight until Start Notebook, or a later `darwinix start`, opens it at once.
    #[arg(long, conflicts_with = "no_browser")]
    keep_ready: bool,
    /// With --json: progress as JSON lines first, then {"server": …, "token": …} (what
    /// Darwinix on another computer reads when it starts a remote project here).
    #[arg(long, requires = "json", hide = true)]
    events: bool,
    /// Take the new server's token from standard input (one line), and print the token of the
    /// server that answers (which is another one's when it was already running).
    #[arg(long, requires = "events", hide = true)]
    token_stdin: bool,
    #[command(flatten)]
    pins: crate::pins::PinsArgs,
    #[command(flatten)]
    lab: crate::lab_choice::LabArgs,

    #[command(flatten)]
    source: crate::source_arg::SourceArgs,
}

#[derive(Debug, clap::Args)]
pub struct StopArgs {
    /// Project folder (default: your default project).
    dir: Option<PathBuf>,
    /// Stop every server Darwinix started.
    #[arg(long, conflicts_with = "dir")]
    all: bool,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Print the servers as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub struct OpenArgs {
    /// Project folder, or one of its notebooks (default: your default project).
    #[arg(value_name = "PATH")]
    dir: Option<PathBuf>,
    /// Print the address with its token instead of opening a browser (keep it private).
    #[arg(long)]
    print_url: bool,
}

#[derive(Debug, clap::Args)]
pub struct RestartArgs {
    /// Project folder, or a notebook to open afterwards (default: your default project).
    #[arg(value_name = "PATH")]
    dir: Option<PathBuf>,
    /// Do not open a browser afterwards.
    #[arg(long)]
    no_browser: bool,
}

#[derive(Debug, clap::Args)]
pub struct LogsArgs {
    /// Project folder (default: your default project).
    dir: Option<PathBuf>,
    /// Keep printing new lines as the server writes them (Ctrl-C to stop).
    #[arg(long, short)]
    follow: bool,
}

fn start_options(paths: &AppPaths, open_browser: bool) -> anyhow::Result<StartOptions> {
    let settings = Settings::load(paths)?;
    Ok(StartOptions::from_settings(&settings, open_browser))
}

#[allow(clippy::print_stdout)]
pub async fn start(args: StartArgs) -> anyhow::Result<ExitCode> {
    if let Some(address) = crate::remote::address_of(args.dir.as_deref())? {
        let open = !args.no_browser && !args.keep_ready;
        return crate::remote::start(&address, open, args.json, None).await;
    }
    let paths = AppPaths::from_env()?;
    let (project, notebook) = crate::project_arg::resolve_target(&paths, args.dir)?;
    args.pins.apply(&paths, &project)?;
    args.lab.apply(&paths, &project)?;
    args.source.apply(&paths, &project)?;
    let mut options = start_options(&paths, !args.no_browser && !args.keep_ready)?;
    options.spare = args.keep_ready;
    options.notebook = notebook;
    if args.events {
        return crate::remote_side::start(&paths, &project, options, args.token_stdin).await;
    }
    let started = if args.json {
        jupyter::start(&paths, &project, &options, &Silent).await?
    } else {
        let bar = Bar::new();
        let result = jupyter::start(&paths, &project, &options, &bar).await;
        bar.finish();
        result?
    };
    let server = &started.server;
    let page = server.notebook_url.as_deref().unwrap_or(&server.url);
    if args.json {
        println!("{}", serde_json::to_string(server)?);
    } else if args.keep_ready {
        println!("JupyterLab is ready in the background; `darwinix start` opens it.");
    } else if server.reused {
        println!("Already running: {page} (pid {}).", server.pid);
    } else {
        println!("JupyterLab is running: {page} (pid {}).", server.pid);
        println!("Stop it with `darwinix stop`; `darwinix open` opens it again.");
    }
    settle(started.opening).await;
    Ok(ExitCode::SUCCESS)
}

/// Waits (at most a moment) to see whether the browser could be opened; when not, says where
/// to go instead. The browser itself is never waited for.
#[allow(clippy::print_stderr)]
pub(crate) async fn settle(opening: Option<jupyter::Opening>) {
    let Some(opening) = opening else { return };
    let (address, link) = (opening.address.clone(), opening.link.clone());
    if let Err(why) = opening.settled().await {
        eprintln!("warning: could not open a browser: {why}");
        match link {
            Some(link) => eprintln!(
                "Open this sign-in link in your browser within a minute (it works once):\n  {link}\n`darwinix open` makes a new one; `darwinix open --print-url` prints the lasting address (keep it private)."
            ),
            None => eprintln!(
                "Open {address} in your browser; `darwinix open --print-url` prints the address with its token (keep it private)."
            ),
        }
    }
}

#[allow(clippy::print_stdout)]
pub async fn stop(args: StopArgs) -> anyhow::Result<ExitCode> {
    if let Some(address) = crate::remote::address_of(args.dir.as_deref())? {
        return crate::remote::stop(&address).await;
    }
    let paths = AppPaths::from_env()?;
    if args.all {
        let n = jupyter::stop_all(&paths).await?
            + darwinix_core::remote::server::stop_all(&paths).await?;
        println!("Stopped {n} server{}.", if n == 1 { "" } else { "s" });
        return Ok(ExitCode::SUCCESS);
    }
    // The folder may be gone already; its server can still be stopped.
    let dir = args.dir.unwrap_or_else(|| paths.default_project.clone());
    match jupyter::server_of(&paths, &dir).await {
        Some((entry, _)) => {
            jupyter::stop(&paths, &entry).await?;
            println!("Stopped the server of {}.", entry.dir.display());
        }
        None => println!("No server is running for {}.", dir.display()),
    }
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::print_stdout, clippy::print_stderr)]
pub async fn list(args: ListArgs) -> anyhow::Result<ExitCode> {
    let paths = AppPaths::from_env()?;
    let servers: Vec<_> = jupyter::list(&paths)
        .await
        .into_iter()
        .map(|(_, status)| status)
        .collect();
    let remote = crate::remote::listed(&paths).await;
    if args.json {
        let all: Vec<_> = servers.iter().chain(&remote).collect();
        println!("{}", serde_json::to_string_pretty(&all)?);
        return Ok(ExitCode::SUCCESS);
    }
    for damaged in jupyter::Registry::new(&paths).set_aside() {
        eprintln!("warning: a damaged server record was set aside: {} (a server it described may still run; `ps` shows jupyter-lab processes)", damaged.display());
    }
    if servers.is_empty() && remote.is_empty() {
        println!("No servers are running. Start one with `darwinix start`.");
    }
    for r in &remote {
        println!("{}", crate::remote::describe(r));
    }
    for s in servers {
        println!(
            "{}\n  {}  pid {}  up {}  memory {}",
            s.dir.display(),
            s.url,
            s.pid,
            uptime(s.uptime_secs),
            human_bytes(s.memory_bytes)
        );
        if s.spare {
            println!("  kept ready by the Darwinix app (instant start); `darwinix start` opens it");
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::print_stdout)]
pub async fn open(args: OpenArgs) -> anyhow::Result<ExitCode> {
    if let Some(address) = crate::remote::address_of(args.dir.as_deref())? {
        return crate::remote::open(&address, None, args.print_url).await;
    }
    let paths = AppPaths::from_env()?;
    let (dir, notebook) = match args.dir {
        Some(path) => {
            let target = notebook::resolve(&path)?;
            (target.dir, target.notebook)
        }
        None => (project_of(&paths, None)?.dir, None),
    };
    let entry = jupyter::running_server_of(&paths, &dir).await?;
    if args.print_url {
        // The token logs in, and JupyterLab then shows the notebook.
        println!("{}", entry.token_url_of(notebook.as_deref()));
        return Ok(ExitCode::SUCCESS);
    }
    let bar = Bar::new();
    let opening = jupyter::open(&paths, &entry, notebook.as_deref(), &bar).await;
    bar.finish();
    println!("{}", opening.address);
    settle(Some(opening)).await;
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::print_stdout)]
pub async fn restart(args: RestartArgs) -> anyhow::Result<ExitCode> {
    if let Some(address) = crate::remote::address_of(args.dir.as_deref())? {
        crate::remote::stop(&address).await?;
        return crate::remote::start(&address, !args.no_browser, false, None).await;
    }
    let paths = AppPaths::from_env()?;
    let (project, notebook) = crate::project_arg::resolve_target(&paths, args.dir)?;
    let mut options = start_options(&paths, !args.no_browser)?;
    options.notebook = notebook;
    let bar = Bar::new();
    let result = jupyter::restart(&paths, &project, &options, &bar).await;
    bar.finish();
    let started = result?;
    let server = &started.server;
    let page = server.notebook_url.as_deref().unwrap_or(&server.url);
    println!("JupyterLab is running: {page} (pid {}).", server.pid);
    settle(started.opening).await;
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::print_stdout)]
pub async fn logs(args: LogsArgs) -> anyhow::Result<ExitCode> {
    use std::io::{Read, Seek, SeekFrom, Write};
    if let Some(address) = crate::remote::address_of(args.dir.as_deref())? {
        return crate::remote::pass_through(&address, &["logs"]).await;
    }
    let paths = AppPaths::from_env()?;
    let project = project_of(&paths, args.dir)?;
    let log = jupyter::log_path(&paths, &project);
    let mut file = std::fs::File::open(&log).with_context(|| {
        format!(
            "no server log for {} yet ({})",
            project.dir.display(),
            log.display()
        )
    })?;
    let mut out = std::io::stdout();
    let mut buf = Vec::new();
    file.read_to_end(&mut buf)?;
    out.write_all(&buf)?;
    if !args.follow {
        return Ok(ExitCode::SUCCESS);
    }
    loop {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let pos = file.stream_position()?;
        if file.metadata()?.len() < pos {
            file.seek(SeekFrom::Start(0))?; // the log was replaced
        }
        buf.clear();
        file.read_to_end(&mut buf)?;
        out.write_all(&buf)?;
        out.flush()?;
    }
}

/// A project that must exist (stop/open/logs never create the default project).
fn project_of(paths: &AppPaths, dir: Option<PathBuf>) -> anyhow::Result<Project> {
    Ok(Project::open(
        &dir.unwrap_or_else(|| paths.default_project.clone()),
    )?)
}

fn uptime(secs: u64) -> String {
    match secs {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m", s / 60),
        s => format!("{}h{:02}m", s / 3600, (s % 3600) / 60),
    }
}
