//! `darwinix start | stop | list | open | logs | restart`: JupyterLab servers for projects.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use darwinix_core::doctor::human_bytes;
use darwinix_core::jupyter::{self, StartOptions};
use darwinix_core::paths::AppPaths;
use darwinix_core::project::Project;
use darwinix_core::reporter::Silent;
use darwinix_core::settings::Settings;

use crate::setup::Bar;

#[derive(Debug, clap::Args)]
pub struct StartArgs {
    /// Project folder (default: your default project, created on first use).
    dir: Option<PathBuf>,
    /// Do not open a browser; print the address instead.
    #[arg(long)]
    no_browser: bool,
    /// Print the server as JSON: {dir, url, port, pid, started_at, log}.
    #[arg(long)]
    json: bool,
    /// Start it ahead of time and open nothing (what the app's instant start does): the app
    /// keeps it out of sight until Start Notebook, or a later `darwinix start`, opens it at once.
    #[arg(long, conflicts_with = "no_browser")]
    keep_ready: bool,
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
    /// Project folder (default: your default project).
    dir: Option<PathBuf>,
    /// Print the address with its token instead of opening a browser (keep it private).
    #[arg(long)]
    print_url: bool,
}

#[derive(Debug, clap::Args)]
pub struct RestartArgs {
    /// Project folder (default: your default project).
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
    let paths = AppPaths::from_env()?;
    let project = crate::project_arg::resolve(&paths, args.dir)?;
    let mut options = start_options(&paths, !args.no_browser && !args.keep_ready)?;
    options.spare = args.keep_ready;
    let server = if args.json {
        jupyter::start(&paths, &project, &options, &Silent).await?
    } else {
        let bar = Bar::new();
        let result = jupyter::start(&paths, &project, &options, &bar).await;
        bar.finish();
        result?
    };
    if args.json {
        println!("{}", serde_json::to_string(&server)?);
    } else if args.keep_ready {
        println!("JupyterLab is ready in the background; `darwinix start` opens it.");
    } else if server.reused {
        println!("Already running: {} (pid {}).", server.url, server.pid);
    } else {
        println!(
            "JupyterLab is running: {} (pid {}).",
            server.url, server.pid
        );
        println!("Stop it with `darwinix stop`; `darwinix open` opens it again.");
    }
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::print_stdout)]
pub async fn stop(args: StopArgs) -> anyhow::Result<ExitCode> {
    let paths = AppPaths::from_env()?;
    if args.all {
        let n = jupyter::stop_all(&paths).await?;
        println!("Stopped {n} server{}.", if n == 1 { "" } else { "s" });
        return Ok(ExitCode::SUCCESS);
    }
    // The folder may be gone already; its server can still be stopped.
    let dir = args.dir.unwrap_or_else(|| paths.default_project.clone());
    let project = Project::open(&dir).unwrap_or_else(|_| Project::at(&dir));
    match jupyter::list(&paths)
        .await
        .into_iter()
        .find(|(e, _)| e.id == project.key())
    {
        Some((entry, _)) => {
            jupyter::stop(&paths, &entry).await?;
            println!("Stopped the server of {}.", project.dir.display());
        }
        None => println!("No server is running for {}.", project.dir.display()),
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
    if args.json {
        println!("{}", serde_json::to_string_pretty(&servers)?);
        return Ok(ExitCode::SUCCESS);
    }
    for damaged in jupyter::Registry::new(&paths).set_aside() {
        eprintln!("warning: a damaged server record was set aside: {} (a server it described may still run; `ps` shows jupyter-lab processes)", damaged.display());
    }
    if servers.is_empty() {
        println!("No servers are running. Start one with `darwinix start`.");
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
    let paths = AppPaths::from_env()?;
    let (_, entry) = running(&paths, args.dir).await?;
    if args.print_url {
        println!("{}", entry.token_url());
        return Ok(ExitCode::SUCCESS);
    }
    jupyter::open(&entry, &Bar::new()).await?;
    println!("{}", entry.url());
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::print_stdout)]
pub async fn restart(args: RestartArgs) -> anyhow::Result<ExitCode> {
    let paths = AppPaths::from_env()?;
    let project = crate::project_arg::resolve(&paths, args.dir)?;
    let options = start_options(&paths, !args.no_browser)?;
    let bar = Bar::new();
    let result = jupyter::restart(&paths, &project, &options, &bar).await;
    bar.finish();
    let server = result?;
    println!(
        "JupyterLab is running: {} (pid {}).",
        server.url, server.pid
    );
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::print_stdout)]
pub async fn logs(args: LogsArgs) -> anyhow::Result<ExitCode> {
    use std::io::{Read, Seek, SeekFrom, Write};
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

/// The project and its verified server, or an error that says none runs.
async fn running(
    paths: &AppPaths,
    dir: Option<PathBuf>,
) -> anyhow::Result<(Project, jupyter::Entry)> {
    let project = project_of(paths, dir)?;
    match jupyter::find(paths, &project).await {
        Some(entry) => Ok((project, entry)),
        None => Err(darwinix_core::Error::NotRunning { dir: project.dir }.into()),
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
