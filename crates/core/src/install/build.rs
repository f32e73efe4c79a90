//! One setup's work, step by step: keep or clear the `.venv`, pick the base Python and the
//! installer, create the environment, install, attach the kernel, write the stamp.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::done::{elapsed_ms, report_done, SetupResult};
use super::interpreter::{here_python_and_tool, supported_version, wanted_version, wsl_tool};
use super::kernel_plan::KernelPlan;
use super::log::SetupLog;
use super::options::{index_in_use, SetupOptions};
use super::packages::install_pinned;
use super::recipe::recipe;
use super::run::{Plan, Run};
use super::source::{find_source, Found};
use super::tool::{installer_env, Tool};
use super::verdict::{self, Verdict};
use super::{bytecode, disk, gpu_check, kernel_layer, progress, size, venv};
use crate::error::{Error, Result};
use crate::paths::AppPaths;
use crate::process;
use crate::project::backend::{self, Backend};
use crate::project::config::ProjectConfig;
use crate::project::requirements::python_wish::Wish;
use crate::project::requirements::Source;
use crate::project::stamp::{self, Stamp};
use crate::project::Project;
use crate::reporter::{Reporter, SetupEvent, SetupStep};

/// Everything one setup works with, found before anything changes.
struct Job<'a> {
    paths: &'a AppPaths,
    project: &'a Project,
    options: SetupOptions,
    reporter: &'a dyn Reporter,
    source: Source,
    /// The Python the project's files (or the user) ask for.
    python: Option<Wish>,
    config: ProjectConfig,
    backend: Backend,
    has_lock: bool,
}

pub(super) async fn build(
    paths: &AppPaths,
    project: &Project,
    options: &SetupOptions,
    reporter: &dyn Reporter,
    log: &mut SetupLog,
    started: Instant,
) -> Result<SetupResult> {
    reporter.report(SetupEvent::Step {
        step: SetupStep::CheckingComputer,
        detail: format!("Checking {}", project.dir.display()),
    });
    let has_lock = project.lock_file().is_file();
    check_writable(&project.dir)?;
    let config = crate::project::config::load(paths, project)?;
    let Found { source, python } = match options.without_installing {
        true => super::source::without_installing(project, &config, reporter)?,
        false => find_source(project, &config, reporter)?,
    };
    // Where the project runs: this computer, its Nix dev shell, or a WSL distro.
    let backend = backend::resolve(paths, project, reporter).await?;
    let mut job = Job {
        paths,
        project,
        options: options.for_backend(&config.backend),
        reporter,
        source,
        python,
        config,
        backend,
        has_lock,
    };
    let missing = job.keep_or_clear_venv()?;
    let (base, tool) = job.base_and_tool(missing, log).await?;
    if let Some(base) = &base {
        let detail = format!(
            "Creating .venv with Python {} ({})",
            base.info.version,
            base.path.display()
        );
        job.step(SetupStep::CreatingEnvironment, detail);
        let (project, backend, options) = (job.project, &job.backend, &job.options);
        create_venv(&tool, &base.path, project, backend, options, log).await?;
    }
    job.install_packages(&tool, base.is_some(), log).await?;
    let kernel_layer = job.attach_kernel(&tool, log).await?;
    let result = job.write_stamp(&tool, kernel_layer, log, started)?;
    job.after_install(log).await;
    report_done(reporter, &result);
    Ok(result)
}

impl Job<'_> {
    fn step(&self, step: SetupStep, detail: String) {
        self.reporter.report(SetupEvent::Step { step, detail });
    }

    fn warn(&self, message: String) {
        self.reporter.report(SetupEvent::Warning { message });
    }

    /// Removes an environment that cannot be kept; whether there is none now.
    fn keep_or_clear_venv(&self) -> Result<bool> {
        let venv = self.project.venv();
        let health = venv::health(&venv, self.backend.layout());
        let stamp = stamp::load(&venv);
        let found = verdict::Found {
            health,
            stamp: stamp.as_ref(),
            venv: &venv,
            place: &self.backend.place(),
            other_python: verdict::other_python(
                self.options.python.as_ref(),
                stamp.as_ref(),
                &self.project.venv_python(),
            ),
        };
        match verdict::verdict(&found) {
            Verdict::Keep => self.keep_unless_other_python(stamp.as_ref()),
            Verdict::Create => Ok(true),
            Verdict::NotAVenv => Err(Error::NotAVenv { path: venv }),
            Verdict::Rebuild { warning } => {
                self.warn(warning);
                venv::remove(&venv)?;
                Ok(true)
            }
        }
    }

    /// A kept environment is made again when the project now asks for another Python
    /// (`runtime.txt` added, Use Python 3.9 chosen); a wish it could not meet last time is not
    /// tried again each start.
    fn keep_unless_other_python(&self, stamp: Option<&Stamp>) -> Result<bool> {
        let wish = self.python.as_ref().map(Wish::key);
        match (wish, stamp.and_then(|s| s.python_wish.clone())) {
            (Some(now), before) if Some(&now) != before.as_ref() => {
                self.warn(format!(
                    "The project asks for Python {now}: making .venv again with it"
                ));
                venv::remove(&self.project.venv())?;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// The interpreter a new environment is made from (none when one is kept), and the
    /// installer.
    async fn base_and_tool(
        &self,
        missing: bool,
        log: &mut SetupLog,
    ) -> Result<(Option<crate::python::Interpreter>, Tool)> {
        let (options, reporter) = (&self.options, self.reporter);
        if let Backend::Wsl(wsl) = &self.backend {
            // Only a new environment needs a base interpreter; an existing one keeps its own.
            let base = match missing {
                true => Some(wsl.find_python().await?),
                false => None,
            };
            return Ok((base, wsl_tool(wsl, options, reporter).await));
        }
        // What the project's files ask for (`runtime.txt`, `python=3.8`…), unless the settings
        // name an interpreter.
        let wanted = match &self.python {
            Some(wish) if options.python.is_none() => {
                let version = wanted_version(self.paths, wish, log).await;
                version.and_then(|v| supported_version(Some(&v), reporter).map(String::from))
            }
            _ => None,
        };
        let wanted = wanted.as_deref();
        let paths = self.paths;
        here_python_and_tool(
            paths,
            &self.backend,
            missing,
            options,
            wanted,
            reporter,
            log,
        )
        .await
    }

    /// The project's packages (and what Darwinix adds for the kernel). A full disk takes out
    /// again what this install added, so the disk is not left full.
    async fn install_packages(&mut self, tool: &Tool, new: bool, log: &mut SetupLog) -> Result<()> {
        let kernel = KernelPlan::of(&self.source, self.project, &self.config);
        let plan = Plan {
            source: &self.source,
            extras: kernel.extras(),
            has_lock: self.has_lock,
        };
        if !plan.has_anything(self.project) {
            return Ok(());
        }
        let (project, backend) = (self.project, &self.backend);
        let run = Run {
            tool,
            project,
            backend,
            options: &self.options,
            reporter: self.reporter,
        };
        let venv = project.venv();
        // The size before the download: said, asked about (the app) or stopped for lack of room;
        // a new environment asked about is not left behind half-made.
        if let Err(e) = size::check(&run, &plan, &self.config, log).await {
            if new {
                venv::remove_half_made(&venv);
            }
            return Err(e);
        }
        let left_out = self.config.left_out.clone();
        let (before, size_before) = (
            disk::installed(&venv, backend.layout()),
            disk::size_of(&venv),
        );
        let relaxed = match install_pinned(&run, &plan, &mut self.config, log).await {
            Err(Error::DiskFull { .. }) => {
                let written = disk::size_of(&venv).saturating_sub(size_before);
                if new {
                    venv::remove_half_made(&venv);
                } else {
                    disk::take_out(&venv, &before, backend, tool, log).await;
                }
                return Err(disk::full(&venv, written));
            }
            other => other?,
        };
        let changed = relaxed.is_some() || self.config.left_out != left_out;
        if let Some(relaxed) = relaxed {
            self.config.relaxed_pins = relaxed;
        }
        if changed {
            let saved = self.config.clone();
            crate::project::config::update(self.paths, project, |c| *c = saved)?;
        }
        Ok(())
    }

    /// The shared notebook kernel, linked into the environment when the plan uses it.
    async fn attach_kernel(&self, tool: &Tool, log: &mut SetupLog) -> Result<Option<PathBuf>> {
        let kernel = KernelPlan::of(&self.source, self.project, &self.config);
        if !matches!(kernel, KernelPlan::Shared) {
            return Ok(None);
        }
        let venv = self.project.venv();
        let (paths, backend, options) = (self.paths, &self.backend, &self.options);
        let placed =
            kernel_layer::attach(paths, &venv, backend, tool, options, self.reporter, log).await?;
        Ok(match placed {
            kernel_layer::Placed::Linked(layer) => Some(layer),
            kernel_layer::Placed::Installed => None,
        })
    }

    /// The stamp, hashed as the no-op check will see it.
    fn write_stamp(
        &self,
        tool: &Tool,
        kernel_layer: Option<PathBuf>,
        log: &SetupLog,
        started: Instant,
    ) -> Result<SetupResult> {
        let (venv, layout) = (self.project.venv(), self.backend.layout());
        let python = stamp::python_fingerprint(&venv, layout).ok_or_else(|| Error::CreateVenv {
            path: venv.clone(),
            detail: "the new environment has no Python in it".into(),
            apt_package: None,
            unreachable_index: None,
        })?;
        let place = self.backend.place();
        let recipe = recipe(
            &self.source,
            self.project,
            &self.config,
            &place,
            &self.options,
            self.python.as_ref(),
        );
        let packages = venv::count_packages(&venv, layout);
        let stamp = Stamp {
            hash: recipe.hash_after_install(&python),
            installer: tool.kind(),
            packages,
            venv: venv.clone(),
            requested_python: self.options.python.clone(),
            backend: place,
            kernel_layer,
            python_wish: self.python.as_ref().map(Wish::key),
        };
        stamp::save(&venv, &stamp)?;
        Ok(SetupResult {
            skipped: false,
            installer: tool.kind(),
            packages,
            python: layout.python(&venv),
            log: log.path().to_path_buf(),
            elapsed_ms: elapsed_ms(started),
        })
    }

    /// The GPU check (its fixes as warnings) and bytecode compiled ahead of the first start.
    async fn after_install(&self, log: &mut SetupLog) {
        if let Some(checks) = gpu_check::run(self.paths, self.project, &self.backend).await {
            for check in checks.into_iter().filter(|c| c.fix.is_some()) {
                self.warn(check.summary);
            }
        }
        if let Err(e) = bytecode::warm_up(self.project, &self.backend, log.path()) {
            // Only a head start for the server; it compiles what it needs anyway.
            log.line(&format!(
                "compiling JupyterLab's modules ahead of time failed: {e}"
            ));
        }
    }
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
            if matches!(
                e.kind(),
                std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
            ) =>
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
    let mut cmd = tool.venv(python, &venv_arg);
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
