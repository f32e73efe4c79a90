//! macOS `PATH` repair. An app started from Finder gets launchd's `/usr/bin:/bin:/usr/sbin:/sbin`,
//! so Homebrew, pyenv and Nix Pythons are invisible. We read the login shell's environment once
//! (with a timeout: a slow `.zshrc` must not hang the app) and fall back to well-known folders.
//! The parsing and merging are pure functions, tested everywhere; only running the shell is macOS.

use std::collections::HashSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Brackets the environment dump, so whatever the user's rc files print is ignored.
pub const MARKER: &str = "__DARWINIX_ENV_5F3A__";

/// How long the login shell may take.
pub const LOGIN_SHELL_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

const LAUNCHD_DIRS: [&str; 4] = ["/usr/bin", "/bin", "/usr/sbin", "/sbin"];

/// True when `PATH` holds nothing beyond launchd's system folders: we were started from Finder.
pub fn needs_repair(path: &str) -> bool {
    path.split(':')
        .filter(|d| !d.is_empty())
        .all(|d| LAUNCHD_DIRS.contains(&d))
}

/// The `-c` script for `$SHELL -ilc`: the NUL-separated environment between two markers.
pub fn login_shell_script() -> String {
    format!("printf '%s' '{MARKER}'; /usr/bin/env -0; printf '%s' '{MARKER}'")
}

/// Extracts the environment from the shell's output; `None` when the markers are missing.
pub fn parse_env_dump(stdout: &[u8]) -> Option<Vec<(String, String)>> {
    let text = String::from_utf8_lossy(stdout);
    let start = text.find(MARKER)? + MARKER.len();
    let end = start + text[start..].find(MARKER)?;
    Some(
        text[start..end]
            .split('\0')
            .filter_map(|entry| entry.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

/// Folders where macOS users' tools live even when the shell could not tell us.
pub fn fallback_dirs(home: Option<&Path>) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = ["/opt/homebrew/bin", "/usr/local/bin"]
        .iter()
        .map(PathBuf::from)
        .collect();
    if let Some(home) = home {
        dirs.push(home.join(".local/bin"));
        dirs.push(home.join(".pyenv/shims"));
    }
    // Every Nix layout, except /usr/bin which launchd's PATH already has.
    let user = std::env::var(crate::env_vars::USER).ok();
    let nix = crate::machine::nix::well_known_dirs(home, user.as_deref());
    dirs.extend(nix.into_iter().filter(|d| d != Path::new("/usr/bin")));
    dirs
}

/// The login shell's `PATH` first, then the one we were given, then the fallbacks; no duplicates.
pub fn merged_path(login_path: Option<&str>, current: &str, fallbacks: &[PathBuf]) -> String {
    let mut seen = HashSet::new();
    let login = login_path.unwrap_or("").split(':');
    let fallbacks = fallbacks.iter().filter_map(|p| p.to_str());
    login
        .chain(current.split(':'))
        .chain(fallbacks)
        .filter(|d| !d.is_empty() && seen.insert(d.to_string()))
        .collect::<Vec<_>>()
        .join(":")
}

/// `PATH` as the user's terminal would have it.
#[cfg(target_os = "macos")]
pub async fn repaired_path() -> OsString {
    // Lossy rather than dropped: one odd folder must not cost the user the rest of PATH.
    let current = std::env::var_os(crate::env_vars::PATH).unwrap_or_default();
    let current = current.to_string_lossy().into_owned();
    if !needs_repair(&current) {
        return current.into();
    }
    let shell = std::env::var(crate::env_vars::SHELL).unwrap_or_else(|_| "/bin/zsh".into());
    let mut cmd = crate::process::command(&shell);
    cmd.args(["-ilc", &login_shell_script()]);
    let login_path = match crate::process::output(cmd, LOGIN_SHELL_TIMEOUT).await {
        Ok(out) => parse_env_dump(&out.stdout).and_then(|env| {
            env.into_iter()
                .find(|(k, _)| k == crate::env_vars::PATH)
                .map(|(_, v)| v)
        }),
        Err(_) => None,
    };
    let home = crate::paths::home_dir();
    merged_path(
        login_path.as_deref(),
        &current,
        &fallback_dirs(home.as_deref()),
    )
    .into()
}

// Only Finder-launched macOS apps lose the user's PATH; elsewhere the inherited one is right.
#[cfg(not(target_os = "macos"))]
pub async fn repaired_path() -> OsString {
    std::env::var_os(crate::env_vars::PATH).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finder_path_needs_repair_terminal_path_does_not() {
        assert!(needs_repair("/usr/bin:/bin:/usr/sbin:/sbin"));
        assert!(needs_repair(""));
        assert!(!needs_repair("/opt/homebrew/bin:/usr/bin:/bin"));
    }

    #[test]
    fn env_dump_ignores_rc_file_noise() {
        let mut out = b"Welcome to zsh!\nLast login: today\n".to_vec();
        out.extend_from_slice(MARKER.as_bytes());
        out.extend_from_slice(b"PATH=/opt/homebrew/bin:/usr/bin\0HOME=/Users/ann\0MULTI=a\nb\0");
        out.extend_from_slice(MARKER.as_bytes());
        out.extend_from_slice(b"goodbye\n");
        let env = parse_env_dump(&out).unwrap();
        assert!(env.contains(&("PATH".into(), "/opt/homebrew/bin:/usr/bin".into())));
        assert!(env.contains(&("MULTI".into(), "a\nb".into())));
        assert_eq!(parse_env_dump(b"no markers here"), None);
    }

    #[test]
    fn script_prints_markers_around_env() {
        let s = login_shell_script();
        assert_eq!(s.matches(MARKER).count(), 2);
        assert!(s.contains("/usr/bin/env -0"));
    }

    #[test]
    fn merged_path_prefers_login_shell_and_dedupes() {
        let fallbacks = fallback_dirs(Some(Path::new("/Users/ann")));
        let merged = merged_path(
            Some("/Users/ann/.pyenv/shims:/opt/homebrew/bin:/usr/bin"),
            "/usr/bin:/bin",
            &fallbacks,
        );
        let dirs: Vec<&str> = merged.split(':').collect();
        assert_eq!(
            &dirs[..4],
            [
                "/Users/ann/.pyenv/shims",
                "/opt/homebrew/bin",
                "/usr/bin",
                "/bin"
            ]
        );
        assert_eq!(
            dirs.iter().filter(|d| **d == "/opt/homebrew/bin").count(),
            1
        );
        assert!(dirs.contains(&"/Users/ann/.local/bin"));
        // The shell timed out: fallbacks still rescue Homebrew.
        let merged = merged_path(None, "/usr/bin:/bin", &fallbacks);
        assert!(merged.starts_with("/usr/bin:/bin:/opt/homebrew/bin"));
    }
}
