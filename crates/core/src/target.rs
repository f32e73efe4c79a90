//! What a request acts on: a project folder on this computer, or one on another computer
//! reached over SSH. It is decided once, from what the user gave (a folder, a notebook, an
//! `ssh://` address, or nothing: the project of the current folder, else the default project);
//! every command then asks the target, and only this file tells the two places apart.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::install::{self, SetupOptions, SetupResult};
use crate::jupyter::{self, Opening, ServerInfo, StartOptions, Status};
use crate::paths::AppPaths;
use crate::project::{self, notebook, recent, Project};
use crate::remote::{self, server as remote_server, RemoteEntry, SshAddress};
use crate::reporter::Reporter;

/// How many lines of a server's log [`Target::log`] gives.
pub const LOG_LINES: usize = 400;

#[derive(Debug, Clone)]
pub enum Target {
    /// A folder on this computer.
    Here(Project),
    /// A folder on another computer, where Darwinix does the work.
    Remote(SshAddress),
}

/// A target as the user named it, with the notebook they named and how it was found.
#[derive(Debug, Clone)]
pub struct Request {
    pub target: Target,
    /// A notebook to open, relative to the project, `/`-separated.
    pub notebook: Option<String>,
    pub found: Found,
}

/// How the target was found: said in the CLI's words when it was not given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// Named by the user.
    Given,
    /// The project of the current folder (or of the nearest folder above it).
    FromFolder { cwd: PathBuf },
    /// No project at or above `cwd`: the default project.
    Default { cwd: PathBuf, created: bool },
}

/// What a command does with a project that is not there: make the default project from its
/// template on first use and refuse a missing folder (start, setup), or act on what may be
/// gone (stop, open, log: they never create anything, and a gone folder's server can still
/// be stopped).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultProject {
    Create,
    IfExists,
}

/// What a start or restart gave: the server, and the browser being opened on it (a remote
/// server described as one here).
pub use crate::jupyter::Started;

impl Target {
    /// The target `given` names: an `ssh://` address, a project folder or a notebook in one.
    /// A folder that is not there is an error that says so.
    pub fn named(given: &Path) -> Result<(Self, Option<String>)> {
        if let Some(address) = address_of(given)? {
            return Ok((Self::Remote(address), None));
        }
        let place = notebook::resolve(given)?;
        Ok((Self::Here(Project::open(&place.dir)?), place.notebook))
    }

    /// As [`Target::named`], but a folder that is gone still names its project: its server can
    /// still be stopped, its log read.
    pub fn named_even_if_gone(given: &Path) -> Result<(Self, Option<String>)> {
        if address_of(given)?.is_none() && !given.exists() && !notebook::is_notebook(given) {
            let dir = std::path::absolute(given).unwrap_or_else(|_| given.to_path_buf());
            return Ok((Self::Here(Project::at(&dir)), None));
        }
        Self::named(given)
    }

    /// The target `given` names, else the project of `cwd` or of the nearest folder above it,
    /// else the default project.
    pub fn request(
        paths: &AppPaths,
        given: Option<&Path>,
        cwd: &Path,
        default: DefaultProject,
    ) -> Result<Request> {
        if let Some(given) = given {
            let (target, notebook) = match default {
                DefaultProject::Create => Self::named(given)?,
                DefaultProject::IfExists => Self::named_even_if_gone(given)?,
            };
            return Ok(Request {
                target,
                notebook,
                found: Found::Given,
            });
        }
        let cwd = dunce::canonicalize(cwd).unwrap_or_else(|_| cwd.to_path_buf());
        if let Some(dir) = notebook::nearest_project(&cwd) {
            return Ok(Request {
                target: Self::Here(Project::open(&dir)?),
                notebook: None,
                found: Found::FromFolder { cwd },
            });
        }
        let (project, created) = match default {
            DefaultProject::Create => project::default_project(paths)?,
            DefaultProject::IfExists => (Project::at(&paths.default_project), false),
        };
        Ok(Request {
            target: Self::Here(project),
            notebook: None,
            found: Found::Default { cwd, created },
        })
    }

    /// What the registries and the recent list know the target by: its folder, or its address
    /// written as a path.
    pub fn key(&self) -> PathBuf {
        match self {
            Self::Here(project) => project.dir.clone(),
            Self::Remote(address) => PathBuf::from(address.to_string()),
        }
    }

    /// The folder's name, for people.
    pub fn name(&self) -> String {
        match self {
            Self::Here(project) => project.name(),
            Self::Remote(address) => address.folder_name().to_string(),
        }
    }

    /// The computer it is on (`user@host:port`); `None` for this one.
    pub fn host(&self) -> Option<String> {
        match self {
            Self::Here(_) => None,
            Self::Remote(address) => Some(address.host_label()),
        }
    }

    /// The project on this computer; an error that names `what` for a remote one.
    pub fn here(&self, what: &str) -> Result<&Project> {
        match self {
            Self::Here(project) => Ok(project),
            Self::Remote(address) => Err(Error::NotOnRemote {
                what: what.to_string(),
                address: address.to_string(),
            }),
        }
    }

    /// Puts the project first in the list of known projects (the app's recent list, `disk`
    /// and `clean` read it).
    pub fn remember(&self, paths: &AppPaths) -> Result<()> {
        recent::touch(paths, &self.key())
    }

    /// Prepares the project's environment (there, for a remote one); `None` when the work was
    /// done on the remote, which reports its own progress.
    pub async fn setup(
        &self,
        paths: &AppPaths,
        options: &SetupOptions,
        reporter: &dyn Reporter,
    ) -> Result<Option<SetupResult>> {
        self.remember(paths)?;
        match self {
            Self::Here(project) => Ok(Some(
                install::prepare(paths, project, options, reporter).await?,
            )),
            Self::Remote(address) => {
                remote_server::setup(paths, address, reporter).await?;
                Ok(None)
            }
        }
    }

    /// Starts the project's JupyterLab, or finds the one running, and opens the browser on it
    /// when `options` say so.
    pub async fn start(
        &self,
        paths: &AppPaths,
        options: &StartOptions,
        reporter: &dyn Reporter,
    ) -> Result<Started> {
        self.remember(paths)?;
        match self {
            Self::Here(project) => jupyter::start(paths, project, options, reporter).await,
            Self::Remote(address) => {
                let notebook = options.notebook.as_deref();
                let open = options.open_browser;
                let started =
                    remote_server::start(paths, address, open, notebook, reporter).await?;
                Ok(Started {
                    server: info(&started.entry, started.reused),
                    opening: started.opening,
                })
            }
        }
    }

    /// Stops the server, then starts it again.
    pub async fn restart(
        &self,
        paths: &AppPaths,
        options: &StartOptions,
        reporter: &dyn Reporter,
    ) -> Result<Started> {
        match self {
            Self::Here(project) => jupyter::restart(paths, project, options, reporter).await,
            Self::Remote(address) => {
                remote_server::stop(paths, address).await?;
                self.start(paths, options, reporter).await
            }
        }
    }

    /// Stops the project's server and its kernels. `Ok(false)`: none was running.
    pub async fn stop(&self, paths: &AppPaths) -> Result<bool> {
        match self {
            Self::Here(project) => match jupyter::server_of(paths, &project.dir).await {
                Some((entry, _)) => {
                    jupyter::stop(paths, &entry).await?;
                    Ok(true)
                }
                None => Ok(false),
            },
            Self::Remote(address) => remote_server::stop(paths, address).await,
        }
    }

    /// Opens the browser on the running server, signed in, at `notebook` when given.
    pub async fn open(
        &self,
        paths: &AppPaths,
        notebook: Option<&str>,
        reporter: &dyn Reporter,
    ) -> Result<Opening> {
        match self {
            Self::Here(project) => {
                let entry = jupyter::running_server_of(paths, &project.dir).await?;
                Ok(jupyter::open(paths, &entry, notebook, reporter).await)
            }
            Self::Remote(address) => remote_server::open(paths, address, notebook, reporter).await,
        }
    }

    /// The running server's address with its token (it signs whoever has it in: never logged),
    /// at `notebook` when given.
    pub async fn link(&self, paths: &AppPaths, notebook: Option<&str>) -> Result<String> {
        let entry = match self {
            Self::Here(project) => jupyter::running_server_of(paths, &project.dir).await?,
            Self::Remote(address) => {
                let entry = remote::RemoteRegistry::new(paths)
                    .get(address)
                    .ok_or_else(|| Error::NotRunning { dir: self.key() })?;
                remote_server::reconnect(paths, entry).await?.as_local()
            }
        };
        Ok(entry.token_url_of(notebook))
    }

    /// The end of the server's log (kept after it stops).
    pub async fn log(&self, paths: &AppPaths) -> Result<String> {
        match self {
            Self::Here(project) => Ok(jupyter::tail(&jupyter::log_path(paths, project), LOG_LINES)),
            Self::Remote(address) => remote_server::command(paths, address, &["logs"]).await,
        }
    }

    /// The log file on this computer, to follow as it grows; `None` for a remote project.
    pub fn log_file(&self, paths: &AppPaths) -> Option<PathBuf> {
        match self {
            Self::Here(project) => Some(jupyter::log_path(paths, project)),
            Self::Remote(_) => None,
        }
    }

    /// What Darwinix on the remote prints for `args` (e.g. `backend`); `None` here, where the
    /// caller does the work itself.
    pub async fn on_remote(&self, paths: &AppPaths, args: &[&str]) -> Result<Option<String>> {
        match self {
            Self::Here(_) => Ok(None),
            Self::Remote(address) => Ok(Some(remote_server::command(paths, address, args).await?)),
        }
    }
}

/// The address `given` names, when it is an `ssh://` one.
fn address_of(given: &Path) -> Result<Option<SshAddress>> {
    let Some(text) = given.to_str().filter(|t| remote::is_remote(t)) else {
        return Ok(None);
    };
    SshAddress::parse(text)
        .map(Some)
        .map_err(|why| Error::RemoteAddress {
            input: text.to_string(),
            why,
        })
}

/// A remote server as a server here is described (its address stands where a folder goes).
fn info(entry: &RemoteEntry, reused: bool) -> ServerInfo {
    ServerInfo {
        dir: PathBuf::from(entry.address.to_string()),
        url: entry.url(),
        port: entry.local_port,
        pid: entry.remote_pid,
        started_at: entry.started_at,
        log: PathBuf::from(&entry.log),
        reused,
        notebook_url: None,
        host: Some(entry.address.host_label()),
    }
}

/// Every server Darwinix started, here then on remote computers (those checked at once).
pub async fn servers(paths: &AppPaths) -> Vec<Status> {
    let (here, remote) = tokio::join!(jupyter::list(paths), remote_server::list(paths));
    let here = here.into_iter().map(|(_, s)| s);
    here.chain(remote.into_iter().map(|(_, s)| s)).collect()
}

/// Stops every server, here and remote (the ones here even when a remote computer cannot be
/// reached); returns how many.
pub async fn stop_all(paths: &AppPaths) -> Result<usize> {
    let (here, remote) = tokio::join!(jupyter::stop_all(paths), remote_server::stop_all(paths));
    Ok(here? + remote?)
}
