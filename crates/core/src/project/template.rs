//! `darwinix new`: a project folder with a `requirements.txt` and a welcome notebook. Existing
//! files are never touched.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Template {
    /// The original flake's list: numpy, pandas, requests (JupyterLab comes from Darwinix's
    /// shared runtime).
    #[default]
    Default,
    /// Python alone (and the kernel Darwinix adds).
    Minimal,
    /// The default list plus Jupyter AI.
    Ai,
    /// The default list plus PyTorch for this machine's GPU (`gpu::make_ready` adds it).
    Gpu,
}

impl Template {
    pub const ALL: [Template; 4] = [
        Template::Default,
        Template::Minimal,
        Template::Ai,
        Template::Gpu,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Template::Default => "default",
            Template::Minimal => "minimal",
            Template::Ai => "ai",
            Template::Gpu => "gpu",
        }
    }

    pub fn requirements(self) -> &'static str {
        match self {
            Template::Default | Template::Gpu => "# Packages for this project, one per line. Darwinix installs them into .venv.\nnumpy\npandas\nrequests\n",
            Template::Minimal => "# Packages for this project, one per line. Darwinix installs them into .venv.\n",
            // Jupyter AI is an extension of the server itself: this project runs its own
            // JupyterLab (the shared runtime cannot load extensions from a project).
            // jupyter-ai 3.x has no `[all]` extra: naming it makes pip warn on every install.
            Template::Ai => "# Packages for this project, one per line. Darwinix installs them into .venv.\nnumpy\npandas\nrequests\njupyterlab\njupyter-ai\n",
        }
    }

    fn welcome_code(self) -> &'static str {
        match self {
            Template::Minimal => "import sys\nprint(f\"Python {sys.version.split()[0]} from {sys.prefix}\")",
            Template::Gpu => {
                "import torch\n\nif torch.cuda.is_available():\n    print(\"GPU:\", torch.cuda.get_device_name(0))\nelif torch.backends.mps.is_available():\n    print(\"Apple GPU (MPS) ready\")\nelse:\n    print(\"No GPU found: PyTorch runs on the CPU\")"
            }
            Template::Default | Template::Ai => {
                "import numpy as np\nimport pandas as pd\n\ndf = pd.DataFrame({\"x\": np.arange(5), \"x squared\": np.arange(5) ** 2})\ndf"
            }
        }
    }
}

impl std::str::FromStr for Template {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        Template::ALL
            .into_iter()
            .find(|t| t.name() == s)
            .ok_or_else(|| format!("unknown template {s:?}: choose default, minimal, ai or gpu"))
    }
}

pub const WELCOME: &str = "Welcome.ipynb";

/// What `create` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Created {
    pub dir: PathBuf,
    pub written: Vec<PathBuf>,
    /// Files that already existed and were left exactly as they were.
    pub kept: Vec<PathBuf>,
}

/// Creates `dir` (and parents) with the template's files, keeping any that exist.
pub fn create(dir: &Path, template: Template) -> Result<Created> {
    let dir = std::path::absolute(dir).map_err(|source| Error::CreateDir {
        path: dir.to_path_buf(),
        source,
    })?;
    if dir.exists() && !dir.is_dir() {
        return Err(Error::NotAFolder { path: dir });
    }
    std::fs::create_dir_all(&dir).map_err(|source| Error::CreateDir {
        path: dir.clone(),
        source,
    })?;
    let mut created = Created {
        dir: dir.clone(),
        written: vec![],
        kept: vec![],
    };
    let files = [
        (super::REQUIREMENTS, template.requirements().to_string()),
        (WELCOME, welcome_notebook(template)),
    ];
    for (name, content) in files {
        let path = dir.join(name);
        // create_new: never overwrite, even if the file appears between a check and the write.
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path);
        match file {
            Ok(mut f) => {
                use std::io::Write;
                f.write_all(content.as_bytes())
                    .map_err(|source| Error::WriteFile {
                        path: path.clone(),
                        source,
                    })?;
                created.written.push(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => created.kept.push(path),
            Err(source) => return Err(Error::WriteFile { path, source }),
        }
    }
    Ok(created)
}

/// A small nbformat 4.5 notebook that says hello and proves the environment works.
fn welcome_notebook(template: Template) -> String {
    let markdown = "# Welcome to Darwinix\n\nThis notebook runs in this folder's own Python environment (`.venv`).\n\n- Run a cell with **Shift+Enter**.\n- Add packages to `requirements.txt` and press **Start Notebook** again, or install one right here with `%pip install <name>`.";
    let lines = |text: &str| -> Vec<String> {
        let mut v: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
        if v.is_empty() {
            v.push(String::new());
        }
        v
    };
    let notebook = serde_json::json!({
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
            "language_info": {"name": "python"}
        },
        "cells": [
            {"cell_type": "markdown", "id": "welcome", "metadata": {}, "source": lines(markdown)},
            {"cell_type": "code", "id": "first-cell", "metadata": {}, "execution_count": null, "outputs": [], "source": lines(template.welcome_code())}
        ]
    });
    serde_json::to_string_pretty(&notebook).expect("static JSON") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_files_and_never_overwrites() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("Mes carnets ü/new project");
        let c = create(&dir, Template::Default).unwrap();
        assert_eq!(c.written.len(), 2);
        let req = std::fs::read_to_string(dir.join("requirements.txt")).unwrap();
        assert!(
            req.ends_with("numpy\npandas\nrequests\n"),
            "JupyterLab is the runtime's"
        );
        let nb: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(WELCOME)).unwrap()).unwrap();
        assert_eq!(nb["nbformat"], 4);
        assert_eq!(nb["cells"].as_array().unwrap().len(), 2);

        std::fs::write(dir.join("requirements.txt"), "my own\n").unwrap();
        let again = create(&dir, Template::Minimal).unwrap();
        assert_eq!(again.written.len(), 0);
        assert_eq!(again.kept.len(), 2);
        assert_eq!(
            std::fs::read_to_string(dir.join("requirements.txt")).unwrap(),
            "my own\n"
        );
    }

    #[test]
    fn templates() {
        assert_eq!("ai".parse::<Template>().unwrap(), Template::Ai);
        assert_eq!("gpu".parse::<Template>().unwrap(), Template::Gpu);
        assert!("cuda"
            .parse::<Template>()
            .unwrap_err()
            .contains("choose default, minimal, ai or gpu"));
        assert!(Template::Ai.requirements().contains("jupyter-ai\n"));
        assert!(!Template::Ai.requirements().contains("[all]"));
        assert!(
            Template::Ai.requirements().contains("jupyterlab\n"),
            "its own server"
        );
        assert_eq!(
            Template::Minimal
                .requirements()
                .lines()
                .filter(|l| !l.starts_with('#'))
                .count(),
            0
        );
    }

    #[test]
    fn a_file_in_the_way_is_an_error() {
        let tmp = tempfile::tempdir().unwrap();
        let f = tmp.path().join("taken");
        std::fs::write(&f, "x").unwrap();
        assert!(matches!(
            create(&f, Template::Default),
            Err(Error::NotAFolder { .. })
        ));
    }
}
