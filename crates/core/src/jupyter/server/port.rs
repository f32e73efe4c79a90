//! The port a server listens on, chosen by Darwinix. Asked for `--ServerApp.port=0`,
//! jupyter_server 2.0.2–2.19.x listen on a free port but write port 0 into their runtime file
//! (jupyter_server #1650, fixed in 2.20.0), and a project's own JupyterLab may be that old: so
//! no server is ever asked to pick its port itself.

use std::net::{Ipv4Addr, TcpListener};

/// Starts tried before giving up, when the chosen port is taken between the choice and the
/// server's own bind (another program was quicker).
pub(super) const TRIES: u32 = 3;

/// A port on 127.0.0.1 that is free now. It is released at once for the server to take a
/// moment later; the server gets no retries of its own (it would move to another port
/// silently), so a port taken meanwhile fails that start and [`was_taken`] tells the caller to
/// try another.
pub(super) fn free_port() -> std::io::Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    listener.local_addr().map(|a| a.port())
}

/// Whether a server's log says it stopped because `port` was taken (jupyter_server's words
/// with `port_retries=0`, the same in every 1.x and 2.x).
pub(super) fn was_taken(log: &str, port: u16) -> bool {
    log.contains(&format!("port {port} is not available"))
        || log.contains(&format!("The port {port} is already in use"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chosen_port_is_free_and_can_be_bound_again() {
        let port = free_port().unwrap();
        assert_ne!(port, 0);
        // Released: the server can take it.
        let server = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).unwrap();
        // Taken now, so the next choice is another one.
        assert_ne!(free_port().unwrap(), port);
        drop(server);
    }

    #[test]
    fn a_taken_port_is_recognised_in_the_log() {
        // What jupyter_server 2.14.2 printed here with `--ServerApp.port_retries=0`.
        let log = "[I 2026-12-06 03:09:36.176 ServerApp] The port 41317 is already in use.\n\
            [C 2026-12-06 03:09:36.177 ServerApp] ERROR: the Jupyter server could not be started \
            because port 41317 is not available.";
        assert!(was_taken(log, 41317));
        assert!(!was_taken(log, 4131), "another port");
        assert!(!was_taken("Traceback (most recent call last):", 41317));
    }
}
