//! Courses from links: a teacher's git repository (or one notebook) opened from a link, kept up
//! to date without losing the student's work.
//!
//! - `link`: what a link names (a repository, a notebook in one, a raw notebook, an nbgitpuller
//!   or `darwinix://` link), refused when it is not https (or http to this computer).
//! - `git`: clone and fetch without git installed (gix), and the update rules.
//! - `open`: where a course goes on disk, reused or cloned, and the notebook to open.
//! - `record`: which folders came from which link (for updates, trust and sharing).
mod as_link;
mod download;
pub mod git;
pub(crate) mod hint;
pub mod link;
pub mod open;
mod progress;
pub mod record;
mod size;
pub use as_link::darwinix_link;
