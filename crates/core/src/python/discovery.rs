//! Finding every Python on the machine and asking each what it is.
//!
//! Candidates come from PATH (pyenv's shims replaced by the versions they stand for), pyenv,
//! Homebrew, Nix profiles, uv-managed Pythons and, on Windows, the PEP 514 registry. Each one is
//! probed in parallel (or answered from the cache); a bad one is recorded as skipped, never fatal.

use std::collections::HashSet;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

use super::cache::{Fingerprint, ProbeCache, Probed};
use super::interpreter::{probe, ProbeFailure, ProbeInfo};
use super::registry;
use crate::env_vars::{
    DARWINIX_PYTHON_SEARCH_PATH, PYENV_ROOT, PYENV_VERSION, USER, UV_PYTHON_INSTALL_DIR,
};
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
            Source::SearchPath => "DARWINIX_PYTHON_SEARCH_PATH",
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub path: PathBuf,
    pub source: Source,
}

/// A working interpreter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Interpreter {
    pub path: PathBuf,
    pub source: Source,
    #[serde(flatten)]
    pub info: ProbeInfo,
}

/// A candidate that is not usable, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Skipped {
    pub path: PathBuf,
    pub source: Source,
    pub reason: ProbeFailure,
    /// `reason` in words.
    pub why: String,
}

impl Skipped {
    fn new(path: PathBuf, source: Source, reason: ProbeFailure) -> Self {
        Self {
            why: reason.describe(),
            path,
            source,
            reason,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Discovery {
    pub interpreters: Vec<Interpreter>,
    pub skipped: Vec<Skipped>,
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
        let files = registry::executables(&registry::read())
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

/// Probes every candidate (at most `parallel` at a time), using and filling `cache`.
pub async fn discover(plan: &SearchPlan, cache: &mut ProbeCache, timeout: Duration) -> Discovery {
    let candidates = plan.candidates();
    let clt = if cfg!(target_os = "macos")
        && candidates.iter().any(|c| is_macos_system_python(&c.path))
    {
        macos_command_line_tools_installed().await
    } else {
        true
    };
    let parallel = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .max(2)
        * 2;
    let limit = Arc::new(tokio::sync::Semaphore::new(parallel));
    let mut tasks = tokio::task::JoinSet::new();
    let mut answers: Vec<Option<Probed>> = vec![None; candidates.len()];
    for (i, candidate) in candidates.iter().enumerate() {
        if let Some(failure) = pre_probe_skip(&candidate.path, std::env::consts::OS, clt) {
            answers[i] = Some(Probed::Failed(failure));
            continue;
        }
        let fingerprint = Fingerprint::of(&candidate.path);
        if let Some(hit) = fingerprint
            .as_ref()
            .and_then(|f| cache.get(&candidate.path, f))
        {
            answers[i] = Some(hit.clone());
            continue;
        }
        let (path, limit) = (candidate.path.clone(), limit.clone());
        tasks.spawn(async move {
            let _permit = limit.acquire_owned().await;
            let probed = match probe(&path, timeout).await {
                Ok(info) => Probed::Ok(info),
                Err(failure) => Probed::Failed(failure),
            };
            (i, fingerprint, probed)
        });
    }
    while let Some(joined) = tasks.join_next().await {
        let Ok((i, fingerprint, probed)) = joined else {
            continue;
        };
        let stable = !matches!(&probed, Probed::Failed(f) if !f.is_stable());
        if let (Some(fp), true) = (fingerprint, stable) {
            cache.put(&candidates[i].path, fp, probed.clone());
        }
        answers[i] = Some(probed);
    }

    let mut found = Discovery::default();
    for (candidate, answer) in candidates.into_iter().zip(answers) {
        let Candidate { path, source } = candidate;
        match answer {
            Some(Probed::Ok(info)) => found.interpreters.push(Interpreter { path, source, info }),
            Some(Probed::Failed(reason)) => found.skipped.push(Skipped::new(path, source, reason)),
            // A probe task panicked: report it rather than dropping the candidate silently.
            None => {
                let reason = ProbeFailure::Unrunnable {
                    message: "the probe crashed".into(),
                };
                found.skipped.push(Skipped::new(path, source, reason));
            }
        }
    }
    found
}

/// Candidates never run: the Windows Store placeholder (it opens the Store, or prints an install
/// hint and exits 9009) and macOS's `/usr/bin/python3` when the Command Line Tools are missing
/// (running it pops up an install dialog). Pure: `os` and `clt_installed` come from the caller.
pub fn pre_probe_skip(path: &Path, os: &str, clt_installed: bool) -> Option<ProbeFailure> {
    let text = path.to_string_lossy();
    let mut parts = text.rsplit(['/', '\\']);
    let file = parts.next().unwrap_or("").to_ascii_lowercase();
    let parent = parts.next().unwrap_or("").to_ascii_lowercase();
    if os == "windows" && parent == "windowsapps" && (file == "python.exe" || file == "python3.exe")
    {
        return Some(ProbeFailure::WindowsStoreStub);
    }
    if os == "macos" && is_macos_system_python(path) && !clt_installed {
        return Some(ProbeFailure::Untrusted {
            reason: "Apple's placeholder: running it would ask to install the Command Line Tools"
                .into(),
        });
    }
    None
}

/// Apple's `/usr/bin/python3`, reached directly or through a link elsewhere on PATH.
fn is_macos_system_python(path: &Path) -> bool {
    let stubs = [Path::new("/usr/bin/python3"), Path::new("/usr/bin/python")];
    stubs.contains(&path) || dunce::canonicalize(path).is_ok_and(|p| stubs.contains(&p.as_path()))
}

/// `xcode-select -p` keeps succeeding after the tools folder is deleted, so the folder it
/// names must also hold a real `python3`.
async fn macos_command_line_tools_installed() -> bool {
    let mut cmd = crate::process::command("/usr/bin/xcode-select");
    cmd.arg("-p");
    match crate::process::output(cmd, Duration::from_secs(5)).await {
        Ok(out) if out.success() => {
            let dir = PathBuf::from(out.stdout_text().trim());
            dir.join("usr/bin/python3").is_file()
        }
        _ => false,
    }
}

/// `python`, `python3`, `python3.N` (with `.exe` on Windows) in `dir`, best names first.
fn python_files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return vec![];
    };
    let mut found: Vec<((u8, u32), PathBuf)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name();
            let rank = python_name_rank(name.to_str()?)?;
            let path = e.path();
            is_executable(&path).then_some((rank, path))
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, p)| p).collect()
}

/// Sort key for interpreter names: `python3`, then `python`, then `python3.N`, newest first.
/// `None` for everything else (`python3-config`, `python3.11m`, `pythonw`, `python2`).
fn python_name_rank(name: &str) -> Option<(u8, u32)> {
    let suffix = std::env::consts::EXE_SUFFIX;
    let stem = if suffix.is_empty() {
        name
    } else {
        name.strip_suffix(suffix)
            .or_else(|| name.strip_suffix(&suffix.to_ascii_uppercase()))?
    };
    match stem {
        "python3" => Some((0, 0)),
        "python" => Some((1, 0)),
        _ => {
            let minor = stem.strip_prefix("python3.")?;
            let n: u32 = minor.parse().ok().filter(|_| minor.len() <= 2)?;
            Some((2, 100 - n.min(99)))
        }
    }
}

fn is_executable(path: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    meta.is_file() && has_exec_bit(&meta)
}

// Unix: a file must carry an execute bit to run.
#[cfg(unix)]
fn has_exec_bit(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o111 != 0
}

// Windows: the extension, already checked by name, is what makes a file runnable.
#[cfg(not(unix))]
fn has_exec_bit(_meta: &std::fs::Metadata) -> bool {
    true
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

struct Pyenv {
    root: PathBuf,
    selected_names: Vec<String>,
}

impl Pyenv {
    fn from_env(home: Option<&Path>) -> Option<Self> {
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
    fn is_shims(&self, dir: &Path) -> bool {
        dir.starts_with(&self.root) && dir.file_name() == Some(OsStr::new("shims"))
    }

    /// The selected versions' folders. Like pyenv, a prefix (`3.11`) means the newest
    /// installed version that starts with it.
    fn selected(&self) -> Vec<PathBuf> {
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

    fn all_versions(&self) -> Vec<PathBuf> {
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

fn homebrew_dirs(home: Option<&Path>) -> Vec<PathBuf> {
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
fn uv_python_dirs(home: Option<&Path>) -> Vec<PathBuf> {
    let root = std::env::var_os(UV_PYTHON_INSTALL_DIR)
        .map(PathBuf::from)
        .or_else(|| {
            if cfg!(windows) {
                // uv's data folder on Windows is %APPDATA%\uv\data.
                directories::BaseDirs::new()
                    .map(|b| b.data_dir().join("uv").join("data").join("python"))
            } else {
                let data = std::env::var_os("XDG_DATA_HOME").map(PathBuf::from);
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

    #[test]
    fn interpreter_names() {
        if cfg!(windows) {
            return;
        }
        assert_eq!(python_name_rank("python3"), Some((0, 0)));
        assert_eq!(python_name_rank("python"), Some((1, 0)));
        assert!(python_name_rank("python3.12") < python_name_rank("python3.9"));
        for not in [
            "python2",
            "python3-config",
            "python3.11m",
            "python3.11-config",
            "pythonw",
            "python3.",
            "python3.x",
        ] {
            assert_eq!(python_name_rank(not), None, "{not}");
        }
    }

    #[test]
    fn store_stub_is_never_run() {
        let placeholder = Path::new(r"C:\Users\ann\AppData\Local\Microsoft\WindowsApps\python.exe");
        assert_eq!(
            pre_probe_skip(placeholder, "windows", true),
            Some(ProbeFailure::WindowsStoreStub)
        );
        let placeholder3 =
            Path::new(r"C:\Users\ann\AppData\Local\Microsoft\WindowsApps\python3.exe");
        assert_eq!(
            pre_probe_skip(placeholder3, "windows", true),
            Some(ProbeFailure::WindowsStoreStub)
        );
        // The Store's real, versioned alias lives in a package folder and is allowed.
        let real = Path::new(
            r"C:\Users\ann\AppData\Local\Microsoft\WindowsApps\PythonSoftwareFoundation.Python.3.12_qbz5n2kfra8p0\python.exe",
        );
        assert_eq!(pre_probe_skip(real, "windows", true), None);
        assert_eq!(
            pre_probe_skip(Path::new(r"C:\Python312\python.exe"), "windows", true),
            None
        );
    }

    #[test]
    fn macos_system_python_needs_command_line_tools() {
        let p = Path::new("/usr/bin/python3");
        assert!(matches!(
            pre_probe_skip(p, "macos", false),
            Some(ProbeFailure::Untrusted { .. })
        ));
        assert_eq!(pre_probe_skip(p, "macos", true), None);
        assert_eq!(pre_probe_skip(p, "linux", false), None);
        assert_eq!(
            pre_probe_skip(Path::new("/opt/homebrew/bin/python3"), "macos", false),
            None
        );
    }

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

    #[cfg(unix)]
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
