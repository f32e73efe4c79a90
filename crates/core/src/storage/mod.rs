//! Disk space, seen and given back: what the shared JupyterLab runtimes, uv's cache, Darwinix's
//! own data and each known project's `.venv` take (`report`), and the ways to free it:
//! pruning uv's cache, removing runtimes nothing uses, removing a project's `.venv` (made again
//! on its next start), and `purge`, which removes everything Darwinix made outside the projects.
//!
//! Every figure is what `du -sk` would say of that folder alone (`size`): a file hard-linked
//! into two places (uv links packages from its cache into each environment) counts in both.

mod autostart;
mod cleaned;
mod hint;
mod projects;
mod purge;
mod report;
mod runtimes;
pub mod size;
mod space;
mod uv_cache;

pub use cleaned::{Cleaned, Problem, Removed};
pub(crate) use hint::hint;
pub use projects::{known_projects, remove_venv, STALE_DAYS};
pub use purge::{purge, PurgeReport};
pub use report::{report, OwnSpace, StorageReport};
pub use runtimes::remove_unused_runtimes;
pub use space::{ProjectSpace, RuntimeKind, RuntimeSpace};
pub use uv_cache::{prune_uv_cache, UvCacheSpace};
