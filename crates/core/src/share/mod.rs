//! Sharing a project as a file: `Name.darwinix.zip` with its notebooks, data, setup file and a
//! lock of exactly what is installed (and, for offline rooms, the wheels), and opening one.
//!
//! - `plan`: what would go in, with sizes (the Share… dialog shows it).
//! - `lock`, `wheels`, `tools`: the lock with hashes from the `.venv`, the offline wheels.
//! - `pack`: the zip, named so that nothing is replaced.
//! - `check`, `unpack`: opening one, every entry checked before anything is written.
//!
//! The zip holds one folder, named as the project:
//!
//! ```text
//! Course/intro.ipynb, Course/data/…            the project's files
//! Course/.darwinix/share.json                  what the file is (`meta::ShareMeta`)
//! Course/.darwinix/requirements.lock.txt       exact versions with their hashes
//! Course/.darwinix/wheels/*.whl                offline files only: `--find-links wheels`
//! ```

mod check;
pub(crate) mod hint;
mod lock;
pub mod meta;
mod pack;
mod plan;
mod tools;
mod unpack;
mod wheels;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use self::plan::{plan, ShareFile, ShareFileKind, SharePlan};
pub use self::unpack::{import, import_for_start, Imported};
use crate::error::CourseError;
use crate::error::{Error, Result};
use crate::paths::AppPaths;
use crate::project::Project;
use crate::reporter::{Reporter, SetupEvent};

/// Files bigger than this are asked about (50 MB): notebooks, code and course data are far
/// smaller; a video or a data dump usually is not meant to travel.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 50 << 20;

/// What to do with the files over the limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export, rename = "ShareLargeFiles")]
#[serde(rename_all = "camelCase")]
pub enum LargeFiles {
    /// Not decided: sharing stops with [`CourseError::ShareLargeFiles`](CourseError::ShareLargeFiles), which names them.
    #[default]
    Ask,
    Include,
    LeaveOut,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export, rename = "ShareOptions")]
#[serde(rename_all = "camelCase")]
pub struct ShareOptions {
    /// The wheels for this computer go in, so the file installs with no network.
    pub offline: bool,
    #[ts(type = "number")]
    pub max_file_bytes: u64,
    pub large: LargeFiles,
    /// Where to write it (default: `<folder name>.darwinix.zip` beside the project folder);
    /// numbered when that file exists.
    #[ts(type = "string | null")]
    pub out: Option<PathBuf>,
}

impl Default for ShareOptions {
    fn default() -> Self {
        Self {
            offline: false,
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            large: LargeFiles::Ask,
            out: None,
        }
    }
}

/// The file made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export, rename = "Shared")]
#[serde(rename_all = "camelCase")]
pub struct Shared {
    #[ts(type = "string")]
    pub file: PathBuf,
    /// The project's files in it, relative.
    pub files: Vec<String>,
    /// Files over the limit, left out as the user chose.
    pub left_out: Vec<ShareFile>,
    /// Links and names another computer cannot hold, left out.
    pub skipped: Vec<String>,
    /// Packages in the lock.
    pub packages: usize,
    /// What the `.venv` holds that the lock cannot name (an editable or local package).
    pub not_locked: Vec<String>,
    /// Wheels inside (offline).
    pub wheels: usize,
    /// The file's size.
    #[ts(type = "number")]
    pub bytes: u64,
}

/// Makes the shared file of the project at `dir`.
pub async fn export(
    paths: &AppPaths,
    dir: &Path,
    options: &ShareOptions,
    reporter: &dyn Reporter,
) -> Result<Shared> {
    let plan = plan::plan(paths, dir)?;
    if !plan.has_environment {
        return Err(Error::Course(CourseError::ShareNeedsEnvironment {
            dir: plan.dir,
        }));
    }
    let (files, left_out) = chosen_files(&plan, options)?;
    let project = Project::at(&plan.dir);
    let tools = tools::Tools::of(paths, &project).await?;
    let picked = crate::project::config::load(paths, &project)?.source;
    let locked = lock::lock(&tools, &project, picked.as_deref(), reporter).await?;
    let wanted = destination(&plan, options);
    let work = pack::Temporary::new(work_dir(&wanted));
    let wheels = match options.offline {
        true => {
            make_dir(&work.path)?;
            wheels::download(&tools, &project, &locked, &work.path, reporter).await?
        }
        false => Vec::new(),
    };
    let wheel_count = wheels.len();
    let contents = contents(&plan, &locked, files.clone(), wheels, options.offline);
    reporter.report(SetupEvent::Log {
        line: format!("Writing {}", wanted.display()),
    });
    let (file, bytes) = write_blocking(contents, wanted).await?;
    drop(work);
    Ok(Shared {
        file,
        files,
        left_out,
        skipped: plan.skipped,
        packages: locked.packages,
        not_locked: locked.not_locked,
        wheels: wheel_count,
        bytes,
    })
}

/// The project's files and Darwinix's: `share.json`, the lock, the wheels.
fn contents(
    plan: &SharePlan,
    locked: &lock::Locked,
    files: Vec<String>,
    wheels: Vec<PathBuf>,
    offline: bool,
) -> pack::Contents {
    let name = portable(&plan.name);
    let setup_file = plan.setup_file.clone();
    let share = meta::ShareMeta::new(&name, &locked.python, setup_file, offline);
    pack::Contents {
        project_dir: plan.dir.clone(),
        lock: locked.text(&name, offline),
        meta: serde_json::to_vec_pretty(&share).expect("plain data"),
        top: name,
        files,
        wheels,
    }
}

/// `--out`, else `<folder name>.darwinix.zip` beside the project folder (never inside it: a
/// second share would find the first among the files).
fn destination(plan: &SharePlan, options: &ShareOptions) -> PathBuf {
    let wanted = options.out.clone().unwrap_or_else(|| {
        let name = format!("{}{}", portable(&plan.name), meta::EXTENSION);
        plan.dir.parent().unwrap_or(&plan.dir).join(name)
    });
    std::path::absolute(&wanted).unwrap_or(wanted)
}

/// The files that go in, and those left out; big files not decided on stop it here.
fn chosen_files(plan: &SharePlan, options: &ShareOptions) -> Result<(Vec<String>, Vec<ShareFile>)> {
    let over: Vec<ShareFile> = match options.large {
        LargeFiles::Include => Vec::new(),
        _ => plan
            .over(options.max_file_bytes)
            .into_iter()
            .cloned()
            .collect(),
    };
    if options.large == LargeFiles::Ask && !over.is_empty() {
        return Err(Error::Course(CourseError::ShareLargeFiles {
            dir: plan.dir.clone(),
            limit: options.max_file_bytes,
            files: over.iter().map(|f| (f.path.clone(), f.bytes)).collect(),
        }));
    }
    let files = plan
        .files
        .iter()
        .filter(|f| !over.iter().any(|o| o.path == f.path))
        .map(|f| f.path.clone())
        .collect();
    Ok((files, over))
}

/// The folder's name as every computer can hold it (the zip's top folder, the file's name):
/// what opening it would refuse (`a:b`, a line break) becomes `_`.
fn portable(name: &str) -> String {
    let name: String = name
        .chars()
        .map(|c| match c {
            ':' | '\\' | '/' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    match check::refused_component(&name) {
        Some(_) => "Project".into(),
        None => name,
    }
}

/// A hidden folder beside the file to be, for the wheels: on its disk, removed afterwards.
fn work_dir(wanted: &Path) -> PathBuf {
    let name = wanted.file_name().unwrap_or_default().to_string_lossy();
    wanted.with_file_name(format!(".{name}.wheels-{}", std::process::id()))
}

fn make_dir(dir: &Path) -> Result<()> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).map_err(|source| Error::CreateDir {
        path: dir.to_path_buf(),
        source,
    })
}

/// Zipping reads and writes every byte: off the async threads.
async fn write_blocking(contents: pack::Contents, wanted: PathBuf) -> Result<(PathBuf, u64)> {
    tokio::task::spawn_blocking(move || pack::write(&contents, &wanted))
        .await
        .expect("zipping does not panic")
}

#[cfg(test)]
mod tests;
