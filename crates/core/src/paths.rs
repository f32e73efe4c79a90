//! Where Darwinix keeps its own files. `DARWINIX_HOME` puts all of them under one folder.

use std::path::{Path, PathBuf};

use directories::{ProjectDirs, UserDirs};

use crate::env_vars::DARWINIX_HOME;
use crate::error::{Error, Result};

/// The folders Darwinix owns. Nothing here is ever a user's project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppPaths {
    pub data: PathBuf,
    pub config: PathBuf,
    pub cache: PathBuf,
    /// Where the one-button default project lives when the user has not picked one.
    pub default_project: PathBuf,
    /// Where courses opened from a link go when the user has not chosen a folder.
    pub courses: PathBuf,
}

impl AppPaths {
    /// `DARWINIX_HOME` when set (tests, portable installs), the platform's folders otherwise.
    pub fn from_env() -> Result<Self> {
        match std::env::var_os(DARWINIX_HOME).filter(|v| !v.is_empty()) {
            // Absolute, so the cache does not move with the current folder.
            Some(home) => {
                let root = std::path::absolute(&home).map_err(|_| Error::NoHome)?;
                Ok(Self::under(&root))
            }
            None => Self::platform(),
        }
    }

    /// Everything under one root.
    pub fn under(root: &Path) -> Self {
        Self {
            data: root.join("data"),
            config: root.join("config"),
            cache: root.join("cache"),
            default_project: root.join("projects").join("Darwinix"),
            courses: root.join("courses"),
        }
    }

    fn platform() -> Result<Self> {
        let dirs = ProjectDirs::from("org", "Darwinix", "Darwinix").ok_or(Error::NoHome)?;
        let user = UserDirs::new().ok_or(Error::NoHome)?;
        // Documents is where people look for their files; a machine without one (a server, a
        // minimal Linux) still has a home.
        let documents = user.document_dir().unwrap_or(user.home_dir()).to_path_buf();
        Ok(Self {
            data: dirs.data_dir().to_path_buf(),
            config: dirs.config_dir().to_path_buf(),
            cache: dirs.cache_dir().to_path_buf(),
            default_project: documents.join("Darwinix"),
            // `~/Darwinix/<course>`: short to find, and the same on every platform.
            courses: user.home_dir().join("Darwinix"),
        })
    }
}

/// Every sub-folder and file of Darwinix's own folders, named once. A new kind of file gets a
/// method here, so `uninstall` and the storage view can find all of them.
impl AppPaths {
    /// Logs: a project's setup, server and package changes, the browser hand-off.
    pub fn logs(&self) -> PathBuf {
        self.data.join("logs")
    }

    /// The log file `name` (e.g. `<project key>.setup.log`).
    pub fn log(&self, name: &str) -> PathBuf {
        self.logs().join(name)
    }

    /// The lock file `name` (held while a project is set up, a server started, …).
    pub fn lock(&self, name: &str) -> PathBuf {
        self.data.join("locks").join(name)
    }

    /// One private folder per running server (its runtime files and sign-in config).
    pub fn server_runtime_root(&self) -> PathBuf {
        self.data.join("runtime")
    }

    /// Each project's JupyterLab workspace (its open tabs and layout), one folder per project,
    /// so a stop and start (on another port too) brings the same notebooks back.
    pub fn workspaces(&self, project_key: &str) -> PathBuf {
        self.data.join("workspaces").join(project_key)
    }

    /// The shared JupyterLab runtimes, one folder per version and place.
    pub fn runtimes(&self) -> PathBuf {
        self.data.join("runtimes")
    }

    /// The registry of running servers (one file per project).
    pub fn servers(&self) -> PathBuf {
        self.data.join("servers")
    }

    /// Tools Darwinix fetched itself (uv).
    pub fn tools(&self) -> PathBuf {
        self.data.join("tools")
    }

    /// What the interpreters found on this computer said when probed.
    pub fn interpreter_cache(&self) -> PathBuf {
        self.cache.join("interpreters.json")
    }

    /// When the app last asked whether a new release exists (updates are checked at most daily).
    pub fn update_check_file(&self) -> PathBuf {
        self.cache.join("update-check.json")
    }

    /// The app's and the CLI's settings.
    pub fn settings_file(&self) -> PathBuf {
        self.config.join("settings.json")
    }

    /// The projects opened recently.
    pub fn recent_file(&self) -> PathBuf {
        self.config.join("recent.json")
    }

    /// What Darwinix remembers per project (one file each, named by the project's key).
    pub fn project_configs(&self) -> PathBuf {
        self.config.join("projects")
    }

    /// The folders the user said to trust, or to start without installing (the trust prompt).
    pub fn trust_file(&self) -> PathBuf {
        self.config.join("trusted-folders.json")
    }

    /// The folders opened from a course link or a shared file, and from where.
    pub fn courses_file(&self) -> PathBuf {
        self.config.join("courses.json")
    }

    /// The hubs the user added (no secrets).
    pub fn hubs_file(&self) -> PathBuf {
        self.config.join("hubs.json")
    }

    /// Hub tokens when the system's credential store is not used, in a folder only the user
    /// may open. (Tokens in the credential store are named by `hub::credentials::SERVICE`.)
    pub fn hub_tokens_file(&self) -> PathBuf {
        self.config.join("private").join("hub-tokens.json")
    }

    /// The registry of servers running on remote computers.
    pub fn remote_servers(&self) -> PathBuf {
        self.data.join("remote-servers")
    }

    /// The SSH master sockets, when this path is short enough for a socket (else a private
    /// folder in `/tmp`, `remote::connection`).
    pub fn ssh_sockets(&self) -> PathBuf {
        self.data.join("ssh")
    }

    /// The name of this build's CLI on remote computers, cached while the file is unchanged.
    pub fn remote_agent_key(&self) -> PathBuf {
        self.cache.join("remote-agent-key")
    }

    /// Darwinix's own folders, each once: everything above lives in one of them.
    pub fn roots(&self) -> Vec<&Path> {
        let mut roots: Vec<&Path> = Vec::new();
        for root in [&self.data, &self.config, &self.cache] {
            if !roots.contains(&root.as_path()) {
                roots.push(root);
            }
        }
        roots
    }
}

/// The user's home directory, when the platform knows it.
pub fn home_dir() -> Option<PathBuf> {
    UserDirs::new().map(|u| u.home_dir().to_path_buf())
}

/// The absolute folders of a `PATH`-style list. Relative entries (`.`, or the empty entry that
/// `a::b` and a trailing `:` mean) would run programs from whatever folder we happen to be in,
/// so they are dropped.
pub fn absolute_dirs(list: &std::ffi::OsStr) -> Vec<PathBuf> {
    std::env::split_paths(list)
        .filter(|d| d.is_absolute())
        .collect()
}

/// The nearest existing folder at or above `path`: the default project may not exist yet, but
/// the disk it will land on does.
pub fn nearest_existing(path: &Path) -> Option<&Path> {
    path.ancestors().find(|p| p.exists())
}

/// Writes `bytes` to `path` through a temporary file and a rename, so a crash never leaves a
/// half-written file behind. Creates the parent folder.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let parent = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|source| Error::CreateDir {
        path: parent.to_path_buf(),
        source,
    })?;
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    let write = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    write.map_err(|source| {
        let _ = std::fs::remove_file(&tmp);
        Error::WriteFile {
            path: path.to_path_buf(),
            source,
        }
    })
}

/// What to do about a file or folder that could not be read or written, or no home folder at
/// all — one family of [`crate::hints::hint`], in the window's words; `None` for the others.
pub fn hint(error: &Error) -> Option<String> {
    Some(match error {
        Error::CreateDir { path, .. } | Error::WriteFile { path, .. } => format!(
            "check that `{}` is on a writable disk with free space",
            path.display()
        ),
        Error::NoHome => {
            "your account has no home folder for Darwinix's data; ask whoever manages this computer"
                .into()
        }
        Error::ReadFile { .. } => "check that the file exists and that you may read it".into(),
        Error::CorruptFile { path, .. } => format!(
            "fix or delete `{}`; Darwinix will start from defaults",
            path.display()
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn darwinix_home_holds_everything() {
        let p = AppPaths::under(Path::new("/x"));
        assert_eq!(p.cache, Path::new("/x/cache"));
        assert_eq!(p.default_project, Path::new("/x/projects/Darwinix"));
        assert_eq!(p.log("a.setup.log"), Path::new("/x/data/logs/a.setup.log"));
        assert_eq!(p.lock("a.lock"), Path::new("/x/data/locks/a.lock"));
        assert_eq!(p.settings_file(), Path::new("/x/config/settings.json"));
    }

    #[test]
    fn relative_path_entries_are_dropped() {
        let list = std::env::join_paths(["/usr/bin", ".", "", "bin", "/bin"]).unwrap();
        assert_eq!(
            absolute_dirs(&list),
            [Path::new("/usr/bin"), Path::new("/bin")]
        );
    }

    #[test]
    fn nearest_existing_walks_up() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("a/b/c");
        assert_eq!(nearest_existing(&missing), Some(dir.path()));
    }

    #[test]
    fn atomic_write_creates_parent_and_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("sub/state.json");
        write_atomically(&f, b"one").unwrap();
        write_atomically(&f, b"two").unwrap();
        assert_eq!(std::fs::read(&f).unwrap(), b"two");
        assert_eq!(
            std::fs::read_dir(dir.path().join("sub")).unwrap().count(),
            1
        );
    }
}
