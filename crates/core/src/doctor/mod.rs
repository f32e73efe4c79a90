//! `darwinix doctor`: everything we know about this computer, and what is missing for notebooks,
//! each problem as a one-line finding with its fix.

mod facts;
mod findings;
mod python_findings;
mod report;
#[cfg(test)]
mod tests;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::machine::os;
use crate::machine::shell_env;
use crate::paths::AppPaths;
use crate::python::choice;
use crate::python::{Discovery, SearchPlan};

pub use findings::findings;
pub use report::{Chosen, Finding, PythonReport, Report, Severity};

#[derive(Debug, Clone)]
pub struct DoctorOptions {
    pub paths: AppPaths,
    pub probe_timeout: Duration,
}

/// Examines the machine. Never fails: whatever cannot be found is reported as missing.
pub async fn run(options: &DoctorOptions) -> Report {
    let started = Instant::now();
    let path = shell_env::repaired_path().await;
    let plan = SearchPlan::from_env(&path);
    let os = os::detect();
    let facts = facts::gather(options, &plan, &os, &path).await;
    let uv = crate::install::uv::find(&options.paths, &plan);
    let python = python_report(facts.discovery, uv);
    let (ready, ready_reason) = readiness(&python);
    let mut findings = findings(
        &os,
        &facts.resources,
        &facts.nix,
        facts.wsl.as_ref(),
        &python,
        &facts.gpu,
    );
    findings.extend(facts.cache_error.map(cache_finding));
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    Report {
        darwinix_version: crate::version::VERSION,
        os,
        resources: facts.resources,
        nix: facts.nix,
        wsl: facts.wsl,
        python,
        gpu: facts.gpu,
        findings,
        ready,
        ready_reason,
        elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    }
}

fn python_report(discovery: Discovery, uv: Option<PathBuf>) -> PythonReport {
    let chosen = choice::choose(&discovery.interpreters).map(|c| {
        let i = &discovery.interpreters[c.index];
        Chosen {
            path: i.path.clone(),
            version: i.info.version.clone(),
            reason: c.reason,
        }
    });
    PythonReport {
        interpreters: discovery.interpreters,
        skipped: discovery.skipped,
        chosen,
        uv,
    }
}

fn cache_finding(e: crate::Error) -> Finding {
    // The interpreter cache's own file: a file error, whose hint is the files family's.
    let fix = crate::paths::hint(&e);
    Finding::new(
        Severity::Info,
        "cache-unwritable",
        format!("{e}: every check will probe again"),
        fix,
    )
}

fn readiness(python: &PythonReport) -> (bool, String) {
    if let Some(c) = &python.chosen {
        return (
            true,
            format!(
                "Darwinix will use Python {} at {}",
                c.version,
                c.path.display()
            ),
        );
    }
    if let Some(uv) = &python.uv {
        return (
            true,
            format!(
                "no usable Python was found, but uv ({}) can install one",
                uv.display()
            ),
        );
    }
    (
        false,
        format!(
            "no Python {} or newer with the venv module was found, and no uv to install one",
            choice::min_python_text()
        ),
    )
}
