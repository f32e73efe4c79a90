//! darwinix-core: the Darwinix engine. No Tauri here: the CLI and the desktop app both call it.

pub mod course;
pub mod doctor;
pub mod env_vars;
pub mod error;
pub mod format;
pub mod fs;
mod hash;
pub mod hints;
pub mod http;
pub mod hub;
pub mod install;
pub mod jupyter;
pub mod locale;
pub mod machine;
pub mod packages;
pub mod paths;
pub mod process;
pub mod project;
pub mod python;
pub mod remote;
pub mod reporter;
pub mod settings;
pub mod share;
pub mod storage;
pub mod target;
pub mod trust;
pub mod version;

pub use error::{Error, Result};
