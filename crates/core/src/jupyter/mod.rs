//! JupyterLab as a managed background server: start (token in the environment, 127.0.0.1, a
//! free port, a private runtime folder), find again after a crash, list, open in the browser
//! through a sign-in link, stop the tree.

pub mod args;
pub mod browser;
pub mod busy;
pub(crate) mod hint;
pub mod in_lab;
pub mod kernel;
pub mod login;
mod opening;
pub mod procs;
pub mod registry;
mod server;
pub mod spare;
pub mod token;

pub use opening::{open, Opening};
pub use registry::{Entry, Registry};
pub use server::{
    find, list, log_path, restart, running_server_of, server_of, start, stop, stop_all, tail,
    ServerInfo, ServerState, StartOptions, Started, Status,
};
