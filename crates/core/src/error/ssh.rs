//! An `ssh` failure as plain data: where it went and what kind of failure it was. Read from
//! ssh's words in `remote::ssh_error`; each kind has its own way out (`hints`).

use serde::Serialize;

/// The kinds of SSH failure a user can act on differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SshProblem {
    /// This computer has never seen the host's key (and BatchMode does not ask).
    UnknownHostKey,
    /// The host's key is not the one this computer knows.
    ChangedHostKey,
    /// No key of the user's is accepted (none, the wrong one, or one locked by a passphrase).
    KeyRefused,
    /// Nothing listens there, or the host does not answer.
    Unreachable,
    /// The host name is not known.
    UnknownHost,
    /// `ssh` itself is not installed.
    NoClient,
    /// Something else: `detail` says what ssh printed.
    Other,
}

/// Whom `ssh` logs in as, and where: the parts of a remote address the fixes name (the command
/// line puts them into the commands it suggests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SshLogin {
    pub user: Option<String>,
    pub host: String,
    pub port: Option<u16>,
}

impl SshLogin {
    /// `user@host:port`, each part only when given.
    pub fn label(&self) -> String {
        let mut label = String::new();
        if let Some(user) = &self.user {
            label.push_str(user);
            label.push('@');
        }
        label.push_str(&self.host);
        if let Some(port) = self.port {
            label.push_str(&format!(":{port}"));
        }
        label
    }
}
