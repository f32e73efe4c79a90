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
