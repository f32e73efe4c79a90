//! Where the updates stand: the app's update state (the update found, kept for Install), and the
//! window told of every change.

use std::sync::Mutex;
use std::time::UNIX_EPOCH;

use darwinix_core::paths::AppPaths;
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_updater::Update;

use super::check::Problem;
use super::due::{checks, last_checked};
use super::policy::Checks;

/// The window listens for this; its payload is the [`UpdateStatus`].
pub const CHANGED: &str = "update-changed";

/// Where the updates stand, as the window shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
#[serde(tag = "state", content = "data", rename_all = "camelCase")]
pub enum UpdateState {
    /// Not checked since the app started.
    Idle,
    Checking,
    UpToDate,
    Available(Available),
    Installing {
        step: String,
    },
    /// Refused, or could not check or install; nothing was changed.
    Problem(Problem),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Available {
    pub version: String,
    /// What changed (the release notes in the manifest).
    pub notes: Option<String>,
    /// `None`: Install and restart. Otherwise why only the release page's link is offered.
    pub download_only: Option<String>,
    pub release_page: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct UpdateStatus {
    pub current_version: String,
    pub checks: Checks,
    /// When the last check asked, in milliseconds since 1970 (`Date`'s unit).
    #[ts(type = "number | null")]
    pub last_checked: Option<u64>,
    pub state: UpdateState,
}

/// The app's update state, and the update found (kept for Install).
pub struct State {
    inner: Mutex<(UpdateState, Option<Update>)>,
}

impl Default for State {
    fn default() -> Self {
        Self {
            inner: Mutex::new((UpdateState::Idle, None)),
        }
    }
}

impl State {
    pub(super) fn lock(&self) -> std::sync::MutexGuard<'_, (UpdateState, Option<Update>)> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A check or an install is under way.
    pub fn busy(&self) -> bool {
        matches!(
            self.lock().0,
            UpdateState::Checking | UpdateState::Installing { .. }
        )
    }

    pub fn offer(&self) -> Option<Update> {
        self.lock().1.clone()
    }

    /// Changes the state (an update found is kept only while it is `Available`) and tells the
    /// window.
    pub fn set<R: Runtime>(&self, app: &AppHandle<R>, paths: &AppPaths, state: UpdateState) {
        self.set_with(app, paths, state, None);
    }

    pub(super) fn set_with<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        paths: &AppPaths,
        state: UpdateState,
        offer: Option<Update>,
    ) {
        {
            let mut inner = self.lock();
            let keep = matches!(
                state,
                UpdateState::Installing { .. } | UpdateState::Problem(_)
            );
            let offer = offer.or_else(|| inner.1.take().filter(|_| keep));
            *inner = (state, offer);
        }
        let _ = app.emit(CHANGED, status(app, paths));
    }
}

pub fn status<R: Runtime>(app: &AppHandle<R>, paths: &AppPaths) -> UpdateStatus {
    UpdateStatus {
        current_version: app.package_info().version.to_string(),
        checks: checks(paths),
        last_checked: last_checked(paths)
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map(|d| d.as_millis() as u64),
        state: app.state::<State>().lock().0.clone(),
    }
}
