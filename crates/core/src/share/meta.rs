//! What Darwinix puts beside the project's own files, in one folder of the zip: `share.json`
//! (what this file is), the lock, and the wheels for an offline room.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// Darwinix's folder inside a shared project (hidden: the notebooks' folder stays the user's).
pub const DIR: &str = ".darwinix";
/// Inside [`DIR`].
pub const META: &str = "share.json";
/// Inside [`DIR`]: the exact versions, with their hashes; the setup installs from it.
pub const LOCK: &str = "requirements.lock.txt";
/// Inside [`DIR`]: the wheels of an offline file (the lock names the folder beside it).
pub const WHEELS: &str = "wheels";
/// The version of this layout; a file of a later one is refused, not half understood.
pub const FORMAT: u32 = 1;
pub const EXTENSION: &str = ".darwinix.zip";

/// `.darwinix/requirements.lock.txt`, as the project's settings name the setup file.
pub fn lock_in_project() -> String {
    format!("{DIR}/{LOCK}")
}

/// `share.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShareMeta {
    pub format: u32,
    /// The project folder's name.
    pub name: String,
    /// `3.11`: the Python the lock was made for.
    pub python: String,
    /// `linux-x86_64`: where the wheels inside install (and where the lock was resolved).
    pub platform: String,
    /// The setup file the packages came from, relative to the project (`None`: from what the
    /// notebooks import).
    #[serde(default)]
    pub setup_file: Option<String>,
    /// The wheels are inside: the lock installs without the package index.
    #[serde(default)]
    pub offline: bool,
    pub made_by: String,
    /// `2025-03-01T14:02:11Z`.
    pub made_at: String,
}

impl ShareMeta {
    pub fn new(name: &str, python: &str, setup_file: Option<String>, offline: bool) -> Self {
        Self {
            format: FORMAT,
            name: name.to_string(),
            python: python.to_string(),
            platform: platform(),
            setup_file,
            offline,
            made_by: format!("Darwinix {}", crate::version::VERSION),
            made_at: iso(SystemTime::now()),
        }
    }
}

/// This computer's operating system and processor, as the wheels inside are made for them.
pub fn platform() -> String {
    format!("{}-{}", std::env::consts::OS, std::env::consts::ARCH)
}

/// `Name.darwinix.zip`, then `Name 2.darwinix.zip`, … beside `wanted`; for a name the user
/// gave (`course.zip`), `course 2.zip`, … . Without end: the caller takes the first that is free.
pub fn numbered_file(wanted: &Path) -> impl Iterator<Item = PathBuf> + '_ {
    let name = wanted
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (stem, suffix) = match name.strip_suffix(EXTENSION) {
        Some(stem) => (stem.to_string(), EXTENSION.to_string()),
        None => match name.rsplit_once('.') {
            Some((stem, ext)) if !stem.is_empty() => (stem.to_string(), format!(".{ext}")),
            _ => (name.clone(), String::new()),
        },
    };
    crate::format::numbered(stem, suffix).map(|n| wanted.with_file_name(n))
}

/// `parent/Name`, then `parent/Name 2`, … (a dot in a folder's name is no extension).
pub fn numbered_folder<'a>(parent: &'a Path, name: &str) -> impl Iterator<Item = PathBuf> + 'a {
    crate::format::numbered(name.to_string(), String::new()).map(|n| parent.join(n))
}

/// Seconds since 1970 as a calendar date and time (UTC): `[year, month, day, h, m, s]`.
pub fn civil(time: SystemTime) -> [u64; 6] {
    let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Howard Hinnant's days-to-civil, for days since 1970 (no calendar crate for one date).
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    [year, month, day, rest / 3600, rest / 60 % 60, rest % 60]
}

fn iso(time: SystemTime) -> String {
    let [y, mo, d, h, mi, s] = civil(time);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn dates_are_calendar_dates() {
        let at = |s| UNIX_EPOCH + Duration::from_secs(s);
        assert_eq!(iso(at(0)), "1970-01-01T00:00:00Z");
        assert_eq!(iso(at(951_782_400)), "2000-02-29T00:00:00Z");
        assert_eq!(iso(at(1_740_837_731)), "2025-03-01T14:02:11Z");
    }

    #[test]
    fn names_are_numbered_and_keep_their_extension() {
        let first: Vec<PathBuf> = numbered_file(Path::new("/a/Course.darwinix.zip"))
            .take(3)
            .collect();
        assert_eq!(
            first,
            [
                Path::new("/a/Course.darwinix.zip"),
                Path::new("/a/Course 2.darwinix.zip"),
                Path::new("/a/Course 3.darwinix.zip")
            ]
        );
        let mut given = numbered_file(Path::new("out/x.zip")).skip(1);
        assert_eq!(given.next().unwrap(), Path::new("out/x 2.zip"));
        let mut folder = numbered_folder(Path::new("/p"), "My.course").skip(1);
        assert_eq!(folder.next().unwrap(), Path::new("/p/My.course 2"));
    }
}
