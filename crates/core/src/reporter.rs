//! Progress from the engine to whoever shows it. The core never prints: the CLI passes a
//! reporter that draws a bar (or prints JSON lines), the app one that forwards to its window.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The visible steps of preparing a project, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub enum SetupStep {
    /// Cloning or updating a course from its link (`done`/`total`: git objects received).
    GettingCourse,
    /// Choosing a Python and checking the project folder.
    CheckingComputer,
    /// Finding or fetching uv.
    GettingInstaller,
    /// Creating `.venv`.
    CreatingEnvironment,
    /// Working out which package versions to install.
    Resolving,
    Downloading,
    Installing,
    /// Launching JupyterLab and waiting until it answers.
    StartingJupyter,
    /// Looking packages up on the package index before a change.
    CheckingIndex,
    OpeningBrowser,
}

impl SetupStep {
    /// Words for people.
    pub fn describe(self) -> &'static str {
        match self {
            SetupStep::GettingCourse => "Getting the course",
            SetupStep::CheckingComputer => "Checking this computer",
            SetupStep::GettingInstaller => "Getting the installer",
            SetupStep::CreatingEnvironment => "Preparing Python",
            SetupStep::Resolving => "Resolving packages",
            SetupStep::Downloading => "Downloading packages",
            SetupStep::Installing => "Installing packages",
            SetupStep::StartingJupyter => "Starting JupyterLab",
            SetupStep::CheckingIndex => "Checking the package index",
            SetupStep::OpeningBrowser => "Opening your browser",
        }
    }
}

/// Everything `setup` tells its caller while it works.
// Deserialize: a remote project's events come back as the JSON lines its setup printed there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(tag = "event", content = "data", rename_all = "camelCase")]
pub enum SetupEvent {
    /// A step began; `detail` says what exactly.
    #[serde(rename_all = "camelCase")]
    Step { step: SetupStep, detail: String },
    /// `done` of `total` items of the current step (total unknown while resolving).
    #[serde(rename_all = "camelCase")]
    Progress {
        step: SetupStep,
        done: u32,
        total: Option<u32>,
        item: Option<String>,
    },
    /// Which setup file the packages come from (`None`: the notebooks' imports, or nothing),
    /// the files not used with why, and the Python the project's files ask for.
    #[serde(rename_all = "camelCase")]
    Source {
        used: Option<String>,
        ignored: Vec<crate::project::requirements::choose::Ignored>,
        python: Option<String>,
    },
    /// Something the user should know that is not an error (e.g. falling back to pip).
    Warning { message: String },
    /// One line of installer output, as it happens.
    Log { line: String },
    /// Finished. `skipped` means nothing had changed, so no installer ran.
    #[serde(rename_all = "camelCase")]
    Done {
        packages: u32,
        #[ts(type = "number")]
        elapsed_ms: u64,
        skipped: bool,
        installer: String,
        log: PathBuf,
    },
}

pub trait Reporter: Send + Sync {
    fn report(&self, event: SetupEvent);
}

/// Discards everything (for callers that only want the result).
pub struct Silent;

impl Reporter for Silent {
    fn report(&self, _event: SetupEvent) {}
}

/// Any closure is a reporter.
impl<F: Fn(SetupEvent) + Send + Sync> Reporter for F {
    fn report(&self, event: SetupEvent) {
        self(event)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_tagged_for_the_ui() {
        let e = SetupEvent::Progress {
            step: SetupStep::Downloading,
            done: 3,
            total: Some(9),
            item: None,
        };
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"event": "progress", "data": {"step": "downloading", "done": 3, "total": 9, "item": null}})
        );
    }
}
