//! Project folders in the context's temporary folder: from a list of files, from a fixture of
//! `tests/fixtures/` (a repository's shape), or a plain requirements.txt project.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::files::copy_tree;
use crate::{json_lines, repo_path, TestContext};

impl TestContext {
    /// The folder `name` (a relative path) holding `files` (`(relative path, text)`).
    pub fn folder(&self, name: &str, files: &[(&str, &str)]) -> PathBuf {
        let dir = self.root().join(name);
        std::fs::create_dir_all(&dir).unwrap();
        for (file, text) in files {
            let path = dir.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        self.projects.lock().unwrap().push(dir.clone());
        dir
    }

    /// A project folder `name` whose requirements.txt is `requirements`.
    pub fn project(&self, name: &str, requirements: &str) -> PathBuf {
        self.folder(name, &[("requirements.txt", requirements)])
    }

    /// A copy of `tests/fixtures/FIXTURE` at `name`.
    pub fn fixture(&self, fixture: &str, name: &str) -> PathBuf {
        let to = self.root().join(name);
        copy_tree(&repo_path("tests/fixtures").join(fixture), &to);
        self.projects.lock().unwrap().push(to.clone());
        to
    }

    /// `setup DIR --json EXTRA…`: whether it succeeded, its events, what it said.
    pub fn setup_json(&self, dir: &Path, extra: &[&str]) -> (bool, Vec<Value>, String) {
        let out = self
            .cmd()
            .arg("setup")
            .arg(dir)
            .arg("--json")
            .args(extra)
            .output()
            .unwrap();
        (
            out.status.success(),
            json_lines(&out.stdout),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}
