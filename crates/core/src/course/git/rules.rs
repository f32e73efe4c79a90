//! The update rules (see the module above) as a plan: from the teacher's last and newest trees
//! and what is on disk, what to do with each file. Nothing here touches the disk.

use std::collections::{BTreeMap, BTreeSet};

use gix::ObjectId;

use super::FileOutcome;
use crate::error::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    File {
        exec: bool,
    },
    /// A symbolic link or a submodule: never made.
    Link,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Entry {
    pub id: ObjectId,
    pub kind: Kind,
}

pub(super) type Files = BTreeMap<String, Entry>;

/// What the student's folder has at a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Disk {
    Missing,
    /// A file, by the id its content would have as a git blob.
    File(ObjectId),
    /// A folder, a link, or a file under a link: not the teacher's file in any case.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Action {
    /// The teacher's version replaces or becomes the file (`Updated`, `Added`, `Restored`).
    Write {
        path: String,
        entry: Entry,
        outcome: FileOutcome,
    },
    /// The student's file stays; the teacher's goes beside it. `added`: the teacher's file is
    /// new (the student's is one of their own with the same name).
    Beside {
        path: String,
        entry: Entry,
        added: bool,
    },
    Remove {
        path: String,
    },
    /// Nothing written, but the student is told (`KeptYoursTeacherRemoved`, `SkippedLink`).
    Leave {
        path: String,
        outcome: FileOutcome,
    },
}

/// The actions that bring the folder from `base` to `new`, `disk` telling what is on disk.
pub(super) fn plan(
    base: &Files,
    new: &Files,
    mut disk: impl FnMut(&str) -> Result<Disk>,
) -> Result<Vec<Action>> {
    let paths: BTreeSet<&String> = base.keys().chain(new.keys()).collect();
    let mut actions = Vec::new();
    for path in paths {
        let old = base.get(path).filter(|e| e.kind != Kind::Link);
        let action = match new.get(path) {
            Some(t) if t.kind == Kind::Link => {
                (base.get(path) != Some(t)).then(|| leave(path, FileOutcome::SkippedLink))
            }
            Some(t) => changed(path, old, *t, disk(path)?),
            None => match old {
                Some(b) => removed(path, b.id, disk(path)?),
                None => None,
            },
        };
        actions.extend(action);
    }
    Ok(actions)
}

/// The teacher has file `t` at `path` (new, or `old` before).
fn changed(path: &str, old: Option<&Entry>, t: Entry, disk: Disk) -> Option<Action> {
    let write = |outcome| Action::Write {
        path: path.to_string(),
        entry: t,
        outcome,
    };
    let beside = |added| Action::Beside {
        path: path.to_string(),
        entry: t,
        added,
    };
    match (old, disk) {
        (_, Disk::File(id)) if id == t.id && old.is_none_or(|b| b.id != id) => None,
        (None, Disk::Missing) => Some(write(FileOutcome::Added)),
        (None, _) => Some(beside(true)),
        (Some(_), Disk::Missing) => Some(write(FileOutcome::Restored)),
        (Some(b), _) if *b == t => None,
        (Some(b), Disk::File(id)) if id == b.id => Some(write(FileOutcome::Updated)),
        (Some(_), _) => Some(beside(false)),
    }
}

/// The teacher removed `path`, whose last version was `base`.
fn removed(path: &str, base: ObjectId, disk: Disk) -> Option<Action> {
    match disk {
        Disk::Missing => None,
        Disk::File(id) if id == base => Some(Action::Remove {
            path: path.to_string(),
        }),
        _ => Some(leave(path, FileOutcome::KeptYoursTeacherRemoved)),
    }
}

fn leave(path: &str, outcome: FileOutcome) -> Action {
    Action::Leave {
        path: path.to_string(),
        outcome,
    }
}

/// The first of `x (teacher's version).ipynb`, `x (teacher's version 2).ipynb`, … beside
/// `path` that `usable` accepts.
pub(super) fn teachers_copy(path: &str, usable: impl Fn(&str) -> bool) -> String {
    let (folder, name) = match path.rsplit_once('/') {
        Some((folder, name)) => (format!("{folder}/"), name),
        None => (String::new(), path),
    };
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, format!(".{ext}")),
        _ => (name, String::new()),
    };
    crate::format::numbered(
        format!("{folder}{stem} (teacher's version"),
        format!("){ext}"),
    )
    .find(|candidate| usable(candidate))
    .expect("some number is free")
}

/// One sentence about `outcome`. `added`: a kept file collided with a file the teacher added.
pub(super) fn words(outcome: &FileOutcome, added: bool) -> String {
    match outcome {
        FileOutcome::Updated => "updated to the teacher's new version".into(),
        FileOutcome::Added => "new from the teacher".into(),
        FileOutcome::Restored => "you had deleted it: it is back, as the teacher's version".into(),
        FileOutcome::Removed => {
            "the teacher removed it, and you had not changed it, so it was removed".into()
        }
        FileOutcome::KeptYours { teachers_copy } if added => format!(
            "you already had a file of this name, so yours is kept; the teacher's new file is beside it as `{teachers_copy}`"
        ),
        FileOutcome::KeptYours { teachers_copy } => format!(
            "you changed it, so yours is kept; the teacher's new version is beside it as `{teachers_copy}`"
        ),
        FileOutcome::KeptYoursTeacherRemoved => {
            "the teacher removed it, but you had changed it, so yours is kept".into()
        }
        FileOutcome::MovedAside { from } => format!(
            "the list Darwinix made from your notebooks' imports, moved here: the teacher now gives `{from}`, which is used from now on"
        ),
        FileOutcome::SkippedLink => {
            "it is a link in the teacher's version; Darwinix does not make links, so it was left out".into()
        }
    }
}
