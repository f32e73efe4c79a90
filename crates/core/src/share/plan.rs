//! What a shared file would hold, before anything is written: the project's notebooks, its
//! setup file and its other files with their sizes (the Share… dialog shows them, and asks about
//! the big ones). Never what is made again from them, nor what is private or machine-bound:
//! `.venv` and other environments, `.git`, caches, hidden files, earlier shared files. Links
//! are never followed: one could lead to anything on this computer.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::check::refused_component;
use super::meta;
use crate::error::{Error, Result};
use crate::install::{kernel_layer, venv};
use crate::paths::AppPaths;
use crate::project::requirements::choose;
use crate::project::{backend, config, Project};

/// Folders never packed: made again by Darwinix or the tools, or big and machine-bound.
const SKIPPED_DIRS: [&str; 2] = ["__pycache__", "node_modules"];
/// Hidden names that belong to the project's setup (Binder's folder, the Python it asks for).
const KEPT_HIDDEN: [&str; 2] = [".binder", ".python-version"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export, rename = "ShareFileKind")]
#[serde(rename_all = "camelCase")]
pub enum ShareFileKind {
    Notebook,
    /// The setup file the packages come from.
    Setup,
    /// Data, code, images: everything else.
    Other,
}

/// One file of the project, as it would go in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export, rename = "ShareFile")]
#[serde(rename_all = "camelCase")]
pub struct ShareFile {
    /// Relative to the project folder, with `/`.
    pub path: String,
    #[ts(type = "number")]
    pub bytes: u64,
    pub kind: ShareFileKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export, rename = "SharePlan")]
#[serde(rename_all = "camelCase")]
pub struct SharePlan {
    #[ts(type = "string")]
    pub dir: PathBuf,
    /// The folder's name: the file is `<name>.darwinix.zip`, and unpacks into `<name>`.
    pub name: String,
    /// The setup file the packages come from, relative (`None`: the notebooks' imports).
    pub setup_file: Option<String>,
    /// Sorted by path.
    pub files: Vec<ShareFile>,
    /// Links (never followed) and names another computer could not hold (`a:b`, not Unicode):
    /// left out, and said so.
    pub skipped: Vec<String>,
    /// The project has a working `.venv`, whose packages the lock is made from.
    pub has_environment: bool,
    /// `3.11`: the Python of that `.venv`.
    pub python: Option<String>,
    #[ts(type = "number")]
    pub total_bytes: u64,
}

impl SharePlan {
    /// The files bigger than `limit`, biggest first; the setup file is never one of them.
    pub fn over(&self, limit: u64) -> Vec<&ShareFile> {
        let mut big: Vec<&ShareFile> = self
            .files
            .iter()
            .filter(|f| f.bytes > limit && f.kind != ShareFileKind::Setup)
            .collect();
        big.sort_by_key(|f| std::cmp::Reverse(f.bytes));
        big
    }
}

/// What sharing the project at `dir` would put in.
pub fn plan(paths: &AppPaths, dir: &Path) -> Result<SharePlan> {
    let project = Project::open(dir)?;
    let setup_file = setup_file(paths, &project);
    let mut walked = Walked::default();
    walk(&project.dir, &mut walked)?;
    let mut files = walked.files;
    if let Some(setup) = &setup_file {
        // A setup file in a hidden folder the user picked still goes in; Darwinix's own lock
        // (a project that was shared with it) is made again instead.
        let ours = setup.starts_with(&format!("{}/", meta::DIR));
        if !ours && !files.iter().any(|f| &f.path == setup) {
            let bytes = std::fs::metadata(project.dir.join(setup)).map_or(0, |m| m.len());
            files.push(ShareFile {
                path: setup.clone(),
                bytes,
                kind: ShareFileKind::Setup,
            });
        }
    }
    for file in files
        .iter_mut()
        .filter(|f| Some(&f.path) == setup_file.as_ref())
    {
        file.kind = ShareFileKind::Setup;
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let layout = backend::load_choice(paths, &project)?.layout();
    let venv_dir = project.venv();
    Ok(SharePlan {
        name: project.name(),
        setup_file,
        total_bytes: files.iter().map(|f| f.bytes).sum(),
        files,
        skipped: walked.skipped,
        has_environment: venv::health(&venv_dir, layout) == venv::Health::Healthy,
        python: kernel_layer::python_version(&venv_dir),
        dir: project.dir,
    })
}

/// The setup file the project installs from, as setup chooses it (the user's pick first).
fn setup_file(paths: &AppPaths, project: &Project) -> Option<String> {
    let picked = config::load(paths, project).ok()?.source;
    let choice = choose::choose(&project.dir, picked.as_deref()).ok()?;
    let file = choice.source?.file(&project.dir)?;
    Some(choose::shown(&project.dir, &file))
}

#[derive(Default)]
struct Walked {
    files: Vec<ShareFile>,
    skipped: Vec<String>,
}

/// Every file below `root` that goes in (see the module's words for what does not).
fn walk(root: &Path, walked: &mut Walked) -> Result<()> {
    let mut folders = vec![root.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let read = |source| Error::ReadFile {
            path: folder.clone(),
            source,
        };
        let mut entries: Vec<std::fs::DirEntry> = std::fs::read_dir(&folder)
            .map_err(read)?
            .collect::<std::io::Result<_>>()
            .map_err(read)?;
        entries.sort_by_key(std::fs::DirEntry::file_name);
        for entry in entries {
            visit(root, &entry, walked, &mut folders)?;
        }
    }
    Ok(())
}

/// One entry of a folder: recorded, skipped and said, left out silently, or walked into.
fn visit(
    root: &Path,
    entry: &std::fs::DirEntry,
    walked: &mut Walked,
    folders: &mut Vec<PathBuf>,
) -> Result<()> {
    let path = entry.path();
    let shown = choose::shown(root, &path);
    let Some(name) = entry.file_name().to_str().map(str::to_string) else {
        walked.skipped.push(shown);
        return Ok(());
    };
    let kind = entry.file_type().map_err(|source| Error::ReadFile {
        path: path.clone(),
        source,
    })?;
    if left_out(&name) {
        return Ok(());
    }
    if kind.is_symlink() || refused_component(&name).is_some() {
        walked.skipped.push(shown);
    } else if kind.is_dir() {
        // Any environment, whatever its name (`venv`, `env`): its interpreter is this
        // computer's, and the lock says what it holds.
        if !path.join("pyvenv.cfg").is_file() {
            folders.push(path);
        }
    } else if kind.is_file() {
        let bytes = entry.metadata().map_or(0, |m| m.len());
        let kind = match name.ends_with(".ipynb") {
            true => ShareFileKind::Notebook,
            false => ShareFileKind::Other,
        };
        walked.files.push(ShareFile {
            path: shown,
            bytes,
            kind,
        });
    }
    Ok(())
}

/// Names never packed, and not worth a word: hidden ones (`.git`, `.venv`, `.env`,
/// `.ipynb_checkpoints`, Darwinix's own `.darwinix`), caches, earlier shared files.
fn left_out(name: &str) -> bool {
    (name.starts_with('.') && !KEPT_HIDDEN.contains(&name))
        || SKIPPED_DIRS.contains(&name)
        || name.ends_with(meta::EXTENSION)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, files: &[&str]) {
        for f in files {
            let path = dir.join(f);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
    }

    #[test]
    fn only_the_projects_own_files_go_in() {
        let home = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(&home.path().join("home"));
        let dir = home.path().join("Course");
        write(
            &dir,
            &[
                "intro.ipynb",
                "requirements.txt",
                "data/a.csv",
                "helpers/util.py",
                ".binder/runtime.txt",
                ".python-version",
                ".venv/pyvenv.cfg",
                ".venv/lib/x.py",
                "env/pyvenv.cfg",
                "env/lib/y.py",
                ".git/HEAD",
                ".env",
                ".ipynb_checkpoints/intro-checkpoint.ipynb",
                "helpers/__pycache__/util.cpython-311.pyc",
                "node_modules/x/index.js",
                ".darwinix/share.json",
                "Course.darwinix.zip",
                "Course 2.darwinix.zip",
            ],
        );
        let plan = plan(&paths, &dir).unwrap();
        let files: Vec<&str> = plan.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            files,
            [
                ".binder/runtime.txt",
                ".python-version",
                "data/a.csv",
                "helpers/util.py",
                "intro.ipynb",
                "requirements.txt"
            ]
        );
        assert_eq!(plan.name, "Course");
        assert!(!plan.has_environment);
        assert_eq!(plan.total_bytes, 6);
        let kind = |p: &str| plan.files.iter().find(|f| f.path == p).unwrap().kind;
        assert_eq!(kind("intro.ipynb"), ShareFileKind::Notebook);
        assert_eq!(kind("data/a.csv"), ShareFileKind::Other);
    }

    #[test]
    fn the_setup_file_is_the_one_setup_uses_and_never_too_big() {
        let home = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(&home.path().join("home"));
        let dir = home.path().join("p");
        write(&dir, &["requirements.txt", "environment.yml", "big.csv"]);
        std::fs::write(dir.join("environment.yml"), "dependencies:\n  - numpy\n").unwrap();
        std::fs::write(dir.join("big.csv"), "0123456789").unwrap();
        let plan = plan(&paths, &dir).unwrap();
        assert_eq!(plan.setup_file.as_deref(), Some("environment.yml"));
        let over: Vec<&str> = plan.over(5).iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            over,
            ["big.csv"],
            "environment.yml is 25 bytes, and the setup file"
        );
    }

    #[cfg(unix)]
    #[test]
    fn links_are_never_followed() {
        let home = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(&home.path().join("home"));
        let dir = home.path().join("p");
        write(&dir, &["a.ipynb"]);
        std::os::unix::fs::symlink("/etc", dir.join("etc")).unwrap();
        std::os::unix::fs::symlink("/etc/hostname", dir.join("host.txt")).unwrap();
        let plan = plan(&paths, &dir).unwrap();
        assert_eq!(plan.files.len(), 1);
        assert_eq!(plan.skipped, ["etc", "host.txt"]);
    }
}
