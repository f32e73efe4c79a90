//! Where to look for Pythons, and the distinct interpreter files found there.

use std::collections::HashSet;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::executables::{is_executable, python_files_in};
use super::managers::{homebrew_dirs, uv_python_dirs, Pyenv};
use super::pep514;
use crate::env_vars::{DARWINIX_PYTHON_SEARCH_PATH, USER};
use crate::machine::nix;

/// Where a candidate was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// `DARWINIX_PYTHON_SEARCH_PATH`.
    SearchPath,
    Path,
    Pyenv,
    Homebrew,
    Nix,
    Uv,
    WindowsRegistry,
    /// Inside the project's WSL distro.
    Wsl,
}

impl Source {
    pub fn describe(self) -> &'static str {
        match self {
            Source::SearchPath => crate::env_vars::DARWINIX_PYTHON_SEARCH_PATH,
            Source::Path => "PATH",
            Source::Pyenv => "pyenv",
            Source::Homebrew => "Homebrew",
            Source::Nix => "a Nix profile",
            Source::Uv => "uv",
            Source::WindowsRegistry => "the Windows registry",
            Source::Wsl => "the WSL distro",
        }
    }
}

/// One file that may be a Python, and the place that led to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub path: PathBuf,
    pub source: Source,
}

/// Where to look, decided once from the environment; tests build one by hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchPlan {
    /// Folders to scan for `python`, `python3`, `python3.N`, in priority order.
    pub dirs: Vec<(PathBuf, Source)>,
    /// Exact interpreter files (from the registry).
    pub files: Vec<(PathBuf, Source)>,
    /// Folders where other tools (`uv`) are looked up.
    pub tool_dirs: Vec<PathBuf>,
}

impl SearchPlan {
    /// `DARWINIX_PYTHON_SEARCH_PATH` when set (and then nothing else), the whole machine otherwise.
    /// `path` is the (repaired) `PATH`.
    pub fn from_env(path: &OsStr) -> Self {
        if let Some(only) = std::env::var_os(DARWINIX_PYTHON_SEARCH_PATH) {
            // Set on purpose by the user or a test: relative entries are meant from here.
            let dirs = std::env::split_paths(&only).filter_map(|d| std::path::absolute(d).ok());
            return Self::only(dirs.collect());
        }
        let home = crate::paths::home_dir();
        let pyenv = Pyenv::from_env(home.as_deref());
        let path_dirs = crate::paths::absolute_dirs(path);
        let mut dirs = Vec::new();
        for dir in &path_dirs {
            match &pyenv {
                Some(p) if p.is_shims(dir) => {
                    dirs.extend(p.selected().into_iter().map(|d| (d, Source::Pyenv)))
                }
                _ => dirs.push((dir.clone(), Source::Path)),
            }
        }
        if let Some(p) = &pyenv {
            dirs.extend(p.all_versions().into_iter().map(|d| (d, Source::Pyenv)));
        }
        dirs.extend(
            homebrew_dirs(home.as_deref())
                .into_iter()
                .map(|d| (d, Source::Homebrew)),
        );
        let user = std::env::var(USER).ok();
        let nix_dirs = nix::well_known_dirs(home.as_deref(), user.as_deref());
        dirs.extend(
            nix_dirs
                .into_iter()
                .filter(|d| d != Path::new("/usr/bin"))
                .map(|d| (d, Source::Nix)),
        );
        dirs.extend(
            uv_python_dirs(home.as_deref())
                .into_iter()
                .map(|d| (d, Source::Uv)),
        );
        let files = pep514::executables(&pep514::read())
            .into_iter()
            .map(|f| (f, Source::WindowsRegistry))
            .collect();
        let mut tool_dirs = path_dirs;
        if let Some(home) = &home {
            tool_dirs.extend([home.join(".local/bin"), home.join(".cargo/bin")]);
        }
        Self {
            dirs,
            files,
            tool_dirs,
        }
    }

    /// Only these folders: the hermetic plan behind `DARWINIX_PYTHON_SEARCH_PATH`.
    pub fn only(dirs: Vec<PathBuf>) -> Self {
        Self {
            dirs: dirs
                .iter()
                .map(|d| (d.clone(), Source::SearchPath))
                .collect(),
            files: vec![],
            tool_dirs: dirs,
        }
    }

    /// Every distinct interpreter file, in priority order.
    pub fn candidates(&self) -> Vec<Candidate> {
        let mut seen = HashSet::new();
        let from_dirs = self.dirs.iter().flat_map(|(dir, source)| {
            python_files_in(dir).into_iter().map(|path| Candidate {
                path,
                source: *source,
            })
        });
        let files = self.files.iter().map(|(path, source)| Candidate {
            path: path.clone(),
            source: *source,
        });
        from_dirs
            .chain(files)
            // Reports and caches are JSON: a path that is not text cannot be shown or passed on
            // faithfully, so such an interpreter is left out rather than misnamed.
            .filter(|c| c.path.to_str().is_some())
            .filter(|c| match identity(&c.path) {
                Some(id) => seen.insert(id),
                None => false,
            })
            .collect()
    }

    /// The first `name` executable in the tool folders.
    pub fn find_tool(&self, name: &str) -> Option<PathBuf> {
        let file = format!("{name}{}", std::env::consts::EXE_SUFFIX);
        self.tool_dirs
            .iter()
            .map(|d| d.join(&file))
            .find(|p| is_executable(p))
    }
}

/// Two paths are the same interpreter when they lead to the same file from the same
/// environment: `/usr/bin/python3` and `/usr/bin/python3.11` are one; a venv's `python` (a
/// symlink to its base) is not its base, because its `pyvenv.cfg` changes what it does.
fn identity(path: &Path) -> Option<(PathBuf, Option<PathBuf>)> {
    // App Execution Aliases (Windows Store Pythons) cannot be canonicalized: use them as they are.
    let target = dunce::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .ok()?;
    let venv = path
        .parent()
        .and_then(Path::parent)
        .map(|root| root.join("pyvenv.cfg"))
        .filter(|cfg| cfg.is_file());
    Some((target, venv))
}

// Symlinks and execute bits, which the test is about, are Unix's.
#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn candidates_dedupe_symlinks_and_skip_non_executables() {
        use std::os::unix::fs::{symlink, PermissionsExt};
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        let real = a.join("python3.11");
        std::fs::write(&real, "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o755)).unwrap();
        symlink(&real, a.join("python3")).unwrap();
        symlink(&real, b.join("python")).unwrap();
        std::fs::write(b.join("python3"), "not executable").unwrap();
        symlink(dir.path().join("gone"), b.join("python3.12")).unwrap();

        let plan = SearchPlan::only(vec![a.clone(), b]);
        let found: Vec<PathBuf> = plan.candidates().into_iter().map(|c| c.path).collect();
        assert_eq!(
            found,
            [a.join("python3")],
            "one file, reached three ways, named by its best name"
        );
    }
}
