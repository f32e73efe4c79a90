//! Where Python managers keep their interpreters: pyenv, Homebrew and uv, each in its own
//! place per platform.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use crate::env_vars::{PYENV_ROOT, PYENV_VERSION, UV_PYTHON_INSTALL_DIR};

pub(super) struct Pyenv {
    root: PathBuf,
    selected_names: Vec<String>,
}

impl Pyenv {
    pub(super) fn from_env(home: Option<&Path>) -> Option<Self> {
        let root = std::env::var_os(PYENV_ROOT)
            .map(PathBuf::from)
            .or_else(|| home.map(|h| h.join(".pyenv")))
            .filter(|r| r.is_dir())?;
        let selected = std::env::var(PYENV_VERSION)
            .ok()
            .or_else(|| std::fs::read_to_string(root.join("version")).ok())
            .unwrap_or_default();
        Some(Self {
            selected_names: parse_pyenv_versions(&selected),
            root,
        })
    }

    /// pyenv's own shims and its plugins' (pyenv-virtualenv) are shell scripts that dispatch to
    /// a version: we look at the versions directly instead of running them.
    pub(super) fn is_shims(&self, dir: &Path) -> bool {
        dir.starts_with(&self.root) && dir.file_name() == Some(OsStr::new("shims"))
    }

    /// The selected versions' folders. Like pyenv, a prefix (`3.11`) means the newest
    /// installed version that starts with it.
    pub(super) fn selected(&self) -> Vec<PathBuf> {
        let installed = self.installed();
        self.selected_names
            .iter()
            .filter_map(|want| {
                let prefix = format!("{want}.");
                installed
                    .iter()
                    .find(|v| *v == want || v.starts_with(&prefix))
            })
            .map(|v| self.bin_dir(v))
            .collect()
    }

    pub(super) fn all_versions(&self) -> Vec<PathBuf> {
        self.installed().iter().map(|v| self.bin_dir(v)).collect()
    }

    /// Installed version names, newest first.
    fn installed(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(self.root.join("versions")) else {
            return vec![];
        };
        let mut names: Vec<String> = entries
            .flatten()
            .filter_map(|e| e.file_name().into_string().ok())
            .collect();
        names.sort_by_key(|n| std::cmp::Reverse(version_key(n)));
        names
    }

    /// pyenv puts interpreters in `bin/`; pyenv-win puts `python.exe` in the version folder.
    fn bin_dir(&self, version: &str) -> PathBuf {
        let dir = self.root.join("versions").join(version);
        let bin = dir.join("bin");
        if bin.is_dir() {
            bin
        } else {
            dir
        }
    }
}

/// `pyenv version` file or `PYENV_VERSION`: names separated by newlines, spaces or `:`;
/// `system` means "whatever PATH has", which PATH already covers.
fn parse_pyenv_versions(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| line.split('#').next().unwrap_or(""))
        .flat_map(|line| line.split(|c: char| c.is_whitespace() || c == ':'))
        .filter(|v| !v.is_empty() && *v != "system")
        .map(str::to_string)
        .collect()
}

fn version_key(name: &str) -> Vec<u32> {
    name.split('.').map_while(|p| p.parse().ok()).collect()
}

pub(super) fn homebrew_dirs(home: Option<&Path>) -> Vec<PathBuf> {
    match std::env::consts::OS {
        "macos" => vec![
            PathBuf::from("/opt/homebrew/bin"),
            PathBuf::from("/usr/local/bin"),
        ],
        "linux" => {
            let mut dirs = vec![PathBuf::from("/home/linuxbrew/.linuxbrew/bin")];
            dirs.extend(home.map(|h| h.join(".linuxbrew/bin")));
            dirs
        }
        _ => vec![],
    }
}

/// uv keeps Pythons in `<data>/uv/python/<cpython-3.12.7-…>/` (`bin/` inside on Unix).
pub(super) fn uv_python_dirs(home: Option<&Path>) -> Vec<PathBuf> {
    let root = std::env::var_os(UV_PYTHON_INSTALL_DIR)
        .map(PathBuf::from)
        .or_else(|| {
            if cfg!(windows) {
                // uv's data folder on Windows is %APPDATA%\uv\data.
                directories::BaseDirs::new()
                    .map(|b| b.data_dir().join("uv").join("data").join("python"))
            } else {
                let data = std::env::var_os(crate::env_vars::XDG_DATA_HOME).map(PathBuf::from);
                data.or_else(|| home.map(|h| h.join(".local/share")))
                    .map(|d| d.join("uv/python"))
            }
        });
    let Some(Ok(entries)) = root.map(std::fs::read_dir) else {
        return vec![];
    };
    let mut dirs: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .map(|p| if cfg!(windows) { p } else { p.join("bin") })
        .collect();
    dirs.sort();
    dirs.reverse();
    dirs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn pyenv_prefixes_and_windows_layout() {
        let root = tempfile::tempdir().unwrap();
        for v in ["3.11.2", "3.11.9", "3.12.1"] {
            std::fs::create_dir_all(root.path().join("versions").join(v).join("bin")).unwrap();
        }
        std::fs::create_dir_all(root.path().join("versions/3.10.5")).unwrap(); // pyenv-win shape
        let pyenv = Pyenv {
            root: root.path().to_path_buf(),
            selected_names: vec!["3.11".into(), "3.10.5".into(), "2.7".into()],
        };
        let v = root.path().join("versions");
        assert_eq!(pyenv.selected(), [v.join("3.11.9/bin"), v.join("3.10.5")]);
        assert_eq!(pyenv.all_versions()[0], v.join("3.12.1/bin"));
    }

    #[test]
    fn pyenv_version_file() {
        assert_eq!(parse_pyenv_versions("3.11.7\n"), ["3.11.7"]);
        assert_eq!(parse_pyenv_versions("3.12.1:3.11.7"), ["3.12.1", "3.11.7"]);
        assert_eq!(
            parse_pyenv_versions("system\n# comment\n"),
            Vec::<String>::new()
        );
    }
}
