//! Projects on another machine, reached over SSH with the system's OpenSSH client. Darwinix
//! itself runs on the remote for setup and the server (copied there the first time); this side
//! keeps the connection, the forward to the server and the browser hand-off.

pub mod address;
pub(crate) mod agent;
pub mod connection;
mod control_dir;
pub mod forward;
mod reach;
pub mod registry;
pub mod script;
pub mod server;
#[cfg(unix)]
mod socket_http;
mod ssh_error;

pub use address::{is_remote, SshAddress};
pub use registry::{RemoteEntry, RemoteRegistry};
pub use server::RemoteStarted;
pub use ssh_error::hint as ssh_hint;
