//! `darwinix start | stop | list | open | logs | restart`: JupyterLab servers for projects.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use std::io::{BufRead, IsTerminal, Write};

use anyhow::Context;
use darwinix_core::jupyter::{self, busy, StartOptions};
use darwinix_core::paths::AppPaths;
use darwinix_core::reporter::Silent;
use darwinix_core::settings::Settings;
use darwinix_core::target::{self, DefaultProject};
use darwinix_core::Error;

use crate::listing;
use crate::setup::Bar;
use crate::target_arg;

#[derive(Debug, clap::Args)]
pub struct StartArgs {
    /// Project folder, or a notebook (.ipynb) to open: its project is the nearest folder above
    /// it with requirements.txt, pyproject.toml or a Darwinix .venv (default: your default
    /// project, created on first use). Or a course link: a public git repository over https
    /// (`#branch` or `?branch=`), a notebook's page on GitHub, GitLab or Colab, a raw .ipynb
    /// address, an nbgitpuller link or a darwinix:// link: downloaded into ~/Darwinix (or
    /// found there again, with the teacher's updates), then started. Or a shared project
    /// file (Name.darwinix.zip): unpacked into a new folder there, installed from its lock.
    #[arg(value_name = "PATH|LINK")]
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

    #[command(flatten)]
    trust: crate::trust::TrustArgs,

    #[command(flatten)]
    link: crate::course::LinkArgs,
}

#[derive(Debug, clap::Args)]
pub struct StopArgs {
    /// Project folder (default: the project of the current folder or the nearest one above it, else your default project).
    dir: Option<PathBuf>,
    /// Stop every server Darwinix started.
    #[arg(long, conflicts_with = "dir")]
    all: bool,
    #[command(flatten)]
    force: ForceArgs,
}

#[derive(Debug, Clone, Copy, clap::Args)]
pub struct ForceArgs {
    /// Stop even when a notebook is still running a cell (the cell is interrupted; what it has
    /// not saved is lost). Without it a terminal asks, and elsewhere nothing is stopped.
    #[arg(long)]
    force: bool,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Print the servers as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Args)]
pub struct OpenArgs {
    /// Project folder, or one of its notebooks (default: the project of the current folder or the nearest one above it, else your default project).
    #[arg(value_name = "PATH")]
    dir: Option<PathBuf>,
    /// Print the address with its token instead of opening a browser (keep it private).
    #[arg(long)]
    print_url: bool,
}

#[derive(Debug, clap::Args)]
pub struct RestartArgs {
    /// Project folder, or a notebook to open afterwards (default: the project of the current folder or the nearest one above it, else your default project).
    #[arg(value_name = "PATH")]
    dir: Option<PathBuf>,
    /// Do not open a browser afterwards.
    #[arg(long)]
    no_browser: bool,
    #[command(flatten)]
    force: ForceArgs,
}

#[derive(Debug, clap::Args)]
pub struct LogsArgs {
    /// Project folder (default: the project of the current folder or the nearest one above it, else your default project).
    dir: Option<PathBuf>,
    /// Keep printing new lines as the server writes them (Ctrl-C to stop).
    #[arg(long, short)]
    follow: bool,
}

/// Starts with a progress bar. A start that stopped for the trust question asks it on a
/// terminal and, answered, goes on.
async fn start_asking(
    paths: &AppPaths,
    target: &target::Target,
    options: &StartOptions,
) -> anyhow::Result<target::Started> {
    let bar = Bar::new();
    let result = target.start(paths, options, &bar).await;
    bar.finish();
    match result {
        Err(e) if crate::trust::asked(paths, &e)? => {}
        other => return Ok(other?),
    }
    let bar = Bar::new();
    let result = target.start(paths, options, &bar).await;
    bar.finish();
    Ok(result?)
}

fn start_options(paths: &AppPaths, open_browser: bool) -> anyhow::Result<StartOptions> {
    let settings = Settings::load(paths)?;
    Ok(StartOptions::from_settings(&settings, open_browser))
}

#[allow(clippy::print_stdout)]
pub async fn start(args: StartArgs) -> anyhow::Result<ExitCode> {
    let paths = AppPaths::from_env()?;
    let (given, from_link) = match args.dir {
        Some(link) if crate::course::is_link(&link) => {
            let (dir, notebook) = crate::course::open(&paths, &link, &args.link, args.json).await?;
            (Some(dir), notebook)
        }
        Some(file) if crate::course::is_shared_file(&file) => {
            let (dir, notebook) = crate::course::open_shared(&paths, &file, args.json).await?;
            (Some(dir), notebook)
        }
        given => (given, None),
    };
    let request = target_arg::request(&paths, given.as_deref(), DefaultProject::Create)?;
    let target = &request.target;
    let mut options = start_options(&paths, !args.no_browser && !args.keep_ready)?;
    options.spare = args.keep_ready;
    options.notebook = from_link.or_else(|| request.notebook.clone());
    args.pins.apply(&paths, target)?;
    args.lab.apply(&paths, target)?;
    args.source.apply(&paths, target)?;
    args.trust.apply(&paths, target)?;
    if args.events {
        let project = target.here("start --events")?;
        return crate::remote_side::start(&paths, project, options, args.token_stdin).await;
    }
    let started = if args.json {
        target.start(&paths, &options, &Silent).await?
    } else {
        start_asking(&paths, target, &options).await?
    };
    let server = &started.server;
    if args.json {
        println!("{}", serde_json::to_string(server)?);
    } else if args.keep_ready {
        println!("JupyterLab is ready in the background; `darwinix start` opens it.");
    } else {
        println!("{}", listing::running(server));
        if !server.reused {
            let (stop, open) = (
                target_arg::next_step("stop", &request),
                target_arg::next_step("open", &request),
            );
            println!("Stop it with `{stop}`; `{open}` opens it again.");
        }
    }
    settle(started.opening, &target_arg::next_step("open", &request)).await;
    Ok(ExitCode::SUCCESS)
}

/// Waits (at most a moment) to see whether the browser could be opened; when not, says where
/// to go instead, and `open` (the command as the user should type it) for another try. The
/// browser itself is never waited for.
#[allow(clippy::print_stderr)]
pub(crate) async fn settle(opening: Option<jupyter::Opening>, open: &str) {
    let Some(opening) = opening else { return };
    let (address, link) = (opening.address.clone(), opening.link.clone());
    if let Err(why) = opening.settled().await {
        eprintln!("warning: could not open a browser: {why}");
        match link {
            Some(link) => eprintln!(
                "Open this sign-in link in your browser within a minute (it works once):\n  {link}\n`{open}` makes a new one; `{open} --print-url` prints the lasting address (keep it private)."
            ),
            None => eprintln!(
                "Open {address} in your browser; `{open} --print-url` prints the address with its token (keep it private)."
            ),
        }
    }
}

#[allow(clippy::print_stdout)]
pub async fn stop(args: StopArgs) -> anyhow::Result<ExitCode> {
    let paths = AppPaths::from_env()?;
    if args.all {
        if !args.force.may_stop(&paths, None).await? {
            return Ok(ExitCode::FAILURE);
        }
        let n = target::stop_all(&paths).await?;
        println!("Stopped {n} server{}.", if n == 1 { "" } else { "s" });
        return Ok(ExitCode::SUCCESS);
    }
    let request = target_arg::request(&paths, args.dir.as_deref(), DefaultProject::IfExists)?;
    let key = request.target.key();
    if !args.force.may_stop(&paths, Some(&request.target)).await? {
        return Ok(ExitCode::FAILURE);
    }
    if request.target.stop(&paths).await? {
        println!("Stopped the server of {}.", key.display());
    } else {
        println!("No server is running for {}.", key.display());
    }
    Ok(ExitCode::SUCCESS)
}

impl ForceArgs {
    /// Before a stop of `target`'s server (`None`: every server): `true` to go on. With
    /// `--force`, or when no cell runs, at once. On a terminal (stdin and stderr, as the trust
    /// question) the question; `false` when the answer is no. Elsewhere (a script) the
    /// [`Error::CellsRunning`] that names `--force`.
    #[allow(clippy::print_stderr)]
    async fn may_stop(
        self,
        paths: &AppPaths,
        target: Option<&target::Target>,
    ) -> anyhow::Result<bool> {
        if self.force {
            return Ok(true);
        }
        let notebooks = match target {
            None => busy::in_all(paths).await,
            Some(target::Target::Here(project)) => busy::in_project(paths, &project.dir).await,
            // A remote project's server is asked by Darwinix there.
            Some(target::Target::Remote(_)) => Vec::new(),
        };
        if notebooks.is_empty() {
            return Ok(true);
        }
        if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
            let project = target.map(|t| t.key());
            return Err(Error::CellsRunning { project, notebooks }.into());
        }
        let mut err = std::io::stderr().lock();
        write!(err, "{} Stop anyway? [y/N] ", busy::said(&notebooks))?;
        err.flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        let yes = matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes");
        if !yes {
            writeln!(err, "Nothing was stopped.")?;
        }
        Ok(yes)
    }
}

#[allow(clippy::print_stdout, clippy::print_stderr)]
pub async fn list(args: ListArgs) -> anyhow::Result<ExitCode> {
    let paths = AppPaths::from_env()?;
    let servers = target::servers(&paths).await;
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
    print!("{}", listing::describe_all(&servers));
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::print_stdout)]
pub async fn open(args: OpenArgs) -> anyhow::Result<ExitCode> {
    let paths = AppPaths::from_env()?;
    let request = target_arg::request(&paths, args.dir.as_deref(), DefaultProject::IfExists)?;
    let (target, notebook) = (&request.target, request.notebook.as_deref());
    if args.print_url {
        // The token logs in, and JupyterLab then shows the notebook.
        println!("{}", target.link(&paths, notebook).await?);
        return Ok(ExitCode::SUCCESS);
    }
    let bar = Bar::new();
    let opening = target.open(&paths, notebook, &bar).await;
    bar.finish();
    let opening = opening?;
    println!("{}", opening.address);
    settle(Some(opening), &target_arg::next_step("open", &request)).await;
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::print_stdout)]
pub async fn restart(args: RestartArgs) -> anyhow::Result<ExitCode> {
    let paths = AppPaths::from_env()?;
    let request = target_arg::request(&paths, args.dir.as_deref(), DefaultProject::Create)?;
    if !args.force.may_stop(&paths, Some(&request.target)).await? {
        return Ok(ExitCode::FAILURE);
    }
    let mut options = start_options(&paths, !args.no_browser)?;
    options.notebook = request.notebook.clone();
    let bar = Bar::new();
    let result = request.target.restart(&paths, &options, &bar).await;
    bar.finish();
    let started = result?;
    println!("{}", listing::running(&started.server));
    settle(started.opening, &target_arg::next_step("open", &request)).await;
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::print_stdout)]
pub async fn logs(args: LogsArgs) -> anyhow::Result<ExitCode> {
    use std::io::Write;
    let paths = AppPaths::from_env()?;
    let request = target_arg::request(&paths, args.dir.as_deref(), DefaultProject::IfExists)?;
    let target = &request.target;
    match target.log_file(&paths) {
        Some(log) => print_log(&log, &target.key(), args.follow).await,
        // A remote project's log is what Darwinix there prints of it.
        None => {
            std::io::stdout().write_all(target.log(&paths).await?.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Prints the log, then (with `follow`) each line the server adds, until Ctrl-C.
async fn print_log(log: &Path, key: &Path, follow: bool) -> anyhow::Result<ExitCode> {
    use std::io::{Read, Seek, SeekFrom, Write};
    let mut file = std::fs::File::open(log).with_context(|| {
        format!(
            "no server log for {} yet ({})",
            key.display(),
            log.display()
        )
    })?;
    let mut out = std::io::stdout();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        file.read_to_end(&mut buf)?;
        out.write_all(&buf)?;
        out.flush()?;
        if !follow {
            return Ok(ExitCode::SUCCESS);
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
        let pos = file.stream_position()?;
        if file.metadata()?.len() < pos {
            file.seek(SeekFrom::Start(0))?; // the log was replaced
        }
    }
}
