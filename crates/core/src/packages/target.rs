//! The file a change of packages edits, and what the project asks for now: the requirements
//! file in use, or `pyproject.toml` (through uv in a uv project); never a conda or Pipenv file.

use std::path::PathBuf;

use super::listing;
use crate::error::{Error, Result};
use crate::paths::AppPaths;
use crate::project::requirements::{Source, REQUIREMENTS};
use crate::project::Project;

/// The file a change edits, and how.
pub(super) struct Target {
    pub file: PathBuf,
    pub format: Format,
    /// A uv project's lock: uv changes the project (and makes the lock again).
    pub uv_lock: Option<PathBuf>,
    /// What the project's source asks for, as roots of the walk over what is installed.
    pub requested: Vec<listing::Root>,
}

/// Which kind of file it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    Requirements,
    /// `[project] dependencies` of `pyproject.toml`.
    Pyproject,
}

impl Target {
    pub(super) fn files(&self) -> Vec<PathBuf> {
        std::iter::once(self.file.clone())
            .chain(self.uv_lock.clone())
            .collect()
    }
}

/// What a change edits: the requirements file in use (`requirements.txt` is made when the
/// project has no list yet), or `pyproject.toml` (through uv in a uv project).
pub(super) fn target(paths: &AppPaths, project: &Project) -> Result<Target> {
    let pyproject = project.dir.join(crate::project::requirements::PYPROJECT);
    let source = source_of(paths, project)?;
    let requested = roots(project, source.as_ref());
    let (file, format, uv_lock) = match source {
        None | Some(Source::Nothing) | Some(Source::Package) => {
            (project.dir.join(REQUIREMENTS), Format::Requirements, None)
        }
        Some(Source::Requirements { file, .. }) => (file, Format::Requirements, None),
        Some(Source::Pyproject(_)) => (pyproject, Format::Pyproject, None),
        Some(Source::UvProject) => {
            let lock = project.dir.join(crate::project::requirements::UV_LOCK);
            (pyproject, Format::Pyproject, Some(lock))
        }
        Some(Source::Conda { file, .. }) => {
            return Err(Error::CannotEdit {
                path: file,
                why: "Darwinix does not change conda environment files".into(),
            })
        }
        Some(Source::Pipfile { file, .. }) => {
            return Err(Error::CannotEdit {
                path: file,
                why: "Darwinix does not change Pipenv's files (Pipenv keeps its lock in step)"
                    .into(),
            })
        }
    };
    Ok(Target {
        file,
        format,
        uv_lock,
        requested,
    })
}

/// The project's source, with the file the user picked.
fn source_of(paths: &AppPaths, project: &Project) -> Result<Option<Source>> {
    let picked = crate::project::config::load(paths, project)?.source;
    Source::of(&project.dir, picked.as_deref())
}

/// The project's requirements, as roots of the walk over what is installed.
pub(super) fn requested_roots(paths: &AppPaths, project: &Project) -> Vec<listing::Root> {
    roots(project, source_of(paths, project).ok().flatten().as_ref())
}

fn roots(project: &Project, source: Option<&Source>) -> Vec<listing::Root> {
    source
        .map(|s| s.requirements(&project.dir))
        .unwrap_or_default()
        .iter()
        .filter_map(|r| listing::Root::of(r))
        .collect()
}
