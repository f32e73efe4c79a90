//! A project is any folder; Darwinix gives it a `.venv` of its own. Its packages come from the
//! setup file Binder's order picks (`requirements::choose`), the one the user picked, or what
//! its notebooks import.

pub mod backend;
pub mod config;
pub mod gpu;
pub(crate) mod hint;
pub mod notebook;
pub mod recent;
pub mod requirements;
pub mod stamp;
pub mod template;

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::paths::AppPaths;

pub const REQUIREMENTS: &str = "requirements.txt";
pub const LOCK: &str = "requirements.lock";
pub const VENV: &str = ".venv";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    /// Absolute.
    pub dir: PathBuf,
}

impl Project {
    /// An existing folder. Errors say what is wrong with the path and how to fix it.
    pub fn open(dir: &Path) -> Result<Self> {
        // Canonical: `link/`, `a/../b` and (on macOS/Windows) another letter case are one
        // project, with one server and one setup lock.
        match dunce::canonicalize(dir) {
            Ok(dir) if dir.is_dir() => Ok(Self { dir }),
            Ok(dir) => Err(Error::NotAFolder { path: dir }),
            Err(_) => {
                let path = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
                if let Some(dangling) = dangling_link(&path) {
                    return Err(dangling);
                }
                match std::fs::symlink_metadata(&path) {
                    Ok(_) => Err(Error::NotAFolder { path }),
                    Err(_) => Err(Error::ProjectMissing { path }),
                }
            }
        }
    }

    /// A project at `dir` whether or not the folder exists (to stop the server of a folder that
    /// was deleted).
    pub fn at(dir: &Path) -> Self {
        Self {
            dir: std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf()),
        }
    }

    pub fn name(&self) -> String {
        self.dir.file_name().map_or_else(
            || self.dir.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    }

    pub fn requirements(&self) -> PathBuf {
        self.dir.join(REQUIREMENTS)
    }

    pub fn lock_file(&self) -> PathBuf {
        self.dir.join(LOCK)
    }

    pub fn venv(&self) -> PathBuf {
        self.dir.join(VENV)
    }

    /// The environment's interpreter.
    pub fn venv_python(&self) -> PathBuf {
        venv_python(&self.venv())
    }

    /// A short, unique, file-name-safe name for this project's files under `DARWINIX_HOME`
    /// (logs, locks): the folder name and a hash of the full path.
    pub fn key(&self) -> String {
        let slug: String = self
            .name()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .take(40)
            .collect();
        let digest = crate::hash::hex_sha256(self.dir.to_string_lossy().as_bytes());
        format!("{slug}-{}", &digest[..12])
    }
}

/// The error for `path` when it is a link that leads to nothing (a folder or a notebook that
/// was moved, a link copied from another computer): it is neither missing nor a file.
pub(crate) fn dangling_link(path: &Path) -> Option<Error> {
    dead_end(path).map(|target| Error::DanglingLink {
        path: path.to_path_buf(),
        target,
    })
}

/// Where the chain of links that starts at `link` leads to nothing: the first path in it that
/// does not exist. `None` when `link` is not a link, or the chain ends somewhere (a loop, a
/// folder that cannot be read).
fn dead_end(link: &Path) -> Option<PathBuf> {
    // Linux's own limit on links followed in one lookup: a longer chain loops.
    const MAX_HOPS: usize = 40;
    let mut at = link.to_path_buf();
    for _ in 0..MAX_HOPS {
        let target = std::fs::read_link(&at).ok()?;
        // A relative target is relative to the link's folder; joining an absolute one is it.
        let next = at
            .parent()
            .map_or_else(|| target.clone(), |p| p.join(&target));
        match std::fs::symlink_metadata(&next) {
            Ok(meta) if meta.is_symlink() => at = next,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Some(next),
            _ => return None,
        }
    }
    None
}

/// The one-button project: `AppPaths::default_project`, made from the default template the
/// first time (files already there are never overwritten). `created` says whether it was new.
pub fn default_project(paths: &AppPaths) -> Result<(Project, bool)> {
    let dir = &paths.default_project;
    let mut created = false;
    if !dir.join(REQUIREMENTS).exists() {
        created = !template::create(dir, template::Template::Default)?
            .written
            .is_empty();
    }
    Ok((Project::open(dir)?, created))
}

/// `bin/python` on Unix, `Scripts\python.exe` on Windows: where venv puts the interpreter.
pub fn venv_python(venv: &Path) -> PathBuf {
    Layout::NATIVE.python(venv)
}

/// How a `.venv` is laid out: by the operating system that made it, which for a project run in
/// WSL is Linux even when Darwinix runs on Windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// `Scripts\python.exe`, `Lib\site-packages`.
    Windows,
    /// `bin/python`, `lib/pythonX.Y/site-packages`.
    Posix,
}

impl Layout {
    pub const NATIVE: Layout = if cfg!(windows) {
        Layout::Windows
    } else {
        Layout::Posix
    };

    /// Made by another operating system: its links cannot be followed from here.
    pub fn is_foreign(self) -> bool {
        self != Layout::NATIVE
    }

    /// A program the environment installed (`python`, `jupyter-lab`).
    pub fn program(self, venv: &Path, name: &str) -> PathBuf {
        match self {
            Layout::Windows => venv.join("Scripts").join(format!("{name}.exe")),
            Layout::Posix => venv.join("bin").join(name),
        }
    }

    pub fn python(self, venv: &Path) -> PathBuf {
        self.program(venv, "python")
    }

    /// The folders packages are installed into.
    pub fn site_packages(self, venv: &Path) -> Vec<PathBuf> {
        match self {
            Layout::Windows => vec![venv.join("Lib").join("site-packages")],
            Layout::Posix => std::fs::read_dir(venv.join("lib"))
                .map(|entries| {
                    entries
                        .flatten()
                        .map(|e| e.path().join("site-packages"))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_checks_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let p = Project::open(dir.path()).unwrap();
        assert!(p.dir.is_absolute());
        assert!(matches!(
            Project::open(&dir.path().join("nope")),
            Err(Error::ProjectMissing { .. })
        ));
        std::fs::write(dir.path().join("file"), "").unwrap();
        assert!(matches!(
            Project::open(&dir.path().join("file")),
            Err(Error::NotAFolder { .. })
        ));
    }

    /// `darwinix start ./link` (and the app's Open) with a link to nothing says so, not that it
    /// is a file; a notebook path through `notebook::resolve` is worded by the same check.
    #[cfg(unix)]
    #[test]
    fn a_link_to_nothing_is_called_one() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = dunce::canonicalize(dir.path()).unwrap();
        let link = root.join("link");
        symlink("nowhere", &link).unwrap();
        let said = Project::open(&link).unwrap_err().to_string();
        let want = format!(
            "`{}` is a link to `{}`, which does not exist",
            link.display(),
            root.join("nowhere").display()
        );
        assert_eq!(said, want);
        let resolved = notebook::resolve(&link).unwrap_err().to_string();
        assert_eq!(resolved, want);
        // Through a second link, the end that is missing is named.
        let chain = root.join("chain");
        symlink(&link, &chain).unwrap();
        assert!(matches!(
            Project::open(&chain),
            Err(Error::DanglingLink { target, .. }) if target == root.join("nowhere")
        ));
        // A link to a folder that exists opens it; a loop is not called a missing target.
        std::fs::create_dir(root.join("nowhere")).unwrap();
        assert_eq!(Project::open(&chain).unwrap().dir, root.join("nowhere"));
        let looped = root.join("loop");
        symlink(&looped, &looped).unwrap();
        assert!(matches!(
            Project::open(&looped),
            Err(Error::NotAFolder { .. })
        ));
    }

    #[test]
    fn key_is_safe_and_unique() {
        let a = Project {
            dir: "/home/ann/My Notebooks ü".into(),
        };
        let b = Project {
            dir: "/home/bob/My Notebooks ü".into(),
        };
        assert!(a.key().starts_with("My_Notebooks__-"), "{}", a.key());
        assert_ne!(a.key(), b.key());
    }
}
