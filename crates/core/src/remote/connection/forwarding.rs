//! Forwards from this computer to the remote's 127.0.0.1, and the proof that one is ours.
//!
//! A TCP port on 127.0.0.1 is open to every account of this computer: when our forward goes
//! (the connection dropped), another account may listen on the same port. So Darwinix sends
//! the server's token only where it knows the listener is its own:
//! - Unix: its own requests go through a forward from a Unix socket in the private control
//!   folder (no one else can make or enter one there); the browser's port is asked of the
//!   master again each time (`-O forward` of the same forward succeeds only while the master
//!   holds that port, or when it could take it now).
//! - Windows (no master): the port's listener must be the forward's own `ssh` process.

use std::path::PathBuf;

use super::Connection;
use crate::error::Result;
use crate::remote::forward::Forward;

impl Connection {
    /// Makes `127.0.0.1:local` on this computer reach `127.0.0.1:remote` on the remote. An
    /// identical forward that already exists is kept. A local port someone else holds is an
    /// error ([`crate::error::SshProblem::Other`] with ssh's words).
    pub async fn forward(&self, forward: Forward) -> Result<()> {
        self.forwarding("forward", forward).await
    }

    /// Takes a forward away again.
    pub async fn cancel(&self, forward: Forward) -> Result<()> {
        self.forwarding("cancel", forward).await
    }

    /// Whether the forward's local port is held by our own ssh right now; costs no network
    /// round trip. Unix: the master holds it (or took it just now); Windows: the listener on
    /// the port is the forward's own ssh process.
    pub async fn holds(&self, forward: Forward) -> bool {
        #[cfg(unix)]
        return self.forward(forward).await.is_ok();
        #[cfg(windows)]
        return self.windows_holds(forward).await;
    }

    /// The Unix socket in the private control folder that reaches the remote's
    /// `127.0.0.1:remote` (one per machine and port): where Darwinix's own requests, the ones
    /// carrying the token, go.
    #[cfg_attr(windows, allow(dead_code))]
    pub fn socket_path(&self, remote: u16) -> PathBuf {
        let key = format!("{}\n{remote}", self.address.host_label());
        let hash = crate::hash::hex_sha256(key.as_bytes());
        self.control_dir.join(format!("fwd-{}.sock", &hash[..16]))
    }

    /// Makes (or keeps) the socket forward to the remote's `127.0.0.1:remote`.
    #[cfg(unix)]
    pub async fn forward_socket(&self, remote: u16) -> Result<PathBuf> {
        let path = self.socket_path(remote);
        let spec = socket_spec(&path, remote);
        self.control_with(&["-O", "forward", "-L", &spec]).await?;
        Ok(path)
    }

    /// Takes the socket forward away, with its file (ours, in our private folder).
    #[cfg(unix)]
    pub async fn cancel_socket(&self, remote: u16) {
        let path = self.socket_path(remote);
        let spec = socket_spec(&path, remote);
        let _ = self.control_with(&["-O", "cancel", "-L", &spec]).await;
        let _ = std::fs::remove_file(&path);
    }

    // Unix: the master holds the forward; `-O forward`/`-O cancel` add and take it away.
    #[cfg(unix)]
    async fn forwarding(&self, what: &str, forward: Forward) -> Result<()> {
        // No ClearAllForwardings here: it would clear the -L given on this command line too.
        self.control_with(&["-O", what, "-L", &forward.spec()])
            .await
    }
}

#[cfg(unix)]
fn socket_spec(path: &std::path::Path, remote: u16) -> String {
    let path = super::super::control_dir::for_ssh(path)
        .expect("control_dir chose a folder ssh can be given");
    format!("{path}:127.0.0.1:{remote}")
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::paths::AppPaths;
    use crate::remote::SshAddress;

    #[test]
    fn each_machine_and_port_has_its_own_private_socket() {
        let home = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(home.path());
        let at = |text: &str| Connection::new(&paths, &SshAddress::parse(text).unwrap()).unwrap();
        let a = at("ssh://me@lab/p").socket_path(8888);
        assert_eq!(
            a,
            at("ssh://me@lab/q").socket_path(8888),
            "the port decides"
        );
        assert_ne!(a, at("ssh://me@lab/p").socket_path(8889));
        assert_ne!(a, at("ssh://lab/p").socket_path(8888));
        assert_eq!(a.parent(), Some(paths.ssh_sockets().as_path()));
        assert!(
            a.as_os_str().len() < 104,
            "fits a socket's path: {}",
            a.display()
        );
    }
}
