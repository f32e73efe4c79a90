//! Nix: where it is installed, which flavour and version, and whether flakes are on.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use crate::process;

/// Always passed to `nix`, so Darwinix works whether or not the user enabled flakes.
pub const EXPERIMENTAL_FEATURES: [&str; 2] =
    ["--extra-experimental-features", "nix-command flakes"];

const NIX_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum NixStatus {
    Absent,
    /// A `nix` binary exists but does not answer `--version` sensibly.
    Broken {
        path: PathBuf,
        reason: String,
    },
    Present(NixInstall),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct NixInstall {
    pub path: PathBuf,
    #[serde(flatten)]
    pub version: NixVersion,
    /// `None` when the check itself failed.
    pub flakes: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct NixVersion {
    /// `Nix`, `Determinate Nix`, `Lix`, or whatever else the binary calls itself.
    pub flavour: String,
    /// The flavour's own version where it has one (Determinate Nix 3.4.1 is Nix 2.28.2).
    pub flavour_version: Option<String>,
    /// The Nix language/CLI version.
    pub version: String,
}

/// Parses `nix --version`: `nix (Nix) 2.8.0`, `nix (Determinate Nix 3.4.1) 2.28.2`,
/// `nix (Lix, like Nix) 2.91.0`.
pub fn parse_version(text: &str) -> Option<NixVersion> {
    let line = text.lines().find(|l| !l.trim().is_empty())?.trim();
    let rest = line.strip_prefix("nix (")?;
    let (inside, after) = rest.split_once(") ")?;
    let version = after.split_whitespace().next()?.to_string();
    if !version.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    // "Lix, like Nix" -> "Lix"; "Determinate Nix 3.4.1" -> ("Determinate Nix", "3.4.1").
    let name = inside.split(',').next().unwrap_or(inside).trim();
    let (flavour, flavour_version) = match name.rsplit_once(' ') {
        Some((n, v)) if v.starts_with(|c: char| c.is_ascii_digit()) => {
            (n.to_string(), Some(v.to_string()))
        }
        _ => (name.to_string(), None),
    };
    Some(NixVersion {
        flavour,
        flavour_version,
        version,
    })
}

/// Where Nix puts `nix` on each install layout, after whatever PATH has.
pub fn well_known_dirs(home: Option<&Path>, user: Option<&str>) -> Vec<PathBuf> {
    let mut dirs = vec![PathBuf::from("/nix/var/nix/profiles/default/bin")];
    if let Some(home) = home {
        dirs.push(home.join(".nix-profile/bin"));
        dirs.push(home.join(".local/state/nix/profile/bin"));
    }
    dirs.push(PathBuf::from("/run/current-system/sw/bin"));
    if let Some(user) = user {
        dirs.push(
            PathBuf::from("/etc/profiles/per-user")
                .join(user)
                .join("bin"),
        );
    }
    dirs.push(PathBuf::from("/usr/bin"));
    dirs
}

/// Finds and asks the first `nix` in `dirs`.
pub async fn detect(dirs: &[PathBuf]) -> NixStatus {
    let Some(nix) = dirs
        .iter()
        .map(|d| d.join(exe("nix")))
        .find(|p| p.is_file())
    else {
        return NixStatus::Absent;
    };
    let mut cmd = process::command(&nix);
    cmd.arg("--version");
    let version = match process::output(cmd, NIX_TIMEOUT).await {
        Ok(out) => match parse_version(&out.stdout_text()) {
            Some(v) => v,
            None => {
                let said = first_line(&out.stdout_text(), &out.stderr_text());
                return NixStatus::Broken {
                    path: nix,
                    reason: format!("`nix --version` printed {said:?}"),
                };
            }
        },
        Err(e) => {
            return NixStatus::Broken {
                path: nix,
                reason: e.to_string(),
            }
        }
    };
    let flakes = flakes_enabled(&nix).await;
    NixStatus::Present(NixInstall {
        path: nix,
        version,
        flakes,
    })
}

/// `builtins.getFlake` exists exactly when flakes are enabled, on every Nix version (unlike
/// `nix config show`, which 2.8 lacks).
async fn flakes_enabled(nix: &Path) -> Option<bool> {
    // `nix-instantiate` sits next to `nix` in its real folder, which may not be where the
    // `nix` we found (a symlink) is.
    let beside = |p: &Path| p.with_file_name(exe("nix-instantiate"));
    let instantiate = std::iter::once(beside(nix))
        .chain(dunce::canonicalize(nix).ok().map(|real| beside(&real)))
        .find(|p| p.is_file())?;
    let mut cmd = process::command(&instantiate);
    cmd.args(["--eval", "-E", "builtins ? getFlake"]);
    let out = process::output(cmd, NIX_TIMEOUT).await.ok()?;
    match out.stdout_text().trim() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

fn first_line(stdout: &str, stderr: &str) -> String {
    let text = if stdout.trim().is_empty() {
        stderr
    } else {
        stdout
    };
    text.lines()
        .next()
        .unwrap_or("")
        .chars()
        .take(120)
        .collect()
}

fn exe(name: &str) -> String {
    format!("{name}{}", std::env::consts::EXE_SUFFIX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_flavours() {
        let v = parse_version("nix (Nix) 2.8.0\n").unwrap();
        assert_eq!(
            (v.flavour.as_str(), v.flavour_version, v.version.as_str()),
            ("Nix", None, "2.8.0")
        );
        let v = parse_version("nix (Determinate Nix 3.4.1) 2.28.2").unwrap();
        assert_eq!(v.flavour, "Determinate Nix");
        assert_eq!(v.flavour_version.as_deref(), Some("3.4.1"));
        assert_eq!(v.version, "2.28.2");
        let v = parse_version("nix (Lix, like Nix) 2.91.0\n").unwrap();
        assert_eq!((v.flavour.as_str(), v.version.as_str()), ("Lix", "2.91.0"));
    }

    #[test]
    fn garbage_is_not_a_version() {
        assert_eq!(parse_version(""), None);
        assert_eq!(parse_version("command not found"), None);
        assert_eq!(parse_version("nix (Nix) unknown"), None);
    }

    #[test]
    fn well_known_dirs_cover_every_layout() {
        let dirs = well_known_dirs(Some(Path::new("/home/ann")), Some("ann"));
        for d in [
            "/nix/var/nix/profiles/default/bin",
            "/home/ann/.nix-profile/bin",
            "/home/ann/.local/state/nix/profile/bin",
            "/run/current-system/sw/bin",
            "/etc/profiles/per-user/ann/bin",
            "/usr/bin",
        ] {
            assert!(dirs.contains(&PathBuf::from(d)), "{d}");
        }
    }

    #[cfg(unix)]
    mod with_fake_nix {
        use super::super::*;
        use std::os::unix::fs::PermissionsExt;

        fn script(dir: &Path, name: &str, body: &str) {
            let p = dir.join(name);
            std::fs::write(&p, format!("#!/bin/sh\n{body}\n")).unwrap();
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        }

        #[tokio::test]
        async fn lix_with_flakes() {
            let dir = tempfile::tempdir().unwrap();
            script(dir.path(), "nix", "echo 'nix (Lix, like Nix) 2.91.0'");
            script(dir.path(), "nix-instantiate", "echo true");
            let NixStatus::Present(nix) = detect(&[dir.path().to_path_buf()]).await else {
                panic!()
            };
            assert_eq!(nix.version.flavour, "Lix");
            assert_eq!(nix.flakes, Some(true));
        }

        #[tokio::test]
        async fn absent_and_broken() {
            let dir = tempfile::tempdir().unwrap();
            assert_eq!(detect(&[dir.path().to_path_buf()]).await, NixStatus::Absent);
            script(dir.path(), "nix", "echo oops >&2; exit 1");
            let NixStatus::Broken { reason, .. } = detect(&[dir.path().to_path_buf()]).await else {
                panic!()
            };
            assert!(reason.contains("oops"), "{reason}");
        }
    }
}
