//! The private folder for ssh's master sockets and Darwinix's own forward sockets, and how its
//! path is written for ssh (which expands `%` tokens and `${VARIABLES}` in both).

use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::paths::AppPaths;

/// The longest folder for master sockets: a socket path holds 104 bytes on macOS (108 on
/// Linux), and ssh adds `/` + 40 hex digits + a 17-byte temporary suffix.
const CONTROL_DIR_MAX: usize = 45;

/// A private folder for sockets: in Darwinix's data folder when ssh can be given its path
/// (short enough, no character ssh would read specially), else `/tmp/darwinix-UID` (made by
/// us and checked to be ours and private, as ssh-agent does).
pub(super) fn control_dir(paths: &AppPaths) -> Result<PathBuf> {
    let preferred = paths.ssh_sockets();
    if usable(&preferred) {
        crate::fs::private::create_dir(&preferred)?;
        check_private(&preferred)?;
        return Ok(preferred);
    }
    let dir = short_dir();
    make_private(&dir)?;
    Ok(dir)
}

fn usable(dir: &Path) -> bool {
    // Windows: no sockets and no ControlPath there; the folder keeps pid files and logs.
    dir.as_os_str().len() <= CONTROL_DIR_MAX && (cfg!(windows) || for_ssh(dir).is_some())
}

/// The private folder outside Darwinix's own folders that this home's sockets use, when it
/// exists and is ours: for uninstall.
pub(crate) fn outside_socket_dir(paths: &AppPaths) -> Option<PathBuf> {
    let dir = short_dir();
    let used = !usable(&paths.ssh_sockets());
    (used && dir.is_dir() && check_private(&dir).is_ok()).then_some(dir)
}

/// `path` as ssh reads it in `ControlPath` and in a forward's socket path: `%` doubled (ssh
/// expands `%C`, `%h`… there). `None` when ssh cannot be given it: not UTF-8, a control
/// character, a `:` (it separates a forward's parts), `$` (`${HOME}` is expanded), or a
/// quote or backslash (the option's own quoting).
pub(super) fn for_ssh(path: &Path) -> Option<String> {
    let text = path.to_str()?;
    let bad = |c: char| c.is_control() || ":$\"'\\".contains(c);
    (!text.chars().any(bad)).then(|| text.replace('%', "%%"))
}

/// The `ControlPath` option for sockets in `dir`: quoted, so that a space stays in the path.
#[cfg_attr(windows, allow(dead_code))]
pub(super) fn control_path(dir: &Path) -> String {
    let dir = for_ssh(dir).expect("control_dir chose a folder ssh can be given");
    format!("ControlPath=\"{dir}/%C\"")
}

#[cfg(unix)]
fn short_dir() -> PathBuf {
    PathBuf::from(format!(
        "/tmp/darwinix-{}",
        rustix::process::getuid().as_raw()
    ))
}

// Windows: no sockets, the folder only keeps the place.
#[cfg(windows)]
fn short_dir() -> PathBuf {
    std::env::temp_dir().join("darwinix-ssh")
}

/// Makes `dir` in a folder everyone may write to (`/tmp`): with `mkdir` and mode 0700, which
/// never follows a link someone else put there first; an existing one is used only when it is
/// a real private folder of ours. Never `chmod`: that would follow a link to another's folder.
#[cfg(unix)]
pub(super) fn make_private(dir: &Path) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    match std::fs::DirBuilder::new().mode(0o700).create(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(source) => {
            return Err(crate::error::Error::CreateDir {
                path: dir.to_path_buf(),
                source,
            })
        }
    }
    check_private(dir)
}

// Windows: the folder is in the user's own temporary folder, private by its ACL.
#[cfg(windows)]
pub(super) fn make_private(dir: &Path) -> Result<()> {
    crate::fs::private::create_dir(dir)
}

// Unix: a folder in /tmp could have been made by someone else first: use it only when it is a
// real folder of ours that nobody else can enter.
#[cfg(unix)]
fn check_private(dir: &Path) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::symlink_metadata(dir).map_err(|source| crate::error::Error::CreateDir {
        path: dir.to_path_buf(),
        source,
    })?;
    let why = if meta.file_type().is_symlink() {
        "it is a symbolic link, not a folder (another account may have made it): remove it"
    } else if !meta.is_dir() {
        "it is not a folder: remove it"
    } else if meta.uid() != rustix::process::getuid().as_raw() {
        "it belongs to another account: remove it (as that account or an administrator)"
    } else if meta.mode() & 0o077 != 0 {
        "others may enter it: remove it, or make it private with `chmod 700`"
    } else {
        return Ok(());
    };
    Err(crate::error::Error::CreateDir {
        path: dir.to_path_buf(),
        source: std::io::Error::new(std::io::ErrorKind::PermissionDenied, why),
    })
}

// Windows: the profile's ACL keeps the folder private.
#[cfg(windows)]
fn check_private(_dir: &Path) -> Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_long_data_folder_falls_back_to_a_private_short_one() {
        let home = tempfile::tempdir().unwrap();
        let long = home.path().join("x".repeat(60));
        let dir = control_dir(&AppPaths::under(&long)).unwrap();
        assert!(
            dir.as_os_str().len() <= CONTROL_DIR_MAX,
            "{}",
            dir.display()
        );
        assert!(
            dir.to_string_lossy().starts_with("/tmp/darwinix-"),
            "{}",
            dir.display()
        );
    }

    #[test]
    fn a_folder_others_may_enter_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        assert!(check_private(dir.path()).is_err());
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
        check_private(dir.path()).unwrap();
    }

    #[test]
    fn percent_and_space_reach_ssh_as_themselves() {
        let dir = Path::new("/home/a b/100%/ssh");
        assert_eq!(control_path(dir), "ControlPath=\"/home/a b/100%%/ssh/%C\"");
        for odd in ["/h/a:b", "/h/${HOME}", "/h/a\"b", "/h/a\\b", "/h/a\tb"] {
            assert_eq!(for_ssh(Path::new(odd)), None, "{odd}");
        }
        assert!(!usable(Path::new("/h/${X}/ssh")));
    }

    /// Runs `sh -c script` as `user` (root runs the tests; another account shows what a
    /// stranger can do), or as ourselves when we cannot switch.
    fn as_user(user: &str, script: &str) {
        let root = rustix::process::getuid().is_root();
        let mut cmd = if root {
            let made = std::process::Command::new("id")
                .arg("-u")
                .arg(user)
                .output();
            if !made.is_ok_and(|o| o.status.success()) {
                let added = std::process::Command::new("useradd")
                    .args(["-M", "-s", "/bin/sh", user])
                    .status()
                    .unwrap();
                assert!(added.success(), "useradd {user}");
            }
            let mut c = std::process::Command::new("runuser");
            c.args(["-u", user, "--"]);
            c
        } else {
            std::process::Command::new("env")
        };
        let status = cmd.args(["sh", "-c", script]).status().unwrap();
        assert!(status.success(), "{script}");
    }

    #[test]
    fn a_link_another_account_put_in_place_is_refused_and_its_target_left_alone() {
        use std::os::unix::fs::PermissionsExt;
        // A stand-in for /tmp: sticky, everyone may write.
        let tmp = tempfile::tempdir().unwrap();
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o1777)).unwrap();
        let theirs = tmp.path().join("theirs");
        let ours = tmp.path().join("darwinix-0");
        as_user(
            "dxattacker",
            &format!(
                "mkdir -m 755 '{t}' && ln -s '{t}' '{o}'",
                t = theirs.display(),
                o = ours.display()
            ),
        );
        let err = make_private(&ours).unwrap_err();
        let said = format!("{err}: {}", std::error::Error::source(&err).unwrap());
        assert!(said.contains("symbolic link"), "{said}");
        let mode = std::fs::metadata(&theirs).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o755, "the link's target was not changed");
        assert!(std::fs::symlink_metadata(&ours).unwrap().is_symlink());
        // A folder of ours made fresh is private from the start.
        let fresh = tmp.path().join("darwinix-fresh");
        make_private(&fresh).unwrap();
        let mode = std::fs::metadata(&fresh).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }
}
