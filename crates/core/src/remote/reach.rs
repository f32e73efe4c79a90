//! How Darwinix reaches a remote project's server with its token: only through a way that is
//! its own at that moment (see `connection/forwarding.rs`), never through a local
//! port whose listener it has not checked.

use std::io;
use std::path::PathBuf;
use std::time::Duration;

use super::connection::Connection;
use super::forward::Forward;
use super::registry::RemoteEntry;
use crate::error::{Error, Result};
use crate::http::local::{self, Response};
use crate::jupyter::login::{self, Link, NoLink};

/// Where a request with the token may go.
pub(super) enum Channel {
    /// Unix: the forward from a socket in the private control folder.
    #[cfg_attr(windows, allow(dead_code))]
    Socket(PathBuf),
    /// Windows: the browser's port, its listener checked to be our ssh just before.
    #[cfg_attr(unix, allow(dead_code))]
    Port(u16),
}

fn browser_forward(entry: &RemoteEntry) -> Forward {
    Forward {
        local: entry.local_port,
        remote: entry.remote_port,
    }
}

/// The channel to `entry`'s server when the forwards are in place and ours — the browser's
/// port included — checked without a network round trip (nothing runs: `None`).
pub(super) async fn held(conn: &Connection, entry: &RemoteEntry) -> Option<Channel> {
    #[cfg(unix)]
    {
        // The socket first: with no master it fails at once, and nothing else is tried.
        let socket = conn.socket_path(entry.remote_port);
        if !socket_answers(&socket).await {
            return None;
        }
        conn.holds(browser_forward(entry))
            .await
            .then_some(Channel::Socket(socket))
    }
    #[cfg(windows)]
    {
        let forward = browser_forward(entry);
        conn.holds(forward)
            .await
            .then_some(Channel::Port(forward.local))
    }
}

/// Anything at all answers on the socket (no token is sent: this only tells a running master
/// from a socket file left behind).
#[cfg(unix)]
async fn socket_answers(socket: &std::path::Path) -> bool {
    let hello = super::socket_http::request(socket, "GET", "/api", None, None, SHORT);
    hello.await.is_ok()
}

const SHORT: Duration = Duration::from_secs(2);

/// The channel after the connection was opened and the browser's forward made: the socket
/// forward made too (Unix), or the browser's port checked (Windows).
pub(super) async fn channel(conn: &Connection, entry: &RemoteEntry) -> Result<Channel> {
    #[cfg(unix)]
    return Ok(Channel::Socket(
        conn.forward_socket(entry.remote_port).await?,
    ));
    #[cfg(windows)]
    {
        let forward = browser_forward(entry);
        if conn.holds(forward).await {
            return Ok(Channel::Port(forward.local));
        }
        Err(Error::Remote {
            host: entry.address.host_label(),
            detail: format!(
                "port {} of this computer is not held by Darwinix's ssh",
                forward.local
            ),
            hint: Some("another program may have taken it: try again".into()),
        })
    }
}

/// Takes the socket forward away (Unix; Windows has none).
pub(super) async fn cancel(conn: &Connection, entry: &RemoteEntry) {
    #[cfg(unix)]
    conn.cancel_socket(entry.remote_port).await;
    let _ = conn.cancel(browser_forward(entry)).await;
}

async fn request(
    channel: &Channel,
    method: &str,
    path: &str,
    token: &str,
    body: Option<&str>,
    timeout: Duration,
) -> io::Result<Response> {
    match channel {
        #[cfg(unix)]
        Channel::Socket(socket) => {
            super::socket_http::request(socket, method, path, Some(token), body, timeout).await
        }
        #[cfg(windows)]
        Channel::Socket(_) => Err(io::Error::other("no socket forwards on Windows")),
        Channel::Port(port) => {
            local::request(*port, method, path, Some(token), body, timeout).await
        }
    }
}

/// The server answers through `channel`, with its token (and only with it).
pub(super) async fn answers(channel: &Channel, entry: &RemoteEntry, timeout: Duration) -> bool {
    let asked = request(channel, "GET", "/api/status", &entry.token, None, timeout);
    matches!(asked.await, Ok(Response { status: 200, .. }))
}

pub(super) async fn wait_until_answering(
    channel: &Channel,
    entry: &RemoteEntry,
    within: Duration,
) -> Result<()> {
    let deadline = tokio::time::Instant::now() + within;
    while tokio::time::Instant::now() < deadline {
        if answers(channel, entry, SHORT).await {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(Error::Remote {
        host: entry.address.host_label(),
        detail: format!(
            "JupyterLab runs there (port {}), but does not answer through Darwinix's forward",
            entry.remote_port
        ),
        hint: None,
    })
}

/// A sign-in link for the browser, on its port (`entry.local_port`), asked for through
/// `channel`.
pub(super) async fn sign_in_link(
    channel: &Channel,
    entry: &RemoteEntry,
    notebook: Option<&str>,
) -> std::result::Result<Link, NoLink> {
    let body = login::link_request(notebook);
    let answer = request(
        channel,
        "POST",
        login::LINKS_PATH,
        &entry.token,
        Some(&body),
        Duration::from_secs(5),
    )
    .await;
    login::read_link(answer, entry.local_port)
}
