//! Installing a project's packages: from its source (`requirements.txt`, `pyproject.toml`,
//! `uv.lock`, `environment.yml`, or what its notebooks import), with what Darwinix adds (the
//! kernel, pip), and — when the user chose Start with current versions — without the old pins
//! that no longer install.

use std::path::{Path, PathBuf};

use super::log::SetupLog;
use super::options::{index_in_use, SetupOptions};
use super::progress::ProgressParser;
use super::run::{Plan, Run};
use super::tool::{installer_env, Tool};
use super::{failure, pins};
use crate::error::{Error, Result};
use crate::process;
use crate::project::backend::Backend;
use crate::project::config::ProjectConfig;
use crate::project::requirements::{self, Source};
use crate::project::Project;
use crate::reporter::{Reporter, SetupEvent};

/// The pins left out when the user chose current versions: `*` for all of them.
pub(super) fn relaxed_pins(config: &ProjectConfig) -> Option<&[String]> {
    config.ignore_pins.then_some(config.relaxed_pins.as_slice())
}

/// Installs the plan. When it fails on version pins, the error names them; when the user
/// chose Start with current versions, the failing pins are left out (then all pins) and the
/// ones left out are returned, to be remembered.
pub(super) async fn install_pinned(
    run: &Run<'_>,
    plan: &Plan<'_>,
    config: &mut ProjectConfig,
    log: &mut SetupLog,
) -> Result<Option<Vec<String>>> {
    let mut lines = left_out_of(run, plan, config, log).await?;
    // What the user chose instead (Start without a package, a ready-made version); a uv
    // project is synced to its lock as it is.
    if !matches!(plan.source, Source::UvProject) {
        lines = pins::as_chosen(&lines, &config.without, &config.instead);
        say_chosen(run.reporter, config);
    }
    install_relaxing(run, plan, config, &lines, log).await
}

/// A list Darwinix made from the imports may name modules no package on the index provides
/// (the folder's own, a hosted service's): those are left out (remembered, said on every
/// start), the rest installed. Returns the list to install.
async fn left_out_of(
    run: &Run<'_>,
    plan: &Plan<'_>,
    config: &mut ProjectConfig,
    log: &mut SetupLog,
) -> Result<Vec<String>> {
    let dir = &run.project.dir;
    let lines = plan.source.requirements(dir);
    let made_from_imports = match plan.source {
        Source::Requirements { file, .. } => requirements::made_from_imports(file),
        _ => false,
    };
    if !made_from_imports {
        return Ok(lines);
    }
    let mut left_out = config.left_out.clone();
    // Unknown yet: each try names what the index lacks, until none is left (or the failure
    // is another one, which the install after this reports).
    if left_out.is_empty() {
        for _ in 0..5 {
            match install(run, plan, Some(&pins::without(&lines, &left_out)), log).await {
                Err(Error::Install { detail, .. }) => {
                    let missing: Vec<String> = pins::not_on_index(&detail)
                        .into_iter()
                        .filter(|n| !left_out.contains(n))
                        .collect();
                    if missing.is_empty() {
                        break;
                    }
                    left_out.extend(missing);
                }
                _ => break,
            }
        }
    }
    if !left_out.is_empty() {
        let message = format!(
            "Left out of requirements.txt, since the package index has no such package: {}",
            left_out.join(", ")
        );
        run.reporter.report(SetupEvent::Warning { message });
    }
    let kept = pins::without(&lines, &left_out);
    config.left_out = left_out;
    Ok(kept)
}

async fn install_relaxing(
    run: &Run<'_>,
    plan: &Plan<'_>,
    config: &ProjectConfig,
    lines: &[String],
    log: &mut SetupLog,
) -> Result<Option<Vec<String>>> {
    let dir = &run.project.dir;
    let lines = lines.to_vec();
    let relaxable = !matches!(plan.source, Source::UvProject);
    // Chosen before and known: straight to the versions that worked last time.
    if let Some(known) = relaxed_pins(config).filter(|r| !r.is_empty() && relaxable) {
        let all: &[String] = if known == ["*"] { &[] } else { known };
        if let Err(e) = install(run, plan, Some(&pins::relax(&lines, all)), log).await {
            return Err(failure::explained(run, e).await);
        }
        say_relaxed(run, plan, known);
        return Ok(None);
    }
    // The source's own list, unless some of it was left out.
    let own = (lines != plan.source.requirements(dir)).then_some(lines.as_slice());
    let Err(error) = install(run, plan, own, log).await else {
        return Ok(None);
    };
    let failing = match relaxable {
        true => failure::failing_pins(&error, &lines),
        false => Vec::new(),
    };
    if failing.is_empty() {
        let ignore_pins = config.ignore_pins && relaxable;
        return Err(failure::not_about_pins(run, error, ignore_pins).await);
    }
    if !config.ignore_pins {
        let file = plan
            .source
            .file(dir)
            .unwrap_or_else(|| dir.join(plan.source.describe()));
        return Err(failure::old_pins(run, file, failing, error).await);
    }
    relax_failing(run, plan, &lines, failing, log)
        .await
        .map(Some)
}

/// Leaves out only the pins that failed, as long as each try names new ones; then all of
/// them. Returns the pins left out (`*`: all). A failure still about those packages is said to
/// have changed nothing.
async fn relax_failing(
    run: &Run<'_>,
    plan: &Plan<'_>,
    lines: &[String],
    mut failing: Vec<String>,
    log: &mut SetupLog,
) -> Result<Vec<String>> {
    for _ in 0..3 {
        let error = match install(run, plan, Some(&pins::relax(lines, &failing)), log).await {
            Ok(()) => {
                say_relaxed(run, plan, &failing);
                return Ok(failing);
            }
            // The network, the disk: no other pins would help.
            Err(error) if !failure::is_about_packages(&error) => return Err(error),
            Err(error) => error,
        };
        let more: Vec<String> = failure::failing_pins(&error, lines)
            .into_iter()
            .filter(|p| !failing.contains(p))
            .collect();
        if more.is_empty() {
            break;
        }
        failing.extend(more);
    }
    if let Err(error) = install(run, plan, Some(&pins::relax(lines, &[])), log).await {
        return Err(failure::after_relaxing(run, error, &failing).await);
    }
    let all = vec!["*".to_string()];
    say_relaxed(run, plan, &all);
    Ok(all)
}

/// When nothing needed installing: the pins (and the packages started without) are still
/// left out, and the user is told so.
pub(super) fn remind_relaxed(config: &ProjectConfig, project: &Project, reporter: &dyn Reporter) {
    let Ok(Some(source)) = Source::of(&project.dir, config.source.as_deref()) else {
        return;
    };
    if !matches!(source, Source::UvProject) {
        say_chosen(reporter, config);
    }
    if let Some(relaxed) = relaxed_pins(config).filter(|r| !r.is_empty()) {
        say(reporter, &source, relaxed);
    }
}

/// Packages started without, and versions used instead: said on every start while the
/// choice stands.
fn say_chosen(reporter: &dyn Reporter, config: &ProjectConfig) {
    if !config.without.is_empty() {
        let message = format!(
            "Started without {}, as you chose (the project's files are unchanged)",
            config.without.join(", ")
        );
        reporter.report(SetupEvent::Warning { message });
    }
    if !config.instead.is_empty() {
        let message = format!(
            "Started with {} instead of the versions the project asks for, as you chose",
            config.instead.join(", ")
        );
        reporter.report(SetupEvent::Warning { message });
    }
}

/// Said on every start while the choice stands.
fn say_relaxed(run: &Run<'_>, plan: &Plan<'_>, relaxed: &[String]) {
    say(run.reporter, plan.source, relaxed);
}

fn say(reporter: &dyn Reporter, source: &Source, relaxed: &[String]) {
    let which = if relaxed == ["*"] {
        "all of its version pins".to_string()
    } else {
        format!("the pins {}", relaxed.join(", "))
    };
    let message = format!(
        "Started with current versions: {which} from {} are left out (the file is unchanged)",
        source.describe()
    );
    reporter.report(SetupEvent::Warning { message });
}

/// One installer run; `relaxed` replaces the source's list (the same packages, fewer pins).
async fn install(
    run: &Run<'_>,
    plan: &Plan<'_>,
    relaxed: Option<&[String]>,
    log: &mut SetupLog,
) -> Result<()> {
    let Run {
        tool,
        project,
        backend,
        options,
        reporter,
    } = *run;
    let python = backend.path(&backend.layout().python(&project.venv()))?;
    // A uv project is synced exactly to its lock (as `uv sync` would), the lock left as it is.
    let synced = match (plan.source, tool) {
        (Source::UvProject, Tool::Uv(uv)) => {
            sync_uv_project(run, uv, &python, log).await?;
            if plan.extras.is_empty() {
                return Ok(());
            }
            true
        }
        _ => false,
    };
    let mut cmd = tool.pip_install(&python);
    match tool {
        // -v: uv's debug lines are where per-package progress comes from.
        Tool::Uv(_) => cmd.arg("-v"),
        Tool::Pip => cmd.args(["--progress-bar", "off"]),
    };
    upgrade_args(&mut cmd, tool, &options.upgrade);
    let relaxed_list = request_args(&mut cmd, run, plan, relaxed, synced)?;
    let done = run_installer(cmd, tool, project, backend, options, reporter, log).await;
    if let Some(file) = relaxed_list {
        let _ = std::fs::remove_file(file);
    }
    let mut done = done;
    // The list it was given, for a hint about a wrong name or version.
    if let Err(Error::Install { file, .. }) = &mut done {
        *file = plan.source.file(&project.dir).map(PathBuf::into_boxed_path);
    }
    done
}

/// What one install is asked for: Darwinix's extras, the source's list (or `relaxed`; none
/// after a `uv sync`) and the lock's pins. The size check before the install (`size`) reads
/// the same arguments, so it measures what the install will get. Returns the temporary file of
/// relaxed pins to remove afterwards.
pub(super) fn request_args(
    cmd: &mut tokio::process::Command,
    run: &Run<'_>,
    plan: &Plan<'_>,
    relaxed: Option<&[String]>,
    synced: bool,
) -> Result<Option<PathBuf>> {
    cmd.args(plan.extras);
    let relaxed_list = match synced {
        true => None,
        false => source_args(cmd, run, plan.source, relaxed)?,
    };
    // The lock pins what worked before; relaxed pins are a new resolution.
    if plan.has_lock && relaxed.is_none() {
        // The lock pins every version it lists; anything new in requirements.txt still resolves.
        cmd.arg("-c")
            .arg(run.backend.path(&run.project.lock_file())?);
    }
    Ok(relaxed_list)
}

/// `uv sync` of a uv project into its `.venv`, with the notebook's dependency groups.
async fn sync_uv_project(
    run: &Run<'_>,
    uv: &Path,
    python: &std::ffi::OsStr,
    log: &mut SetupLog,
) -> Result<()> {
    let (project, backend) = (run.project, run.backend);
    let mut cmd = process::command(uv);
    cmd.args(["sync", "--frozen", "-v", "--python"])
        .arg(python)
        .env(
            crate::env_vars::UV_PROJECT_ENVIRONMENT,
            backend.path(&project.venv())?,
        );
    // `dev` is synced anyway; a notebook group is what the notebooks need.
    let spec = requirements::pyproject::read(&project.dir.join(requirements::PYPROJECT))?;
    for group in &spec.groups {
        cmd.args(["--group", group]);
    }
    let (tool, options, reporter) = (run.tool, run.options, run.reporter);
    run_installer(cmd, tool, project, backend, options, reporter, log).await
}

/// `darwinix update`: the named packages to their newest allowed version.
fn upgrade_args(cmd: &mut tokio::process::Command, tool: &Tool, upgrade: &[String]) {
    match tool {
        Tool::Uv(_) => {
            for name in upgrade {
                cmd.arg("--upgrade-package").arg(name);
            }
        }
        // pip upgrades what it is given, the requirement files included.
        Tool::Pip if !upgrade.is_empty() => {
            cmd.arg("--upgrade");
        }
        Tool::Pip => {}
    }
}

/// What to install, from the project's source (or the relaxed pins the user chose); returns
/// the temporary file of relaxed pins to remove afterwards.
fn source_args(
    cmd: &mut tokio::process::Command,
    run: &Run<'_>,
    source: &Source,
    relaxed: Option<&[String]>,
) -> Result<Option<PathBuf>> {
    let (project, backend) = (run.project, run.backend);
    match (source, relaxed) {
        (_, Some(lines)) => {
            // Written into Darwinix's folder: the project's own file stays as it is.
            let file = relaxed_file(project, lines)?;
            cmd.arg("-r").arg(backend.path(&file)?);
            // The folder's own package is not in the list: it is installed as always.
            if source.installs_folder() {
                cmd.args(["-e", "."]);
            }
            return Ok(Some(file));
        }
        (Source::Requirements { file, package }, None) => {
            cmd.arg("-r").arg(backend.path(file)?);
            if *package {
                // Binder's `pip install .` after the requirements; editable, so the notebooks
                // import the code as it is edited.
                cmd.args(["-e", "."]);
            }
        }
        (Source::Package, None) => {
            cmd.args(["-e", "."]);
        }
        (Source::Pipfile { spec, .. }, None) => {
            cmd.args(&spec.requirements);
        }
        (Source::UvProject | Source::Pyproject(_), None) => {
            let spec = match source {
                Source::Pyproject(spec) => spec.clone(),
                _ => requirements::pyproject::read(&project.dir.join(requirements::PYPROJECT))?,
            };
            cmd.args(&spec.requirements);
            if spec.package {
                cmd.args(["-e", "."]);
            }
        }
        (Source::Conda { spec, file }, None) => {
            let base = file.parent().unwrap_or(&project.dir);
            for line in &spec.requirements {
                cmd.args(super::pip_line::args(line, base, backend)?);
            }
        }
        (Source::Nothing, None) => {}
    }
    Ok(None)
}

/// The relaxed list, in a private file of Darwinix's beside the project's setup log.
fn relaxed_file(project: &Project, lines: &[String]) -> Result<std::path::PathBuf> {
    let file = project
        .venv()
        .join(format!("darwinix-relaxed-{}.txt", std::process::id()));
    // Paths in the list are the project's: made absolute, since the list lives elsewhere.
    let dir = project.dir.to_string_lossy();
    let mut text = String::new();
    for line in lines {
        let (flag, rest) = match line.strip_prefix("-e ") {
            Some(rest) => ("-e ", rest.trim()),
            None => ("", line.as_str()),
        };
        if rest.starts_with('.') {
            text.push_str(&format!("{flag}{dir}/{rest}\n"));
        } else {
            text.push_str(&format!("{line}\n"));
        }
    }
    std::fs::create_dir_all(project.venv())
        .and_then(|()| std::fs::write(&file, text))
        .map_err(|source| Error::WriteFile {
            path: file.clone(),
            source,
        })?;
    Ok(file)
}

/// Runs one installer command, its output into the log and the progress to the reporter.
async fn run_installer(
    mut cmd: tokio::process::Command,
    tool: &Tool,
    project: &Project,
    backend: &Backend,
    options: &SetupOptions,
    reporter: &dyn Reporter,
    log: &mut SetupLog,
) -> Result<()> {
    cmd.current_dir(&project.dir);
    installer_env(&mut cmd, options);
    let cmd = backend.finish(cmd)?;
    log.command(&cmd);
    let mut parser = match tool {
        Tool::Uv(uv) if !super::uv::speaks_known_progress(uv, backend).await => {
            log.line("this uv's version was not tested with Darwinix: its progress is not shown");
            ProgressParser::plain(tool.kind())
        }
        _ => ProgressParser::new(tool.kind()),
    };
    let mut disk_full = false;
    let code = process::stream(cmd, |line| {
        log.line(line);
        disk_full |= super::disk::is_disk_full(line);
        if !line.starts_with("DEBUG ") && !line.starts_with("TRACE ") {
            reporter.report(SetupEvent::Log {
                line: line.to_string(),
            });
        }
        for event in parser.feed(line) {
            reporter.report(event);
        }
    })
    .await?;
    if code == Some(0) {
        return Ok(());
    }
    if disk_full {
        // `setup` measures what was written and takes it out again.
        return Err(super::disk::full(&project.venv(), 0));
    }
    let index = index_in_use(options);
    let install = Error::Install {
        dir: project.dir.clone(),
        installer: tool.kind().to_string(),
        detail: parser.summary(),
        network: parser.network_error,
        index,
        file: None,
    };
    Err(failure::from_output(parser.said(), install))
}
