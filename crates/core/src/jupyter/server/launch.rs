//! Starting one server process for a project and waiting until it is ready; whatever a failed
//! or abandoned start made is undone by [`Launching`]'s drop.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use process_wrap::tokio::ChildWrapper;

use super::log_tail::{self, log_path, START_MARK};
use super::options::StartOptions;
use super::plan::{plan, LaunchInputs};
use super::port;
use super::ready::{NotReady, Readiness};
use super::verify::now;
use crate::error::{Error, Result};
use crate::fs::private;
use crate::install::runtime::Runtime;
use crate::jupyter::procs;
use crate::jupyter::registry::{Entry, Guest, Registry};
use crate::jupyter::token::new_token;
use crate::jupyter::{in_lab, kernel, login};
use crate::paths::AppPaths;
use crate::process;
use crate::project::backend::{Backend, Wsl};
use crate::project::Project;
use crate::reporter::{Reporter, SetupEvent, SetupStep};

/// Everything a start made before its server was ready: the process, its private folder here
/// and, in WSL, its folder in the distro. Undone when dropped unless kept, so an error or a
/// cancelled start leaves nothing behind.
struct Launching {
    child: Box<dyn ChildWrapper>,
    runtime_dir: PathBuf,
    guest: Option<(Wsl, String)>,
    guest_pid: Option<u32>,
    kept: bool,
}

impl Launching {
    /// Undoes the start now, waiting for the distro's side to be cleaned up too.
    async fn undo(mut self) {
        if let Some((wsl, dir)) = self.guest.take() {
            let _ = self.child.start_kill();
            if let Some(pid) = self.guest_pid {
                wsl.signal_tree(pid, true).await;
            }
            wsl.remove_runtime_dir(&dir).await;
        }
    }
}

impl Drop for Launching {
    fn drop(&mut self) {
        if self.kept {
            return;
        }
        let _ = self.child.start_kill();
        if let Some((wsl, dir)) = self.guest.take() {
            let pid = self.guest_pid;
            // A drop cannot wait: the distro's side is ended by a task of its own.
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(async move {
                    if let Some(pid) = pid {
                        wsl.signal_tree(pid, true).await;
                    }
                    wsl.remove_runtime_dir(&dir).await;
                });
            }
        }
        let _ = std::fs::remove_dir_all(&self.runtime_dir);
    }
}

/// The server's private folders: its runtime files and sign-in config here (for a server in
/// WSL only the config; its runtime files stay in a private folder inside the distro).
struct Private {
    name: String,
    runtime_dir: PathBuf,
    login_config: PathBuf,
    kernel_data: PathBuf,
}

fn private_folders(paths: &AppPaths, project: &Project) -> Result<Private> {
    let name = format!("{}-{}", project.key(), &new_token()?[..8]);
    let runtime_dir = paths.server_runtime_root().join(&name);
    private::create_dir(&runtime_dir)?;
    // Darwinix's sign-in links; a server in WSL reads them from here through /mnt.
    let login_config = login::install(&runtime_dir)?;
    let kernel_data = kernel::data_dir(&runtime_dir);
    Ok(Private {
        name,
        runtime_dir,
        login_config,
        kernel_data,
    })
}

/// The `jupyter-lab` to run: the shared runtime's (found complete a moment ago), or the
/// project's own.
fn jupyter_lab(project: &Project, backend: &Backend, runtime: Option<&Runtime>) -> Result<PathBuf> {
    if let Some(runtime) = runtime {
        return Ok(runtime.jupyter_lab.clone());
    }
    let own = backend.layout().program(&project.venv(), "jupyter-lab");
    match std::fs::symlink_metadata(&own) {
        Ok(_) => Ok(own),
        Err(_) => Err(Error::NoJupyter {
            dir: project.dir.clone(),
        }),
    }
}

/// Darwinix's help inside JupyterLab (`in_lab`): the server extension, the kernel hook and the
/// JupyterLab extension, in the server's private folders.
fn install_in_lab(project: &Project, backend: &Backend, folders: &Private) -> Result<()> {
    // Without a command line beside the app (a development build), the one on PATH is asked.
    let cli = match in_lab::cli_program() {
        Some(cli) => backend.path(&cli)?.to_string_lossy().into_owned(),
        None => "darwinix".into(),
    };
    let config = in_lab::LabConfig {
        cli,
        // Darwinix's command line names the project as this side does.
        project: project.dir.to_string_lossy().into_owned(),
    };
    in_lab::install(&folders.login_config, &folders.kernel_data, &config)
}

/// The one kernel of a server from the shared runtime: the project's `.venv`.
fn install_kernel(project: &Project, backend: &Backend, folders: &Private) -> Result<()> {
    let venv = project.venv();
    let name = |p: &Path| backend.path(p).map(|p| p.to_string_lossy().into_owned());
    let python = name(&backend.layout().python(&venv))?;
    let hook = name(&folders.login_config.join(in_lab::HOOK_FILE))?;
    let kernel = kernel::Kernel {
        python: &python,
        venv: &name(&venv)?,
        users_path: users_jupyter_path(backend),
        hook: Some(&hook),
    };
    kernel::install(
        &folders.login_config,
        &folders.kernel_data,
        project,
        &kernel,
    )
}

/// The user's own `JUPYTER_PATH`, for a server here; a server in WSL gets none (it names
/// folders of this computer, in its notation).
fn users_jupyter_path(backend: &Backend) -> Option<std::ffi::OsString> {
    match backend {
        Backend::Wsl(_) => None,
        _ => kernel::users_jupyter_path(),
    }
}

/// `JUPYTER_CONFIG_PATH` for a server: Darwinix's folder first, then whatever the user set (the
/// config file gives the rest back to kernels). A server in WSL gets only ours: the rest names
/// folders of this computer.
fn config_path(ours: std::ffi::OsString, in_wsl: bool) -> std::ffi::OsString {
    use crate::env_vars::JUPYTER_CONFIG_PATH;
    let theirs = std::env::var_os(JUPYTER_CONFIG_PATH).filter(|v| !v.is_empty() && !in_wsl);
    let mut all = vec![PathBuf::from(ours.clone())];
    all.extend(theirs.iter().flat_map(std::env::split_paths));
    std::env::join_paths(all).unwrap_or(ours)
}

/// The project's server log, opened for appending, with a line that marks this start.
fn open_log(paths: &AppPaths, project: &Project) -> Result<(PathBuf, std::fs::File)> {
    use std::io::Write;
    let log = log_path(paths, project);
    private::create_dir(log.parent().expect("log has a folder"))?;
    let mut file = private::append_file(&log)?;
    let _ = writeln!(
        file,
        "{START_MARK}{}: starting JupyterLab in {}",
        crate::version::VERSION,
        project.dir.display()
    );
    Ok((log, file))
}

/// Whether we run as root: a folder we just created is owned by our effective user.
#[cfg(unix)]
fn running_as_root(created_by_us: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(created_by_us).is_ok_and(|m| m.uid() == 0)
}

// Windows has no root user; administrators are not refused by Jupyter.
#[cfg(not(unix))]
fn running_as_root(_created_by_us: &Path) -> bool {
    false
}

/// Starts the server for `project` where `backend` runs it: from the shared runtime, or from
/// the project's own environment. Saved in the registry once it answers, locked.
pub(super) async fn launch(
    paths: &AppPaths,
    project: &Project,
    backend: &Backend,
    runtime: Option<&Runtime>,
    options: &StartOptions,
    reporter: &dyn Reporter,
    installing: Option<&AtomicBool>,
) -> Result<Entry> {
    let jupyter = jupyter_lab(project, backend, runtime)?;
    reporter.report(SetupEvent::Step {
        step: SetupStep::StartingJupyter,
        detail: format!("Starting JupyterLab in {}", project.dir.display()),
    });
    let token = match &options.token {
        Some(given) => given.clone(),
        None => new_token()?,
    };
    let server = Server {
        paths,
        project,
        backend,
        runtime,
        options,
    };
    let mut tries = 0;
    loop {
        tries += 1;
        let port = port::free_port().map_err(|source| Error::Spawn {
            program: jupyter.clone(),
            source,
        })?;
        let (mut launching, log) = server.spawn(&jupyter, &token, port).await?;
        let (port, pid) = match server.wait(&mut launching, &token).await {
            Ok(found) => found,
            Err(why) => {
                launching.undo().await;
                let tail = log_tail::this_start(&log, &token);
                // Another program took the port between the choice and the server's bind.
                if why == NotReady::Died && port::was_taken(&tail, port) && tries < port::TRIES {
                    continue;
                }
                return Err(server.not_ready(why, log, tail));
            }
        };
        if installing.is_some_and(|i| i.load(Ordering::SeqCst)) {
            reporter.report(SetupEvent::Step {
                step: SetupStep::StartingJupyter,
                detail: "JupyterLab is ready; your packages are still installing".into(),
            });
        }
        return server.register(launching, port, pid, token, log);
    }
}

/// One start of a project's server, and what it needs to know.
struct Server<'a> {
    paths: &'a AppPaths,
    project: &'a Project,
    backend: &'a Backend,
    runtime: Option<&'a Runtime>,
    options: &'a StartOptions,
}

impl Server<'_> {
    /// Makes its private folders (and its kernel), then spawns `jupyter` with the launch
    /// plan; returns what to undo if it never gets ready, and the log it writes to.
    async fn spawn(&self, jupyter: &Path, token: &str, port: u16) -> Result<(Launching, PathBuf)> {
        let (project, backend) = (self.project, self.backend);
        let folders = private_folders(self.paths, project)?;
        install_in_lab(project, backend, &folders)?;
        if self.runtime.is_some() {
            install_kernel(project, backend, &folders)?;
        }
        let (guest, as_root) = match backend {
            Backend::Wsl(wsl) => {
                let (dir, root) = wsl.runtime_dir(&folders.name).await?;
                (Some((wsl.clone(), dir)), root)
            }
            _ => (None, running_as_root(&folders.runtime_dir)),
        };
        let server_runtime_dir = match &guest {
            Some((_, dir)) => dir.into(),
            None => folders.runtime_dir.clone().into_os_string(),
        };
        let jupyter_path = match self.runtime {
            Some(_) => Some(kernel::jupyter_path(
                &backend.path(&folders.kernel_data)?,
                users_jupyter_path(backend),
            )),
            None => None,
        };
        let in_wsl = guest.is_some();
        let workspaces = self.paths.workspaces(&project.key());
        private::create_dir(&workspaces)?;
        let plan = plan(LaunchInputs {
            jupyter_lab: backend.path(jupyter)?,
            root_dir: backend.path(&project.dir)?,
            cwd: project.dir.clone(),
            token,
            // In WSL too the port is chosen on this side: the browser reaches the server
            // through WSL's localhost forwarding, so the port must be free here; one taken
            // inside the distro fails that start like a port taken here, and another is tried.
            port,
            runtime_dir: server_runtime_dir,
            config_path: config_path(backend.path(&folders.login_config)?, in_wsl),
            jupyter_path,
            extra_args: &self.options.extra_args,
            as_root,
            workspaces_dir: backend.path(&workspaces)?,
        });
        let (log, log_file) = open_log(self.paths, project)?;
        // A Nix shell adds its variables (they reach every kernel); WSL wraps it in wsl.exe.
        let child = process::spawn_detached(backend.finish(plan.command())?, log_file)?;
        let launching = Launching {
            child,
            runtime_dir: folders.runtime_dir,
            guest,
            guest_pid: None,
            kept: false,
        };
        Ok((launching, log))
    }

    /// Waits until the spawned server is ready: `(port, pid)`.
    async fn wait(&self, launching: &mut Launching, token: &str) -> Result<(u16, u32), NotReady> {
        let readiness = match (self.backend, &launching.guest) {
            (Backend::Wsl(_), Some((wsl, dir))) => Readiness::Wsl {
                wsl,
                runtime_dir: dir,
            },
            _ => Readiness::Here {
                runtime_dir: &launching.runtime_dir,
            },
        };
        let timeout = self.options.ready_timeout;
        let mut guest_pid = None;
        let ready = readiness
            .wait(launching.child.as_mut(), token, timeout, &mut guest_pid)
            .await;
        launching.guest_pid = guest_pid;
        ready
    }

    /// Saves the ready server in the registry; from then on it is kept.
    fn register(
        &self,
        mut launching: Launching,
        port: u16,
        pid: u32,
        token: String,
        log: PathBuf,
    ) -> Result<Entry> {
        // In WSL the pid in the runtime file is the distro's; this computer knows the wsl.exe
        // that carries the server.
        let (pid, guest) = match &launching.guest {
            Some((wsl, runtime_dir)) => {
                let host = launching.child.id().unwrap_or_default();
                let guest = Guest {
                    distro: wsl.distro.clone(),
                    pid,
                    runtime_dir: runtime_dir.clone(),
                };
                (host, Some(guest))
            }
            None => (pid, None),
        };
        // The server's own start time, so a later pid reuse is recognised even across clock
        // steps.
        let started_at = procs::one(pid).map_or_else(now, |p| p.start_time);
        let entry = Entry {
            id: self.project.key(),
            dir: self.project.dir.clone(),
            pid,
            port,
            token,
            started_at,
            runtime_dir: launching.runtime_dir.clone(),
            log,
            guest,
            spare: self.options.spare,
        };
        Registry::new(self.paths).save(&entry)?;
        launching.kept = true;
        Ok(entry)
    }

    /// The error for a server that did not come up, with the last lines it wrote.
    fn not_ready(&self, why: NotReady, log: PathBuf, tail: String) -> Error {
        // No shared runtime: the project runs its own JupyterLab, and Darwinix's is the way out.
        let own_jupyterlab = self.runtime.is_none();
        match why {
            NotReady::Died => Error::ServerDied {
                tail,
                log,
                own_jupyterlab,
            },
            NotReady::TimedOut => Error::ServerTimeout {
                seconds: self.options.ready_timeout.as_secs(),
                log,
                tail,
                own_jupyterlab,
            },
            NotReady::PortZero { version } => Error::ServerPortZero {
                version,
                log,
                own_jupyterlab,
            },
            NotReady::Unprotected => Error::ServerUnprotected {
                dir: self.project.dir.clone(),
            },
        }
    }
}
