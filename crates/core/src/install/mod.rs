//! `setup`: give a project a `.venv` with its requirements installed — and do nothing at all
//! when nothing changed since last time.

pub mod bytecode;
mod describe;
pub mod disk;
mod for_start;
pub mod freeze;
pub(crate) mod guard;
mod interpreter;
pub mod kernel_layer;
mod log;
mod packages;
pub mod pins;
pub mod progress;
pub mod runtime;
pub mod uv;
pub mod venv;

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;

pub use self::describe::{describe, ProjectJupyter};
pub use self::for_start::{prepare, runtime_for, setup_or_keep, uses_runtime};
use self::interpreter::{here_python_and_tool, supported_version, wsl_tool};
use self::log::SetupLog;
pub use self::packages::KernelPlan;
use self::packages::{find_source, install_pinned, relaxed_pins, Plan, Run};
use self::venv::Health;
use crate::env_vars;
use crate::error::{Error, Result};
use crate::paths::AppPaths;
use crate::process;
use crate::project::backend::{self, Backend, BackendChoice};
use crate::project::config::ProjectConfig;
use crate::project::requirements::Source as Packages;
use crate::project::stamp::{self, Inputs, Stamp};
use crate::project::{Layout, Project};
use crate::python::cache::Fingerprint;
use crate::reporter::{Reporter, SetupEvent, SetupStep};
use crate::settings::{Installer, Settings};

#[derive(Debug, Clone, Default)]
pub struct SetupOptions {
    pub installer: Installer,
    /// Build from this interpreter instead of the one discovery picks.
    pub python: Option<PathBuf>,
    pub index_url: Option<String>,
    pub native_tls: bool,
}

impl SetupOptions {
    /// What applies where the project runs: a Python of this computer means nothing inside a
    /// WSL distro, which uses its own.
    fn for_backend(&self, choice: &BackendChoice) -> Self {
        let mut options = self.clone();
        if matches!(choice, BackendChoice::Wsl { .. }) {
            options.python = None;
        }
        options
    }
}

impl From<&Settings> for SetupOptions {
    fn from(s: &Settings) -> Self {
        Self {
            installer: s.installer,
            python: s.python.clone(),
            index_url: s.index_url.clone(),
            native_tls: s.native_tls,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SetupResult {
    /// Nothing had changed: no installer ran.
    pub skipped: bool,
    pub installer: Installer,
    /// Packages in the environment now.
    pub packages: u32,
    /// The environment's interpreter.
    pub python: PathBuf,
    pub log: PathBuf,
    pub elapsed_ms: u64,
}

/// The tool that will do the work.
enum Tool {
    Uv(PathBuf),
    Pip,
}

impl Tool {
    /// `pip install` into the environment of `python` (as the backend names it): uv's, or the
    /// environment's own pip with bounded network waits. Options and packages follow.
    fn pip_install(&self, python: &std::ffi::OsStr) -> tokio::process::Command {
        match self {
            Tool::Uv(uv) => {
                let mut c = process::command(uv);
                c.args(["pip", "install", "--python"]).arg(python);
                c
            }
            Tool::Pip => {
                let mut c = process::command(python);
                c.args(["-m", "pip", "install", "--timeout", "15", "--retries", "2"]);
                c
            }
        }
    }

    fn kind(&self) -> Installer {
        match self {
            Tool::Uv(_) => Installer::Uv,
            Tool::Pip => Installer::Pip,
        }
    }
}

/// Where a project's setup log lives.
pub fn log_path(paths: &AppPaths, project: &Project) -> PathBuf {
    paths
        .data
        .join("logs")
        .join(format!("{}.setup.log", project.key()))
}

/// Makes `project`'s environment match its requirements.
pub async fn setup(
    paths: &AppPaths,
    project: &Project,
    options: &SetupOptions,
    reporter: &dyn Reporter,
) -> Result<SetupResult> {
    let started = Instant::now();
    let log_file = log_path(paths, project);
    if let Some(done) = up_to_date(paths, project, options, &log_file, started) {
        if let Ok(config) = crate::project::config::load(paths, project) {
            packages::remind_relaxed(&config, project, reporter);
        }
        report_done(reporter, &done);
        return Ok(done);
    }
    let lock = paths
        .data
        .join("locks")
        .join(format!("{}.lock", project.key()));
    let _guard = guard::acquire(&lock, || {
        reporter.report(SetupEvent::Warning {
            message: "Another setup of this project is running; waiting for it to finish".into(),
        })
    })
    .await?;
    // The setup we waited for has probably done the work already.
    if let Some(done) = up_to_date(paths, project, options, &log_file, started) {
        report_done(reporter, &done);
        return Ok(done);
    }
    let mut log = SetupLog::create(&log_file);
    let result = build(paths, project, options, reporter, &mut log, started).await;
    if let Err(e) = &result {
        log.line(&format!("FAILED: {e}"));
    }
    result
}

/// Whether `setup` would do nothing now (the instant start only pre-starts such projects: it
/// never installs on its own).
pub fn is_up_to_date(paths: &AppPaths, project: &Project, options: &SetupOptions) -> bool {
    up_to_date(paths, project, options, Path::new(""), Instant::now()).is_some()
}

/// The no-op check: a healthy venv whose stamp matches the inputs. Only file reads and `stat`s.
fn up_to_date(
    paths: &AppPaths,
    project: &Project,
    options: &SetupOptions,
    log: &Path,
    started: Instant,
) -> Option<SetupResult> {
    let config = crate::project::config::load(paths, project).ok()?;
    let choice = config.backend.clone();
    let options = &options.for_backend(&choice);
    let layout = choice.layout();
    let place = choice.expected_place(project);
    let venv = project.venv();
    let stamp = stamp::load(&venv)?;
    if venv::health(&venv, layout) != Health::Healthy
        || stamp.venv != venv
        || !backend::same_place(&stamp.backend, &place)
        || wants_other_python(&stamp, options, project)
    {
        return None;
    }
    let source = match Packages::detect(&project.dir).ok()? {
        Some(source) => source,
        // A bare folder stays bare until its notebooks import something.
        None if crate::project::requirements::imports::scan(&project.dir)
            .packages
            .is_empty() =>
        {
            Packages::Nothing
        }
        None => return None,
    };
    if let Some(layer) = &stamp.kernel_layer {
        // Linked, complete, and still agreeing with the project's packages (a `%pip install`
        // in a notebook may have brought other versions).
        if kernel_layer::linked(&venv, layout).as_ref() != Some(layer) {
            return None;
        }
    }
    let requirements = source_inputs(&source, project, &config)?;
    let lock = std::fs::read(project.lock_file()).ok();
    let python = python_fingerprint(&venv, layout)?;
    let backend = backend::stamp_input(&place, project);
    let hash = stamp_hash(&requirements, lock.as_deref(), &python, &backend, options);
    (hash == stamp.hash).then(|| SetupResult {
        skipped: true,
        installer: stamp.installer,
        packages: stamp.packages,
        python: layout.python(&venv),
        log: log.to_path_buf(),
        elapsed_ms: elapsed_ms(started),
    })
}

/// The stamp's hash. The installer *asked for* counts, not the one used: when uv cannot be had
/// and pip stands in, the next run is still a no-op instead of trying uv again and reinstalling.
fn stamp_hash(
    requirements: &[u8],
    lock: Option<&[u8]>,
    python: &Fingerprint,
    backend: &[u8],
    options: &SetupOptions,
) -> String {
    Inputs {
        requirements,
        lock,
        python,
        backend,
        installer: options.installer,
        index_url: options.index_url.as_deref(),
        native_tls: options.native_tls,
    }
    .hash()
}

/// The environment's interpreter as a file identity. A Linux venv seen from Windows (WSL) has
/// a link this side cannot follow: its `pyvenv.cfg`, rewritten whenever the venv is made,
/// stands in.
fn python_fingerprint(venv: &Path, layout: Layout) -> Option<Fingerprint> {
    if layout.is_foreign() {
        Fingerprint::of(&venv.join("pyvenv.cfg"))
    } else {
        Fingerprint::of(&layout.python(venv))
    }
}

/// `--python` names an interpreter other than the one the environment was built from.
fn wants_other_python(stamp: &Stamp, options: &SetupOptions, project: &Project) -> bool {
    match &options.python {
        None => false,
        // The same request as last time (a pyenv shim, a bare name, a wrapper: all fine).
        Some(wanted) if stamp.requested_python.as_ref() == Some(wanted) => false,
        Some(wanted) => !same_interpreter(wanted, &project.venv_python()),
    }
}

/// The bytes that decide the environment besides the interpreter: the source's files and what
/// Darwinix adds. `None` when that cannot be known (local or editable packages): then the
/// installer always runs, and uv makes that cheap.
fn source_inputs(source: &Packages, project: &Project, config: &ProjectConfig) -> Option<Vec<u8>> {
    let choice = &config.backend;
    let mut bytes = source.inputs(&project.dir)?;
    bytes.push(0);
    bytes.extend(source.describe().as_bytes());
    bytes.push(0);
    bytes.extend(KernelPlan::of(source, project, choice).input().as_bytes());
    if let Some(relaxed) = relaxed_pins(config) {
        bytes.extend(b"\0relaxed:");
        bytes.extend(relaxed.join("\n").as_bytes());
    }
    if !config.left_out.is_empty() {
        bytes.extend(b"\0left out:");
        bytes.extend(config.left_out.join("\n").as_bytes());
    }
    Some(bytes)
}

/// Two interpreter paths that run the same binary (a venv's `python` links to its base).
fn same_interpreter(a: &Path, b: &Path) -> bool {
    match (dunce::canonicalize(a), dunce::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

async fn build(
    paths: &AppPaths,
    project: &Project,
    options: &SetupOptions,
    reporter: &dyn Reporter,
    log: &mut SetupLog,
    started: Instant,
) -> Result<SetupResult> {
    let step = |step: SetupStep, detail: String| reporter.report(SetupEvent::Step { step, detail });
    step(
        SetupStep::CheckingComputer,
        format!("Checking {}", project.dir.display()),
    );
    let lock = std::fs::read(project.lock_file()).ok();
    check_writable(&project.dir)?;
    let source = find_source(project, reporter)?;
    // Where the project runs: this computer, its Nix dev shell, or a WSL distro.
    let mut config = crate::project::config::load(paths, project)?;
    let choice = config.backend.clone();
    let backend = backend::resolve(paths, project, reporter).await?;
    let options = &options.for_backend(&choice);
    let layout = backend.layout();

    let venv = project.venv();
    let mut health = venv::health(&venv, layout);
    if health == Health::NotAVenv {
        return Err(Error::NotAVenv { path: venv });
    }
    let old_stamp = stamp::load(&venv);
    if health == Health::Healthy {
        if let Some(old) = old_stamp
            .as_ref()
            .filter(|s| !s.venv.as_os_str().is_empty() && s.venv != venv)
        {
            health = Health::Broken {
                why: format!(
                    "it was made in {} before the project moved",
                    old.venv.display()
                ),
            };
        }
    }
    let place = backend.place();
    if let Some(old) = old_stamp
        .as_ref()
        .filter(|s| !backend::same_place(&s.backend, &place))
    {
        if health == Health::Healthy {
            let message = format!(
                "Rebuilding the environment: it was made to run in another place ({})",
                old.backend
            );
            reporter.report(SetupEvent::Warning { message });
            venv::remove(&venv)?;
            health = Health::Missing;
        }
    }
    if let (Health::Healthy, Some(wanted)) = (&health, &options.python) {
        let built_as_asked = old_stamp
            .as_ref()
            .is_some_and(|s| !wants_other_python(s, options, project));
        if !built_as_asked && !same_interpreter(wanted, &project.venv_python()) {
            let message = format!("Rebuilding the environment with {}", wanted.display());
            reporter.report(SetupEvent::Warning { message });
            venv::remove(&venv)?;
            health = Health::Missing;
        }
    }
    if let Health::Broken { why } = &health {
        reporter.report(SetupEvent::Warning {
            message: format!("The project's environment no longer works ({why}); rebuilding it"),
        });
        venv::remove(&venv)?;
        health = Health::Missing;
    }

    let (base, tool) = match &backend {
        Backend::Wsl(wsl) => {
            // Only a new environment needs a base interpreter; an existing one keeps its own.
            let base = match health {
                Health::Missing => Some(wsl.find_python().await?),
                _ => None,
            };
            (base, wsl_tool(wsl, options, reporter).await)
        }
        _ => {
            // `python=3.8` in environment.yml, unless the settings name an interpreter.
            let wanted = match &source {
                Packages::Conda { spec, .. } if options.python.is_none() => {
                    supported_version(spec.python.as_deref(), reporter)
                }
                _ => None,
            };
            here_python_and_tool(
                paths,
                &backend,
                health == Health::Missing,
                options,
                wanted,
                reporter,
                log,
            )
            .await?
        }
    };

    if let Some(base) = &base {
        let detail = format!(
            "Creating .venv with Python {} ({})",
            base.info.version,
            base.path.display()
        );
        step(SetupStep::CreatingEnvironment, detail);
        create_venv(&tool, &base.path, project, &backend, options, log).await?;
    }

    let kernel = KernelPlan::of(&source, project, &choice);
    let plan = Plan {
        source: &source,
        extras: kernel.extras(),
        has_lock: lock.is_some(),
    };
    if plan.has_anything(project) {
        let run = Run {
            tool: &tool,
            project,
            backend: &backend,
            options,
            reporter,
        };
        let left_out = config.left_out.clone();
        let (before, size_before) = (disk::installed(&venv, layout), disk::size_of(&venv));
        let relaxed = match install_pinned(&run, &plan, &mut config, log).await {
            Err(Error::DiskFull { .. }) => {
                // What it added comes out again, so the disk is not left full.
                let written = disk::size_of(&venv).saturating_sub(size_before);
                if base.is_some() {
                    venv::remove_half_made(&venv);
                } else {
                    disk::take_out(&venv, &before, &backend, &tool, log).await;
                }
                return Err(disk::full(&venv, written));
            }
            other => other?,
        };
        let changed = relaxed.is_some() || config.left_out != left_out;
        if let Some(relaxed) = relaxed {
            config.relaxed_pins = relaxed;
        }
        if changed {
            let saved = config.clone();
            crate::project::config::update(paths, project, |c| *c = saved)?;
        }
    }
    let kernel_layer = match kernel {
        KernelPlan::Shared => {
            match kernel_layer::attach(paths, &venv, &backend, &tool, options, reporter, log)
                .await?
            {
                kernel_layer::Placed::Linked(layer) => Some(layer),
                kernel_layer::Placed::Installed => None,
            }
        }
        _ => None,
    };

    let python = python_fingerprint(&venv, layout).ok_or_else(|| Error::CreateVenv {
        path: venv.clone(),
        detail: "the new environment has no Python in it".into(),
        apt_package: None,
        unreachable_index: None,
    })?;
    let packages = venv::count_packages(&venv, layout);
    // Hashed as the no-op check will see it; unknowable inputs get a hash that never matches.
    let inputs = source_inputs(&source, project, &config).unwrap_or_default();
    let backend_input = backend::stamp_input(&place, project);
    let hash = stamp_hash(&inputs, lock.as_deref(), &python, &backend_input, options);
    let stamp = Stamp {
        hash,
        installer: tool.kind(),
        packages,
        venv: venv.clone(),
        requested_python: options.python.clone(),
        backend: place,
        kernel_layer,
    };
    stamp::save(&venv, &stamp)?;
    if let Err(e) = bytecode::warm_up(project, &backend, log.path()) {
        // Only a head start for the server; it compiles what it needs anyway.
        log.line(&format!(
            "compiling JupyterLab's modules ahead of time failed: {e}"
        ));
    }
    let result = SetupResult {
        skipped: false,
        installer: tool.kind(),
        packages,
        python: layout.python(&venv),
        log: log.path().to_path_buf(),
        elapsed_ms: elapsed_ms(started),
    };
    report_done(reporter, &result);
    Ok(result)
}

fn report_done(reporter: &dyn Reporter, r: &SetupResult) {
    reporter.report(SetupEvent::Done {
        packages: r.packages,
        elapsed_ms: r.elapsed_ms,
        skipped: r.skipped,
        installer: r.installer.to_string(),
        log: r.log.clone(),
    });
}

fn elapsed_ms(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// A read-only folder is found before anything is half-made.
fn check_writable(dir: &Path) -> Result<()> {
    let probe = dir.join(format!(".darwinix-write-test-{}", std::process::id()));
    match std::fs::File::create(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            Ok(())
        }
        Err(e)
            if e.kind() == std::io::ErrorKind::PermissionDenied || e.raw_os_error() == Some(30) =>
        {
            Err(Error::ReadOnly {
                path: dir.to_path_buf(),
            })
        }
        Err(source) => Err(Error::WriteFile {
            path: probe,
            source,
        }),
    }
}

/// The environment every installer command runs with: no activated venv leaking in, no
/// prompts, bounded network waits, the chosen index.
fn installer_env(cmd: &mut tokio::process::Command, options: &SetupOptions) {
    cmd.env_remove("VIRTUAL_ENV")
        // The environment is Darwinix's: bytecode is a cache it wants (pip writes it too).
        .env_remove("PYTHONDONTWRITEBYTECODE")
        .env_remove("PYTHONHOME")
        .env("UV_PYTHON_DOWNLOADS", "never")
        .env("UV_NO_PROGRESS", "1")
        .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
        .env("PIP_NO_INPUT", "1");
    if let Some(index) = &options.index_url {
        cmd.env("UV_INDEX_URL", index).env("PIP_INDEX_URL", index);
    }
    if options.native_tls {
        cmd.env("UV_NATIVE_TLS", "1");
    }
}

/// `tool` and `python` are named as the backend runs them (inside a WSL distro: its paths).
async fn create_venv(
    tool: &Tool,
    python: &Path,
    project: &Project,
    backend: &Backend,
    options: &SetupOptions,
    log: &mut SetupLog,
) -> Result<()> {
    let venv = project.venv();
    let venv_arg = backend.path(&venv)?;
    let mut cmd = match tool {
        Tool::Uv(uv) => {
            let mut c = process::command(uv);
            // No --seed: pip is installed together with the requirements (one resolution, one
            // parallel download) instead of in a separate, sequential step.
            c.args(["venv", "--python"]).arg(python).arg(&venv_arg);
            c
        }
        Tool::Pip => {
            let mut c = process::command(python);
            c.args(["-m", "venv"]).arg(&venv_arg);
            c
        }
    };
    cmd.current_dir(&project.dir);
    installer_env(&mut cmd, options);
    let cmd = backend.finish(cmd)?;
    log.command(&cmd);
    let mut said = Vec::new();
    let code = process::stream(cmd, |line| {
        log.line(line);
        said.push(line.to_string());
    })
    .await;
    let failed = match code {
        Ok(Some(0)) => None,
        Ok(_) => Some(said.join("\n")),
        Err(e) => Some(e.to_string()),
    };
    match failed {
        None => Ok(()),
        Some(detail) => {
            venv::remove_half_made(&venv);
            let apt_package = crate::python::venv_hint::apt_package_from_venv_failure(&detail);
            let unreachable_index = detail
                .lines()
                .any(progress::is_network_failure)
                .then(|| index_in_use(options));
            let start = detail.lines().count().saturating_sub(10);
            let detail = detail.lines().skip(start).collect::<Vec<_>>().join("\n");
            Err(Error::CreateVenv {
                path: venv,
                detail,
                apt_package,
                unreachable_index,
            })
        }
    }
}

/// The package index the installer talks to, for error messages.
fn index_in_use(options: &SetupOptions) -> String {
    options
        .index_url
        .clone()
        .or_else(|| std::env::var(env_vars::UV_INDEX_URL).ok())
        .or_else(|| std::env::var(env_vars::PIP_INDEX_URL).ok())
        .unwrap_or_else(|| "https://pypi.org/simple".into())
}
