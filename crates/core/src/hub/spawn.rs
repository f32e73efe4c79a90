//! Starting and stopping a server on a hub, following the hub's progress.
//!
//! Start: `POST` the server; 201 is ready, 202 means the hub is spawning it: its progress
//! stream (SSE) says each step and ends with `ready` or `failed`. A stream that breaks off or
//! goes quiet is replaced by asking for the server's state once a second.

use std::time::{Duration, Instant};

use super::added::{connect, entry_of};
use super::api::{server_path, Client, UserModel};
use super::limits::{ACTION_WAIT, SPAWN_DEADLINE, STOP_DEADLINE};
use super::progress::{ProgressEvent, SseParser};
use super::servers::{server_label, server_of, HubServer, HubServerState};
use super::url::name_segment;
use crate::error::{Error, Result};
use crate::paths::AppPaths;
use crate::reporter::{Reporter, SetupEvent, SetupStep};

/// The progress stream sends a keep-alive every 8 s; this much silence means it is gone.
const STREAM_SILENCE: Duration = Duration::from_secs(30);

const POLL_EVERY: Duration = Duration::from_secs(1);

/// Starts `server` (the default when `None`) on the added hub `url` and waits until it is
/// ready, telling `reporter` each step the hub reports. A running server is left as it is.
pub async fn start(
    paths: &AppPaths,
    url: &str,
    server: Option<&str>,
    reporter: &dyn Reporter,
) -> Result<HubServer> {
    bring(paths, url, server.unwrap_or(""), Wait::Ready, reporter).await
}

/// Stops `server` (the default when `None`) on the added hub `url` and waits until it has
/// stopped. A stopped server stays stopped.
pub async fn stop(
    paths: &AppPaths,
    url: &str,
    server: Option<&str>,
    reporter: &dyn Reporter,
) -> Result<HubServer> {
    bring(paths, url, server.unwrap_or(""), Wait::Stopped, reporter).await
}

/// Asks the hub to bring server `name` to `want` and waits until it is there: a start follows
/// the hub's progress stream, a stop (or a start whose stream broke off) asks once a second.
async fn bring(
    paths: &AppPaths,
    url: &str,
    name: &str,
    want: Wait,
    reporter: &dyn Reporter,
) -> Result<HubServer> {
    let entry = entry_of(paths, url)?;
    // A name the request's address would read as a folder is refused before anything is sent.
    name_segment(name)?;
    reporter.report(SetupEvent::Step {
        step: SetupStep::StartingJupyter,
        detail: format!("{} {} on {}", want.doing(), server_label(name), entry.url),
    });
    let client = connect(paths, &entry, ACTION_WAIT).await?;
    let user = client.user().await?;
    let there = match want {
        Wait::Ready => client.start(&user.name, name).await?,
        Wait::Stopped => client.stop(&user.name, name).await?,
    };
    if !there {
        let deadline = Instant::now() + want.deadline();
        let followed =
            want == Wait::Ready && follow(&client, &user.name, name, reporter, deadline).await?;
        if !followed {
            wait_until(&client, name, deadline, want).await?;
        }
    }
    let user = client.user().await?;
    let done = find(&client, &user, name);
    if want == Wait::Ready {
        reporter.report(progress(100, format!("{} is ready", server_label(name))));
    }
    Ok(done)
}

fn progress(percent: u32, message: String) -> SetupEvent {
    SetupEvent::Progress {
        step: SetupStep::StartingJupyter,
        done: percent,
        total: Some(100),
        item: Some(message),
    }
}

/// Reads the spawn's progress stream until it ends. `Ok(true)`: the hub said ready;
/// `Ok(false)`: the stream is gone without an end (the caller asks for the state instead).
async fn follow(
    client: &Client,
    user: &str,
    name: &str,
    reporter: &dyn Reporter,
    deadline: Instant,
) -> Result<bool> {
    let path = format!("{}/progress", server_path(user, name)?);
    // 400 "not starting": it became ready (or failed) between our request and this one.
    let Ok(mut stream) = client.progress(&path).await else {
        return Ok(false);
    };
    let mut parser = SseParser::default();
    loop {
        let wait = STREAM_SILENCE.min(deadline.saturating_duration_since(Instant::now()));
        let chunk = match tokio::time::timeout(wait, stream.chunk()).await {
            Ok(Ok(Some(chunk))) => chunk,
            _ => return Ok(false),
        };
        for event in parser.push(&chunk) {
            if let Some(done) = step(client, name, &event, reporter)? {
                return Ok(done);
            }
        }
    }
}

/// Tells one progress event; `Some(true)` when it is the last and the server is ready.
fn step(
    client: &Client,
    name: &str,
    event: &ProgressEvent,
    reporter: &dyn Reporter,
) -> Result<Option<bool>> {
    if event.failed {
        return Err(spawn_failed(client, name, event.message.clone()));
    }
    let percent = event.percent().unwrap_or(0);
    reporter.report(progress(percent, event.message.clone()));
    Ok(event.ready.then_some(true))
}

fn spawn_failed(client: &Client, name: &str, message: String) -> Error {
    failed(client, name, "start", message)
}

fn failed(client: &Client, name: &str, action: &'static str, message: String) -> Error {
    Error::HubServerFailed {
        url: client.base().to_string(),
        server: server_label(name),
        action,
        message,
    }
}

/// Where a server is brought.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wait {
    Ready,
    Stopped,
}

impl Wait {
    /// The step's words.
    fn doing(self) -> &'static str {
        match self {
            Wait::Ready => "Starting",
            Wait::Stopped => "Stopping",
        }
    }

    /// How long getting there may take in all.
    fn deadline(self) -> Duration {
        match self {
            Wait::Ready => SPAWN_DEADLINE,
            Wait::Stopped => STOP_DEADLINE,
        }
    }
}

/// Asks the hub once a second until the server is ready (or stopped): the fallback for a
/// progress stream that broke off, and how a pending stop is followed. A hub too busy to
/// answer one of these is asked again: the spawn goes on without us.
async fn wait_until(client: &Client, name: &str, deadline: Instant, want: Wait) -> Result<()> {
    loop {
        let state = match client.user().await {
            Ok(user) => Some(find(client, &user, name).state),
            Err(Error::HubNoAnswer { .. }) if Instant::now() < deadline => None,
            Err(e) => return Err(e),
        };
        match (want, state) {
            (Wait::Ready, Some(HubServerState::Ready))
            | (Wait::Stopped, Some(HubServerState::Stopped)) => return Ok(()),
            (Wait::Ready, Some(HubServerState::Stopped)) => {
                return Err(spawn_failed(
                    client,
                    name,
                    "the hub gave up starting it; its log says why".into(),
                ))
            }
            _ => {}
        }
        if Instant::now() >= deadline {
            let (action, what) = match want {
                Wait::Ready => ("start", "it was still not ready"),
                Wait::Stopped => ("stop", "it was still stopping"),
            };
            let message = format!("{what} after {} s", want.deadline().as_secs());
            return Err(failed(client, name, action, message));
        }
        tokio::time::sleep(POLL_EVERY).await;
    }
}

/// The server `name` in the hub's answer; a named server the hub does not list is stopped.
fn find(client: &Client, user: &UserModel, name: &str) -> HubServer {
    let model = user
        .servers
        .as_ref()
        .and_then(|s| s.get(name))
        .cloned()
        .unwrap_or_default();
    server_of(client, &user.name, name, &model)
}
