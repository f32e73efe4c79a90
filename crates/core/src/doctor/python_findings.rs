//! Findings about Python: none usable, interpreters missing a piece, ones skipped, no uv.

use crate::machine::os::OsInfo;
use crate::python::choice::{self, MIN_PYTHON};
use crate::python::venv_hint::missing_ensurepip_fix;
use crate::python::{Interpreter, Skipped};

use super::report::{Finding, PythonReport, Severity};

pub(super) fn python_findings(os: &OsInfo, python: &PythonReport) -> Vec<Finding> {
    let mut out: Vec<Finding> = no_python(os, python).into_iter().collect();
    // Virtual environments and too-old Pythons are never chosen, so what they lack is moot.
    for i in python
        .interpreters
        .iter()
        .filter(|i| !i.info.is_venv && i.info.minor_version() >= MIN_PYTHON)
    {
        out.extend(missing_piece(i));
        out.extend(externally_managed(i));
    }
    out.extend(python.skipped.iter().map(skipped));
    out.extend(no_uv(python));
    out
}

fn no_python(os: &OsInfo, python: &PythonReport) -> Option<Finding> {
    if python.chosen.is_some() {
        return None;
    }
    let install = match os.family.as_str() {
        "windows" => "install Python 3.12 from python.org (tick \"Add to PATH\")".to_string(),
        "macos" => "install Python 3.12 from python.org or with `brew install python@3.12`".to_string(),
        _ => "install Python with `sudo apt install python3 python3-venv` (or your distribution's equivalent)".to_string(),
    };
    let min = choice::min_python_text();
    let (severity, message) = match &python.uv {
        Some(_) => (
            Severity::Warn,
            format!(
                "No Python {min}+ with the venv module was found; Darwinix will let uv install one"
            ),
        ),
        None => (
            Severity::Error,
            format!("No Python {min}+ with the venv module was found"),
        ),
    };
    Some(Finding::new(severity, "no-python", message, Some(install)))
}

/// No venv module, or a venv module without ensurepip (Debian splits both off).
fn missing_piece(i: &Interpreter) -> Option<Finding> {
    let short = i.info.short_version();
    if !i.info.has_venv {
        let fix = format!("install python{short}-venv, or use another Python");
        Some(Finding::new(
            Severity::Warn,
            "no-venv-module",
            format!("Python {short} at {} has no venv module", i.path.display()),
            Some(fix),
        ))
    } else if !i.info.has_ensurepip {
        let fix = missing_ensurepip_fix(&short, i.info.externally_managed);
        Some(Finding::new(
            Severity::Warn,
            "no-ensurepip",
            format!("Python {short} at {} has no ensurepip", i.path.display()),
            Some(fix),
        ))
    } else {
        None
    }
}

fn externally_managed(i: &Interpreter) -> Option<Finding> {
    if !i.info.externally_managed {
        return None;
    }
    let message = format!(
        "Python {} at {} is managed by the system (PEP 668): Darwinix installs packages only into project environments, never into it",
        i.info.short_version(),
        i.path.display()
    );
    Some(Finding::new(
        Severity::Info,
        "externally-managed",
        message,
        None,
    ))
}

fn skipped(s: &Skipped) -> Finding {
    let message = format!("Skipped {}: {}", s.path.display(), s.why);
    Finding::new(Severity::Info, "skipped-interpreter", message, None)
}

fn no_uv(python: &PythonReport) -> Option<Finding> {
    if python.uv.is_some() {
        return None;
    }
    let fix = "nothing to do: Darwinix fetches uv from PyPI the first time it sets up a project"
        .to_string();
    Some(Finding::new(
        Severity::Info,
        "no-uv",
        "uv (the fast installer) is not installed",
        Some(fix),
    ))
}
