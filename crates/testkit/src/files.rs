//! Files the tests write and read: scripts, notebooks, copied fixtures, JSON output.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// `out` as JSON; a panic that shows the text when it is not.
pub fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(out)))
}

/// Every line of `out` as a JSON event.
pub fn json_lines(out: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(out)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| json(l.as_bytes()))
        .collect()
}

/// An executable `sh` script `dir/name` running `body`.
pub fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
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

/// `platform.python_version()` of an interpreter.
pub fn python_version(python: &Path) -> String {
    let out = std::process::Command::new(python)
        .args(["-c", "import platform; print(platform.python_version())"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

pub(crate) fn copy_tree(from: &Path, to: &Path) {
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
