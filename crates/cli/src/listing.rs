//! A server in the CLI's words, on this computer or a remote one: the one place they differ
//! (on which computer, the memory only here, the process "there").

use darwinix_core::format::human_bytes;
use darwinix_core::jupyter::{ServerInfo, ServerState, Status};

/// "JupyterLab is running: …" with where, for a server just started or found running.
pub fn running(server: &ServerInfo) -> String {
    let page = server.notebook_url.as_deref().unwrap_or(&server.url);
    let (on, there) = match &server.host {
        Some(host) => (format!(" on {host}"), " there"),
        None => (String::new(), ""),
    };
    if server.reused {
        format!("Already running{on}: {page} (pid {}{there}).", server.pid)
    } else {
        format!(
            "JupyterLab is running{on}: {page} (pid {}{there}).",
            server.pid
        )
    }
}

/// The servers as `darwinix list` prints them: remote ones first (their lines say what to do
/// when a connection dropped).
pub fn describe_all(servers: &[Status]) -> String {
    let (remote, here): (Vec<_>, Vec<_>) = servers.iter().partition(|s| s.host.is_some());
    remote
        .into_iter()
        .chain(here)
        .map(|s| describe(s) + "\n")
        .collect()
}

/// The server's folder (or address), then where it answers and what it uses.
fn describe(server: &Status) -> String {
    let head = format!("{}\n  {}", server.dir.display(), server.url);
    let Some(host) = &server.host else {
        let spare = if server.spare {
            "\n  kept ready by the Darwinix app (instant start); `darwinix start` opens it"
        } else {
            ""
        };
        return format!(
            "{head}  pid {}  up {}  memory {}{spare}",
            server.pid,
            uptime(server.uptime_secs),
            human_bytes(server.memory_bytes)
        );
    };
    let state = match server.state {
        ServerState::Disconnected => format!(
            "connection lost (`darwinix open {}` makes it again)",
            server.dir.display()
        ),
        _ => "running".to_string(),
    };
    format!("{head}  on {host}  pid {} there  {state}", server.pid)
}

fn uptime(secs: u64) -> String {
    match secs {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m", s / 60),
        s => format!("{}h{:02}m", s / 3600, (s % 3600) / 60),
    }
}
