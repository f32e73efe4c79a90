//! A project's packages without a terminal: what its `.venv` has (asked for, pulled in, or
//! installed by hand), a name checked against the package index, and changes — add, remove,
//! update — made in the project's own file first and then applied by the normal setup, both
//! put back exactly as they were when applying fails.

pub mod change;
mod edit_plan;
pub mod for_import;
pub(crate) mod hint;
pub mod index;
pub mod listing;
pub mod metadata;
pub mod name;
mod request;
mod target;

pub use change::apply;
pub use listing::{Kind, Package};
pub use request::{Change, Changed, StillNeeded};

use std::path::PathBuf;

use serde::Serialize;

use crate::error::Result;
use crate::install::SetupOptions;
use crate::paths::AppPaths;
use crate::project::Project;

/// A project's packages, and where changes to them go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Listing {
    /// Where the requested packages come from: `requirements.txt`, `Pipfile.lock`,
    /// `pyproject.toml`…; `None`: no setup file yet.
    pub source: Option<String>,
    /// The setup files not used, and why.
    pub not_used: Vec<crate::project::requirements::choose::Ignored>,
    /// The file Add, Remove and Update change (it may not exist yet).
    pub file: Option<PathBuf>,
    /// Why changes cannot be made here, when they cannot.
    pub not_editable: Option<String>,
    /// Everything installed in `.venv`, by name.
    pub packages: Vec<Package>,
}

/// What `.venv` holds, each package marked requested, pulled in or installed by hand. Only
/// file reads.
pub fn list(paths: &AppPaths, project: &Project) -> Result<Listing> {
    let layout = crate::project::config::load(paths, project)?
        .backend
        .layout();
    let installed = metadata::installed(&project.venv(), layout);
    let requested = target::requested_roots(paths, project);
    let mut packages = listing::classify(&installed, &requested, &["pip", "ipykernel"]);
    packages.sort_by_key(|p| p.name.to_lowercase());
    let (file, not_editable) = match target::target(paths, project) {
        Ok(target) => (Some(target.file), None),
        Err(e) => (None, Some(e.to_string())),
    };
    let picked = crate::project::config::load(paths, project)?.source;
    let choice = crate::project::requirements::choose::choose(&project.dir, picked.as_deref())?;
    Ok(Listing {
        source: choice.source.map(|s| s.describe()),
        not_used: choice.ignored,
        file,
        not_editable,
        packages,
    })
}

/// A name looked up on the package index: its newest version and summary. Asked from where
/// the project runs (WSL, a Nix shell), with its environment's Python or, before it has one,
/// the Python it would be made from. Text that is not a project name is refused first: it
/// would become part of the address asked.
pub async fn search(
    paths: &AppPaths,
    project: &Project,
    name: &str,
    options: &SetupOptions,
) -> Result<index::OnIndex> {
    let name = name::checked(name)?;
    let mut log = crate::install::log::SetupLog::create(&change::log_path(paths, project));
    let (backend, python) =
        crate::install::existing::python_for(paths, project, options, &mut log).await?;
    let index = crate::install::index_in_use(options);
    let wanted = [(name.to_string(), String::new())];
    let mut found = index::look_up(&python, &backend, &index, &wanted, true).await?;
    Ok(found.remove(0))
}
