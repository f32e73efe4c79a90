//! The `[DIR]` argument most commands take: a project folder, or the default project.

use std::path::PathBuf;

use darwinix_core::paths::AppPaths;
use darwinix_core::project::template::{self, Template};
use darwinix_core::project::Project;

/// `dir`, or the default project (created from the default template on first use).
#[allow(clippy::print_stderr)]
pub fn resolve(paths: &AppPaths, dir: Option<PathBuf>) -> anyhow::Result<Project> {
    match dir {
        Some(dir) => Ok(Project::open(&dir)?),
        None => {
            let dir = &paths.default_project;
            if !dir.join(darwinix_core::project::REQUIREMENTS).exists() {
                let created = template::create(dir, Template::Default)?;
                if !created.written.is_empty() {
                    eprintln!("Created your default project in {}", created.dir.display());
                }
            }
            Ok(Project::open(dir)?)
        }
    }
}
