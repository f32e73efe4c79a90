//! What a start needs besides the project's environment: the shared JupyterLab runtime, and
//! a start that goes on offline with the environment the project has.

use std::time::Instant;

use super::done::{elapsed_ms, report_done, SetupResult};
use super::interpreter::here_python_and_tool;
use super::kernel_plan::KernelPlan;
use super::log::{log_path, SetupLog};
use super::options::SetupOptions;
use super::runtime;
use super::venv::{self, Health};
use crate::error::{Error, Result};
use crate::paths::AppPaths;
use crate::project::backend::{self, Backend};
use crate::project::requirements::Source;
use crate::project::{stamp, Layout, Project};
use crate::reporter::{Reporter, SetupEvent};

/// `result` of a setup for a start, where the notebook matters more than a new package: when
/// the package index could not be reached and the project already has a working environment,
/// the start goes on with that environment and a notice naming what is not installed yet. The
/// stamp still holds the old inputs, so the next start tries again. `started`: when the setup
/// began.
pub fn kept_offline(
    paths: &AppPaths,
    project: &Project,
    result: Result<SetupResult>,
    started: Instant,
    reporter: &dyn Reporter,
) -> Result<SetupResult> {
    let Err(Error::Install {
        network: true,
        index,
        ..
    }) = &result
    else {
        return result;
    };
    let venv = project.venv();
    let layout = backend::load_choice(paths, project)?.layout();
    let Some(stamp) = stamp::load(&venv).filter(|_| venv::health(&venv, layout) == Health::Healthy)
    else {
        return result;
    };
    let picked = crate::project::config::load(paths, project)?.source;
    let missing = not_installed(project, picked.as_deref(), layout);
    let what = if missing.is_empty() {
        "the changed versions".to_string()
    } else {
        missing.join(", ")
    };
    let message = format!(
        "The package index ({index}) could not be reached: starting with the environment as it is. Not installed yet: {what} (tried again at the next start)"
    );
    reporter.report(SetupEvent::Warning { message });
    let kept = SetupResult {
        skipped: true,
        installer: stamp.installer,
        packages: venv::count_packages(&venv, layout),
        python: layout.python(&venv),
        log: log_path(paths, project),
        elapsed_ms: elapsed_ms(started),
    };
    report_done(reporter, &kept);
    Ok(kept)
}

/// The packages the project's source names that its environment does not have.
fn not_installed(project: &Project, picked: Option<&str>, layout: Layout) -> Vec<String> {
    let Ok(Some(source)) = Source::of(&project.dir, picked) else {
        return Vec::new();
    };
    let installed: Vec<String> = layout
        .site_packages(&project.venv())
        .iter()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flat_map(|entries| entries.flatten())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let stem = name.strip_suffix(".dist-info")?;
            crate::project::requirements::name_of(stem.rsplit_once('-')?.0)
        })
        .collect();
    source
        .requirements(&project.dir)
        .iter()
        .filter_map(|r| crate::project::requirements::name_of(r))
        .filter(|n| !installed.contains(n))
        .collect()
}

/// Whether the project's server runs from the shared runtime (it does not when the project
/// lists its own JupyterLab).
pub fn uses_runtime(paths: &AppPaths, project: &Project) -> Result<bool> {
    let config = crate::project::config::load(paths, project)?;
    // Started without installing (the trust prompt): a JupyterLab the folder lists is not
    // installed either, so Darwinix's own serves it.
    let without = matches!(
        crate::trust::store::choice(paths, &project.dir),
        Ok(Some(crate::trust::Choice::WithoutInstalling))
    );
    let plan = match Source::of(&project.dir, config.source.as_deref())? {
        Some(source) if !without => KernelPlan::of(&source, project, &config),
        _ => KernelPlan::without_jupyter(&config.backend),
    };
    Ok(plan.uses_runtime())
}

/// The shared JupyterLab runtime the project's server runs from (for a WSL project: inside its
/// distro), made when missing; `None` when the project runs its own JupyterLab (it lists one).
pub async fn runtime_for(
    paths: &AppPaths,
    project: &Project,
    options: &SetupOptions,
    reporter: &dyn Reporter,
) -> Result<Option<runtime::Runtime>> {
    if !uses_runtime(paths, project)? {
        return Ok(None);
    }
    let backend = backend::resolve(paths, project, reporter).await?;
    // The project's setup may just have found a proxy that re-signs TLS.
    let options = &super::tls::as_remembered(paths, options);
    let made = runtime_at(paths, project, &backend, options, reporter).await;
    match super::tls::system_certificates_instead(paths, options, &made, reporter) {
        Some(options) => runtime_at(paths, project, &backend, &options, reporter)
            .await
            .map(Some),
        None => made.map(Some),
    }
}

/// The shared JupyterLab runtime for a project that [`uses_runtime`], where `backend` runs it;
/// made when missing, with JupyterLab's language pack and autosave (`runtime::language`: a
/// look at two files once they are there; never a failed start).
pub async fn runtime_at(
    paths: &AppPaths,
    project: &Project,
    backend: &Backend,
    options: &SetupOptions,
    reporter: &dyn Reporter,
) -> Result<runtime::Runtime> {
    let ready = made_or_found(paths, project, backend, options, reporter).await?;
    // Inside a WSL distro the runtime's files are the distro's: it keeps English and
    // JupyterLab's own autosave for now.
    if !matches!(backend, Backend::Wsl(_)) {
        runtime::language::ensure_pack(paths, &ready.dir, backend, options, reporter).await;
    }
    Ok(ready)
}

async fn made_or_found(
    paths: &AppPaths,
    project: &Project,
    backend: &Backend,
    options: &SetupOptions,
    reporter: &dyn Reporter,
) -> Result<runtime::Runtime> {
    let dir = runtime::dir_for(paths, &backend::stamp_input(&backend.place(), project));
    let log = || SetupLog::create(&paths.log("runtime.setup.log"));
    if let Backend::Wsl(wsl) = backend {
        return runtime::wsl::get(backend, wsl, &dir, options, reporter, log).await;
    }
    if let Some(ready) = runtime::existing(&dir, backend.layout()) {
        return Ok(ready);
    }
    let _guard = runtime::lock(&dir, reporter).await?;
    // Made meanwhile by another project's start, which this one waited for.
    if let Some(ready) = runtime::existing(&dir, backend.layout()) {
        return Ok(ready);
    }
    let mut log = log();
    let maker = runtime::Maker::new(runtime::Site::Here(&dir), backend, options);
    let picked = here_python_and_tool(
        paths,
        backend,
        true,
        &maker.options,
        None,
        reporter,
        &mut log,
    )
    .await
    .map(|(base, tool)| {
        (
            base.expect("a new environment gets a base Python").path,
            tool,
        )
    });
    maker.make(picked, reporter, &mut log).await
}
