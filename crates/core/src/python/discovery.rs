//! Finding every Python on the machine and asking each what it is.
//!
//! Candidates (`SearchPlan`) come from PATH (pyenv's shims replaced by the versions they stand for), pyenv,
//! Homebrew, Nix profiles, uv-managed Pythons and, on Windows, the PEP 514 registry. Each one is
//! probed in parallel (or answered from the cache); a bad one is recorded as skipped, never fatal.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

use super::cache::{Fingerprint, ProbeCache, Probed};
use super::interpreter::{probe, ProbeFailure, ProbeInfo};
pub use super::search_plan::{Candidate, SearchPlan, Source};

/// A working interpreter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Interpreter {
    pub path: PathBuf,
    pub source: Source,
    #[serde(flatten)]
    pub info: ProbeInfo,
}

/// A candidate that is not usable, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Skipped {
    pub path: PathBuf,
    pub source: Source,
    pub reason: ProbeFailure,
    /// `reason` in words.
    pub why: String,
}

impl Skipped {
    fn new(path: PathBuf, source: Source, reason: ProbeFailure) -> Self {
        Self {
            why: reason.describe(),
            path,
            source,
            reason,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Discovery {
    pub interpreters: Vec<Interpreter>,
    pub skipped: Vec<Skipped>,
}

/// Probes every candidate (at most `parallel_probes()` at a time), using and filling `cache`.
pub async fn discover(plan: &SearchPlan, cache: &mut ProbeCache, timeout: Duration) -> Discovery {
    let candidates = plan.candidates();
    let clt = command_line_tools_if_asked(&candidates).await;
    let answers = answer_all(&candidates, cache, timeout, clt).await;
    sort_answers(candidates, answers)
}

/// Checking for the Command Line Tools runs a program, so it is done only where its answer
/// matters: on macOS, with Apple's `python3` among the candidates.
async fn command_line_tools_if_asked(candidates: &[Candidate]) -> bool {
    if cfg!(target_os = "macos") && candidates.iter().any(|c| is_macos_system_python(&c.path)) {
        macos_command_line_tools_installed().await
    } else {
        true
    }
}

/// Each candidate's answer, in candidate order: skipped unrun, from the cache, or probed.
/// `None` where a probe task panicked.
async fn answer_all(
    candidates: &[Candidate],
    cache: &mut ProbeCache,
    timeout: Duration,
    clt: bool,
) -> Vec<Option<Probed>> {
    let limit = Arc::new(tokio::sync::Semaphore::new(parallel_probes()));
    let mut tasks = tokio::task::JoinSet::new();
    let mut answers: Vec<Option<Probed>> = vec![None; candidates.len()];
    for (i, candidate) in candidates.iter().enumerate() {
        if let Some(failure) = pre_probe_skip(&candidate.path, std::env::consts::OS, clt) {
            answers[i] = Some(Probed::Failed(failure));
            continue;
        }
        let fingerprint = Fingerprint::of(&candidate.path);
        if let Some(hit) = fingerprint
            .as_ref()
            .and_then(|f| cache.get(&candidate.path, f))
        {
            answers[i] = Some(hit.clone());
            continue;
        }
        let (path, limit) = (candidate.path.clone(), limit.clone());
        tasks.spawn(async move {
            let _permit = limit.acquire_owned().await;
            (i, fingerprint, probe_once(&path, timeout).await)
        });
    }
    while let Some(joined) = tasks.join_next().await {
        let Ok((i, fingerprint, probed)) = joined else {
            continue;
        };
        let stable = !matches!(&probed, Probed::Failed(f) if !f.is_stable());
        if let (Some(fp), true) = (fingerprint, stable) {
            cache.put(&candidates[i].path, fp, probed.clone());
        }
        answers[i] = Some(probed);
    }
    answers
}

/// Probes mostly wait on other processes, so twice the cores keeps the machine busy.
fn parallel_probes() -> usize {
    std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .max(2)
        * 2
}

async fn probe_once(path: &Path, timeout: Duration) -> Probed {
    match probe(path, timeout).await {
        Ok(info) => Probed::Ok(info),
        Err(failure) => Probed::Failed(failure),
    }
}

/// Working interpreters and skipped candidates, each list in candidate order.
fn sort_answers(candidates: Vec<Candidate>, answers: Vec<Option<Probed>>) -> Discovery {
    let mut found = Discovery::default();
    for (candidate, answer) in candidates.into_iter().zip(answers) {
        let Candidate { path, source } = candidate;
        match answer {
            Some(Probed::Ok(info)) => found.interpreters.push(Interpreter { path, source, info }),
            Some(Probed::Failed(reason)) => found.skipped.push(Skipped::new(path, source, reason)),
            // A probe task panicked: report it rather than dropping the candidate silently.
            None => {
                let reason = ProbeFailure::Unrunnable {
                    message: "the probe crashed".into(),
                };
                found.skipped.push(Skipped::new(path, source, reason));
            }
        }
    }
    found
}

/// Candidates never run: the Windows Store placeholder (it opens the Store, or prints an install
/// hint and exits 9009) and macOS's `/usr/bin/python3` when the Command Line Tools are missing
/// (running it pops up an install dialog). Pure: `os` and `clt_installed` come from the caller.
pub fn pre_probe_skip(path: &Path, os: &str, clt_installed: bool) -> Option<ProbeFailure> {
    let text = path.to_string_lossy();
    let mut parts = text.rsplit(['/', '\\']);
    let file = parts.next().unwrap_or("").to_ascii_lowercase();
    let parent = parts.next().unwrap_or("").to_ascii_lowercase();
    if os == "windows" && parent == "windowsapps" && (file == "python.exe" || file == "python3.exe")
    {
        return Some(ProbeFailure::WindowsStoreStub);
    }
    if os == "macos" && is_macos_system_python(path) && !clt_installed {
        return Some(ProbeFailure::Untrusted {
            reason: "Apple's placeholder: running it would ask to install the Command Line Tools"
                .into(),
        });
    }
    None
}

/// Apple's `/usr/bin/python3`, reached directly or through a link elsewhere on PATH.
fn is_macos_system_python(path: &Path) -> bool {
    let stubs = [Path::new("/usr/bin/python3"), Path::new("/usr/bin/python")];
    stubs.contains(&path) || dunce::canonicalize(path).is_ok_and(|p| stubs.contains(&p.as_path()))
}

/// `xcode-select -p` keeps succeeding after the tools folder is deleted, so the folder it
/// names must also hold a real `python3`.
async fn macos_command_line_tools_installed() -> bool {
    let mut cmd = crate::process::command("/usr/bin/xcode-select");
    cmd.arg("-p");
    match crate::process::output(cmd, Duration::from_secs(5)).await {
        Ok(out) if out.success() => {
            let dir = PathBuf::from(out.stdout_text().trim());
            dir.join("usr/bin/python3").is_file()
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_stub_is_never_run() {
        let placeholder = Path::new(r"C:\Users\ann\AppData\Local\Microsoft\WindowsApps\python.exe");
        assert_eq!(
            pre_probe_skip(placeholder, "windows", true),
            Some(ProbeFailure::WindowsStoreStub)
        );
        let placeholder3 =
            Path::new(r"C:\Users\ann\AppData\Local\Microsoft\WindowsApps\python3.exe");
        assert_eq!(
            pre_probe_skip(placeholder3, "windows", true),
            Some(ProbeFailure::WindowsStoreStub)
        );
        // The Store's real, versioned alias lives in a package folder and is allowed.
        let real = Path::new(
            r"C:\Users\ann\AppData\Local\Microsoft\WindowsApps\PythonSoftwareFoundation.Python.3.12_qbz5n2kfra8p0\python.exe",
        );
        assert_eq!(pre_probe_skip(real, "windows", true), None);
        assert_eq!(
            pre_probe_skip(Path::new(r"C:\Python312\python.exe"), "windows", true),
            None
        );
    }

    #[test]
    fn macos_system_python_needs_command_line_tools() {
        let p = Path::new("/usr/bin/python3");
        assert!(matches!(
            pre_probe_skip(p, "macos", false),
            Some(ProbeFailure::Untrusted { .. })
        ));
        assert_eq!(pre_probe_skip(p, "macos", true), None);
        assert_eq!(pre_probe_skip(p, "linux", false), None);
        assert_eq!(
            pre_probe_skip(Path::new("/opt/homebrew/bin/python3"), "macos", false),
            None
        );
    }
}
