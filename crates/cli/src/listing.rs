//! One server as `darwinix list` prints it, on this computer or a remote one.

use darwinix_core::format::human_bytes;
use darwinix_core::jupyter::{ServerState, Status};

/// The server's folder (or address), then where it answers and what it uses.
pub fn describe(server: &Status) -> String {
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
