//! A folder with notebooks and no list of packages: what its notebooks and `.py` files import
//! (`import x`, `from x import y`) and install (`%pip install …`) is the list.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::names;

/// Scanning stops after this many files: a home folder or a data set is not a project.
pub const MAX_FILES: usize = 2000;
/// Larger files are skipped (a notebook full of pictures still has its code in the first MBs,
/// but one this large is data).
const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;
/// Folders that hold installed or generated code, never the user's own imports.
const SKIPPED_DIRS: &[&str] = &[
    "node_modules",
    "__pycache__",
    "site-packages",
    "build",
    "dist",
];

/// What the scan found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Found {
    /// Distribution names, sorted, without duplicates.
    pub packages: Vec<String>,
    /// Said to the user: unreadable notebooks, imports no package provides, a scan cut short.
    pub warnings: Vec<String>,
    #[ts(type = "number")]
    pub files: usize,
}

/// Scans `dir` (below it, not into hidden folders or environments).
pub fn scan(dir: &Path) -> Found {
    let mut files = Vec::new();
    let truncated = collect(dir, &mut files);
    let local = local_modules(dir, &files);
    let mut imports = BTreeSet::new();
    let mut installs = BTreeSet::new();
    let mut warnings = Vec::new();
    for file in &files {
        let code = match read_code(file) {
            Ok(code) => code,
            Err(why) => {
                warnings.push(format!("Skipped {}: {why}", file.display()));
                continue;
            }
        };
        for line in code.lines() {
            parse_line(line, &mut imports, &mut installs);
        }
    }
    let mut packages: BTreeSet<String> = installs;
    for module in imports {
        let top = module.split('.').next().unwrap_or(&module);
        if names::is_stdlib(top) || local.contains(top) {
            continue;
        }
        match names::distribution(&module) {
            Some(dist) => {
                packages.insert(dist);
            }
            None => warnings.push(format!(
                "`import {module}` is left out: no package on the index provides it (it exists only in a hosted notebook service)"
            )),
        }
    }
    if truncated {
        warnings.push(format!(
            "{} has more than {MAX_FILES} files: only the first {MAX_FILES} were read",
            dir.display()
        ));
    }
    Found {
        packages: packages.into_iter().collect(),
        warnings,
        files: files.len(),
    }
}

/// The notebooks and `.py` files below `dir`, breadth first; `true` when cut short.
fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> bool {
    let mut queue = std::collections::VecDeque::from([dir.to_path_buf()]);
    let mut seen = 0usize;
    while let Some(folder) = queue.pop_front() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            seen += 1;
            if seen > MAX_FILES * 5 || files.len() >= MAX_FILES {
                return true;
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let path = entry.path();
            if kind.is_dir() {
                let environment = path.join("pyvenv.cfg").exists();
                if !name.starts_with('.') && !environment && !SKIPPED_DIRS.contains(&name.as_str())
                {
                    queue.push_back(path);
                }
            } else if kind.is_file() && (name.ends_with(".ipynb") || name.ends_with(".py")) {
                files.push(path);
            }
        }
    }
    false
}

/// Modules the folder itself provides (`helpers.py`, a `utils/` package): never installed.
fn local_modules(root: &Path, files: &[PathBuf]) -> BTreeSet<String> {
    let mut local = BTreeSet::new();
    for file in files {
        if file.extension().is_some_and(|e| e == "py") {
            if let Some(stem) = file.file_stem() {
                local.insert(stem.to_string_lossy().into_owned());
            }
            // Every folder holding Python code can be imported from beside it.
            for parent in file.ancestors().skip(1).take_while(|p| *p != root) {
                if let Some(name) = parent.file_name() {
                    local.insert(name.to_string_lossy().into_owned());
                }
            }
        }
    }
    local
}

/// A notebook's code cells, or a `.py` file's text.
fn read_code(file: &Path) -> Result<String, String> {
    let size = std::fs::metadata(file).map_err(|e| e.to_string())?.len();
    if size > MAX_FILE_BYTES {
        return Err(format!("larger than {} MB", MAX_FILE_BYTES >> 20));
    }
    let bytes = std::fs::read(file).map_err(|e| e.to_string())?;
    if file.extension().is_some_and(|e| e == "py") {
        return Ok(String::from_utf8_lossy(&bytes).into_owned());
    }
    let notebook: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| format!("it is not a readable notebook ({e})"))?;
    let cells = notebook["cells"]
        .as_array()
        .ok_or("it is not a readable notebook (it has no cells)")?;
    let mut code = String::new();
    for cell in cells.iter().filter(|c| c["cell_type"] == "code") {
        match &cell["source"] {
            serde_json::Value::String(s) => code.push_str(s),
            serde_json::Value::Array(parts) => parts
                .iter()
                .filter_map(|p| p.as_str())
                .for_each(|p| code.push_str(p)),
            _ => {}
        }
        code.push('\n');
    }
    Ok(code)
}

/// One line of code: the modules it imports, the packages it installs.
fn parse_line(line: &str, imports: &mut BTreeSet<String>, installs: &mut BTreeSet<String>) {
    let line = line.split('#').next().unwrap_or("").trim();
    if let Some(rest) = [
        "%pip install ",
        "!pip install ",
        "%pip3 install ",
        "!pip3 install ",
    ]
    .iter()
    .find_map(|p| line.strip_prefix(p))
    {
        installs.extend(
            rest.split_whitespace()
                .filter(|w| !w.starts_with('-') && !w.contains('/') && !w.starts_with('$'))
                .map(|w| w.trim_matches(|c| c == '"' || c == '\'').to_string())
                .filter(|w| !w.is_empty()),
        );
    } else if let Some(rest) = line.strip_prefix("import ") {
        for part in rest.split(',') {
            let name = part.split_whitespace().next().unwrap_or("");
            if is_module_name(name) {
                imports.insert(name.to_string());
            }
        }
    } else if let Some(rest) = line.strip_prefix("from ") {
        let mut words = rest.split_whitespace();
        if let (Some(module), Some("import")) = (words.next(), words.next()) {
            // `from . import x`, `from .utils import y`: the folder's own code.
            if is_module_name(module) {
                imports.insert(module.to_string());
            }
        }
    }
}

fn is_module_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name.split('.').all(|part| {
            part.chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '_')
                && part.chars().all(|c| c.is_alphanumeric() || c == '_')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notebook(cells: &[&str]) -> String {
        let cells: Vec<_> = cells
            .iter()
            .map(|src| {
                let lines: Vec<String> = src.split_inclusive('\n').map(String::from).collect();
                serde_json::json!({"cell_type": "code", "source": lines, "metadata": {}, "outputs": []})
            })
            .chain([serde_json::json!({"cell_type": "markdown", "source": "from the shop import apples\nimport this text"})])
            .collect();
        serde_json::json!({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
            .to_string()
    }

    #[test]
    fn imports_and_installs_become_packages() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("Analysis.ipynb"),
            notebook(&[
                "import numpy as np, pandas as pd\nimport os, sys\nfrom sklearn.linear_model import LinearRegression\n",
                "%pip install plotly==5.0 -q\n!pip install 'seaborn'\nimport cv2  # the camera\n",
                "from . import nothing\nfrom __future__ import annotations\nimport matplotlib.pyplot as plt\n",
                "def f():\n    from PIL import Image\n    import yaml\n",
                "from helpers import load\nimport utils.io\nfrom google.colab import drive\n",
            ]),
        )
        .unwrap();
        std::fs::write(
            dir.path().join("helpers.py"),
            "import requests\nfrom bs4 import BeautifulSoup\n",
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("utils")).unwrap();
        std::fs::write(dir.path().join("utils/io.py"), "import json\n").unwrap();
        let found = scan(dir.path());
        assert_eq!(
            found.packages,
            [
                "beautifulsoup4",
                "matplotlib",
                "numpy",
                "opencv-python",
                "pandas",
                "pillow",
                "plotly==5.0",
                "pyyaml",
                "requests",
                "scikit-learn",
                "seaborn"
            ]
        );
        assert_eq!(found.files, 3);
        assert_eq!(found.warnings.len(), 1, "{:?}", found.warnings);
        assert!(found.warnings[0].contains("google.colab"));
    }

    #[test]
    fn unreadable_notebooks_are_named_and_the_rest_is_read() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("broken.ipynb"), "{ not json").unwrap();
        std::fs::write(dir.path().join("good.ipynb"), notebook(&["import scipy\n"])).unwrap();
        let found = scan(dir.path());
        assert_eq!(found.packages, ["scipy"]);
        assert!(
            found.warnings[0].contains("broken.ipynb"),
            "{:?}",
            found.warnings
        );
        assert!(found.warnings[0].contains("not a readable notebook"));
    }

    #[test]
    fn environments_and_hidden_folders_are_not_the_users_code() {
        let dir = tempfile::tempdir().unwrap();
        for sub in [".venv", "env", ".ipynb_checkpoints", "node_modules"] {
            std::fs::create_dir(dir.path().join(sub)).unwrap();
            std::fs::write(dir.path().join(sub).join("x.py"), "import torch\n").unwrap();
        }
        std::fs::write(dir.path().join("env/pyvenv.cfg"), "home = /usr/bin\n").unwrap();
        std::fs::write(dir.path().join("a.py"), "import numpy\n").unwrap();
        assert_eq!(scan(dir.path()).packages, ["numpy"]);
    }

    #[test]
    fn a_huge_folder_is_cut_short_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..MAX_FILES + 5 {
            std::fs::write(dir.path().join(format!("m{i}.py")), "import numpy\n").unwrap();
        }
        let found = scan(dir.path());
        assert_eq!(found.files, MAX_FILES);
        assert!(found.warnings.iter().any(|w| w.contains("only the first")));
        assert_eq!(found.packages, ["numpy"]);
    }
}
