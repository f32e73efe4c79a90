//! Python interpreters: find them, ask them what they are, pick one.

pub mod cache;
pub mod choice;
pub mod discovery;
mod executables;
pub mod interpreter;
mod managers;
pub mod pep514;
mod search_plan;
pub mod venv_hint;

pub use choice::{choose, Choice};
pub use discovery::{discover, Discovery, Interpreter, SearchPlan, Skipped, Source};
pub use interpreter::{probe, ProbeFailure, ProbeInfo};
