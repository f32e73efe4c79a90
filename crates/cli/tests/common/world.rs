//! A project folder started with the real `darwinix`: the helpers the tests of real folders
//! share (sources, repositories): write files, start, ask the kernel what it imports.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

use super::{json, Sandbox};

pub struct World(pub Sandbox);

impl World {
    pub fn new() -> Self {
        Self(Sandbox::new())
    }
    pub fn cmd(&self) -> assert_cmd::Command {
        let mut c = self.0.cmd();
        c.timeout(Duration::from_secs(600));
        c
    }
    /// Copies a folder of `tests/fixtures/` (a repository's shape) to `name`.
    pub fn fixture(&self, fixture: &str, name: &str) -> PathBuf {
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures")
            .join(fixture);
        let to = self.0.tmp.path().join(name);
        copy_tree(&from, &to);
        to
    }

    pub fn folder(&self, name: &str, files: &[(&str, &str)]) -> PathBuf {
        let dir = self.0.tmp.path().join(name);
        for (file, text) in files {
            let path = dir.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }
    /// `darwinix start DIR --no-browser --json` (plus `extra`): the output.
    pub fn start(&self, dir: &Path, extra: &[&str]) -> std::process::Output {
        self.cmd()
            .arg("start")
            .arg(dir)
            .args(["--no-browser"])
            .args(extra)
            .output()
            .unwrap()
    }
    pub fn started(&self, dir: &Path) -> String {
        let out = self.start(dir, &[]);
        let said = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{said}");
        said
    }
    /// How the project runs, as `doctor PROJECT --json` says.
    pub fn described(&self, dir: &Path) -> Value {
        let out = self
            .cmd()
            .args(["doctor", "--json"])
            .arg(dir)
            .output()
            .unwrap();
        json(&out.stdout)["project"].clone()
    }
    /// Runs `code` in a new kernel of the project's server; `(kernels offered, stdout, error)`.
    pub fn run_in_kernel(&self, dir: &Path, code: &str) -> (Vec<String>, String, Option<String>) {
        let entry = self.server_of(dir);
        let described = self.described(dir);
        // tornado (for the websocket) is in every server's environment: the runtime's, or the
        // project's own when it runs its own JupyterLab.
        let python = match described["runtime"].as_str() {
            Some(runtime) => Path::new(runtime).join("bin/python"),
            None => dir.join(".venv/bin/python"),
        };
        let said = super::run_code(
            &python,
            entry["port"].as_u64().unwrap() as u16,
            entry["token"].as_str().unwrap(),
            code,
        );
        let kernels = said["kernelspecs"]["kernelspecs"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        let error = said["error"].as_str().map(String::from);
        (kernels, said["stdout"].as_str().unwrap().to_string(), error)
    }
    /// The registry entry (with the token) of the project's server.
    pub fn server_of(&self, dir: &Path) -> Value {
        let dir = std::fs::canonicalize(dir).unwrap();
        std::fs::read_dir(self.0.home().join("data/servers"))
            .unwrap()
            .flatten()
            .map(|f| json(&std::fs::read(f.path()).unwrap()))
            .find(|e| std::fs::canonicalize(e["dir"].as_str().unwrap()).unwrap() == dir)
            .expect("a server for the project")
    }

    /// The kernel runs in the project's `.venv` and imports `modules`.
    pub fn kernel_imports(&self, dir: &Path, modules: &str) -> String {
        let code = format!("import sys, {modules}\nprint(sys.prefix)");
        let (kernels, out, error) = self.run_in_kernel(dir, &code);
        assert_eq!(kernels, ["python3"], "exactly one kernel");
        assert_eq!(error, None, "{out}");
        let venv = std::fs::canonicalize(dir.join(".venv")).unwrap();
        assert_eq!(Path::new(out.trim()), venv, "the kernel's sys.prefix");
        out
    }
    pub fn stop(&self, dir: &Path) {
        let _ = self.cmd().arg("stop").arg(dir).output();
    }
}

impl Drop for World {
    fn drop(&mut self) {
        let _ = self.0.cmd().args(["stop", "--all"]).output();
    }
}

/// A notebook whose code cells are `cells`.
pub fn notebook(cells: &[&str]) -> String {
    let cells: Vec<Value> = cells
        .iter()
        .map(|c| serde_json::json!({"cell_type": "code", "source": c, "metadata": {}, "outputs": [], "execution_count": null}))
        .collect();
    serde_json::json!({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
        .to_string()
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
