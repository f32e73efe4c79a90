//! The `[DIR]` argument most commands take: a project folder, or the default project.

use std::path::PathBuf;

use darwinix_core::paths::AppPaths;
use darwinix_core::project::Project;

/// `dir`, or the default project (created from the default template on first use).
#[allow(clippy::print_stderr)]
pub fn resolve(paths: &AppPaths, dir: Option<PathBuf>) -> anyhow::Result<Project> {
    match dir {
        Some(dir) => Ok(Project::open(&dir)?),
        None => {
            let (project, created) = darwinix_core::project::default_project(paths)?;
            if created {
                eprintln!("Created your default project in {}", project.dir.display());
            }
            Ok(project)
        }
    }
}
