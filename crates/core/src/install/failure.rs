//! What a failed install means, in the user's words, with its ways out: pins that no longer
//! resolve (and the Python they were made for), a package that cannot be built here (and a
//! ready-made version of it, or a Python it is ready-made for), and a choice of current
//! versions that changed nothing.

use std::path::{Path, PathBuf};

use super::build_failure::{self, BuildFailure};
use super::packages::Run;
use super::ready_made::Asker;
use super::{pins, python_fit, tls, Tool};
use crate::error::Error;
use crate::project::requirements::pep508::{has_version, name_of};

/// How many of the installer's last lines a build failure keeps: where the build says why.
const BUILD_LINES: usize = 12;

/// The error for a failed installer run, from everything it said (its summary may have lost
/// the package's name): a build that failed, else `install` as it is.
pub(super) fn from_output(said: &[String], install: Error) -> Error {
    let Error::Install {
        dir,
        network: false,
        ..
    } = &install
    else {
        return install;
    };
    let text = said.join("\n");
    let Some(failure) = build_failure::classify(&text) else {
        return install;
    };
    let BuildFailure {
        package,
        version,
        needed_by,
        missing,
        evidence,
    } = failure;
    // The two lines that say it all; else the end of the build's output, where it says why.
    let detail = match missing {
        Some(_) => evidence.join("\n"),
        None => said[said.len().saturating_sub(BUILD_LINES)..].join("\n"),
    };
    Error::CannotBuild {
        dir: dir.clone(),
        package,
        version,
        needed_by,
        missing,
        ready_made: None,
        needs_python: None,
        detail,
    }
}

/// The pinned lines an error blames: the pins the installer names, or the pinned package whose
/// build failed (another version may be ready-made) — not when the build lacks a tool, which
/// building any version needs.
pub(super) fn failing_pins(error: &Error, lines: &[String]) -> Vec<String> {
    match error {
        Error::Install {
            network: false,
            detail,
            ..
        } => pins::failing(detail, lines),
        Error::CannotBuild {
            package,
            missing: None,
            ..
        } => lines
            .iter()
            .filter(|l| has_version(l) && name_of(l).as_ref() == Some(package))
            .map(|l| l.trim().to_string())
            .collect(),
        _ => Vec::new(),
    }
}

/// `error` with what uv can tell of the ways round a failed build: a version of the package
/// that is ready-made here, and the nearest Python its failing version is ready-made for.
pub(super) async fn explained(run: &Run<'_>, error: Error) -> Error {
    let Error::CannotBuild {
        dir,
        package,
        version: Some(version),
        needed_by,
        missing,
        detail,
        ..
    } = error
    else {
        // A folder's own code (no version) has no other version to offer.
        return error;
    };
    let (ready_made, needs_python) = match asker(run) {
        Some(asker) => (
            asker.ready_made(&package).await.filter(|v| *v != version),
            asker
                .python_for(&package, &version, venv_minor(&run.project.venv()))
                .await,
        ),
        None => (None, None),
    };
    Error::CannotBuild {
        dir,
        package,
        version: Some(version),
        needed_by,
        missing,
        ready_made,
        needs_python,
        detail,
    }
}

/// Pins that no longer install, with the Python they were made for when the installer says
/// it (a Python range, wheels for other Pythons) or uv finds one for a failed build.
pub(super) async fn old_pins(
    run: &Run<'_>,
    file: PathBuf,
    pins: Vec<String>,
    error: Error,
) -> Error {
    let current = venv_minor(&run.project.venv());
    let (detail, needs_python) = match (&error, asker(run)) {
        (
            Error::CannotBuild {
                package,
                version: Some(version),
                detail,
                ..
            },
            Some(asker),
        ) => (
            detail.clone(),
            asker.python_for(package, version, current).await,
        ),
        (Error::CannotBuild { detail, .. } | Error::Install { detail, .. }, _) => {
            (detail.clone(), python_fit::needed(detail, &pins, current))
        }
        _ => (error.to_string(), None),
    };
    Error::OldPins {
        file,
        pins,
        detail,
        needs_python,
    }
}

/// A failure when Start with current versions is on but there is no pin to leave out: the
/// real cause, said as such.
pub(super) async fn not_about_pins(run: &Run<'_>, error: Error, ignore_pins: bool) -> Error {
    let error = explained(run, error).await;
    match ignore_pins && is_about_packages(&error) {
        true => Error::NothingRelaxed {
            source: Box::new(error),
        },
        false => error,
    }
}

/// The failure left after the pins `relaxed` were left out: said as changing nothing when it
/// is still about one of those packages.
pub(super) async fn after_relaxing(run: &Run<'_>, error: Error, relaxed: &[String]) -> Error {
    let names: Vec<String> = relaxed.iter().filter_map(|p| name_of(p)).collect();
    let same = match &error {
        Error::CannotBuild {
            package, needed_by, ..
        } => names.contains(package) || needed_by.as_ref().is_some_and(|b| names.contains(b)),
        Error::Install {
            network: false,
            detail,
            ..
        } => !pins::failing(detail, relaxed).is_empty(),
        _ => false,
    };
    let error = explained(run, error).await;
    match same {
        true => Error::NothingRelaxed {
            source: Box::new(error),
        },
        false => error,
    }
}

/// A failure about the packages themselves (not the network, the disk or Darwinix).
fn is_about_packages(error: &Error) -> bool {
    matches!(
        error,
        Error::CannotBuild { .. } | Error::Install { network: false, .. }
    )
}

/// uv, to ask about other versions and Pythons (pip cannot say).
fn asker<'a>(run: &Run<'a>) -> Option<Asker<'a>> {
    let Tool::Uv(uv) = run.tool else {
        return None;
    };
    let venv = run.project.venv();
    let python = run.backend.path(&run.backend.layout().python(&venv)).ok()?;
    Some(Asker {
        uv,
        python,
        backend: run.backend,
        options: run.options,
    })
}

/// The minor version of the environment's Python, from its `pyvenv.cfg` (`version_info =
/// 3.11.7` from uv, `version = 3.11.7` from venv).
fn venv_minor(venv: &Path) -> Option<u64> {
    let cfg = std::fs::read_to_string(venv.join("pyvenv.cfg")).ok()?;
    cfg.lines().find_map(|line| {
        let (key, value) = line.split_once('=')?;
        if !matches!(key.trim(), "version" | "version_info") {
            return None;
        }
        value.trim().split('.').nth(1)?.parse().ok()
    })
}

/// [`Error::CannotBuild`]'s message.
pub fn cannot_build_message(error: &Error) -> String {
    let Error::CannotBuild {
        package,
        version,
        needed_by,
        missing,
        detail,
        ..
    } = error
    else {
        return error.to_string();
    };
    let named = match version {
        Some(v) => format!("{package} {v}"),
        None => package.clone(),
    };
    let head = match (missing, needed_by) {
        (Some(m), None) => {
            format!("{package} could not be built: it needs {m}, which this computer does not have")
        }
        (Some(m), Some(by)) => format!(
            "{by} could not be installed: it needs {named}, which could not be built here: that needs {m}, which this computer does not have"
        ),
        (None, None) if version.is_none() => format!("{package} could not be built here"),
        (None, None) => {
            format!("{named} has no ready-made version for this Python, and building it here failed")
        }
        (None, Some(by)) => format!(
            "{by} does not install on this Python: it needs {named}, which has no ready-made version for this Python, and building it here failed"
        ),
    };
    match missing {
        Some(_) => format!("{head}; the installer said:\n{detail}"),
        None => format!("{head}; the end of the build's output:\n{detail}"),
    }
}

/// [`Error::hint`] for the failures of an install: what to press, in the window's words.
pub fn hint(error: &Error) -> Option<String> {
    const KEPT: &str = "your previous environment, if there was one, was kept";
    Some(match error {
        Error::Install { detail, .. } if tls::is_untrusted_certificate(detail) => "the network re-signs secure connections, and this computer's certificates do not trust it either: ask whoever runs the network to add its certificate to this computer, then press Start Notebook again".into(),
        Error::Install {
            file: Some(file),
            detail,
            ..
        } if pins::about_names_or_versions(detail) => format!(
            "check the package names and versions in `{}`; {KEPT}",
            file.display()
        ),
        Error::Install { .. } => format!("Show details has the installer's whole output; {KEPT}"),
        Error::OldPins {
            file,
            needs_python,
            ..
        } => {
            let current = format!("Start with current versions: Darwinix installs the same packages at versions that work today, without changing `{}`", file.display());
            match needs_python {
                Some(p) => format!("press Use Python {p} for this project, the Python these versions were made for; or {current}"),
                None => format!("press {current}"),
            }
        }
        Error::CannotBuild { .. } => cannot_build_hint(error),
        Error::NothingRelaxed { source } => return source.hint(),
        _ => return None,
    })
}

/// The buttons for a package that cannot be built, the likeliest first; then the tool.
fn cannot_build_hint(error: &Error) -> String {
    let Error::CannotBuild {
        package,
        needed_by,
        missing,
        ready_made,
        needs_python,
        ..
    } = error
    else {
        return String::new();
    };
    let listed = needed_by.as_ref().unwrap_or(package);
    let mut buttons = Vec::new();
    if let Some(version) = ready_made {
        buttons.push(format!(
            "Use {package} {version} (ready-made for this computer)"
        ));
    }
    if let Some(python) = needs_python {
        buttons.push(format!(
            "Use Python {python} for this project ({package} is ready-made for it)"
        ));
    }
    buttons.push(format!(
        "Start without {listed} (the other packages are installed; the project's files stay unchanged)"
    ));
    let mut hint = format!("press {}", buttons.join(", or "));
    if let Some(tool) = missing {
        hint.push_str(&format!(
            "; or install {tool} (from your software center, or ask whoever manages this computer), then press Start Notebook again"
        ));
    }
    hint
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::install::build_failure::Missing;

    fn install(detail: &str) -> Error {
        Error::Install {
            dir: PathBuf::from("/p"),
            installer: "uv".into(),
            detail: detail.into(),
            network: false,
            index: "https://pypi.org/simple".into(),
            file: Some(PathBuf::from("/p/binder/requirements.txt")),
        }
    }

    #[test]
    fn a_build_failure_is_read_from_all_the_installer_said() {
        let said: Vec<String> = [
            "Resolved 2 packages in 212ms",
            "error: Failed to build `box2d-py==2.3.8`",
            "  cause: The build backend returned an error",
            "         error: command 'swig' failed: No such file or directory",
            "hint: Build failures usually indicate a problem with the package or the build environment",
        ]
        .map(String::from)
        .into();
        let summary = "error: command 'swig' failed: No such file or directory\nhint: Build failures usually indicate a problem with the package or the build environment";
        let error = from_output(&said, install(summary));
        assert!(matches!(
            &error,
            Error::CannotBuild { package, missing: Some(Missing::Swig), .. } if package == "box2d-py"
        ));
        let message = error.to_string();
        assert!(
            message.starts_with(
                "box2d-py could not be built: it needs SWIG, which this computer does not have"
            ),
            "{message}"
        );
        let hint = error.hint().unwrap();
        assert!(hint.contains("Start without box2d-py"), "{hint}");
        assert!(hint.contains("install SWIG"), "{hint}");
        // Another failure stays as it was.
        let other = from_output(&["error: No solution found".into()], install("x"));
        assert!(matches!(other, Error::Install { .. }));
    }

    #[test]
    fn the_generic_hint_names_the_file_used_and_only_for_names_and_versions() {
        let names = install("  cause: Because numpy==9.9 was not found in the package registry and you require numpy==9.9, we can conclude that your requirements are unsatisfiable.");
        let hint = names.hint().unwrap();
        assert!(hint.contains("`/p/binder/requirements.txt`"), "{hint}");
        let other = install("error: Failed to install: six-1.16.0-py2.py3-none-any.whl\n  Caused by: Permission denied (os error 13)");
        let hint = other.hint().unwrap();
        assert!(!hint.contains("requirements.txt"), "{hint}");
        assert!(hint.contains("Show details"), "{hint}");
    }

    #[test]
    fn a_dependency_that_needs_an_older_python_names_who_needs_it() {
        let pymc3 = Error::CannotBuild {
            dir: PathBuf::from("/p"),
            package: "scipy".into(),
            version: Some("1.7.3".into()),
            needed_by: Some("pymc3".into()),
            missing: None,
            ready_made: Some("1.17.1".into()),
            needs_python: Some("3.10".into()),
            detail: "RuntimeError: Running cythonize failed!".into(),
        };
        let message = pymc3.to_string();
        assert!(message.starts_with("pymc3 does not install on this Python: it needs scipy 1.7.3, which has no ready-made version for this Python"), "{message}");
        let hint = pymc3.hint().unwrap();
        assert!(hint.starts_with("press Use scipy 1.17.1"), "{hint}");
        assert!(hint.contains("Use Python 3.10 for this project"), "{hint}");
        assert!(hint.contains("Start without pymc3"), "{hint}");
        let nothing = Error::NothingRelaxed {
            source: Box::new(pymc3),
        };
        assert!(nothing
            .to_string()
            .starts_with("Start with current versions changed nothing: pymc3 does not install"));
        assert!(nothing.hint().unwrap().contains("Start without pymc3"));
    }

    #[test]
    fn pins_blamed_for_a_build_are_the_built_package_only_without_a_missing_tool() {
        let lines: Vec<String> = ["numpy==1.11.0", "six==1.16.0"].map(String::from).into();
        let build = |missing| Error::CannotBuild {
            dir: PathBuf::from("/p"),
            package: "numpy".into(),
            version: Some("1.11.0".into()),
            needed_by: None,
            missing,
            ready_made: None,
            needs_python: None,
            detail: String::new(),
        };
        assert_eq!(failing_pins(&build(None), &lines), ["numpy==1.11.0"]);
        assert!(failing_pins(&build(Some(Missing::CCompiler)), &lines).is_empty());
    }

    #[test]
    fn the_venvs_python_is_read_from_its_config() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("pyvenv.cfg"),
            "home = /usr/bin\nimplementation = CPython\nversion_info = 3.11.7\n",
        )
        .unwrap();
        assert_eq!(venv_minor(dir.path()), Some(11));
        assert_eq!(venv_minor(&dir.path().join("none")), None);
    }
}
