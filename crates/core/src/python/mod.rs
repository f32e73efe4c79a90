//! Python interpreters: find them, ask them what they are, pick one.

pub mod cache;
pub mod choice;
pub mod discovery;
pub mod interpreter;
pub mod registry;
pub mod venv_hint;

pub use choice::{choose, Choice};
pub use discovery::{discover, Discovery, Interpreter, SearchPlan, Skipped, Source};
pub use interpreter::{probe, ProbeFailure, ProbeInfo};
