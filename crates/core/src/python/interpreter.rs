//! Asking one interpreter what it is: run the embedded probe, classify whatever comes back.

use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::process::Command;

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::process::{self, Output};

/// The probe, embedded so it can never go missing or be edited by a user.
pub const PROBE_SCRIPT: &str = include_str!("probe.py");

/// How long one interpreter may take to answer before it is called hung.
pub const DEFAULT_PROBE_TIMEOUT: Duration = Duration::from_secs(5);

/// What the probe reports (the JSON object `probe.py` prints).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct ProbeInfo {
    /// `3.11.7`.
    pub version: String,
    /// `final`, `candidate`, `beta`, `alpha`.
    pub release_level: String,
    /// `cpython`, `pypy`, …
    pub implementation: String,
    /// `platform.machine()`: `x86_64`, `arm64`, `AMD64`, …
    pub arch: String,
    pub pointer_bits: u8,
    pub executable: PathBuf,
    pub prefix: PathBuf,
    pub base_prefix: PathBuf,
    pub is_venv: bool,
    pub has_venv: bool,
    pub has_ensurepip: bool,
    pub has_pip: bool,
    /// PEP 668: the system package manager owns this Python's site-packages.
    pub externally_managed: bool,
    /// Files and folders the answers were read from; the cache re-probes when one changes.
    #[serde(default)]
    pub depends_on: Vec<PathBuf>,
}

impl ProbeInfo {
    /// `(major, minor)`; `(0, 0)` if the version does not parse.
    pub fn minor_version(&self) -> (u32, u32) {
        let mut parts = self.version.split('.').map(|p| p.parse().unwrap_or(0));
        (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
    }
    /// `3.11`.
    pub fn short_version(&self) -> String {
        minor_version_text(self.minor_version())
    }
}

/// `3.11`: the one way a `(major, minor)` pair is written, so that `MIN_PYTHON` in a message
/// reads like the versions of the interpreters it is compared with.
pub fn minor_version_text((major, minor): (u32, u32)) -> String {
    format!("{major}.{minor}")
}

/// Why a candidate is not usable. Data, not an error: discovery reports it and moves on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProbeFailure {
    /// The Windows Store placeholder that only offers to install Python.
    WindowsStoreStub,
    /// Not run on purpose (e.g. macOS `/usr/bin/python3` without the Command Line Tools, which
    /// would pop up an install dialog).
    Untrusted { reason: String },
    /// Python 2 (or a Python 3 older than 3.4) rejects `-I`.
    TooOld { said: String },
    /// Ran, but what it printed is not our probe's answer: not a Python at all.
    NotPython { code: Option<i32>, said: String },
    /// The probe itself raised inside Python.
    ProbeError { message: String },
    /// Did not answer in time (hung on a network mount, waiting for input, …).
    Timeout {
        #[ts(type = "number")]
        millis: u64,
    },
    /// Could not be started at all.
    Unrunnable { message: String },
}

impl ProbeFailure {
    /// A plain sentence for the doctor report.
    pub fn describe(&self) -> String {
        match self {
            ProbeFailure::WindowsStoreStub => {
                "the Windows Store placeholder, not a real Python".into()
            }
            ProbeFailure::Untrusted { reason } => reason.clone(),
            ProbeFailure::TooOld { said } => format!("too old (Python 2?): it said {said:?}"),
            ProbeFailure::NotPython { code, said } => match code {
                Some(c) => format!("not a working Python: exit code {c}, printed {said:?}"),
                None => format!("not a working Python: killed by a signal, printed {said:?}"),
            },
            ProbeFailure::ProbeError { message } => {
                format!("its standard library is broken: {message}")
            }
            ProbeFailure::Timeout { millis } => {
                format!("did not answer within {:.1} s", *millis as f64 / 1000.0)
            }
            ProbeFailure::Unrunnable { message } => format!("could not be run: {message}"),
        }
    }

    /// Worth caching: the same file will fail the same way. A timeout may be a slow disk.
    pub fn is_stable(&self) -> bool {
        !matches!(
            self,
            ProbeFailure::Timeout { .. } | ProbeFailure::Unrunnable { .. }
        )
    }
}

/// Runs the probe with `python -I -B` (isolated: no user site, no PYTHON* variables, no .pyc).
pub async fn probe(python: &Path, timeout: Duration) -> Result<ProbeInfo, ProbeFailure> {
    let mut cmd = process::command(python);
    cmd.args(["-I", "-B", "-c", PROBE_SCRIPT]);
    probe_command(cmd, timeout).await
}

/// Runs an already-built probe command (`python -I -B -c PROBE_SCRIPT`, maybe wrapped to run
/// elsewhere, as in a WSL distro) and classifies its answer.
pub async fn probe_command(cmd: Command, timeout: Duration) -> Result<ProbeInfo, ProbeFailure> {
    match process::output(cmd, timeout).await {
        Ok(out) => classify(&out),
        Err(Error::Timeout { after, .. }) => Err(ProbeFailure::Timeout {
            millis: u64::try_from(after.as_millis()).unwrap_or(u64::MAX),
        }),
        Err(e) => Err(ProbeFailure::Unrunnable {
            message: e.to_string(),
        }),
    }
}

#[derive(Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
enum Answer {
    Success(ProbeInfo),
    Error { kind: String, message: String },
}

/// Turns a finished probe run into an answer. Pure, so every odd interpreter can be a fixture.
pub fn classify(out: &Output) -> Result<ProbeInfo, ProbeFailure> {
    let stdout = out.stdout_text();
    let stderr = out.stderr_text();
    // The answer is the last line; anything a sitecustomize printed before it is ignored.
    let answer = stdout
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with('{'));
    if let Some(answer) = answer.and_then(|l| serde_json::from_str::<Answer>(l).ok()) {
        return match answer {
            Answer::Success(info) => Ok(info),
            Answer::Error { kind, message } => Err(ProbeFailure::ProbeError {
                message: format!("{kind}: {message}"),
            }),
        };
    }
    let all = format!("{stdout}{stderr}");
    if out.code == Some(9009) || all.contains("Microsoft Store") {
        return Err(ProbeFailure::WindowsStoreStub);
    }
    if all.contains("Unknown option: -I") || all.contains("Unknown option: -B") {
        return Err(ProbeFailure::TooOld {
            said: first_line(&all),
        });
    }
    Err(ProbeFailure::NotPython {
        code: out.code,
        said: first_line(&all),
    })
}

fn first_line(text: &str) -> String {
    let line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    let mut short: String = line.chars().take(100).collect();
    if short.len() < line.len() {
        short.push('…');
    }
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out(code: i32, stdout: &str, stderr: &str) -> Output {
        Output {
            code: Some(code),
            stdout: stdout.into(),
            stderr: stderr.into(),
        }
    }

    const DEBIAN: &str = r#"{"result": "success", "version": "3.11.2", "release_level": "final", "implementation": "cpython", "arch": "x86_64", "pointer_bits": 64, "executable": "/usr/bin/python3", "prefix": "/usr", "base_prefix": "/usr", "is_venv": false, "has_venv": true, "has_ensurepip": false, "has_pip": false, "externally_managed": true}"#;

    #[test]
    fn success_even_after_noise() {
        let info = classify(&out(
            0,
            &format!("hello from sitecustomize\n{DEBIAN}\n"),
            "",
        ))
        .unwrap();
        assert_eq!(info.version, "3.11.2");
        assert_eq!(info.short_version(), "3.11");
        assert!(info.externally_managed);
        assert!(!info.has_ensurepip);
    }

    #[test]
    fn store_stub() {
        let said = "Python was not found; run without arguments to install from the Microsoft Store, or disable this shortcut from Settings > Manage App Execution Aliases.\r\n";
        assert_eq!(
            classify(&out(9009, "", said)),
            Err(ProbeFailure::WindowsStoreStub)
        );
    }

    #[test]
    fn python2_rejects_dash_i() {
        let said = "Unknown option: -I\nusage: /usr/bin/python2 [option] ... [-c cmd | -m mod | file | -] [arg] ...\nTry `python -h' for more information.\n";
        let Err(ProbeFailure::TooOld { said }) = classify(&out(2, "", said)) else {
            panic!()
        };
        assert_eq!(said, "Unknown option: -I");
    }

    #[test]
    fn garbage_is_not_python() {
        let failure = classify(&out(0, "hello, I am definitely python\n", "")).unwrap_err();
        assert!(matches!(
            failure,
            ProbeFailure::NotPython { code: Some(0), .. }
        ));
        assert!(failure.describe().contains("definitely python"));
        // A JSON object that is not the probe's answer is garbage too.
        assert!(matches!(
            classify(&out(0, "{\"x\": 1}\n", "")),
            Err(ProbeFailure::NotPython { .. })
        ));
    }

    #[test]
    fn probe_error_is_reported() {
        let said =
            r#"{"result": "error", "kind": "ImportError", "message": "no module named json"}"#;
        let failure = classify(&out(0, said, "")).unwrap_err();
        assert_eq!(
            failure,
            ProbeFailure::ProbeError {
                message: "ImportError: no module named json".into()
            }
        );
        assert!(failure.is_stable());
        assert!(!ProbeFailure::Timeout { millis: 1000 }.is_stable());
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn hanging_interpreter_times_out() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let fake = dir.path().join("python3");
        std::fs::write(&fake, "#!/bin/sh\nsleep 60\n").unwrap();
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
        let started = std::time::Instant::now();
        let failure = probe(&fake, Duration::from_millis(300)).await.unwrap_err();
        assert!(
            matches!(failure, ProbeFailure::Timeout { .. }),
            "{failure:?}"
        );
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}
