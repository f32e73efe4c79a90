//! The one error type commands return: words for the window, the engine's fix, and the whole
//! chain of causes for "Copy details".

use darwinix_core::error::CourseError;
use serde::Serialize;

#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct IpcError {
    /// What went wrong, in one sentence.
    pub message: String,
    /// What the user can do about it.
    pub hint: Option<String>,
    /// Every cause, one per line.
    pub details: String,
    /// A button the window offers that fixes it in one click.
    pub action: Option<ErrorAction>,
}

/// Fixes the window can apply itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub enum ErrorAction {
    /// Start with current versions: leave out the version pins that no longer install.
    StartWithCurrentVersions,
    /// Use Darwinix's JupyterLab instead of the project's own, which did not come up.
    UseSharedJupyterLab,
    /// Install (3.5 GB): say yes to a big install of `bytes`; `size` is the button's figure, as
    /// the message and the hint write it.
    #[serde(rename_all = "camelCase")]
    InstallBig {
        #[ts(type = "number")]
        bytes: u64,
        size: String,
    },
    /// A folder Darwinix has no reason to trust: why, and what would be installed from where
    /// (Trust and start, Start without installing, Cancel).
    TrustFolder {
        ask: Box<darwinix_core::error::TrustAsk>,
    },
    /// A failed install's ways out, one button each, the likeliest first (Use Python 3.10 for
    /// this project, Use box2d-py 2.3.10, Start without box2d-py, Start with current versions).
    WaysOut {
        ways: Vec<darwinix_core::install::way_out::WayOut>,
    },
    /// Download anyway: open the course link again past the size limit (the message says how
    /// big it was when it was stopped).
    DownloadAnyway,
    /// Start over from the teacher's version: the course folder's own git data is damaged; the
    /// student's copy is kept in a dated folder beside it.
    StartOver,
}

fn action_for(err: &darwinix_core::Error) -> Option<ErrorAction> {
    use darwinix_core::Error;
    match err {
        Error::OldPins {
            needs_python: None, ..
        } => Some(ErrorAction::StartWithCurrentVersions),
        Error::OldPins { .. } | Error::CannotBuild(_) | Error::NothingRelaxed { .. } => {
            let ways = darwinix_core::install::way_out::ways_out(err);
            (!ways.is_empty()).then_some(ErrorAction::WaysOut { ways })
        }
        Error::NotTrusted { ask, .. } => Some(ErrorAction::TrustFolder {
            ask: Box::new(ask.clone()),
        }),
        Error::Course(CourseError::RepositoryTooLarge { .. }) => Some(ErrorAction::DownloadAnyway),
        Error::Course(CourseError::CourseDamaged { .. }) => Some(ErrorAction::StartOver),
        Error::BigInstall { bytes, .. } => Some(ErrorAction::InstallBig {
            bytes: *bytes,
            size: darwinix_core::format::human_bytes(*bytes),
        }),
        Error::ServerDied {
            own_jupyterlab: true,
            ..
        }
        | Error::ServerTimeout {
            own_jupyterlab: true,
            ..
        }
        | Error::ServerPortZero {
            own_jupyterlab: true,
            ..
        } => Some(ErrorAction::UseSharedJupyterLab),
        _ => None,
    }
}

impl IpcError {
    /// The browser could not be opened on `address` (a server here, remote or on a hub).
    pub fn no_browser(address: &str, why: String, hint: &str) -> Self {
        Self {
            message: format!("Could not open a browser on {address}"),
            hint: Some(hint.into()),
            details: why,
            action: None,
        }
    }

    pub fn new(message: impl Into<String>) -> Self {
        let message = message.into();
        Self {
            details: message.clone(),
            message,
            hint: None,
            action: None,
        }
    }
}

fn chain(err: &dyn std::error::Error) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        out.push_str("\ncaused by: ");
        out.push_str(&cause.to_string());
        source = cause.source();
    }
    out
}

impl From<darwinix_core::Error> for IpcError {
    fn from(err: darwinix_core::Error) -> Self {
        Self {
            message: err.to_string(),
            hint: darwinix_core::hints::hint(&err),
            details: chain(&err),
            action: action_for(&err),
        }
    }
}

impl From<tauri::Error> for IpcError {
    fn from(err: tauri::Error) -> Self {
        Self {
            message: err.to_string(),
            hint: None,
            details: chain(&err),
            action: None,
        }
    }
}

pub type IpcResult<T> = Result<T, IpcError>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn engine_errors_keep_their_hint_and_causes() {
        let err = darwinix_core::Error::ReadFile {
            path: PathBuf::from("/x/settings.json"),
            source: std::io::Error::other("disk on fire"),
        };
        let hint = darwinix_core::hints::hint(&err).expect("a read error says what to do");
        let ipc = IpcError::from(err);
        assert!(ipc.message.contains("/x/settings.json"), "{}", ipc.message);
        assert!(
            ipc.details.contains("caused by: disk on fire"),
            "{}",
            ipc.details
        );
        let json = serde_json::to_value(&ipc).unwrap();
        assert_eq!(
            json["hint"],
            hint.as_str(),
            "the window shows the engine's hint"
        );
    }

    #[test]
    fn a_package_that_cannot_be_built_offers_its_ways_out() {
        let err = darwinix_core::Error::CannotBuild(Box::new(darwinix_core::error::Unbuildable {
            dir: PathBuf::from("/p"),
            package: "box2d-py".into(),
            version: Some("2.3.8".into()),
            needed_by: None,
            missing: None,
            ready_made: Some("2.3.10".into()),
            needs_python: None,
            detail: "x".into(),
        }));
        let json = serde_json::to_value(IpcError::from(err)).unwrap();
        assert_eq!(
            json["action"],
            serde_json::json!({"waysOut": {"ways": [
                {"kind": "useVersion", "package": "box2d-py", "version": "2.3.10"},
                {"kind": "startWithout", "package": "box2d-py"},
            ]}})
        );
    }

    #[test]
    fn only_a_projects_own_jupyterlab_offers_the_shared_one() {
        let timed_out = |own_jupyterlab| darwinix_core::Error::ServerTimeout {
            seconds: 90,
            log: PathBuf::from("/d/p.jupyter.log"),
            tail: "[W ServerApp] still loading".into(),
            own_jupyterlab,
        };
        let own = serde_json::to_value(IpcError::from(timed_out(true))).unwrap();
        assert_eq!(own["action"], "useSharedJupyterLab");
        assert!(own["message"].as_str().unwrap().contains("still loading"));
        let shared = IpcError::from(timed_out(false));
        assert_eq!(shared.action, None);
    }

    #[test]
    fn a_course_too_big_offers_download_anyway_and_a_damaged_one_start_over() {
        let big = darwinix_core::Error::Course(CourseError::RepositoryTooLarge {
            url: "https://github.com/ann/course".into(),
            bytes: 1 << 30,
            limit: 1 << 30,
        });
        let json = serde_json::to_value(IpcError::from(big)).unwrap();
        assert_eq!(json["action"], "downloadAnyway");
        assert!(json["hint"].as_str().unwrap().contains("Download anyway"));
        let damaged = darwinix_core::Error::Course(CourseError::CourseDamaged {
            dir: PathBuf::from("/c"),
            why: "its branch is gone".into(),
        });
        let json = serde_json::to_value(IpcError::from(damaged)).unwrap();
        assert_eq!(json["action"], "startOver");
        assert!(json["hint"].as_str().unwrap().contains("Start over"));
    }

    #[test]
    fn a_big_install_offers_its_size_on_the_button() {
        let big = darwinix_core::Error::BigInstall {
            dir: PathBuf::from("/p"),
            bytes: 3_758_096_384,
            biggest: vec![("torch".into(), 2_576_980_378)],
        };
        let json = serde_json::to_value(IpcError::from(big)).unwrap();
        assert_eq!(
            json["action"],
            serde_json::json!({"installBig": {"bytes": 3_758_096_384u64, "size": "3.5 GB"}})
        );
        assert!(json["message"].as_str().unwrap().contains("torch 2.4 GB"));
        assert!(json["hint"].as_str().unwrap().contains("Install (3.5 GB)"));
    }
}
