//! What a setup did, and the one `done` event that says so.

use std::path::PathBuf;
use std::time::Instant;

use serde::Serialize;

use crate::reporter::{Reporter, SetupEvent};
use crate::settings::Installer;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SetupResult {
    /// Nothing had changed: no installer ran.
    pub skipped: bool,
    pub installer: Installer,
    /// Packages in the environment now.
    pub packages: u32,
    /// The environment's interpreter.
    pub python: PathBuf,
    pub log: PathBuf,
    pub elapsed_ms: u64,
}

pub(super) fn report_done(reporter: &dyn Reporter, r: &SetupResult) {
    reporter.report(SetupEvent::Done {
        packages: r.packages,
        elapsed_ms: r.elapsed_ms,
        skipped: r.skipped,
        installer: r.installer.to_string(),
        log: r.log.clone(),
    });
}

pub(super) fn elapsed_ms(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}
