//! Changing a project's packages: the project's file first (`requirements.txt`, edited in
//! place), then the normal setup brings `.venv` to match — so a fresh copy of the folder gets
//! the same packages. Names and versions are checked on the index before anything changes;
//! when applying fails, the file and the environment are both put back as they were. One
//! change (or setup) of a project at a time: a second waits.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::edit_plan::{self, Plan};
use super::metadata;
use super::request::{Change, Changed, StillNeeded};
use super::target::{requested_roots, target, Format, Target};
use crate::error::{Error, Result};
use crate::install::existing::Existing;
use crate::install::log::SetupLog;
use crate::install::{self, SetupOptions};
use crate::paths::{write_atomically, AppPaths};
use crate::project::requirements::name_of;
use crate::project::Project;
use crate::reporter::{Reporter, SetupEvent, SetupStep};

/// Every file the change may touch, as it is now (`None`: not there yet; adding makes it).
fn snapshot(target: &Target) -> Result<Vec<(PathBuf, Option<String>)>> {
    target
        .files()
        .into_iter()
        .map(|f| read(&f).map(|text| (f, text)))
        .collect()
}

/// The first step of a change: names are checked on the index, a removal looks here.
fn announce(change: &Change, reporter: &dyn Reporter) {
    let step = match change {
        Change::Add(_) | Change::Update(_) => SetupStep::CheckingIndex,
        Change::Remove(_) | Change::Keep(_) => SetupStep::CheckingComputer,
    };
    reporter.report(SetupEvent::Step {
        step,
        detail: edit_plan::what(change),
    });
}

/// Makes `change` to `project`: its file, then its environment.
pub async fn apply(
    paths: &AppPaths,
    project: &Project,
    change: &Change,
    options: &SetupOptions,
    reporter: &dyn Reporter,
) -> Result<Changed> {
    let started = Instant::now();
    edit_plan::no_control_characters(change)?;
    let _guard = install::lock_project(paths, project, reporter).await?;
    let target = target(paths, project)?;
    let file = target.file.clone();
    let before = snapshot(&target)?;
    let before_text = before[0].1.clone().unwrap_or_default();
    writable(&file)?;
    let mut log = SetupLog::create(&log_path(paths, project));
    let env = environment(paths, project, options, reporter, &mut log).await?;
    announce(change, reporter);
    let plan = edit_plan::make(project, &target, &before_text, change, &env, options).await?;
    let file_changed = plan.text != before_text;
    let mut changed = Changed {
        file: file.clone(),
        file_changed,
        still_needed: Vec::new(),
        restart_kernels: false,
        gpu: Vec::new(),
        elapsed_ms: 0,
    };
    if file_changed || !plan.upgrade.is_empty() || !plan.removed.is_empty() {
        let frozen = env.freeze().await?;
        let done = async {
            write_change(project, &target, &plan, change, &env, options, &mut log).await?;
            make_it_so(paths, project, &plan, &env, options, reporter, &mut log).await
        }
        .await;
        match done {
            Ok(still_needed) => changed.still_needed = still_needed,
            Err(e) => {
                undo(&before, &env, &frozen, options, reporter, &mut log).await;
                return Err(Error::ChangeUndone {
                    file,
                    source: Box::new(e),
                });
            }
        }
        refresh_lock(paths, project, reporter).await;
    }
    changed.restart_kernels = crate::jupyter::find(paths, project).await.is_some();
    changed.gpu = crate::install::gpu_check::saved(paths, project);
    changed.elapsed_ms = started.elapsed().as_millis() as u64;
    Ok(changed)
}

/// The project's environment; a project that was never set up gets it first, as it is.
async fn environment(
    paths: &AppPaths,
    project: &Project,
    options: &SetupOptions,
    reporter: &dyn Reporter,
    log: &mut SetupLog,
) -> Result<Existing> {
    if let Some(env) = Existing::open(paths, project, options, reporter, log).await? {
        return Ok(env);
    }
    install::setup_holding_lock(paths, project, options, reporter, Instant::now()).await?;
    Existing::open(paths, project, options, reporter, log)
        .await?
        .ok_or_else(|| Error::NotAVenv {
            path: project.venv(),
        })
}

/// The setup with the new file (and the upgrades), then what a removal leaves unneeded taken
/// out: which removed packages stay because others need them.
async fn make_it_so(
    paths: &AppPaths,
    project: &Project,
    plan: &Plan,
    env: &Existing,
    options: &SetupOptions,
    reporter: &dyn Reporter,
    log: &mut SetupLog,
) -> Result<Vec<StillNeeded>> {
    let layout = env.backend.layout();
    let before = metadata::installed(&project.venv(), layout);
    let options = SetupOptions {
        upgrade: plan.upgrade.clone(),
        ..options.clone()
    };
    install::setup_holding_lock(paths, project, &options, reporter, Instant::now()).await?;
    if plan.removed.is_empty() {
        return Ok(Vec::new());
    }
    let requested = requested_roots(paths, project);
    let (unneeded, still_needed) = edit_plan::left_over(&before, &requested, &plan.removed);
    if !unneeded.is_empty() {
        reporter.report(SetupEvent::Step {
            step: SetupStep::Installing,
            detail: format!("Removing {}", unneeded.join(", ")),
        });
        env.uninstall(&unneeded, log).await?;
        // What a GPU framework could use was checked before it left.
        crate::install::gpu_check::run(paths, project, &env.backend).await;
    }
    Ok(still_needed)
}

/// The project's file: written as planned, or — in a uv project — changed by uv itself
/// (`uv add`, `uv remove`, `uv lock --upgrade-package`), which makes `uv.lock` again too.
async fn write_change(
    project: &Project,
    target: &Target,
    plan: &Plan,
    change: &Change,
    env: &Existing,
    options: &SetupOptions,
    log: &mut SetupLog,
) -> Result<()> {
    if target.uv_lock.is_none() {
        return write_atomically(&target.file, plan.text.as_bytes());
    }
    let uv_command = |verb: &str, names: &[String]| {
        let mut args = vec![verb.to_string(), "--no-sync".to_string()];
        args.extend(names.iter().cloned());
        args
    };
    let args = match change {
        Change::Add(requirements) | Change::Keep(requirements) => uv_command("add", requirements),
        Change::Remove(names) => {
            // Only what pyproject.toml lists: one installed by hand just leaves `.venv`.
            let text = std::fs::read_to_string(&target.file).unwrap_or_default();
            let listed = Format::Pyproject.names(&text);
            let names: Vec<String> = names
                .iter()
                .filter(|n| name_of(n).is_some_and(|k| listed.contains(&k)))
                .cloned()
                .collect();
            if names.is_empty() {
                return Ok(());
            }
            uv_command("remove", &names)
        }
        Change::Update(_) => {
            // Exact pins are rewritten in the file first; uv makes the lock again from it.
            write_atomically(&target.file, plan.text.as_bytes())?;
            let mut args = vec!["lock".to_string()];
            for name in &plan.upgrade {
                args.extend(["--upgrade-package".to_string(), name.clone()]);
            }
            args
        }
    };
    env.uv(&args, &project.dir, options, log).await
}

/// The files and the environment as they were before the change.
async fn undo(
    before: &[(PathBuf, Option<String>)],
    env: &Existing,
    frozen: &str,
    options: &SetupOptions,
    reporter: &dyn Reporter,
    log: &mut SetupLog,
) {
    let file = &before[0].0;
    reporter.report(SetupEvent::Warning {
        message: format!(
            "That did not work: putting {} and the environment back as they were",
            file.file_name().unwrap_or_default().to_string_lossy()
        ),
    });
    for (file, text) in before {
        let restored = match text {
            Some(text) => write_atomically(file, text.as_bytes()).map_err(|e| e.to_string()),
            None if file.exists() => std::fs::remove_file(file).map_err(|e| e.to_string()),
            None => Ok(()),
        };
        if let Err(e) = restored {
            log.line(&format!("putting back {} failed: {e}", file.display()));
        }
    }
    if let Err(e) = env.put_back(frozen, options, log).await {
        log.line(&format!("putting the environment back failed: {e}"));
    }
}

/// A lock written by Freeze versions pins what works now, the change included.
async fn refresh_lock(paths: &AppPaths, project: &Project, reporter: &dyn Reporter) {
    if !project.lock_file().is_file() {
        return;
    }
    if let Err(e) = install::freeze::write_lock(paths, project).await {
        reporter.report(SetupEvent::Warning {
            message: format!("requirements.lock could not be brought up to date: {e}"),
        });
    }
}

fn read(file: &Path) -> Result<Option<String>> {
    match std::fs::read_to_string(file) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::ReadFile {
            path: file.to_path_buf(),
            source,
        }),
    }
}

/// Refuses a file (or folder) that cannot be written before anything is done.
fn writable(file: &Path) -> Result<()> {
    let probe = if file.exists() {
        std::fs::OpenOptions::new()
            .append(true)
            .open(file)
            .map(drop)
    } else {
        let dir = file.parent().unwrap_or(Path::new("."));
        tempfile_in(dir)
    };
    probe.map_err(|_| Error::ReadOnly {
        path: file.to_path_buf(),
    })
}

fn tempfile_in(dir: &Path) -> std::io::Result<()> {
    let probe = dir.join(format!(".darwinix-write-check-{}", std::process::id()));
    std::fs::write(&probe, b"")?;
    std::fs::remove_file(probe)
}

pub(super) fn log_path(paths: &AppPaths, project: &Project) -> PathBuf {
    paths.log(&format!("{}.packages.log", project.key()))
}
