//! `setup`: give a project a `.venv` with its requirements installed — and do nothing at all
//! when nothing changed since last time.

mod build;
pub mod build_failure;
pub mod bytecode;
mod describe;
pub mod disk;
pub mod existing;
mod failure;
mod for_start;
pub mod freeze;
pub mod gpu_check;
pub(crate) mod guard;
mod interpreter;
pub mod kernel_layer;
mod kernel_plan;
pub(crate) mod log;
mod packages;
pub mod pins;
pub mod progress;
mod python_fit;
mod ready_made;
pub mod runtime;
pub mod size;
pub mod source;
pub mod tls;
pub mod uv;
pub mod venv;
mod verdict;
pub mod way_out;

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;

pub use self::describe::{describe, ProjectJupyter};
pub use self::for_start::{prepare, runtime_at, runtime_for, setup_or_keep, uses_runtime};
use self::interpreter::{here_python_and_tool, wsl_tool};
pub use self::kernel_plan::KernelPlan;
use self::log::SetupLog;
use self::packages::relaxed_pins;
use self::venv::Health;
use crate::env_vars;
use crate::error::Result;
use crate::paths::AppPaths;
use crate::process;
use crate::project::backend::{self, BackendChoice, Place};
use crate::project::config::ProjectConfig;
use crate::project::requirements::python_wish::Wish;
use crate::project::requirements::Source as Packages;
use crate::project::stamp::{self, Recipe};
use crate::project::Project;
use crate::reporter::{Reporter, SetupEvent};
use crate::settings::{Installer, Settings};

#[derive(Debug, Clone, Default)]
pub struct SetupOptions {
    pub installer: Installer,
    /// Build from this interpreter instead of the one discovery picks.
    pub python: Option<PathBuf>,
    pub index_url: Option<String>,
    pub native_tls: bool,
    /// Packages to bring to their newest allowed version (`darwinix update`): the install runs
    /// even when nothing else changed.
    pub upgrade: Vec<String>,
    /// A big install (see `size`) stops with [`crate::Error::BigInstall`] until the user says
    /// yes: the app, which has a button for it. The command line only says the size and goes
    /// on (someone typed the command; a script must not hang on a question).
    pub ask_before_big_install: bool,
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
            upgrade: Vec::new(),
            ask_before_big_install: false,
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

    /// A new environment at `dir` (as the backend names it) from `python`: `uv venv`, or the
    /// interpreter's own `-m venv`.
    fn venv(&self, python: &Path, dir: &std::ffi::OsStr) -> tokio::process::Command {
        match self {
            Tool::Uv(uv) => {
                let mut c = process::command(uv);
                // No --seed: pip is installed together with the requirements (one resolution,
                // one parallel download) instead of in a separate, sequential step.
                c.args(["venv", "--python"]).arg(python).arg(dir);
                c
            }
            Tool::Pip => {
                let mut c = process::command(python);
                c.args(["-m", "venv"]).arg(dir);
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
    paths.log(&format!("{}.setup.log", project.key()))
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
    let _guard = lock_project(paths, project, reporter).await?;
    setup_holding_lock(paths, project, options, reporter, started).await
}

/// One setup (or change of packages) of a project at a time: a second one waits for the first
/// (it then usually finds nothing left to do) instead of both writing into the same `.venv`.
pub async fn lock_project(
    paths: &AppPaths,
    project: &Project,
    reporter: &dyn Reporter,
) -> Result<guard::Guard> {
    let lock = paths.lock(&format!("{}.lock", project.key()));
    guard::acquire(&lock, || {
        reporter.report(SetupEvent::Warning {
            message: "Another setup of this project is running; waiting for it to finish".into(),
        })
    })
    .await
}

/// [`setup`] for a caller that holds the project's lock.
pub(crate) async fn setup_holding_lock(
    paths: &AppPaths,
    project: &Project,
    options: &SetupOptions,
    reporter: &dyn Reporter,
    started: Instant,
) -> Result<SetupResult> {
    let log_file = log_path(paths, project);
    // The setup we waited for has probably done the work already.
    if let Some(done) = up_to_date(paths, project, options, &log_file, started) {
        report_done(reporter, &done);
        return Ok(done);
    }
    let mut log = SetupLog::create(&log_file);
    let mut result = build::build(paths, project, options, reporter, &mut log, started).await;
    if let Some(options) = tls::system_certificates_instead(paths, options, &result, reporter) {
        log.line("the certificate was not trusted: trying again with this computer's certificates");
        result = build::build(paths, project, &options, reporter, &mut log, started).await;
    }
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
    if !options.upgrade.is_empty() {
        return None;
    }
    let config = crate::project::config::load(paths, project).ok()?;
    let choice = config.backend.clone();
    let options = &options.for_backend(&choice);
    let layout = choice.layout();
    let place = choice.expected_place(project);
    let venv = project.venv();
    let stamp = stamp::load(&venv)?;
    let other_python = verdict::other_python(
        options.python.as_ref(),
        Some(&stamp),
        &project.venv_python(),
    );
    if venv::health(&venv, layout) != Health::Healthy
        || stamp.venv != venv
        || !stamp.backend.serves(&place)
        || other_python.is_some()
    {
        return None;
    }
    let (source, wish) = source::chosen(project, &config).ok()?;
    let source = match source {
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
    let python = stamp::python_fingerprint(&venv, layout)?;
    let hash = recipe(&source, project, &config, &place, options, wish.as_ref()).hash(&python)?;
    (hash == stamp.hash).then(|| SetupResult {
        skipped: true,
        installer: stamp.installer,
        packages: stamp.packages,
        python: layout.python(&venv),
        log: log.to_path_buf(),
        elapsed_ms: elapsed_ms(started),
    })
}

/// What the stamp records of this setup (see [`Recipe`]).
fn recipe<'a>(
    source: &'a Packages,
    project: &'a Project,
    config: &'a ProjectConfig,
    place: &Place,
    options: &'a SetupOptions,
    python_wish: Option<&Wish>,
) -> Recipe<'a> {
    Recipe {
        python_wish: python_wish.map(Wish::key),
        source,
        dir: &project.dir,
        kernel: KernelPlan::of(source, project, config).input(),
        relaxed: relaxed_pins(config),
        left_out: &config.left_out,
        without: &config.without,
        instead: &config.instead,
        lock: std::fs::read(project.lock_file()).ok(),
        place: backend::stamp_input(place, project),
        installer: options.installer,
        index_url: options.index_url.as_deref(),
        native_tls: options.native_tls,
    }
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

/// The environment every installer command runs with: no activated venv leaking in, no
/// prompts, bounded network waits, the chosen index.
fn installer_env(cmd: &mut tokio::process::Command, options: &SetupOptions) {
    use env_vars::*;
    process::clean_python_env(cmd)
        .env(UV_PYTHON_DOWNLOADS, "never")
        .env(UV_NO_PROGRESS, "1")
        .env(PIP_DISABLE_PIP_VERSION_CHECK, "1")
        .env(PIP_NO_INPUT, "1");
    if let Some(index) = &options.index_url {
        cmd.env(UV_INDEX_URL, index).env(PIP_INDEX_URL, index);
    }
    if options.native_tls {
        // Both names: older uv knows only the first, newer uv warns unless it has the second.
        cmd.env(UV_NATIVE_TLS, "1").env(UV_SYSTEM_CERTS, "1");
    }
}

/// The package index the installer talks to, for error messages.
pub(crate) fn index_in_use(options: &SetupOptions) -> String {
    options
        .index_url
        .clone()
        .or_else(|| std::env::var(env_vars::UV_INDEX_URL).ok())
        .or_else(|| std::env::var(env_vars::PIP_INDEX_URL).ok())
        .unwrap_or_else(|| "https://pypi.org/simple".into())
}
