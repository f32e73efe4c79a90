//! Which Python a new environment is made from and which installer does the work: on this
//! computer, in a Nix dev shell or in a WSL distro; a version the project asks for; uv
//! installing a Python when there is none.

use super::log::SetupLog;
use super::options::SetupOptions;
use super::tool::Tool;
use super::uv;
use crate::error::{Error, Result};
use crate::paths::AppPaths;
use crate::project::backend::{self, Backend};
use crate::project::requirements::python_wish::{self, Wanted, Wish};
use crate::python::cache::ProbeCache;
use crate::python::choice::{self, MIN_PYTHON};
use crate::python::interpreter::DEFAULT_PROBE_TIMEOUT;
use crate::python::{discover, probe, Interpreter, SearchPlan, Source};
use crate::reporter::{Reporter, SetupEvent, SetupStep};
use crate::settings::Installer;

/// uv inside the distro when it has one; pip (the venv's own) otherwise.
pub(super) async fn wsl_tool(
    wsl: &backend::Wsl,
    options: &SetupOptions,
    reporter: &dyn Reporter,
) -> Tool {
    if options.installer == Installer::Pip {
        return Tool::Pip;
    }
    match wsl.find_uv().await {
        Some(uv) => Tool::Uv(uv),
        None => {
            let message = format!(
                "uv is not installed in {}; using pip (slower: installing uv there makes setup faster)",
                wsl.distro
            );
            reporter.report(SetupEvent::Warning { message });
            Tool::Pip
        }
    }
}

/// The base Python (for a new environment) and the installer, on this computer or in its Nix
/// dev shell.
pub(super) async fn here_python_and_tool(
    paths: &AppPaths,
    backend: &Backend,
    new_venv: bool,
    options: &SetupOptions,
    wanted: Option<&str>,
    reporter: &dyn Reporter,
    log: &mut SetupLog,
) -> Result<(Option<Interpreter>, Tool)> {
    let host_plan = SearchPlan::from_env(&crate::machine::shell_env::repaired_path().await);
    let plan = match backend {
        // The dev shell's Python, and no other; uv may still come from this computer.
        Backend::Nix(dev) if !dev.path_dirs.is_empty() => SearchPlan {
            dirs: dev
                .path_dirs
                .iter()
                .map(|d| (d.clone(), Source::Nix))
                .collect(),
            files: vec![],
            tool_dirs: dev
                .path_dirs
                .iter()
                .cloned()
                .chain(host_plan.tool_dirs)
                .collect(),
        },
        _ => host_plan,
    };
    let base = if new_venv {
        let base = match pick_python(paths, &plan, options, wanted).await {
            // A Nix project's Python is its flake's; only this computer may get one from uv.
            Err(Error::NoPython { min }) if matches!(backend, Backend::Local) => {
                python_from_uv(paths, &plan, min, reporter, log).await?
            }
            other => other?,
        };
        Some(match wanted {
            Some(version) if !is_version(&base, version) => {
                python_version_from_uv(paths, &plan, backend, base, version, reporter, log).await
            }
            _ => base,
        })
    } else {
        None
    };
    let tool = pick_tool(paths, &plan, options, base.as_ref(), reporter, log).await?;
    Ok((base, tool))
}

/// The `X.Y` a project's wish comes to: a version as written; a range resolved against the
/// Pythons on this computer (none when one of them fits: the usual choice stands).
pub(super) async fn wanted_version(
    paths: &AppPaths,
    wish: &Wish,
    log: &mut SetupLog,
) -> Option<String> {
    let range = match &wish.wanted {
        Wanted::Version(v) => return Some(v.clone()),
        Wanted::Range(range) => range,
    };
    let plan = SearchPlan::from_env(&crate::machine::shell_env::repaired_path().await);
    let mut cache = ProbeCache::load(&paths.interpreter_cache());
    let found = discover(&plan, &mut cache, DEFAULT_PROBE_TIMEOUT).await;
    let here: Vec<String> = found
        .interpreters
        .iter()
        .filter(|p| choice::unusable_reason(p).is_none())
        .map(|p| p.info.version.clone())
        .collect();
    let resolved = python_wish::resolve_range(range, &here);
    log.line(&format!(
        "{} asks for Python {range}; here: {}; wanted: {}",
        wish.from,
        here.join(", "),
        resolved.as_deref().unwrap_or("any of these")
    ));
    resolved
}

/// A version a project asks for, when Darwinix can run notebooks with it (an old course's
/// `python=2.7` or `3.6` gets today's Python, and the user is told).
pub(super) fn supported_version<'a>(
    version: Option<&'a str>,
    reporter: &dyn Reporter,
) -> Option<&'a str> {
    let version = version?;
    let mut parts = version.split('.').map(|p| p.parse::<u32>().ok());
    let (Some(Some(major)), Some(Some(minor))) = (parts.next(), parts.next()) else {
        return None;
    };
    if (major, minor) >= MIN_PYTHON {
        return Some(version);
    }
    let message = format!(
        "The project was made for Python {version}; notebooks need Python {} or newer, so they run with a current one",
        choice::min_python_text()
    );
    reporter.report(SetupEvent::Warning { message });
    None
}

/// The interpreter whose `X.Y` is nearest to `version` (the newer of two as near).
fn closest<'a>(found: &[&'a Interpreter], version: &str) -> Option<&'a Interpreter> {
    let minor = |v: &str| -> Option<i64> { v.split('.').nth(1)?.parse().ok() };
    let wanted = minor(version)?;
    let major = format!("{}.", version.split('.').next()?);
    found
        .iter()
        .filter(|p| p.info.version.starts_with(&major))
        .filter_map(|p| Some((minor(&p.info.version)?, *p)))
        .min_by_key(|(m, _)| ((m - wanted).abs(), -m))
        .map(|(_, p)| p)
}

fn is_version(python: &Interpreter, version: &str) -> bool {
    python.info.version == version || python.info.version.starts_with(&format!("{version}."))
}

/// The project asks for a Python version this computer does not have (`python=3.8` in
/// `environment.yml`): uv installs it when it can; otherwise `found` is used, and the user told.
async fn python_version_from_uv(
    paths: &AppPaths,
    plan: &SearchPlan,
    backend: &Backend,
    found: Interpreter,
    version: &str,
    reporter: &dyn Reporter,
    log: &mut SetupLog,
) -> Interpreter {
    let fallback = |why: String| {
        let offline = why.lines().any(super::progress::is_network_failure);
        let why = match offline {
            true => "and it could not be downloaded: no connection to uv's Python downloads".into(),
            false => why,
        };
        let message = format!(
            "The project asks for Python {version}, which is not here ({why}): using Python {}, the closest one here (Project settings → Python chooses another)",
            found.info.version
        );
        reporter.report(SetupEvent::Warning { message });
        found.clone()
    };
    let uv = match (backend, uv::find(paths, plan)) {
        (Backend::Local, Some(uv)) => uv,
        _ => return fallback("and nothing here can install it".into()),
    };
    reporter.report(SetupEvent::Step {
        step: SetupStep::CreatingEnvironment,
        detail: format!("The project asks for Python {version}: uv installs it (only this once)"),
    });
    let path = match uv::install_python(&uv, version, log).await {
        Ok(path) => path,
        Err(e) => return fallback(format!("uv could not install it: {e}")),
    };
    match probe(&path, DEFAULT_PROBE_TIMEOUT).await {
        Ok(info) => Interpreter {
            path,
            source: Source::Uv,
            info,
        },
        Err(f) => fallback(f.describe()),
    }
}

/// No usable Python on this computer: uv (the one shipped with Darwinix, or any it finds)
/// installs one, so a new machine needs nothing but Darwinix.
async fn python_from_uv(
    paths: &AppPaths,
    plan: &SearchPlan,
    min: String,
    reporter: &dyn Reporter,
    log: &mut SetupLog,
) -> Result<Interpreter> {
    let Some(uv) = uv::find(paths, plan) else {
        return Err(Error::NoPython { min });
    };
    reporter.report(SetupEvent::Step {
        step: SetupStep::CreatingEnvironment,
        detail: format!(
            "No Python {min} or newer here: uv installs Python {} (only this once)",
            uv::MANAGED_PYTHON
        ),
    });
    let fail = |detail: String| Error::UvPython {
        min: min.clone(),
        version: uv::MANAGED_PYTHON.into(),
        detail,
    };
    let path = uv::install_python(&uv, uv::MANAGED_PYTHON, log)
        .await
        .map_err(fail)?;
    let info = probe(&path, DEFAULT_PROBE_TIMEOUT)
        .await
        .map_err(|f| fail(f.describe()))?;
    Ok(Interpreter {
        path,
        source: Source::Uv,
        info,
    })
}

/// The interpreter the settings name, or discovery's choice — of the `wanted` version when
/// one of those is here.
async fn pick_python(
    paths: &AppPaths,
    plan: &SearchPlan,
    options: &SetupOptions,
    wanted: Option<&str>,
) -> Result<Interpreter> {
    if let Some(path) = &options.python {
        let info = probe(path, DEFAULT_PROBE_TIMEOUT)
            .await
            .map_err(|f| Error::BadPython {
                path: path.clone(),
                why: f.describe(),
            })?;
        let chosen = Interpreter {
            path: path.clone(),
            source: Source::SearchPath,
            info,
        };
        if let Some(why) = choice::unusable_reason(&chosen) {
            return Err(Error::BadPython {
                path: path.clone(),
                why,
            });
        }
        return Ok(chosen);
    }
    let mut cache = ProbeCache::load(&paths.interpreter_cache());
    let found = discover(plan, &mut cache, DEFAULT_PROBE_TIMEOUT).await;
    let _ = cache.save();
    if let Some(version) = wanted {
        let usable: Vec<&Interpreter> = found
            .interpreters
            .iter()
            .filter(|p| choice::unusable_reason(p).is_none())
            .filter(|p| p.info.has_ensurepip || options.installer == Installer::Uv)
            .collect();
        // The version asked for; else the closest one here (uv may still install the one asked
        // for, and this is what is used when it cannot).
        if let Some(python) = closest(&usable, version) {
            return Ok(python.clone());
        }
    }
    let chosen = choice::choose(&found.interpreters).ok_or(Error::NoPython {
        min: choice::min_python_text(),
    })?;
    Ok(found.interpreters[chosen.index].clone())
}

async fn pick_tool(
    paths: &AppPaths,
    plan: &SearchPlan,
    options: &SetupOptions,
    base: Option<&Interpreter>,
    reporter: &dyn Reporter,
    log: &mut SetupLog,
) -> Result<Tool> {
    if options.installer == Installer::Pip {
        return Ok(Tool::Pip);
    }
    if let Some(uv) = uv::find(paths, plan) {
        return Ok(Tool::Uv(uv));
    }
    // Fetching uv needs a Python with ensurepip: the new environment's base, or (for an
    // existing environment) whichever Python discovery picks.
    let python = match base {
        Some(b) => Some(b.clone()),
        None => pick_python(paths, plan, options, None).await.ok(),
    };
    match python {
        Some(python) if python.info.has_ensurepip => {
            let detail = "Downloading uv from the package index (only this once)".to_string();
            reporter.report(SetupEvent::Step {
                step: SetupStep::GettingInstaller,
                detail,
            });
            match uv::bootstrap(paths, &python.path, options.index_url.as_deref(), log).await {
                Ok(uv) => return Ok(Tool::Uv(uv)),
                Err(e) => {
                    let message = format!("{e}; using pip instead");
                    log.line(&message);
                    reporter.report(SetupEvent::Warning { message });
                }
            }
        }
        _ => {
            let message = "uv is not installed and no Python here can fetch it (none has ensurepip); using pip instead";
            reporter.report(SetupEvent::Warning {
                message: message.into(),
            });
        }
    }
    Ok(Tool::Pip)
}
