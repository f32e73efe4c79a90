//! The "Start at login" entry the app's autostart plugin (tauri-plugin-autostart, through the
//! auto-launch crate) makes, named after the app (`productName`): found and removed for
//! uninstall. Linux: `~/.config/autostart/Darwinix.desktop`; macOS:
//! `~/Library/LaunchAgents/Darwinix.plist`; Windows: the `Darwinix` value of the user's
//! `Run` key (and its `StartupApproved` twin).

use std::path::PathBuf;

use super::cleaned::Removed;
use crate::error::{Error, Result};

/// The app's name as the plugin uses it.
const APP_NAME: &str = "Darwinix";

/// The entry's file, as auto-launch names it (from the home folder, as it does).
#[cfg(not(windows))]
fn entry_file() -> Option<PathBuf> {
    let home = crate::paths::home_dir()?;
    Some(if cfg!(target_os = "macos") {
        home.join("Library/LaunchAgents")
            .join(format!("{APP_NAME}.plist"))
    } else {
        home.join(".config/autostart")
            .join(format!("{APP_NAME}.desktop"))
    })
}

/// The entry when there is one, without removing it.
#[cfg(not(windows))]
pub(super) fn find() -> Option<Removed> {
    let file = entry_file().filter(|f| f.is_file())?;
    Some(Removed {
        what: "the Start at login entry".into(),
        bytes: std::fs::symlink_metadata(&file).map_or(0, |m| m.len()),
        path: Some(file),
    })
}

/// Removes the entry; `None` when there was none.
#[cfg(not(windows))]
pub(super) fn remove() -> Result<Option<Removed>> {
    let Some(found) = find() else {
        return Ok(None);
    };
    let file = found.path.clone().expect("a file");
    std::fs::remove_file(&file).map_err(|source| Error::Remove { path: file, source })?;
    Ok(Some(found))
}

#[cfg(windows)]
const RUN_KEYS: [&str; 2] = [
    r"SOFTWARE\Microsoft\Windows\CurrentVersion\Run",
    r"SOFTWARE\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run",
];

#[cfg(windows)]
pub(super) fn find() -> Option<Removed> {
    use winreg::{enums::HKEY_CURRENT_USER, RegKey};
    let run = RegKey::predef(HKEY_CURRENT_USER)
        .open_subkey(RUN_KEYS[0])
        .ok()?;
    run.get_raw_value(APP_NAME).ok()?;
    Some(Removed {
        what: "the Start at login entry".into(),
        path: Some(PathBuf::from(format!(
            r"HKEY_CURRENT_USER\{}\{APP_NAME}",
            RUN_KEYS[0]
        ))),
        bytes: 0,
    })
}

#[cfg(windows)]
pub(super) fn remove() -> Result<Option<Removed>> {
    use winreg::{enums::HKEY_CURRENT_USER, enums::KEY_SET_VALUE, RegKey};
    let Some(found) = find() else {
        return Ok(None);
    };
    let user = RegKey::predef(HKEY_CURRENT_USER);
    for key in RUN_KEYS {
        let Ok(k) = user.open_subkey_with_flags(key, KEY_SET_VALUE) else {
            continue;
        };
        match k.delete_value(APP_NAME) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(Error::Remove {
                    path: PathBuf::from(format!(r"HKEY_CURRENT_USER\{key}\{APP_NAME}")),
                    source: e,
                })
            }
            _ => {}
        }
    }
    Ok(Some(found))
}
