//! What the home screen shows: the current project, the projects and notebooks used lately.
//! A project is shown the same way wherever it is (its target says where).

use std::path::{Path, PathBuf};

use darwinix_core::paths::AppPaths;
use darwinix_core::project::{self, notebook, recent, Project};
use darwinix_core::target::Target;
use serde::Serialize;

use crate::ipc_error::IpcResult;
use crate::target;

/// A project as the window shows it.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ProjectView {
    pub dir: PathBuf,
    pub name: String,
    /// Files Darwinix just wrote into the folder (only ever new ones).
    pub added: Vec<String>,
    /// The remote machine of a remote project (`user@host:port`); `None` here.
    pub host: Option<String>,
}

impl ProjectView {
    /// `target` (a remote one by its address), with the files just written into it.
    pub fn of(target: &Target, added: Vec<PathBuf>) -> Self {
        Self {
            dir: target.key(),
            name: target.name(),
            added: added
                .iter()
                .filter_map(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .collect(),
            host: target.host(),
        }
    }

    /// A remembered project as the switcher lists it: one whose folder is gone, or whose
    /// address no longer reads, is still listed by its path.
    fn remembered(dir: &Path) -> Self {
        let target = target::named(dir).unwrap_or_else(|_| Target::Here(Project::at(dir)));
        Self::of(&target, vec![])
    }
}

/// A notebook opened lately, in any project.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct RecentNotebook {
    /// The file (absolute).
    pub file: PathBuf,
    /// Its name without `.ipynb`.
    pub name: String,
    /// The project's name, for people.
    pub project: String,
}

/// What the home screen needs.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Home {
    pub project: ProjectView,
    pub recent: Vec<ProjectView>,
    pub recent_notebooks: Vec<RecentNotebook>,
    pub default_dir: PathBuf,
}

/// The current project (the last one used, or the default project, created on first launch
/// with no questions asked) and the recent ones.
pub fn home(paths: &AppPaths) -> IpcResult<Home> {
    let (current, added) = match recent::current(paths) {
        Some(dir) => (target::of(&dir)?, vec![]),
        None => default_project(paths)?,
    };
    Ok(Home {
        project: ProjectView::of(&current, added),
        recent: recent::load(paths)
            .iter()
            .map(|dir| ProjectView::remembered(dir))
            .collect(),
        recent_notebooks: recent_notebooks(paths),
        default_dir: paths.default_project.clone(),
    })
}

/// The default project, with the file written when it was made just now.
fn default_project(paths: &AppPaths) -> IpcResult<(Target, Vec<PathBuf>)> {
    let (project, created) = project::default_project(paths)?;
    let added = if created {
        vec![project.requirements()]
    } else {
        vec![]
    };
    Ok((Target::Here(project), added))
}

fn recent_notebooks(paths: &AppPaths) -> Vec<RecentNotebook> {
    recent::notebooks(paths)
        .into_iter()
        .filter_map(|file| {
            let target = notebook::resolve(&file).ok()?;
            Some(RecentNotebook {
                name: file.file_stem()?.to_string_lossy().into_owned(),
                project: Project::at(&target.dir).name(),
                file,
            })
        })
        .collect()
}
