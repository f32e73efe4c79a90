//! Whether a check is on and due: the setting, the environment, and the day's stamp.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use darwinix_core::env_vars::DARWINIX_NO_UPDATE_CHECK;
use darwinix_core::paths::{write_atomically, AppPaths};
use darwinix_core::settings::Settings;
use serde::{Deserialize, Serialize};

use super::policy::{self, Checks};

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

#[derive(Serialize, Deserialize)]
struct Stamp {
    last_checked_ms: u64,
}

pub fn last_checked(paths: &AppPaths) -> Option<SystemTime> {
    let bytes = std::fs::read(paths.update_check_file()).ok()?;
    let stamp: Stamp = serde_json::from_slice(&bytes).ok()?;
    Some(UNIX_EPOCH + Duration::from_millis(stamp.last_checked_ms))
}

/// Written before the request goes out, so a check that fails is not repeated at every launch.
pub fn remember_check(paths: &AppPaths, now: SystemTime) {
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
