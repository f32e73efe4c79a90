//! The one-time notice after the window's first close: Darwinix is still running, in the tray.

use darwinix_core::paths::AppPaths;
use darwinix_core::settings::Settings;

pub const TITLE: &str = "Darwinix is still running";
pub const TEXT: &str = "Darwinix keeps running in the tray, and so do your notebooks. \
                        Use the tray icon to open Darwinix again, stop servers, or quit.";

/// Whether to show the notice now: only the first time, and only once that is remembered
/// (a notice that could not be remembered would come back on every close).
pub fn due(paths: &AppPaths) -> bool {
    let Ok(mut settings) = Settings::load(paths) else {
        return false;
    };
    if settings.tray_notice_shown {
        return false;
    }
    settings.tray_notice_shown = true;
    settings.save(paths).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_notice_is_due_once() {
        let home = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(home.path());
        assert!(due(&paths));
        assert!(!due(&paths));
        assert!(Settings::load(&paths).unwrap().tray_notice_shown);
    }
}
