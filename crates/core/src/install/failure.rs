//! What a failed install means: pins that no longer resolve (and the Python they were made
//! for), a package that cannot be built here (and a ready-made version of it, or a Python it
//! is ready-made for, asked of uv), and a choice of current versions that changed nothing.
//! `way_out` words them.

use std::path::{Path, PathBuf};

use super::build_failure::{self, BuildFailure};
use super::ready_made::Asker;
use super::run::Run;
use super::tool::Tool;
use super::{pins, python_fit};
use crate::error::{Error, Unbuildable};
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
    Error::CannotBuild(Box::new(Unbuildable {
        dir: dir.clone(),
        package,
        version,
        needed_by,
        missing,
        ready_made: None,
        needs_python: None,
        detail,
    }))
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
        Error::CannotBuild(b) if b.missing.is_none() => lines
            .iter()
            .filter(|l| has_version(l) && name_of(l).as_ref() == Some(&b.package))
            .map(|l| l.trim().to_string())
            .collect(),
        _ => Vec::new(),
    }
}

/// `error` with what uv can tell of the ways round a failed build: a version of the package
/// that is ready-made here, and the nearest Python its failing version is ready-made for.
pub(super) async fn explained(run: &Run<'_>, error: Error) -> Error {
    let Error::CannotBuild(mut b) = error else {
        return error;
    };
    // A folder's own code (no version) has no other version to offer.
    let (Some(asker), Some(version)) = (asker(run), b.version.clone()) else {
        return Error::CannotBuild(b);
    };
    b.ready_made = asker.ready_made(&b.package).await.filter(|v| *v != version);
    let current = venv_minor(&run.project.venv());
    b.needs_python = asker.python_for(&b.package, &version, current).await;
    Error::CannotBuild(b)
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
        (Error::CannotBuild(b), Some(asker)) => {
            let needs = match &b.version {
                Some(version) => asker.python_for(&b.package, version, current).await,
                None => None,
            };
            (b.detail.clone(), needs)
        }
        (Error::CannotBuild(b), None) => (b.detail.clone(), None),
        (Error::Install { detail, .. }, _) => {
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
        Error::CannotBuild(b) => {
            names.contains(&b.package) || b.needed_by.as_ref().is_some_and(|n| names.contains(n))
        }
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
pub(super) fn is_about_packages(error: &Error) -> bool {
    matches!(
        error,
        Error::CannotBuild(_) | Error::Install { network: false, .. }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Missing;
    use std::path::PathBuf;

    fn install(detail: &str) -> Error {
        Error::Install {
            dir: PathBuf::from("/p"),
            installer: "uv".into(),
            detail: detail.into(),
            network: false,
            index: "https://pypi.org/simple".into(),
            file: Some(PathBuf::from("/p/requirements.txt").into()),
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
        let Error::CannotBuild(b) = from_output(&said, install(summary)) else {
            panic!("a build failure");
        };
        assert_eq!(b.package, "box2d-py");
        assert_eq!(b.missing, Some(Missing::Swig));
        assert_eq!(
            b.detail,
            "error: Failed to build `box2d-py==2.3.8`\nerror: command 'swig' failed: No such file or directory"
        );
        // Another failure stays as it was.
        let other = from_output(&["error: No solution found".into()], install("x"));
        assert!(matches!(other, Error::Install { .. }));
    }

    #[test]
    fn pins_blamed_for_a_build_are_the_built_package_only_without_a_missing_tool() {
        let lines: Vec<String> = ["numpy==1.11.0", "six==1.16.0"].map(String::from).into();
        let build = |missing| {
            Error::CannotBuild(Box::new(Unbuildable {
                dir: PathBuf::from("/p"),
                package: "numpy".into(),
                version: Some("1.11.0".into()),
                needed_by: None,
                missing,
                ready_made: None,
                needs_python: None,
                detail: String::new(),
            }))
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
