//! The one file of the student's folder that an update may move: the `requirements.txt`
//! Darwinix wrote from the notebooks' imports (a course without a list of its own), when the
//! teacher's new version brings a `requirements.txt`. The teacher's list is what the course
//! needs, so it goes in place; the one Darwinix made (which the student may have edited) is
//! kept beside it under a name of its own — nothing is lost, and the setup uses the teacher's.

use std::path::Path;

use super::rules::Files;
use super::{FileOutcome, FileUpdate};
use crate::error::{Error, Result};
use crate::project::requirements::{FROM_IMPORTS, REQUIREMENTS};

/// Moves Darwinix's own list out of the way of a `requirements.txt` the teacher added; what
/// was moved, said.
pub(super) fn make_way(dir: &Path, base: &Files, new: &Files) -> Result<Vec<FileUpdate>> {
    let mut moved = Vec::new();
    for path in new.keys().filter(|p| !base.contains_key(*p)) {
        let is_list = path.rsplit('/').next() == Some(REQUIREMENTS);
        let file = dir.join(path);
        if !is_list || !made_by_darwinix(&file) {
            continue;
        }
        let aside = free_name(dir, path);
        let target = dir.join(&aside);
        std::fs::rename(&file, &target).map_err(|source| Error::WriteFile {
            path: target.clone(),
            source,
        })?;
        let outcome = FileOutcome::MovedAside { from: path.clone() };
        moved.push(FileUpdate {
            words: super::rules::words(&outcome, false),
            path: aside,
            outcome,
        });
    }
    Ok(moved)
}

/// A regular file (not a link) whose first line is Darwinix's mark.
fn made_by_darwinix(file: &Path) -> bool {
    std::fs::symlink_metadata(file).is_ok_and(|m| m.is_file())
        && std::fs::read_to_string(file).is_ok_and(|text| text.lines().next() == Some(FROM_IMPORTS))
}

/// `requirements (from your notebooks).txt`, numbered when taken.
fn free_name(dir: &Path, path: &str) -> String {
    let folder = path
        .rsplit_once('/')
        .map(|(f, _)| format!("{f}/"))
        .unwrap_or_default();
    crate::format::numbered(
        format!("{folder}requirements (from your notebooks"),
        ").txt".into(),
    )
    .find(|name| std::fs::symlink_metadata(dir.join(name)).is_err())
    .expect("some number is free")
}
