//! What the file system says about who may have written a folder's setup: its owner, whether
//! others may write to it, and whether it came from the internet (the marks browsers and
//! archive tools leave on downloads).

use std::path::Path;

/// The facts about one path that make it foreign.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// The account that owns it, when that is not the user: its name, or `uid N`.
    pub other_owner: Option<String>,
    /// Another account may change it (a world- or group-writable folder or file).
    pub writable_by_others: bool,
    /// It carries a download mark (macOS quarantine, Windows' Zone.Identifier, the origin URL
    /// Chromium writes on Linux).
    pub downloaded: bool,
}

impl Facts {
    /// The facts of several paths at once: foreign when any of them is.
    pub fn merge(mut self, other: Facts) -> Facts {
        self.other_owner = self.other_owner.or(other.other_owner);
        self.writable_by_others |= other.writable_by_others;
        self.downloaded |= other.downloaded;
        self
    }
}

/// The facts of `path` (a missing path has none: there is nothing to install from it).
pub fn of(path: &Path) -> Facts {
    let Ok(meta) = std::fs::metadata(path) else {
        return Facts::default();
    };
    let (other_owner, writable_by_others) = ownership(&meta);
    Facts {
        other_owner,
        writable_by_others,
        downloaded: downloaded(path),
    }
}

// Unix: the owner and the mode bits say it. Group-writable counts when the group holds other
// accounts too; a personal group (the usual `ann:ann`) is the user alone, so only bits for
// the world and for a group that is not the user's own are foreign.
#[cfg(unix)]
fn ownership(meta: &std::fs::Metadata) -> (Option<String>, bool) {
    use std::os::unix::fs::MetadataExt;
    let me = rustix::process::getuid().as_raw();
    let other_owner = (meta.uid() != me).then(|| account_name(meta.uid()));
    let personal_group = meta.gid() == rustix::process::getgid().as_raw()
        && group_name(meta.gid()).is_some_and(|g| Some(&g) == user_name(me).as_ref());
    let group_writable = meta.mode() & 0o020 != 0 && !personal_group;
    // A sticky world-writable folder (/tmp) lets no one else change what the user owns in it;
    // the folder itself being such is still foreign: anyone may add files to it.
    (other_owner, meta.mode() & 0o002 != 0 || group_writable)
}

// Windows: the owner is an ACL question that the profile's defaults answer (a folder below
// the user's profile is theirs); the download mark is what tells a foreign folder there.
#[cfg(windows)]
fn ownership(_meta: &std::fs::Metadata) -> (Option<String>, bool) {
    (None, false)
}

#[cfg(unix)]
fn account_name(uid: u32) -> String {
    user_name(uid).unwrap_or_else(|| format!("uid {uid}"))
}

/// The name of account `uid` from /etc/passwd (enough for the sentence; macOS keeps most
/// accounts elsewhere, and then the number is said).
#[cfg(unix)]
fn user_name(uid: u32) -> Option<String> {
    name_in("/etc/passwd", uid)
}

#[cfg(unix)]
fn group_name(gid: u32) -> Option<String> {
    name_in("/etc/group", gid)
}

#[cfg(unix)]
fn name_in(file: &str, id: u32) -> Option<String> {
    let text = std::fs::read_to_string(file).ok()?;
    text.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        let id_field = fields.nth(1)?;
        (id_field.parse::<u32>().ok()? == id).then(|| name.to_string())
    })
}

// macOS: Safari, Chrome, Mail and Archive Utility mark downloads (and what is unpacked from
// them) with `com.apple.quarantine`.
#[cfg(target_os = "macos")]
fn downloaded(path: &Path) -> bool {
    has_xattr(path, "com.apple.quarantine")
}

// Linux: Chromium and its kin write the page a file came from as `user.xdg.origin.url` (the
// freedesktop convention); other browsers leave no mark, and then only ownership tells.
#[cfg(all(unix, not(target_os = "macos")))]
fn downloaded(path: &Path) -> bool {
    has_xattr(path, "user.xdg.origin.url")
}

#[cfg(unix)]
fn has_xattr(path: &Path, name: &str) -> bool {
    let mut buf = [0u8; 0];
    rustix::fs::getxattr(path, name, &mut buf[..]).is_ok()
}

// Windows: browsers, Outlook and Explorer's zip extraction write a `Zone.Identifier` stream;
// zone 3 is the internet, 4 untrusted sites.
#[cfg(windows)]
fn downloaded(path: &Path) -> bool {
    let mut stream = path.as_os_str().to_owned();
    stream.push(":Zone.Identifier");
    std::fs::read_to_string(stream).is_ok_and(|text| from_the_internet(&text))
}

/// A Zone.Identifier stream names the internet zone (3) or the untrusted one (4).
#[cfg_attr(not(windows), allow(dead_code))]
fn from_the_internet(zone_identifier: &str) -> bool {
    zone_identifier.lines().any(|line| {
        line.trim()
            .strip_prefix("ZoneId=")
            .is_some_and(|zone| matches!(zone.trim(), "3" | "4"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zone_identifier_of_the_internet_is_a_download() {
        assert!(from_the_internet(
            "[ZoneTransfer]\r\nZoneId=3\r\nHostUrl=https://example.org/a.zip\r\n"
        ));
        assert!(from_the_internet("[ZoneTransfer]\nZoneId=4\n"));
        assert!(!from_the_internet("[ZoneTransfer]\nZoneId=1\n"));
        assert!(!from_the_internet(""));
    }

    #[cfg(unix)]
    #[test]
    fn the_users_own_private_folder_is_not_foreign() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(of(dir.path()), Facts::default());
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        assert!(of(dir.path()).writable_by_others);
    }

    #[cfg(target_os = "linux")]
    #[test]
    #[allow(clippy::print_stderr)]
    fn chromiums_origin_mark_is_a_download() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("requirements.txt");
        std::fs::write(&file, "numpy\n").unwrap();
        assert!(!of(&file).downloaded);
        let url = b"https://example.org/course.zip";
        match rustix::fs::setxattr(
            &file,
            "user.xdg.origin.url",
            url,
            rustix::fs::XattrFlags::empty(),
        ) {
            Ok(()) => assert!(of(&file).downloaded),
            // A file system without user attributes (tmpfs on old kernels) cannot carry the mark.
            Err(e) => eprintln!("skipped: no user xattrs on {}: {e}", dir.path().display()),
        }
    }
}
