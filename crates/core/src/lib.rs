//! darwinix-core: the Darwinix engine. No Tauri here: the CLI and the desktop app both call it.

pub mod doctor;
pub mod env_vars;
pub mod error;
pub mod machine;
pub mod paths;
pub mod process;
pub mod python;

pub use error::{Error, Result};
