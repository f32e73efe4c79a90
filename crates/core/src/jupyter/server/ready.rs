//! When a just-spawned server is ready: one strategy per place it runs. Ready means its runtime
//! file names its port and pid, `/api/status` answers 200 to the token, and a request without
//! the token is refused.

use std::path::Path;
use std::time::{Duration, Instant};

use process_wrap::tokio::ChildWrapper;

use super::waits::HTTP_TIMEOUT;
use crate::http::local;
use crate::project::backend::Wsl;

/// Why a server did not become ready.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum NotReady {
    Died,
    TimedOut,
    /// Answers without the token.
    Unprotected,
    /// Its runtime file says port 0 (jupyter_server 2.0.2–2.19.x asked for port 0: #1650);
    /// waiting longer would not help.
    PortZero {
        version: String,
    },
}

/// Where to learn the server's port and pid.
pub(super) enum Readiness<'a> {
    /// This computer: the `jpserver-<pid>.json` in its private runtime folder.
    Here { runtime_dir: &'a Path },
    /// Inside a WSL distro: its runtime file is read there (one waiting command), then
    /// `/api/status` is polled from here through WSL's localhost forwarding.
    Wsl { wsl: &'a Wsl, runtime_dir: &'a str },
}

impl Readiness<'_> {
    /// `(port, pid)` once ready. In WSL the pid is the distro's, and it is handed to
    /// `guest_pid` as soon as it is known (so a failed start can still end it there).
    pub(super) async fn wait(
        &self,
        child: &mut dyn ChildWrapper,
        token: &str,
        timeout: Duration,
        guest_pid: &mut Option<u32>,
    ) -> Result<(u16, u32), NotReady> {
        let deadline = Instant::now() + timeout;
        let found = match self {
            Readiness::Here { runtime_dir } => {
                // The pid is the one in the file: on Windows `jupyter-lab.exe` is a launcher
                // that starts Python as a child.
                poll_file(child, runtime_dir, deadline).await?
            }
            Readiness::Wsl { wsl, runtime_dir } => {
                let found = tokio::select! {
                    found = wsl.server_file(runtime_dir, timeout) => found.ok(),
                    _ = child.wait() => return Err(NotReady::Died),
                };
                let found = found
                    .and_then(|v| ServerFile::of(&v))
                    .ok_or_else(|| died_or_timed_out(child))?;
                *guest_pid = Some(found.pid);
                found
            }
        };
        let ServerFile { port, pid, version } = found;
        if port == 0 {
            return Err(NotReady::PortZero { version });
        }
        poll_status(child, port, token, deadline).await?;
        // A configuration (~/.jupyter, the venv's etc/jupyter) can switch authentication off;
        // such a server is not started on Darwinix's name.
        if !locked(port).await {
            return Err(NotReady::Unprotected);
        }
        Ok((port, pid))
    }
}

fn died_or_timed_out(child: &mut dyn ChildWrapper) -> NotReady {
    match child.try_wait() {
        Ok(Some(_)) => NotReady::Died,
        _ => NotReady::TimedOut,
    }
}

fn exited(child: &mut dyn ChildWrapper) -> bool {
    matches!(child.try_wait(), Ok(Some(_)))
}

const POLL: Duration = Duration::from_millis(20);

/// Waits for the runtime file (the runtime folder is this server's alone, so one file is ours).
async fn poll_file(
    child: &mut dyn ChildWrapper,
    runtime_dir: &Path,
    deadline: Instant,
) -> Result<ServerFile, NotReady> {
    while Instant::now() < deadline {
        if exited(child) {
            return Err(NotReady::Died);
        }
        if let Some(found) = server_file(runtime_dir) {
            return Ok(found);
        }
        tokio::time::sleep(POLL).await;
    }
    Err(NotReady::TimedOut)
}

async fn poll_status(
    child: &mut dyn ChildWrapper,
    port: u16,
    token: &str,
    deadline: Instant,
) -> Result<(), NotReady> {
    while Instant::now() < deadline {
        if exited(child) {
            return Err(NotReady::Died);
        }
        let answer = local::status(port, "GET", "/api/status", Some(token), HTTP_TIMEOUT);
        if let Ok(200) = answer.await {
            return Ok(());
        }
        tokio::time::sleep(POLL).await;
    }
    Err(NotReady::TimedOut)
}

/// Whether the server refuses a request without the token, as it must.
async fn locked(port: u16) -> bool {
    matches!(
        local::status(port, "GET", "/api/contents", None, HTTP_TIMEOUT).await,
        Ok(401 | 403)
    )
}

/// What a server's `jpserver-<pid>.json` says about it.
#[derive(Debug, PartialEq, Eq)]
struct ServerFile {
    port: u16,
    pid: u32,
    /// jupyter_server's version, to name it when the port is wrong.
    version: String,
}

impl ServerFile {
    fn of(v: &serde_json::Value) -> Option<Self> {
        Some(Self {
            port: u16::try_from(v["port"].as_u64()?).ok()?,
            pid: u32::try_from(v["pid"].as_u64()?).ok()?,
            version: v["version"].as_str().unwrap_or("(unknown)").to_string(),
        })
    }
}

/// The `jpserver-<pid>.json` in `runtime_dir`, once it is complete.
fn server_file(runtime_dir: &Path) -> Option<ServerFile> {
    let file = std::fs::read_dir(runtime_dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.starts_with("jpserver-") && name.ends_with(".json")
        })?;
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(file).ok()?).ok()?;
    ServerFile::of(&v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_runtime_file_names_port_and_pid() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(server_file(dir.path()), None);
        std::fs::write(dir.path().join("jpserver-9.json"), "{ half").unwrap();
        assert_eq!(server_file(dir.path()), None);
        std::fs::write(
            dir.path().join("jpserver-9.json"),
            r#"{"port": 8890, "pid": 9, "token": "x"}"#,
        )
        .unwrap();
        let found = ServerFile {
            port: 8890,
            pid: 9,
            version: "(unknown)".into(),
        };
        assert_eq!(server_file(dir.path()), Some(found));
        // What jupyter_server 2.14.2 wrote here when asked for `--ServerApp.port=0`.
        std::fs::write(
            dir.path().join("jpserver-9.json"),
            r#"{"base_url": "/", "hostname": "127.0.0.1", "pid": 9, "port": 0,
                "url": "http://127.0.0.1:0/", "version": "2.14.2"}"#,
        )
        .unwrap();
        let zero = server_file(dir.path()).unwrap();
        assert_eq!((zero.port, zero.version.as_str()), (0, "2.14.2"));
    }

    /// A server that says port 0 is named at once, not waited for until the timeout.
    #[cfg(unix)]
    #[tokio::test]
    async fn port_0_is_said_at_once() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("jpserver-9.json"),
            r#"{"pid": 9, "port": 0, "version": "2.14.2"}"#,
        )
        .unwrap();
        let mut sleeper = crate::process::command("sleep");
        sleeper.arg("30");
        let log = std::fs::File::create(dir.path().join("log")).unwrap();
        let mut child = crate::process::spawn_detached(sleeper, log).unwrap();
        let here = Readiness::Here {
            runtime_dir: dir.path(),
        };
        let started = Instant::now();
        let said = here
            .wait(child.as_mut(), "t", Duration::from_secs(30), &mut None)
            .await;
        let _ = child.start_kill();
        let version = "2.14.2".to_string();
        assert_eq!(said, Err(NotReady::PortZero { version }));
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}
