//! Linux: the app and the light tray are one process that changes its program. Closing the
//! window `exec`s the light tray (no web view, a tenth of the memory); Show or a second launch
//! `exec`s the app again. The pid stays the same, so the single-instance name, the servers
//! started as its children and anything watching the pid carry over.

use std::ffi::OsString;
use std::fs::File;
use std::io;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use darwinix_core::paths::AppPaths;

/// The light tray's program, installed beside the app's.
pub const TRAY_PROGRAM: &str = "darwinix-tray";
/// The app's program, installed beside the light tray's.
pub const APP_PROGRAM: &str = "darwinix-app";
/// Tells the light tray it takes over from a window just closed (it may owe the notice).
pub const AFTER_CLOSE: &str = "--after-close";
/// The single-instance D-Bus name and object of both programs (Tauri's single-instance
/// plugin's, for the identifier `org.darwinix.app`).
pub const BUS_NAME: &str = "org.darwinix.app.SingleInstance";
pub const BUS_PATH: &str = "/org/darwinix/app/SingleInstance";
pub const BUS_INTERFACE: &str = "org.SingleInstance.DBus";

/// `name` in the folder of the running program.
pub fn sibling(name: &str) -> io::Result<PathBuf> {
    let exe = std::env::current_exe()?;
    let dir = exe.parent().ok_or_else(|| io::Error::other("no folder"))?;
    let path = dir.join(name);
    if path.is_file() {
        Ok(path)
    } else {
        Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("{} is not installed", path.display()),
        ))
    }
}

/// Replaces this process's program with `program args`, run in `cwd`, without the variables
/// `unset` (ones this program set for itself); returns only when that failed (the caller
/// carries on as it was).
pub fn exec(program: &Path, args: &[OsString], cwd: Option<&Path>, unset: &[&str]) -> io::Error {
    let mut command = Command::new(program);
    command.args(args);
    for name in unset {
        command.env_remove(name);
    }
    if let Some(cwd) = cwd.filter(|c| c.is_dir()) {
        command.current_dir(cwd);
    }
    command.exec()
}

/// Whether Darwinix is in the middle of something that must not be cut off by a change of
/// program: a setup, a start or a package change holds its lock file while it runs.
pub fn busy(paths: &AppPaths) -> bool {
    let Ok(locks) = std::fs::read_dir(paths.lock("x").parent().unwrap_or(&paths.data)) else {
        return false;
    };
    locks.flatten().any(|lock| {
        File::open(lock.path())
            .is_ok_and(|f| matches!(f.try_lock_shared(), Err(std::fs::TryLockError::WouldBlock)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_lock_is_busy_and_a_released_one_is_not() {
        let home = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(home.path());
        assert!(!busy(&paths), "no lock folder yet");
        let lock = paths.lock("p.lock");
        std::fs::create_dir_all(lock.parent().unwrap()).unwrap();
        let held = File::create(&lock).unwrap();
        held.lock().unwrap();
        assert!(busy(&paths));
        drop(held);
        assert!(!busy(&paths));
    }

    #[test]
    fn a_missing_sibling_names_its_path() {
        let err = sibling("no-such-program-here").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
        assert!(err.to_string().contains("no-such-program-here"));
    }
}
