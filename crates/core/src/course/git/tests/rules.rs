//! The plan and the names, without a server.

use std::path::Path;

use gix::ObjectId;

use super::super::rules::{plan, teachers_copy, Action, Disk, Entry, Files, Kind};
use super::super::write::inside;
use super::kept;
use crate::course::git::FileOutcome;

fn id(n: u8) -> ObjectId {
    ObjectId::from_bytes_or_panic(&[n; 20])
}

fn file(n: u8) -> Entry {
    Entry {
        id: id(n),
        kind: Kind::File { exec: false },
    }
}

fn files(entries: &[(&str, Entry)]) -> Files {
    entries.iter().map(|(p, e)| (p.to_string(), *e)).collect()
}

/// The plan's outcome per path (a `Beside` is `KeptYours` with its copy still unnamed).
fn planned(base: &Files, new: &Files, disk: &[(&str, Disk)]) -> Vec<(String, FileOutcome)> {
    let on_disk = |p: &str| {
        Ok(disk
            .iter()
            .find(|(q, _)| *q == p)
            .map_or(Disk::Missing, |(_, d)| *d))
    };
    plan(base, new, on_disk)
        .unwrap()
        .into_iter()
        .map(|action| match action {
            Action::Write { path, outcome, .. } | Action::Leave { path, outcome } => {
                (path, outcome)
            }
            Action::Beside { path, added, .. } => {
                let copy = if added { "added" } else { "changed" };
                (path, kept(copy))
            }
            Action::Remove { path } => (path, FileOutcome::Removed),
        })
        .collect()
}

#[test]
fn every_rule() {
    let base = files(&[
        ("changed_by_teacher", file(1)),
        ("changed_by_both", file(1)),
        ("deleted_by_student", file(1)),
        ("deleted_untouched", file(1)),
        ("removed_untouched", file(1)),
        ("removed_changed", file(1)),
        ("unchanged", file(1)),
        ("same_edit", file(1)),
    ]);
    let new = files(&[
        ("changed_by_teacher", file(2)),
        ("changed_by_both", file(2)),
        ("deleted_by_student", file(2)),
        ("deleted_untouched", file(1)),
        ("unchanged", file(1)),
        ("same_edit", file(2)),
        ("added", file(3)),
        ("added_collides", file(3)),
        ("added_same", file(3)),
    ]);
    let disk = [
        ("changed_by_teacher", Disk::File(id(1))),
        ("changed_by_both", Disk::File(id(9))),
        ("removed_untouched", Disk::File(id(1))),
        ("removed_changed", Disk::File(id(9))),
        ("unchanged", Disk::File(id(9))),
        ("same_edit", Disk::File(id(2))),
        ("added_collides", Disk::Other),
        ("added_same", Disk::File(id(3))),
    ];
    let got = planned(&base, &new, &disk);
    let want = [
        ("added", FileOutcome::Added),
        ("added_collides", kept("added")),
        ("changed_by_both", kept("changed")),
        ("changed_by_teacher", FileOutcome::Updated),
        ("deleted_by_student", FileOutcome::Restored),
        ("deleted_untouched", FileOutcome::Restored),
        ("removed_changed", FileOutcome::KeptYoursTeacherRemoved),
        ("removed_untouched", FileOutcome::Removed),
    ];
    let want: Vec<_> = want
        .iter()
        .map(|(p, o)| (p.to_string(), o.clone()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn links_are_never_made() {
    let link = |n| Entry {
        id: id(n),
        kind: Kind::Link,
    };
    let base = files(&[("kept_link", link(1)), ("link_became_file", link(1))]);
    let new = files(&[
        ("kept_link", link(1)),
        ("new_link", link(2)),
        ("link_became_file", file(3)),
    ]);
    let got = planned(&base, &new, &[]);
    assert_eq!(
        got,
        [
            ("link_became_file".to_string(), FileOutcome::Added),
            ("new_link".to_string(), FileOutcome::SkippedLink),
        ]
    );
}

#[test]
fn teachers_copy_names() {
    let free = |_: &str| true;
    assert_eq!(
        teachers_copy("week1/a.ipynb", free),
        "week1/a (teacher's version).ipynb"
    );
    assert_eq!(
        teachers_copy("Makefile", free),
        "Makefile (teacher's version)"
    );
    assert_eq!(teachers_copy(".env", free), ".env (teacher's version)");
    let taken = |c: &str| !c.ends_with("(teacher's version).py");
    assert_eq!(teachers_copy("x.py", taken), "x (teacher's version 2).py");
}

#[test]
fn paths_stay_inside() {
    let dir = Path::new("/course");
    for bad in [
        "../x",
        "a/../../x",
        "/etc/passwd",
        ".git/config",
        "a/.GIT/hooks/x",
        "a//b",
        "",
    ] {
        assert!(inside(dir, bad).is_err(), "{bad:?} was let through");
    }
    for good in [
        "a.ipynb",
        "week 1/data.csv",
        ".gitignore",
        "a/.github/x.yml",
    ] {
        assert_eq!(inside(dir, good).unwrap(), dir.join(good));
    }
}
