//! Every entry of a `.darwinix.zip` is checked before one byte is unpacked: a file that came
//! from someone else may try to write outside its folder (zip-slip), plant a link, or unpack
//! into far more than it weighs. One bad entry refuses the whole file.

use std::collections::HashSet;
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};

use zip::ZipArchive;

use crate::error::CourseError;
use crate::error::{Error, Result};

/// How much a file may unpack into.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    /// In all, whatever the file weighs.
    pub total: u64,
    /// Unpacked per byte of the file, once past `small`: real projects (notebooks, CSVs,
    /// wheels that are zips already) stay far below; a zip bomb is hundreds of times over.
    pub ratio: u64,
    /// Below this, any ratio is fine (a folder of tiny, well-compressed text files).
    pub small: u64,
    pub entries: usize,
}

pub(super) const LIMITS: Limits = Limits {
    total: 100 << 30,
    ratio: 100,
    small: 1 << 30,
    entries: 200_000,
};

/// One entry, checked: its path below the top folder (empty for the top folder itself).
#[derive(Debug, Clone)]
pub(super) struct Entry {
    pub index: usize,
    pub path: PathBuf,
    pub dir: bool,
    pub size: u64,
}

/// A file that passed: its one top folder and its entries.
#[derive(Debug)]
pub(super) struct Checked {
    pub top: String,
    pub entries: Vec<Entry>,
}

/// Checks every entry of `archive` (the file `file`, `weight` bytes long).
pub(super) fn check<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
    file: &Path,
    weight: u64,
    limits: Limits,
) -> Result<Checked> {
    let refuse = |entry: &str, why: &str| refused(file, entry, why);
    if archive.len() > limits.entries {
        let why = format!(
            "is one of {} entries, more than a project has",
            archive.len()
        );
        return Err(refuse("(the list of entries)", &why));
    }
    let mut top: Option<String> = None;
    let mut seen = Seen::default();
    let mut entries = Vec::new();
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let (name, dir, size) = header(archive, index, file)?;
        let parts = components(&name).map_err(|why| refuse(&name, why))?;
        let rest = below_top(&mut top, &parts, dir).map_err(|why| refuse(&name, why))?;
        seen.add(rest, dir).map_err(|why| refuse(&name, why))?;
        total = total.saturating_add(size);
        if too_big(total, weight, limits) {
            return Err(refuse(&name, "unpacks into far more than the file weighs"));
        }
        entries.push(Entry {
            index,
            path: rest.iter().collect(),
            dir,
            size,
        });
    }
    let top = top.ok_or_else(|| {
        Error::Course(CourseError::ZipUnreadable {
            file: file.to_path_buf(),
            why: "it is empty".into(),
        })
    })?;
    Ok(Checked { top, entries })
}

fn refused(file: &Path, entry: &str, why: &str) -> Error {
    Error::Course(CourseError::ZipUnsafe {
        file: file.to_path_buf(),
        entry: entry.to_string(),
        why: why.to_string(),
    })
}

/// An entry's name, whether it is a folder, and the size it says it unpacks into; what it
/// holds is not read (nor decrypted).
fn header<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
    index: usize,
    file: &Path,
) -> Result<(String, bool, u64)> {
    let raw = archive
        .by_index_raw(index)
        .map_err(|e| unreadable(file, e))?;
    let name = raw.name().to_string();
    if raw.encrypted() {
        return Err(Error::Course(CourseError::ZipUnreadable {
            file: file.to_path_buf(),
            why: format!("`{name}` is encrypted"),
        }));
    }
    if let Some(why) = kind_refused(raw.unix_mode()) {
        return Err(refused(file, &name, why));
    }
    Ok((name, raw.is_dir(), raw.size()))
}

/// The parts below the one top folder every entry shares (the first entry names it).
fn below_top<'a>(
    top: &mut Option<String>,
    parts: &'a [&'a str],
    dir: bool,
) -> std::result::Result<&'a [&'a str], &'static str> {
    let (first, rest) = parts.split_first().ok_or("has no name")?;
    match top {
        None => *top = Some(first.to_string()),
        Some(t) if t == first => {}
        Some(_) => return Err("is outside the project's folder"),
    }
    match rest.is_empty() && !dir {
        true => Err("is a file beside the project's folder"),
        false => Ok(rest),
    }
}

pub(super) fn unreadable(file: &Path, e: zip::result::ZipError) -> Error {
    Error::Course(CourseError::ZipUnreadable {
        file: file.to_path_buf(),
        why: e.to_string(),
    })
}

/// Whether `total` unpacked bytes are more than a file of `weight` bytes may hold.
fn too_big(total: u64, weight: u64, limits: Limits) -> bool {
    total > limits.total || (total > limits.small && total / weight.max(1) > limits.ratio)
}

/// Only plain files and folders: a link (or a device, a pipe) is refused, whatever it points at.
fn kind_refused(mode: Option<u32>) -> Option<&'static str> {
    const TYPE: u32 = 0o170000;
    match mode.map(|m| m & TYPE) {
        None | Some(0) | Some(0o100000) | Some(0o040000) => None,
        Some(0o120000) => Some("is a symbolic link"),
        Some(_) => Some("is not a plain file or folder"),
    }
}

/// The parts of an entry's name, or why the name is refused. Zip names use `/`; a name that
/// would mean something else on some computer is refused on every one.
fn components(name: &str) -> std::result::Result<Vec<&str>, &'static str> {
    if name.starts_with('/') {
        return Err("is an absolute path");
    }
    if name.contains('\\') {
        return Err("holds a backslash, which Windows reads as a folder separator");
    }
    let trimmed = name.strip_suffix('/').unwrap_or(name);
    let parts: Vec<&str> = trimmed.split('/').collect();
    if let Some(first) = parts.first() {
        if first.len() >= 2 && first.as_bytes()[1] == b':' {
            return Err("starts with a drive letter");
        }
    }
    for part in &parts {
        if let Some(why) = refused_component(part) {
            return Err(why);
        }
    }
    Ok(parts)
}

/// Why one part of a path cannot be a file's name on every computer (`None`: it can). Also
/// what sharing leaves out, so that every file it packs can be opened again.
pub(super) fn refused_component(part: &str) -> Option<&'static str> {
    match part {
        "" => Some("has an empty folder name"),
        "." | ".." => Some("leads out of its folder (`..`)"),
        _ if part.contains(':') => Some("holds a colon (a drive or a hidden stream on Windows)"),
        _ if part.contains('\\') => Some("holds a backslash"),
        _ if part.chars().any(char::is_control) => Some("holds a control character"),
        _ => None,
    }
}

/// The names met so far, as a computer that ignores letter case sees them.
#[derive(Default)]
struct Seen {
    files: HashSet<String>,
    dirs: HashSet<String>,
}

impl Seen {
    fn add(&mut self, parts: &[&str], dir: bool) -> std::result::Result<(), &'static str> {
        let key = |n: usize| parts[..n].join("/").to_lowercase();
        for n in 1..parts.len() {
            if self.files.contains(&key(n)) {
                return Err("is inside a file of the same name");
            }
            self.dirs.insert(key(n));
        }
        if parts.is_empty() {
            return Ok(());
        }
        let whole = key(parts.len());
        match dir {
            true if self.files.contains(&whole) => Err("is a folder and a file at once"),
            true => {
                self.dirs.insert(whole);
                Ok(())
            }
            false if self.dirs.contains(&whole) => Err("is a folder and a file at once"),
            false if !self.files.insert(whole) => Err("is in the file twice (letter case aside)"),
            false => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_leave_the_folder_are_refused() {
        for (name, why) in [
            ("../evil.py", "leads out"),
            ("top/../../evil.py", "leads out"),
            ("/etc/passwd", "absolute"),
            ("C:/Windows/evil.dll", "drive letter"),
            ("top\\..\\evil.py", "backslash"),
            ("top//x", "empty folder name"),
            ("top/a:stream", "colon"),
            ("top/bell\u{7}", "control"),
        ] {
            let said = components(name).unwrap_err();
            assert!(said.contains(why), "{name}: {said}");
        }
        assert_eq!(
            components("top/data/a.csv").unwrap(),
            ["top", "data", "a.csv"]
        );
        assert_eq!(components("top/").unwrap(), ["top"]);
    }

    #[test]
    fn links_and_special_files_are_refused() {
        assert_eq!(kind_refused(None), None);
        assert_eq!(kind_refused(Some(0o100644)), None);
        assert_eq!(kind_refused(Some(0o040755)), None);
        assert!(kind_refused(Some(0o120777)).unwrap().contains("link"));
        assert!(kind_refused(Some(0o010644)).is_some(), "a pipe");
    }

    #[test]
    fn the_same_name_twice_is_refused_whatever_its_case() {
        let mut seen = Seen::default();
        seen.add(&["data"], true).unwrap();
        seen.add(&["data", "a.csv"], false).unwrap();
        assert!(seen.add(&["Data", "A.csv"], false).is_err());
        assert!(seen.add(&["data", "a.csv", "x"], false).is_err());
        assert!(seen.add(&["data"], false).is_err());
    }

    #[test]
    fn a_bomb_is_told_from_a_big_project() {
        let limits = LIMITS;
        assert!(!too_big(500 << 20, 1, limits), "small: any ratio");
        assert!(!too_big(5 << 30, 1 << 30, limits), "5 GB from 1 GB");
        assert!(too_big(5 << 30, 10 << 20, limits), "5 GB from 10 MB");
        assert!(too_big(101 << 30, 100 << 30, limits), "over the total");
    }
}
