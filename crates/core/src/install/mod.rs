//! `setup`: give a project a `.venv` with its requirements installed — and do nothing at all
//! when nothing changed since last time.

mod build;
pub mod build_failure;
pub mod bytecode;
mod describe;
pub mod disk;
mod done;
pub mod existing;
mod failure;
mod for_start;
pub mod freeze;
pub mod gpu_check;
pub(crate) mod hint;
mod interpreter;
pub mod kernel_layer;
mod kernel_plan;
pub(crate) mod log;
mod options;
mod packages;
pub mod pins;
mod pip_line;
pub mod progress;
mod python_fit;
mod ready_made;
mod recipe;
mod run;
pub mod runtime;
pub mod size;
pub mod source;
pub mod tls;
mod tool;
mod trust_gate;
pub mod uv;
pub mod venv;
mod verdict;
pub mod way_out;

use std::path::Path;
use std::time::Instant;

pub use self::describe::{describe, ProjectJupyter};
pub use self::done::SetupResult;
use self::done::{elapsed_ms, report_done};
pub use self::for_start::{kept_offline, runtime_at, runtime_for, uses_runtime};
pub use self::kernel_plan::KernelPlan;
pub use self::log::log_path;
use self::log::SetupLog;
pub(crate) use self::options::index_in_use;
pub use self::options::SetupOptions;
use self::recipe::recipe;
use self::venv::Health;
use crate::error::Result;
use crate::paths::AppPaths;
use crate::project::requirements::Source;
use crate::project::stamp;
use crate::project::Project;
use crate::reporter::{Reporter, SetupEvent};

/// Makes `project`'s environment match its requirements.
pub async fn setup(
    paths: &AppPaths,
    project: &Project,
    options: &SetupOptions,
    reporter: &dyn Reporter,
) -> Result<SetupResult> {
    let started = Instant::now();
    let options = &trust_gate::gated(paths, project, options)?;
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

/// Everything a start needs, one after the other: the project's environment (its errors come
/// first), then the shared runtime (a no-op once it is there).
pub async fn prepare(
    paths: &AppPaths,
    project: &Project,
    options: &SetupOptions,
    reporter: &dyn Reporter,
) -> Result<SetupResult> {
    // `done` is the last event: it waits for the runtime.
    let held = HoldDone {
        inner: reporter,
        done: std::sync::Mutex::new(None),
    };
    let result = setup(paths, project, options, &held).await?;
    runtime_for(paths, project, options, reporter).await?;
    if let Some(done) = held.done.lock().unwrap_or_else(|e| e.into_inner()).take() {
        reporter.report(done);
    }
    Ok(result)
}

/// Passes every event on but `done`, which it keeps.
struct HoldDone<'a> {
    inner: &'a dyn Reporter,
    done: std::sync::Mutex<Option<SetupEvent>>,
}

impl Reporter for HoldDone<'_> {
    fn report(&self, event: SetupEvent) {
        match event {
            SetupEvent::Done { .. } => {
                *self.done.lock().unwrap_or_else(|e| e.into_inner()) = Some(event);
            }
            other => self.inner.report(other),
        }
    }
}

/// One setup (or change of packages) of a project at a time: a second one waits for the first
/// (it then usually finds nothing left to do) instead of both writing into the same `.venv`.
pub async fn lock_project(
    paths: &AppPaths,
    project: &Project,
    reporter: &dyn Reporter,
) -> Result<crate::fs::lock::Guard> {
    let lock = paths.lock(&format!("{}.lock", project.key()));
    crate::fs::lock::acquire(&lock, || {
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
    // Also for a change of packages, which comes here directly.
    let options = &trust_gate::gated(paths, project, options)?;
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
    // A folder that would be asked about is never started on its own.
    let Ok(options) = trust_gate::gated(paths, project, options) else {
        return false;
    };
    up_to_date(paths, project, &options, Path::new(""), Instant::now()).is_some()
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
        _ if options.without_installing => Source::Nothing,
        Some(source) => source,
        // A bare folder stays bare until its notebooks import something.
        None if crate::project::requirements::imports::scan(&project.dir)
            .packages
            .is_empty() =>
        {
            Source::Nothing
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
