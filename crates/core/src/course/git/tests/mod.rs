//! Against a real git server (`git http-backend` over HTTP on 127.0.0.1) and a teacher using
//! the real `git`: clones, errors, and every update rule, checked on the files' contents.

mod clone;
mod rules;
mod update;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use darwinix_testkit::git_server::{git, Course, GitServer};

use super::{clone as clone_course, Cloned, FileOutcome, Progress, UpdateReport};

/// A served folder of courses and a student's folder beside it.
struct World {
    _tmp: tempfile::TempDir,
    served: PathBuf,
    student: PathBuf,
    server: GitServer,
}

impl World {
    fn new() -> World {
        let tmp = tempfile::tempdir().unwrap();
        let served = tmp.path().join("served");
        let student = tmp.path().join("student");
        std::fs::create_dir_all(&served).unwrap();
        std::fs::create_dir_all(&student).unwrap();
        let server = GitServer::start(&served);
        World {
            _tmp: tmp,
            served,
            student,
            server,
        }
    }

    fn course(&self, name: &str) -> Course {
        Course::new(&self.served, name)
    }

    /// Clones `repo` into the student's `folder`.
    fn clone(&self, repo: &str, folder: &str) -> (Cloned, PathBuf) {
        let dest = self.student.join(folder);
        let cloned = clone_course(&self.server.url(repo), None, &dest, None, &|_| {}).unwrap();
        (cloned, dest)
    }
}

/// A notebook whose one cell says `text`.
fn nb(text: &str) -> String {
    format!(
        r#"{{"cells": [{{"cell_type": "markdown", "metadata": {{}}, "source": ["{text}"]}}], "metadata": {{}}, "nbformat": 4, "nbformat_minor": 5}}"#
    )
}

fn read(dir: &Path, path: &str) -> String {
    std::fs::read_to_string(dir.join(path)).unwrap_or_else(|e| panic!("{path} cannot be read: {e}"))
}

/// Every file under `dir` but `.git`, with its content.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(folder) = todo.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().flatten() {
            let path = entry.path();
            if entry.file_name() == ".git" {
                continue;
            }
            if path.is_dir() {
                todo.push(path);
            } else {
                let name = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .to_string();
                files.insert(name, std::fs::read(&path).unwrap_or_default());
            }
        }
    }
    files
}

/// Entries of `parent` whose name starts with `prefix`.
fn named(parent: &Path, prefix: &str) -> Vec<String> {
    std::fs::read_dir(parent)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(prefix))
        .collect()
}

/// The real git's view of a clone: `git ARGS` in it.
fn student_git(dir: &Path, args: &[&str]) -> String {
    git(dir, args, None).trim().to_string()
}

/// Each file of the report and its outcome.
fn outcomes(report: &UpdateReport) -> Vec<(&str, FileOutcome)> {
    report
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.outcome.clone()))
        .collect()
}

fn kept(copy: &str) -> FileOutcome {
    FileOutcome::KeptYours {
        teachers_copy: copy.to_string(),
    }
}

/// Progress reports collected.
#[derive(Default)]
struct Seen(Mutex<Vec<Progress>>);

impl Seen {
    fn add(&self, p: Progress) {
        self.0.lock().unwrap().push(p);
    }

    fn last(&self) -> Option<Progress> {
        self.0.lock().unwrap().last().copied()
    }
}
