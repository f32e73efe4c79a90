//! Whether a browser may be handed a page file rather than the sign-in link itself (see
//! `remote.rs` beside this file).

use std::path::{Path, PathBuf};

use crate::env_vars::{BROWSER, DARWINIX_BROWSER};

/// Why the browser gets the plain link; `None`: it gets a private page.
pub(super) fn plain_link_reason() -> Option<&'static str> {
    if cfg!(any(windows, target_os = "macos")) {
        return Some("other accounts cannot read a program's command line here");
    }
    if crate::machine::wsl::detect_guest().is_some() {
        return Some("the Windows browser cannot open a file of Linux's private folder");
    }
    let command = [DARWINIX_BROWSER, BROWSER]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|c| !c.trim().is_empty());
    let confined = match command {
        Some(command) => command_is_confined(&command),
        None => default_browser_is_confined(),
    };
    confined.then_some("a snap or Flatpak browser cannot read Darwinix's hidden data folder")
}

/// The command's program (the first of `$BROWSER`'s `:`-separated list) is a snap or Flatpak.
fn command_is_confined(command: &str) -> bool {
    let Some(program) = command
        .split(':')
        .find(|c| !c.trim().is_empty())
        .and_then(|c| c.split_whitespace().next())
    else {
        return false;
    };
    let path = if program.contains('/') {
        PathBuf::from(program)
    } else {
        let dirs = std::env::var_os("PATH").unwrap_or_default();
        match std::env::split_paths(&dirs)
            .map(|d| d.join(program))
            .find(|p| p.is_file())
        {
            Some(found) => found,
            None => return false,
        }
    };
    let resolved = std::fs::canonicalize(&path).unwrap_or(path);
    is_confined_program(&resolved) || program == "flatpak"
}

fn is_confined_program(path: &Path) -> bool {
    // /snap/bin/firefox is a link to /usr/bin/snap.
    path.starts_with("/snap") || path == Path::new("/usr/bin/snap") || path.ends_with("flatpak")
}

/// The desktop's default web browser (xdg-open's choice, from the `mimeapps.list` files) was
/// installed as a snap or a Flatpak. None found: not known to be confined.
fn default_browser_is_confined() -> bool {
    let home = crate::paths::home_dir().unwrap_or_default();
    let config = std::env::var_os("XDG_CONFIG_HOME").map_or(home.join(".config"), PathBuf::from);
    let data = std::env::var_os("XDG_DATA_HOME").map_or(home.join(".local/share"), PathBuf::from);
    let lists = [
        config.join("mimeapps.list"),
        PathBuf::from("/etc/xdg/mimeapps.list"),
        data.join("applications/mimeapps.list"),
        PathBuf::from("/usr/share/applications/mimeapps.list"),
        PathBuf::from("/usr/share/applications/defaults.list"),
    ];
    let Some(desktop) = lists
        .iter()
        .find_map(|l| default_handler(&std::fs::read_to_string(l).ok()?))
    else {
        return false;
    };
    let confined_dirs = [
        PathBuf::from("/var/lib/snapd/desktop/applications"),
        PathBuf::from("/var/lib/flatpak/exports/share/applications"),
        data.join("flatpak/exports/share/applications"),
    ];
    confined_dirs.iter().any(|d| d.join(&desktop).is_file())
}

/// The first desktop file named for `http` addresses in a `mimeapps.list`'s defaults.
fn default_handler(list: &str) -> Option<String> {
    let mut in_defaults = false;
    for line in list.lines().map(str::trim) {
        if line.starts_with('[') {
            in_defaults = line == "[Default Applications]";
        } else if let Some(value) = line.strip_prefix("x-scheme-handler/http=") {
            if in_defaults {
                return value
                    .split(';')
                    .map(str::trim)
                    .find(|d| !d.is_empty())
                    .map(str::to_string);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_browser_is_read_from_the_defaults_section() {
        let list = "[Added Associations]\nx-scheme-handler/http=old.desktop;\n\
                    [Default Applications]\ntext/html=x.desktop\n\
                    x-scheme-handler/http=firefox_firefox.desktop;chromium.desktop;\n";
        assert_eq!(
            default_handler(list).as_deref(),
            Some("firefox_firefox.desktop")
        );
        assert_eq!(default_handler("[Default Applications]\n"), None);
    }

    #[test]
    fn snap_and_flatpak_programs_are_confined() {
        assert!(is_confined_program(Path::new("/snap/bin/firefox")));
        assert!(is_confined_program(Path::new("/usr/bin/snap")));
        assert!(is_confined_program(Path::new("/usr/bin/flatpak")));
        assert!(!is_confined_program(Path::new("/usr/bin/firefox-esr")));
        assert!(command_is_confined("/snap/bin/firefox --new-tab %s"));
        assert!(!command_is_confined("/bin/sh -c x"));
    }
}
