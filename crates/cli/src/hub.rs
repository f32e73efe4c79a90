//! `darwinix hub …`: the user's servers on JupyterHubs. The token is read from standard input
//! (never an argument: `ps` shows those) and kept in the system's credential store.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use darwinix_core::hub::{self, HubServer, HubServerState, HubState, HubStatus, TokenStorage};
use darwinix_core::paths::AppPaths;
use darwinix_core::reporter::{Reporter, SetupEvent};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "The token comes from the hub's Token page ({hub}/hub/token); a token with the scope servers!user is enough.\nIt is kept in the system's keychain (Keychain, Credential Manager, Secret Service), or where there is none in a file only you can read.\n\nEnvironment:\n  DARWINIX_CREDENTIALS   `file` or `system`: where tokens are kept (default: the keychain when there is one)"
)]
pub struct Args {
    #[command(subcommand)]
    command: HubCommand,
}

#[derive(Debug, Subcommand)]
enum HubCommand {
    /// Add a hub: the API token is read from standard input (one line), or asked for without
    /// echo when standard input is a terminal.
    Add {
        /// The hub's address (any page of it: https://hub.example.org/hub/home works).
        url: String,
        /// Send the token over plain http:// to another computer: anyone on the network
        /// between can read it and use your servers. Without this flag such an address is
        /// refused before anything is sent; with it, the hub is remembered as allowed.
        #[arg(long)]
        allow_insecure_http: bool,
    },
    /// Show the added hubs, your servers on each and their state, and where each token is kept.
    List {
        /// Print JSON instead.
        #[arg(long)]
        json: bool,
    },
    /// Start a server on a hub and wait until it is ready, with the hub's progress.
    Start(ServerArgs),
    /// Stop a server on a hub.
    Stop(ServerArgs),
    /// Open a server in your browser. It signs you in through the hub's own page: no token in
    /// the address.
    Open {
        #[command(flatten)]
        server: ServerArgs,
        /// Print the address instead of opening the browser.
        #[arg(long)]
        print_url: bool,
    },
    /// Forget a hub and delete its token from the keychain and Darwinix's token file.
    Remove { url: String },
}

#[derive(Debug, clap::Args)]
struct ServerArgs {
    /// The hub's address.
    url: String,
    /// A named server (default: your default server).
    #[arg(long, value_name = "NAME")]
    server: Option<String>,
}

pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let paths = AppPaths::from_env()?;
    match args.command {
        HubCommand::Add {
            url,
            allow_insecure_http,
        } => add(&paths, &url, allow_insecure_http).await,
        HubCommand::List { json } => list(&paths, json).await,
        HubCommand::Start(s) => start(&paths, &s).await,
        HubCommand::Stop(s) => stop(&paths, &s).await,
        HubCommand::Open { server, print_url } => open(&paths, &server, print_url).await,
        HubCommand::Remove { url } => remove(&paths, &url).await,
    }
}

#[allow(clippy::print_stdout, clippy::print_stderr)]
async fn add(paths: &AppPaths, url: &str, allow_insecure_http: bool) -> anyhow::Result<ExitCode> {
    let base = hub::url::normalise(url)?;
    // Said before the token is asked for, not after it was typed in for nothing.
    if hub::url::is_plain_remote(&base) && !allow_insecure_http {
        return Err(darwinix_core::Error::HubPlainHttp {
            url: base.to_string(),
        }
        .into());
    }
    let token = read_token(base.as_str())?;
    let info = hub::add(paths, url, &token, allow_insecure_http).await?;
    println!(
        "Added {} for {} (JupyterHub {}).",
        info.url, info.user, info.version
    );
    match info.storage {
        TokenStorage::System => println!("The token is kept in {}.", info.kept_in),
        TokenStorage::File => println!(
            "No system keychain was available; the token is kept in {}, readable only by you.",
            info.kept_in
        ),
    }
    if info.unencrypted {
        eprintln!("warning: {} is plain http://: the token crosses the network unencrypted; use the hub's https:// address if it has one", info.url);
    }
    Ok(ExitCode::SUCCESS)
}

/// One line from standard input; at a terminal, asked for without echo.
#[allow(clippy::print_stderr)]
fn read_token(base: &str) -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprintln!("Paste an API token from {base}hub/token (it is not shown as you type).");
        return rpassword::prompt_password("Token: ").context("could not read the token");
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .context("could not read the token from standard input")?;
    if line.trim().is_empty() {
        anyhow::bail!(
            "no token on standard input: pipe it in, e.g. `darwinix hub add {base} < token.txt`"
        );
    }
    Ok(line)
}

#[allow(clippy::print_stdout)]
async fn list(paths: &AppPaths, json: bool) -> anyhow::Result<ExitCode> {
    let hubs = hub::list(paths).await?;
    if json {
        println!("{}", serde_json::to_string_pretty(&hubs)?);
        return Ok(ExitCode::SUCCESS);
    }
    if hubs.is_empty() {
        println!(
            "No hubs added. Add one with `darwinix hub add URL` (the token on standard input)."
        );
    }
    for status in &hubs {
        print_hub(paths, status);
    }
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::print_stdout)]
fn print_hub(paths: &AppPaths, status: &HubStatus) {
    let state = match status.state {
        HubState::Online => "online",
        HubState::Unreachable => "unreachable",
        HubState::TokenRefused => "token refused",
        HubState::Failed => "error",
    };
    println!("{}  {}  {state}", status.url, status.user);
    for server in &status.servers {
        println!(
            "  {:<16} {:<9} {}",
            server_name(server),
            server_state(server.state),
            server.url
        );
    }
    if let Some(error) = &status.error {
        println!("  problem: {error}");
        if let Some(fix) = crate::fix::fix(error) {
            println!("  fix: {fix}");
        }
    }
    let kept = match status.storage {
        TokenStorage::System => status.kept_in.clone(),
        TokenStorage::File => format!("{} (no system keychain)", status.storage.describe(paths)),
    };
    println!("  token kept in {kept}");
}

fn server_name(server: &HubServer) -> &str {
    match server.name.as_str() {
        "" => "(default)",
        name => name,
    }
}

fn server_state(state: HubServerState) -> &'static str {
    match state {
        HubServerState::Ready => "ready",
        HubServerState::Starting => "starting",
        HubServerState::Stopping => "stopping",
        HubServerState::Stopped => "stopped",
    }
}

#[allow(clippy::print_stdout)]
async fn start(paths: &AppPaths, args: &ServerArgs) -> anyhow::Result<ExitCode> {
    let server = hub::start(paths, &args.url, args.server.as_deref(), &Steps).await?;
    println!("Ready: {}", server.url);
    println!(
        "`darwinix hub open {}{}` opens it in your browser.",
        args.url,
        server_flag(args)
    );
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::print_stdout)]
async fn stop(paths: &AppPaths, args: &ServerArgs) -> anyhow::Result<ExitCode> {
    let server = hub::stop(paths, &args.url, args.server.as_deref(), &Steps).await?;
    println!(
        "Stopped {} on {}.",
        hub::server_label(&server.name),
        hub::url::normalise(&args.url)?
    );
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::print_stdout, clippy::print_stderr)]
async fn open(paths: &AppPaths, args: &ServerArgs, print_url: bool) -> anyhow::Result<ExitCode> {
    if print_url {
        println!(
            "{}",
            hub::open_address(paths, &args.url, args.server.as_deref())?
        );
        return Ok(ExitCode::SUCCESS);
    }
    let opening = hub::open(paths, &args.url, args.server.as_deref(), &Steps).await?;
    println!("{}", opening.address);
    let address = opening.address.clone();
    if let Err(why) = opening.settled().await {
        eprintln!("warning: could not open a browser: {why}\nOpen {address} in your browser: the hub signs you in there.");
    }
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::print_stdout)]
async fn remove(paths: &AppPaths, url: &str) -> anyhow::Result<ExitCode> {
    let storage = hub::remove(paths, url).await?;
    let base = hub::url::normalise(url)?;
    println!(
        "Removed {base}; its token was deleted from {}.",
        storage.describe(paths)
    );
    println!("The token itself stays valid on the hub until it expires: revoke it on {base}hub/token if nothing else uses it.");
    Ok(ExitCode::SUCCESS)
}

fn server_flag(args: &ServerArgs) -> String {
    args.server
        .as_deref()
        .map(|s| format!(" --server {s}"))
        .unwrap_or_default()
}

/// The hub's steps and progress as lines on standard error.
struct Steps;

impl Reporter for Steps {
    #[allow(clippy::print_stderr)]
    fn report(&self, event: SetupEvent) {
        match event {
            SetupEvent::Step { detail, .. } => eprintln!("==> {detail}"),
            SetupEvent::Progress { done, item, .. } => {
                eprintln!("  [{done:>3}%] {}", item.unwrap_or_default());
            }
            SetupEvent::Warning { message } => eprintln!("warning: {message}"),
            // A hub sets up its own servers: no setup file is chosen here.
            SetupEvent::Source { .. } | SetupEvent::Log { .. } | SetupEvent::Done { .. } => {}
        }
    }
}
