//! A remote project's server: set up and started by Darwinix on the remote (bound to its
//! 127.0.0.1, in a session of its own there, so a dropped connection does not end it), reached
//! through a forward on this computer's 127.0.0.1 that is made again whenever it is gone.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Deserialize;

use super::address::SshAddress;
use super::agent::{self, Agent};
use super::connection::{Connection, COMMAND_TIMEOUT};
use super::forward::{free_local_port, Forward};
use super::reach::{self, Channel};
use super::registry::{RemoteEntry, RemoteRegistry};
use crate::error::{Error, Result};
use crate::jupyter::{token, Opening, ServerInfo, ServerState, Status};
use crate::paths::AppPaths;
use crate::reporter::{Reporter, SetupEvent, SetupStep};

/// What a remote start hands back.
pub struct RemoteStarted {
    pub entry: RemoteEntry,
    /// It was already running.
    pub reused: bool,
    pub opening: Option<Opening>,
}

/// One line of what the remote's Darwinix prints for us (`start --json --events`).
#[derive(Deserialize)]
#[serde(untagged)]
enum Said {
    Server {
        server: ServerInfo,
        token: Option<String>,
    },
    Failed {
        event: String,
        data: Failure,
    },
    Event(SetupEvent),
}

#[derive(Deserialize)]
struct Failure {
    message: String,
    hint: Option<String>,
}

async fn connect(
    paths: &AppPaths,
    address: &SshAddress,
    reporter: &dyn Reporter,
) -> Result<Connection> {
    let conn = Connection::new(paths, address)?;
    reporter.report(SetupEvent::Step {
        step: SetupStep::CheckingComputer,
        detail: format!("Connecting to {}", address.host_label()),
    });
    conn.open().await?;
    Ok(conn)
}

/// Connects to `address`'s machine and checks that Darwinix can work there (the app's Test
/// connection): Darwinix is copied there when it is not yet, and the folder must exist.
pub async fn test_connection(
    paths: &AppPaths,
    address: &SshAddress,
    reporter: &dyn Reporter,
) -> Result<()> {
    let conn = connect(paths, address, reporter).await?;
    agent::ensure(paths, &conn, reporter).await?;
    let check = format!(
        "[ -d {} ] || {{ echo missing; exit 3; }}",
        super::script::quote(&address.path)
    );
    let out = conn
        .run(super::script::wrap(&check), COMMAND_TIMEOUT)
        .await?;
    if out.code != Some(0) {
        return Err(Error::Remote {
            host: address.host_label(),
            detail: format!("there is no folder {}", address.path),
            hint: Some("check the folder's path on the remote computer".into()),
        });
    }
    Ok(())
}

/// Runs the remote's Darwinix with `args` (the folder last), streaming its events to
/// `reporter`; returns the last line it printed that was not an event.
async fn run_streamed(
    conn: &Connection,
    agent: &Agent,
    args: &[&str],
    input: Option<&str>,
    reporter: &dyn Reporter,
) -> Result<Option<Said>> {
    let mut result = None;
    let mut failure = None;
    let mut other = Vec::new();
    let code = conn
        .stream(
            agent.script(args, input),
            |line| match serde_json::from_str::<Said>(line) {
                Ok(Said::Event(event)) => reporter.report(event),
                Ok(Said::Failed { event, data }) if event == "error" => failure = Some(data),
                Ok(said) => result = Some(said),
                Err(_) => {
                    other.push(line.to_string());
                    reporter.report(SetupEvent::Log {
                        line: line.to_string(),
                    });
                }
            },
        )
        .await?;
    let host = conn.address().host_label();
    if let Some(failure) = failure {
        return Err(Error::Remote {
            host,
            detail: failure.message,
            hint: failure.hint,
        });
    }
    if code != 0 {
        let tail = other[other.len().saturating_sub(5)..].join("\n");
        return Err(Error::Remote {
            host,
            detail: format!("Darwinix there stopped with exit code {code}: {tail}"),
            hint: None,
        });
    }
    Ok(result)
}

/// Prepares the remote project (`setup` there), with its progress.
pub async fn setup(paths: &AppPaths, address: &SshAddress, reporter: &dyn Reporter) -> Result<()> {
    let conn = connect(paths, address, reporter).await?;
    let agent = agent::ensure(paths, &conn, reporter).await?;
    run_streamed(
        &conn,
        &agent,
        &["setup", "--json", "--", &address.path],
        None,
        reporter,
    )
    .await?;
    Ok(())
}

/// Starts the remote project's JupyterLab (or finds the running one), forwards it here and,
/// when asked, opens the browser on it.
pub async fn start(
    paths: &AppPaths,
    address: &SshAddress,
    open_browser: bool,
    notebook: Option<&str>,
    reporter: &dyn Reporter,
) -> Result<RemoteStarted> {
    let registry = RemoteRegistry::new(paths);
    if let Some(entry) = registry.get(address) {
        if let Ok((entry, channel)) = reconnected(paths, entry).await {
            let opening = open_if(paths, &entry, &channel, open_browser, notebook, reporter).await;
            return Ok(RemoteStarted {
                entry,
                reused: true,
                opening,
            });
        }
    }
    let conn = connect(paths, address, reporter).await?;
    let agent = agent::ensure(paths, &conn, reporter).await?;
    // The token is made here and reaches the remote on standard input only.
    let ours = token::new_token()?;
    let args = [
        "start",
        "--json",
        "--events",
        "--no-browser",
        "--token-stdin",
        "--",
        &address.path,
    ];
    let said = run_streamed(&conn, &agent, &args, Some(&ours), reporter).await?;
    let Some(Said::Server { server, token }) = said else {
        return Err(Error::Remote {
            host: address.host_label(),
            detail: "Darwinix there did not say which server it started".into(),
            hint: None,
        });
    };
    let reused = server.reused;
    let mut entry = RemoteEntry {
        address: address.clone(),
        local_port: 0,
        remote_port: server.port,
        remote_pid: server.pid,
        token: token.unwrap_or(ours),
        started_at: now(),
        log: server.log.to_string_lossy().into_owned(),
    };
    forward(&conn, &mut entry, None).await?;
    let channel = reach::channel(&conn, &entry).await?;
    reach::wait_until_answering(&channel, &entry, Duration::from_secs(20)).await?;
    registry.save(&entry)?;
    let opening = open_if(paths, &entry, &channel, open_browser, notebook, reporter).await;
    Ok(RemoteStarted {
        entry,
        reused,
        opening,
    })
}

async fn open_if(
    paths: &AppPaths,
    entry: &RemoteEntry,
    channel: &Channel,
    open_browser: bool,
    notebook: Option<&str>,
    reporter: &dyn Reporter,
) -> Option<Opening> {
    if !open_browser {
        return None;
    }
    Some(open_browser_on(paths, entry, channel, notebook, reporter).await)
}

/// The browser on the forward's port (checked to be ours a moment ago), signed in with a link
/// asked for through `channel`.
async fn open_browser_on(
    paths: &AppPaths,
    entry: &RemoteEntry,
    channel: &Channel,
    notebook: Option<&str>,
    reporter: &dyn Reporter,
) -> Opening {
    let link = reach::sign_in_link(channel, entry, notebook).await;
    crate::jupyter::login::remote::open(paths, &entry.as_local(), notebook, link, reporter).await
}

/// Adds the forward for `entry`: on `wanted` (the port it had, so open tabs work on) when it
/// is free, else on a new port.
async fn forward(conn: &Connection, entry: &mut RemoteEntry, wanted: Option<u16>) -> Result<()> {
    if let Some(local) = wanted {
        let forward = Forward {
            local,
            remote: entry.remote_port,
        };
        if conn.forward(forward).await.is_ok() {
            entry.local_port = local;
            return Ok(());
        }
    }
    // Picked free a moment ago; another program may take it in between, so one more try.
    let mut last = None;
    for _ in 0..2 {
        let local = free_local_port()?;
        match conn
            .forward(Forward {
                local,
                remote: entry.remote_port,
            })
            .await
        {
            Ok(()) => {
                entry.local_port = local;
                return Ok(());
            }
            Err(e) => last = Some(e),
        }
    }
    Err(last.expect("tried at least once"))
}

/// The entry with its forwards working again: made anew (the browser's on the same local port
/// when it is free) after the connection dropped, the computer slept or someone ended a
/// forward. A server that is gone on the remote is forgotten here and reported as not running.
/// The token goes only where Darwinix holds the way ([`reach`]).
pub async fn reconnect(paths: &AppPaths, entry: RemoteEntry) -> Result<RemoteEntry> {
    Ok(reconnected(paths, entry).await?.0)
}

async fn reconnected(paths: &AppPaths, mut entry: RemoteEntry) -> Result<(RemoteEntry, Channel)> {
    let conn = Connection::new(paths, &entry.address)?;
    if let Some(channel) = reach::held(&conn, &entry).await {
        if reach::answers(&channel, &entry, Duration::from_secs(2)).await {
            return Ok((entry, channel));
        }
    }
    conn.open().await?;
    let before = entry.local_port;
    forward(&conn, &mut entry, Some(before)).await?;
    let channel = reach::channel(&conn, &entry).await?;
    let answering = reach::wait_until_answering(&channel, &entry, Duration::from_secs(5)).await;
    if answering.is_err() {
        reach::cancel(&conn, &entry).await;
        RemoteRegistry::new(paths).remove(&entry.address)?;
        return Err(Error::NotRunning {
            dir: entry.address.to_string().into(),
        });
    }
    if entry.local_port != before {
        RemoteRegistry::new(paths).save(&entry)?;
    }
    Ok((entry, channel))
}

/// Opens the browser on a running remote project (making its forward again when needed).
pub async fn open(
    paths: &AppPaths,
    address: &SshAddress,
    notebook: Option<&str>,
    reporter: &dyn Reporter,
) -> Result<Opening> {
    let entry = RemoteRegistry::new(paths)
        .get(address)
        .ok_or_else(|| Error::NotRunning {
            dir: address.to_string().into(),
        })?;
    let (entry, channel) = reconnected(paths, entry).await?;
    Ok(open_browser_on(paths, &entry, &channel, notebook, reporter).await)
}

/// Stops the remote project's server and its kernels there, removes the forward, and ends the
/// connection when no other server on that machine needs it. `Ok(false)`: none was running.
pub async fn stop(paths: &AppPaths, address: &SshAddress) -> Result<bool> {
    let registry = RemoteRegistry::new(paths);
    let entry = registry.get(address);
    let conn = connect(paths, address, &crate::reporter::Silent).await?;
    let agent = agent::ensure(paths, &conn, &crate::reporter::Silent).await?;
    let out = conn
        .run(
            // No terminal there to ask on: the window or the CLI here asked already.
            agent.script(&["stop", "--force", "--", &address.path], None),
            COMMAND_TIMEOUT,
        )
        .await?;
    if !out.success() {
        return Err(Error::Remote {
            host: address.host_label(),
            detail: super::ssh_error::detail(&out.stderr_text()),
            hint: None,
        });
    }
    if let Some(entry) = &entry {
        reach::cancel(&conn, entry).await;
        registry.remove(address)?;
    }
    if !registry.all().iter().any(|e| e.address.same_host(address)) {
        conn.close().await;
    }
    Ok(entry.is_some() || !out.stdout_text().contains("No server"))
}

/// Stops every remote server this computer started; returns how many. One that cannot be
/// reached stays listed (it still runs there), and the first such error is returned after the
/// others were stopped.
pub async fn stop_all(paths: &AppPaths) -> Result<usize> {
    let mut stopped = 0;
    let mut first_error = None;
    for entry in RemoteRegistry::new(paths).all() {
        match stop(paths, &entry.address).await {
            Ok(_) => stopped += 1,
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    match first_error {
        Some(e) => Err(e),
        None => Ok(stopped),
    }
}

/// The remote servers this computer knows, each as `list` shows a server (checked at once:
/// one that does not answer through a way Darwinix holds is [`ServerState::Disconnected`]).
/// Cheap enough to poll: no network round trip of its own, and no request at all for a host
/// whose connection is down.
pub async fn list(paths: &AppPaths) -> Vec<(RemoteEntry, Status)> {
    let entries = RemoteRegistry::new(paths).all();
    let checks = entries.iter().map(|e| answers_now(paths, e));
    let answered = futures_util::future::join_all(checks).await;
    entries
        .into_iter()
        .zip(answered)
        .map(|(e, ok)| {
            let state = if ok {
                ServerState::Running
            } else {
                ServerState::Disconnected
            };
            let status = e.status(state);
            (e, status)
        })
        .collect()
}

async fn answers_now(paths: &AppPaths, entry: &RemoteEntry) -> bool {
    let Ok(conn) = Connection::new(paths, &entry.address) else {
        return false;
    };
    match reach::held(&conn, entry).await {
        Some(channel) => reach::answers(&channel, entry, Duration::from_secs(2)).await,
        None => false,
    }
}

/// What the remote's Darwinix prints for `args` (its folder given last), e.g. the log.
pub async fn command(paths: &AppPaths, address: &SshAddress, args: &[&str]) -> Result<String> {
    let conn = connect(paths, address, &crate::reporter::Silent).await?;
    let agent = agent::ensure(paths, &conn, &crate::reporter::Silent).await?;
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--", address.path.as_str()]);
    let out = conn.run(agent.script(&all, None), COMMAND_TIMEOUT).await?;
    if !out.success() {
        return Err(Error::Remote {
            host: address.host_label(),
            detail: super::ssh_error::detail(&out.stderr_text()),
            hint: None,
        });
    }
    Ok(out.stdout_text().into_owned())
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
