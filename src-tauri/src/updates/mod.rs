//! Updates: at most one check a day in the background (and Settings → Check now), the update's
//! notes in a notice, and on the user's word the signed package installed and the app restarted.
//! The updater plugin fetches the manifest (`plugins.updater` in tauri.conf.json: the GitHub
//! release's `latest.json` and the public key) and verifies every package's minisign signature;
//! `policy` decides (pure), `check` asks, `install` installs, `commands` are the window's.

pub mod check;
pub mod commands;
pub mod due;
pub mod install;
pub mod policy;
pub mod source;
pub mod state;

use std::time::{Duration, SystemTime};

use darwinix_core::paths::AppPaths;
use tauri::plugin::TauriPlugin;
use tauri::{AppHandle, Manager, Runtime};

pub use check::{Checked, Problem};
pub use due::checks;
pub use install::ServersOnUpdate;
pub use policy::Checks;
pub use state::{status, Available, State, UpdateState, UpdateStatus, CHANGED};

use due::{last_checked, remember_check};
/// The background check waits this long after launch: the window's first paint and the
/// servers come first.
const FIRST_CHECK_AFTER: Duration = Duration::from_secs(6);
/// A long-running app (in the tray for weeks) asks again whether a check is due this often.
const RECHECK_EVERY: Duration = Duration::from_secs(60 * 60);

/// The updater plugin (its endpoint and key from `plugins.updater`). The app also manages a
/// [`State`].
pub fn plugin<R: Runtime>() -> TauriPlugin<R, tauri_plugin_updater::Config> {
    tauri_plugin_updater::Builder::new().build()
}

/// The background check: asks only when checks are on and none was made in the last day.
/// Returns whether it asked.
pub async fn check_if_due<R: Runtime>(app: &AppHandle<R>, paths: &AppPaths) -> bool {
    if checks(paths) != Checks::On
        || app.state::<State>().busy()
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
            let paths = app.state::<AppPaths>().inner().clone();
            check_if_due(&app, &paths).await;
            tokio::time::sleep(RECHECK_EVERY).await;
        }
    });
}
