//! Updates: at most one check a day in the background (and Settings → Check now), the update's
//! notes in a notice, and on the user's word the signed package installed and the app restarted.
//! The updater plugin fetches the manifest (`plugins.updater` in tauri.conf.json: the GitHub
//! release's `latest.json` and the public key) and verifies every package's minisign signature;
//! `policy` decides (pure), `check` asks, `install` installs, `commands` are the window's.

pub mod check;
pub mod commands;
pub mod install;
pub mod policy;
pub mod source;

use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use darwinix_core::env_vars::DARWINIX_NO_UPDATE_CHECK;
use darwinix_core::paths::{write_atomically, AppPaths};
use darwinix_core::settings::Settings;
use serde::{Deserialize, Serialize};
use tauri::plugin::TauriPlugin;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_updater::Update;

pub use check::{Checked, Problem};
pub use install::ServersOnUpdate;
pub use policy::Checks;

/// The window listens for this; its payload is the [`UpdateStatus`].
pub const CHANGED: &str = "update-changed";
/// The background check waits this long after launch: the window's first paint and the
/// servers come first.
const FIRST_CHECK_AFTER: Duration = Duration::from_secs(6);
/// A long-running app (in the tray for weeks) asks again whether a check is due this often.
const RECHECK_EVERY: Duration = Duration::from_secs(60 * 60);

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
    fn lock(&self) -> std::sync::MutexGuard<'_, (UpdateState, Option<Update>)> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn offer(&self) -> Option<Update> {
        self.lock().1.clone()
    }

    /// Changes the state (an update found is kept only while it is `Available`) and tells the
    /// window.
    pub fn set<R: Runtime>(&self, app: &AppHandle<R>, paths: &AppPaths, state: UpdateState) {
        self.set_with(app, paths, state, None);
    }

    fn set_with<R: Runtime>(
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

/// The updater plugin (its endpoint and key from `plugins.updater`). The app also manages a
/// [`State`].
pub fn plugin<R: Runtime>() -> TauriPlugin<R, tauri_plugin_updater::Config> {
    tauri_plugin_updater::Builder::new().build()
}

/// Whether checks are on: Settings → Updates and `DARWINIX_NO_UPDATE_CHECK`.
pub fn checks(paths: &AppPaths) -> Checks {
    let setting = Settings::load(paths)
        .map(|s| s.update_checks)
        .unwrap_or(true);
    policy::checks(
        setting,
        std::env::var_os(DARWINIX_NO_UPDATE_CHECK).as_deref(),
    )
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

/// The background check: asks only when checks are on and none was made in the last day.
/// Returns whether it asked.
pub async fn check_if_due<R: Runtime>(app: &AppHandle<R>, paths: &AppPaths) -> bool {
    let busy = matches!(
        app.state::<State>().lock().0,
        UpdateState::Checking | UpdateState::Installing { .. }
    );
    if checks(paths) != Checks::On
        || busy
        || !policy::is_due(last_checked(paths), SystemTime::now())
    {
        return false;
    }
    run_check(app, paths).await;
    true
}

/// Check now (Settings): asks whenever checks are on; when they are off nothing is asked.
pub async fn check_now<R: Runtime>(
    app: &AppHandle<R>,
    paths: &AppPaths,
) -> Result<UpdateStatus, Problem> {
    match checks(paths) {
        Checks::On => Ok(run_check(app, paths).await),
        Checks::OffInSettings => Err(Problem::failed(
            "Update checks are turned off.",
            "Turn on “Check for updates” in Settings → Updates and save, then click Check now.",
            String::new(),
        )),
        Checks::OffByEnvironment => Err(Problem::failed(
            "Update checks are turned off for this computer (DARWINIX_NO_UPDATE_CHECK).",
            "Your administrator provides updates another way.",
            String::new(),
        )),
    }
}

async fn run_check<R: Runtime>(app: &AppHandle<R>, paths: &AppPaths) -> UpdateStatus {
    let state = app.state::<State>();
    state.set(app, paths, UpdateState::Checking);
    remember_check(paths, SystemTime::now());
    match check::check(app, &source::Overrides::from_env()).await {
        Ok(Checked::UpToDate) => state.set(app, paths, UpdateState::UpToDate),
        Ok(Checked::Found(update)) => {
            let available = Available {
                version: update.version.clone(),
                notes: update.body.clone().filter(|n| !n.trim().is_empty()),
                download_only: match policy::install_way(&install::facts()) {
                    policy::InstallWay::Here => None,
                    policy::InstallWay::Download { why } => Some(why),
                },
                release_page: source::release_page(Some(&update.version)),
            };
            state.set_with(app, paths, UpdateState::Available(available), Some(*update));
        }
        Err(problem) => state.set(app, paths, UpdateState::Problem(problem)),
    }
    status(app, paths)
}

/// Checks in the background some seconds after launch, then whenever one is due.
pub fn watch(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(FIRST_CHECK_AFTER).await;
        loop {
            let paths = app.state::<crate::state::AppState>().paths.clone();
            check_if_due(&app, &paths).await;
            tokio::time::sleep(RECHECK_EVERY).await;
        }
    });
}

#[derive(Serialize, Deserialize)]
struct Stamp {
    last_checked_ms: u64,
}

fn last_checked(paths: &AppPaths) -> Option<SystemTime> {
    let bytes = std::fs::read(paths.update_check_file()).ok()?;
    let stamp: Stamp = serde_json::from_slice(&bytes).ok()?;
    Some(UNIX_EPOCH + Duration::from_millis(stamp.last_checked_ms))
}

/// Written before the request goes out, so a check that fails is not repeated at every launch.
fn remember_check(paths: &AppPaths, now: SystemTime) {
    let ms = now
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis() as u64;
    let bytes = serde_json::to_vec(&Stamp {
        last_checked_ms: ms,
    })
    .expect("plain data");
    let _ = write_atomically(&paths.update_check_file(), &bytes);
}
