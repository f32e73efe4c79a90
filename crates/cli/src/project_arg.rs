//! The `[DIR]` argument most commands take: a project folder, or the default project; for
//! `start`, `open` and `restart` also a notebook, which names its project and the page to open.

use std::path::PathBuf;

use darwinix_core::paths::AppPaths;
use darwinix_core::project::{notebook, Project};

/// `dir`, or the default project (created from the default template on first use).
pub fn resolve(paths: &AppPaths, dir: Option<PathBuf>) -> anyhow::Result<Project> {
    Ok(resolve_target(paths, dir)?.0)
}

/// `path` (a folder or a notebook), or the default project: the project, and the notebook
/// relative to it.
#[allow(clippy::print_stderr)]
pub fn resolve_target(
    paths: &AppPaths,
    path: Option<PathBuf>,
) -> anyhow::Result<(Project, Option<String>)> {
    match path {
        Some(path) => {
            let target = notebook::resolve(&path)?;
            Ok((Project::open(&target.dir)?, target.notebook))
        }
        None => {
            let (project, created) = darwinix_core::project::default_project(paths)?;
            if created {
                eprintln!("Created your default project in {}", project.dir.display());
            }
            Ok((project, None))
        }
    }
}

/// The project `dir` names, or the one the current folder belongs to: the nearest folder, from
/// here up, with a list of packages or a `.venv` (as uv finds its project); else this folder.
pub fn of_folder(dir: Option<PathBuf>) -> anyhow::Result<Project> {
    if let Some(dir) = dir {
        return Ok(Project::open(&dir)?);
    }
    let here = std::env::current_dir()?;
    let marks = [
        "requirements.txt",
        "pyproject.toml",
        "environment.yml",
        "environment.yaml",
        ".venv",
    ];
    let found = here
        .ancestors()
        .find(|d| marks.iter().any(|m| d.join(m).exists()))
        .unwrap_or(&here);
    Ok(Project::open(found)?)
}
