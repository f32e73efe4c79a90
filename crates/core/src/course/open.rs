//! Opening a link: where the course goes on disk, whether it is already there (then it gets the
//! teacher's updates instead of a second copy), the clone or the download, and the notebook to
//! open. The setup and the start that follow are the usual ones, with the trust prompt: a folder
//! from a link is foreign until the user says otherwise (`record`).

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::git::{self, UpdateReport};
use super::link::Link;
use super::record::{self, From};
use super::{download, progress};
use crate::error::CourseError;
use crate::error::{Error, Result};
use crate::paths::AppPaths;
use crate::reporter::{Reporter, SetupEvent, SetupStep};
use crate::settings::Settings;

/// A repository bigger than this is asked about first (Download anyway).
pub const SIZE_LIMIT: u64 = 1 << 30;

/// How to open a link.
#[derive(Debug, Clone, Default)]
pub struct OpenOptions {
    /// The folder courses go into, chosen now (and remembered); `None`: the remembered one,
    /// else `~/Darwinix`.
    pub into: Option<PathBuf>,
    /// Download past [`SIZE_LIMIT`]: the user said so, having seen the size.
    pub allow_large: bool,
}

/// The course, on disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, rename = "CourseOpened")]
#[serde(rename_all = "camelCase")]
pub struct Opened {
    #[ts(type = "string")]
    pub dir: PathBuf,
    /// The notebook (or folder) the link names, relative to `dir`, `/`-separated, when the
    /// course has it.
    pub notebook: Option<String>,
    /// Downloaded now (not found from an earlier click).
    pub fresh: bool,
    /// The teacher's updates, for a course that was already here.
    pub update: Option<UpdateReport>,
    /// Why the teacher's updates could not be fetched (the student's copy opens as it is).
    pub update_failed: Option<String>,
}

/// Opens `link`: reuses the course when it is already here, else downloads it.
pub async fn open(
    paths: &AppPaths,
    link: &Link,
    options: &OpenOptions,
    reporter: &dyn Reporter,
) -> Result<Opened> {
    let parent = parent_folder(paths, options)?;
    match link {
        Link::Repository { url, branch, path } => {
            let opened = repository(
                paths,
                &parent,
                link,
                url,
                branch.as_deref(),
                options,
                reporter,
            )
            .await?;
            Ok(Opened {
                notebook: in_course(&opened.dir, path.as_deref(), reporter),
                ..opened
            })
        }
        Link::Notebook { url, name } => notebook(paths, &parent, link, url, name, reporter).await,
    }
}

/// The folder courses go into: chosen now (remembered for next time), remembered, or the
/// default; made when missing.
fn parent_folder(paths: &AppPaths, options: &OpenOptions) -> Result<PathBuf> {
    let mut settings = Settings::load(paths)?;
    let parent = match &options.into {
        Some(into) => {
            let into = std::path::absolute(into).unwrap_or_else(|_| into.clone());
            if settings.courses_dir.as_ref() != Some(&into) {
                settings.courses_dir = Some(into.clone());
                settings.save(paths)?;
            }
            into
        }
        None => settings
            .courses_dir
            .unwrap_or_else(|| paths.courses.clone()),
    };
    std::fs::create_dir_all(&parent).map_err(|source| Error::CreateDir {
        path: parent.clone(),
        source,
    })?;
    Ok(parent)
}

/// A repository: the copy already opened from it (updated), or a new clone in a folder of its
/// own name (` 2`, ` 3`… when a folder of that name holds something else).
async fn repository(
    paths: &AppPaths,
    parent: &Path,
    link: &Link,
    url: &str,
    branch: Option<&str>,
    options: &OpenOptions,
    reporter: &dyn Reporter,
) -> Result<Opened> {
    let known = record::from_repository(paths, url)
        .into_iter()
        .map(|c| c.dir)
        .find(|dir| is_this_course(dir, url, branch));
    let dir = match known {
        Some(dir) => dir,
        None => match free_or_same(parent, &link.folder_name(), |dir| {
            is_this_course(dir, url, branch)
        }) {
            Place::Same(dir) => dir,
            Place::Free(dir) => {
                return clone(paths, link, url, branch, dir, options, reporter).await;
            }
        },
    };
    record::remember(paths, &dir, From::Link { link: link.clone() })?;
    let (update, update_failed) = match updated(paths, &dir, reporter).await {
        Ok(report) => (Some(report), None),
        // The student's copy is there: a network that is down does not keep them from it.
        Err(e) => {
            let why = e.to_string();
            reporter.report(SetupEvent::Warning {
                message: format!(
                    "could not get the teacher's updates ({why}); your copy opens as it is"
                ),
            });
            (None, Some(why))
        }
    };
    Ok(Opened {
        dir,
        notebook: None,
        fresh: false,
        update,
        update_failed,
    })
}

/// The clone, into `dir` (which does not exist), remembered once complete.
async fn clone(
    paths: &AppPaths,
    link: &Link,
    url: &str,
    branch: Option<&str>,
    dir: PathBuf,
    options: &OpenOptions,
    reporter: &dyn Reporter,
) -> Result<Opened> {
    reporter.report(SetupEvent::Step {
        step: SetupStep::GettingCourse,
        detail: format!("Downloading {}", shown(url)),
    });
    let limit = (!options.allow_large).then_some(SIZE_LIMIT);
    if let (Some(limit), Some(bytes)) = (limit, super::size::known(url).await) {
        if bytes > limit {
            return Err(Error::Course(CourseError::RepositoryTooLarge {
                url: url.to_string(),
                bytes,
                limit,
            }));
        }
    }
    let (url_owned, branch_owned, dest) = (url.to_string(), branch.map(String::from), dir.clone());
    progress::blocking(reporter, move |on_progress| {
        git::clone(
            &url_owned,
            branch_owned.as_deref(),
            &dest,
            limit,
            on_progress,
        )
    })
    .await?;
    record::remember(paths, &dir, From::Link { link: link.clone() })?;
    Ok(Opened {
        dir,
        notebook: None,
        fresh: true,
        update: None,
        update_failed: None,
    })
}

/// The teacher's updates for a course folder ("Get the teacher's updates").
pub async fn update(paths: &AppPaths, dir: &Path, reporter: &dyn Reporter) -> Result<UpdateReport> {
    course_repository(paths, dir)?;
    updated(paths, dir, reporter).await
}

async fn updated(paths: &AppPaths, dir: &Path, reporter: &dyn Reporter) -> Result<UpdateReport> {
    let url = course_repository(paths, dir)?;
    reporter.report(SetupEvent::Step {
        step: SetupStep::GettingCourse,
        detail: format!("Getting the teacher's updates from {}", shown(&url)),
    });
    let dest = dir.to_path_buf();
    progress::blocking(reporter, move |on_progress| git::update(&dest, on_progress)).await
}

/// "Start over from the teacher's version": the student's folder moves to a dated one beside
/// it (returned), and the teacher's version is downloaded afresh.
pub async fn start_over(paths: &AppPaths, dir: &Path, reporter: &dyn Reporter) -> Result<PathBuf> {
    let url = course_repository(paths, dir)?;
    let course = record::of(paths, dir).ok_or_else(|| {
        Error::Course(CourseError::NotACourse {
            dir: dir.to_path_buf(),
        })
    })?;
    reporter.report(SetupEvent::Step {
        step: SetupStep::GettingCourse,
        detail: format!("Downloading the teacher's version from {}", shown(&url)),
    });
    let dest = dir.to_path_buf();
    let kept = progress::blocking(reporter, move |on_progress| {
        git::start_over(&dest, on_progress)
    })
    .await?;
    record::remember(paths, dir, course.from)?;
    Ok(kept)
}

/// The repository a course folder was cloned from, or [`CourseError::NotACourse`](CourseError::NotACourse).
fn course_repository(paths: &AppPaths, dir: &Path) -> Result<String> {
    record::of(paths, dir)
        .and_then(|c| c.repository().map(String::from))
        .filter(|_| git::remote_url(dir).is_some())
        .ok_or_else(|| {
            Error::Course(CourseError::NotACourse {
                dir: dir.to_path_buf(),
            })
        })
}

/// A notebook link: the folder it was downloaded into before, else a new folder named after
/// it holding the notebook alone.
async fn notebook(
    paths: &AppPaths,
    parent: &Path,
    link: &Link,
    url: &str,
    name: &str,
    reporter: &dyn Reporter,
) -> Result<Opened> {
    let (dir, fresh) = match record::from_notebook(paths, url) {
        Some(course) if course.dir.join(name).is_file() => (course.dir, false),
        _ => {
            reporter.report(SetupEvent::Step {
                step: SetupStep::GettingCourse,
                detail: format!("Downloading {name}"),
            });
            let Place::Free(dir) = free_or_same(parent, &link.folder_name(), |_| false) else {
                unreachable!("no folder is taken for the same")
            };
            download::notebook(url, &dir, name).await?;
            (dir, true)
        }
    };
    record::remember(paths, &dir, From::Link { link: link.clone() })?;
    Ok(Opened {
        dir,
        notebook: Some(name.to_string()),
        fresh,
        update: None,
        update_failed: None,
    })
}

enum Place {
    /// Nothing there: the course goes here.
    Free(PathBuf),
    /// This course is already there.
    Same(PathBuf),
}

/// `parent/name`, or `name 2`, `name 3`…: the first that is free or holds this same course. A
/// folder holding anything else is never written into.
fn free_or_same(parent: &Path, name: &str, same: impl Fn(&Path) -> bool) -> Place {
    for candidate in crate::format::numbered(name.to_string(), String::new()) {
        let candidate = parent.join(candidate);
        if same(&candidate) {
            return Place::Same(candidate);
        }
        if std::fs::symlink_metadata(&candidate).is_err() {
            return Place::Free(candidate);
        }
    }
    unreachable!("some name is free")
}

/// `dir` is a clone of `url` (on `branch`, when the link names one).
fn is_this_course(dir: &Path, url: &str, branch: Option<&str>) -> bool {
    git::remote_url(dir).is_some_and(|r| record::same_repository(&r, url))
        && branch.is_none_or(|b| git::branch(dir).as_deref() == Some(b))
}

/// The notebook (or folder) the link names, when the course has it; a warning when not.
fn in_course(dir: &Path, path: Option<&str>, reporter: &dyn Reporter) -> Option<String> {
    let path = path?;
    if dir.join(path).exists() {
        return Some(path.to_string());
    }
    reporter.report(SetupEvent::Warning {
        message: format!("the link names `{path}`, which the course does not have (any more); JupyterLab opens at the course's folder"),
    });
    None
}

/// `github.com/ann/course`: an address as people read it.
fn shown(url: &str) -> &str {
    url.split_once("://").map_or(url, |(_, rest)| rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_of_the_same_name_holding_something_else_is_never_used() {
        let parent = tempfile::tempdir().unwrap();
        let taken = parent.path().join("course");
        std::fs::create_dir(&taken).unwrap();
        std::fs::write(taken.join("thesis.ipynb"), "{}").unwrap();
        std::fs::create_dir(parent.path().join("course 2")).unwrap();
        let Place::Free(dir) = free_or_same(parent.path(), "course", |_| false) else {
            panic!("a free place")
        };
        assert_eq!(dir, parent.path().join("course 3"));
        let same = free_or_same(parent.path(), "course", |d| d.ends_with("course 2"));
        assert!(matches!(same, Place::Same(d) if d.ends_with("course 2")));
    }
}
