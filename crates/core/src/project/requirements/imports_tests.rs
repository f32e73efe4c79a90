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

/// Writes `files` (path, text) below a new temporary folder.
fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

#[test]
fn the_projects_own_modules_at_any_depth_are_never_installed() {
    let nb = notebook(&[
        "import functions\nfrom myModule import x\nfrom myModule.sub import y\n",
        "import week1, lessons\nimport numpy\n",
    ]);
    let dir = project(&[
        ("notebooks/week1/Week1.ipynb", &nb),
        ("src/functions.py", "import os\n"),
        ("lib/myModule/__init__.py", ""),
        (
            "lessons/pandas/Intro.ipynb",
            &notebook(&["import pandas\n"]),
        ),
    ]);
    let found = scan(dir.path());
    // A `pandas/` folder of lessons, without code, does not hide the library.
    assert_eq!(found.packages, ["numpy", "pandas"]);
    assert_eq!(found.unknown, Vec::<String>::new());
    assert_eq!(found.warnings, Vec::<String>::new());
}

#[test]
fn a_name_no_package_is_known_by_is_listed_not_installed() {
    let dir = project(&[(
        "Lesson.ipynb",
        &notebook(&["import functions\nimport utils\nfrom myModule import x\nimport scipy\n"]),
    )]);
    let found = scan(dir.path());
    assert_eq!(found.packages, ["scipy"]);
    assert_eq!(found.unknown, ["functions", "myModule", "utils"]);
    assert_eq!(
            found.warnings,
            ["not installed: `functions`, `myModule`, `utils` — no packages of these names are known; add them in Packages if you need them"]
        );
    let one = project(&[("a.py", "import functions\n")]);
    assert_eq!(
            scan(one.path()).warnings,
            ["not installed: `functions` — no package of that name is known; add it in Packages if you need it"]
        );
}

#[test]
fn from_imports_name_the_subpackage_of_a_namespace() {
    let dir = project(&[(
            "cloud.py",
            "from google.cloud import storage, bigquery as bq\nfrom google.colab import (drive,\nfrom sklearn import *\n",
        )]);
    let found = scan(dir.path());
    assert_eq!(
        found.packages,
        [
            "google-cloud-bigquery",
            "google-cloud-storage",
            "scikit-learn"
        ]
    );
    assert!(
        found.warnings[0].contains("google.colab"),
        "{:?}",
        found.warnings
    );
}

#[test]
fn python2_notebooks_are_read_with_a_note() {
    let mut old: serde_json::Value = serde_json::from_str(&notebook(&[
        "import urllib2, ConfigParser\nimport numpy\nprint \"hello\"\n",
    ]))
    .unwrap();
    old["metadata"]["kernelspec"] = serde_json::json!({"name": "python2"});
    let dir = project(&[
        ("old.ipynb", &old.to_string()),
        ("script.py", "import requests\nprint >>sys.stderr, 'x'\n"),
        (
            "new.py",
            "def f():\n    \"\"\"print the table\"\"\"\n    print (1)\n",
        ),
    ]);
    let found = scan(dir.path());
    assert_eq!(found.packages, ["numpy", "requests"]);
    assert_eq!(found.unknown, Vec::<String>::new());
    assert_eq!(found.warnings.len(), 1, "{:?}", found.warnings);
    assert!(
        found.warnings[0].starts_with("old.ipynb, script.py look written for Python 2"),
        "{:?}",
        found.warnings
    );
    for line in ["print \"x\"", "print x", "  print >>f, x", "print 'a' % b"] {
        assert!(looks_like_python2(line), "{line}");
    }
    for line in [
        "print(x)",
        "print (x)",
        "print the table",
        "printer x",
        "print",
    ] {
        assert!(!looks_like_python2(line), "{line}");
    }
}
