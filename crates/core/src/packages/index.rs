//! Names checked against the package index before anything changes: does it exist, which
//! versions does it have, the latest one and its summary. A small standard-library Python
//! script (`lookup.py`) asks the index — PEP 691 JSON or PEP 503 HTML, the configured index or
//! PyPI — run where the project runs, so it goes through the same network, proxy and
//! certificates as the installs. The index address (it may hold credentials) travels in the
//! environment, never on a command line.

use std::ffi::OsString;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::process;
use crate::project::backend::Backend;

const SCRIPT: &str = include_str!("lookup.py");
/// The request for the script.
use crate::env_vars::DARWINIX_LOOKUP as ASK;
const TIMEOUT: Duration = Duration::from_secs(15);

/// A package as the index has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct OnIndex {
    /// As the index spells it.
    pub name: String,
    pub latest: Option<String>,
    pub summary: Option<String>,
    /// Every version that can be installed, oldest first.
    pub versions: Vec<String>,
    /// Whether a version satisfies the asked-for spec (`None`: no spec, or not known).
    pub matches: Option<bool>,
}

#[derive(Debug, Deserialize)]
struct Answer {
    name: String,
    found: Option<bool>,
    /// The index was not reached.
    error: Option<String>,
    /// It was (or may have been), and the look-up still did not finish.
    failed: Option<String>,
    #[serde(flatten)]
    rest: serde_json::Value,
}

/// Looks up `(name, spec)` pairs on `index` with `python` (as the backend names it): every
/// one found, or the first error — not on the index, no such version, the index unreachable
/// (only when the script could not connect), the look-up failed (anything else).
/// The summary costs one more request per name: only a search shows it.
pub async fn look_up(
    python: &OsString,
    backend: &Backend,
    index: &str,
    wanted: &[(String, String)],
    summary: bool,
) -> Result<Vec<OnIndex>> {
    let ask = serde_json::json!({
        "index": index,
        "timeout": TIMEOUT.as_secs(),
        "summary": summary,
        "names": wanted.iter().map(|(n, s)| serde_json::json!({"name": n, "spec": s})).collect::<Vec<_>>(),
    });
    let mut cmd = process::command(python);
    cmd.args(["-I", "-c", SCRIPT]).env(ASK, ask.to_string());
    process::clean_python_env(&mut cmd);
    let budget = TIMEOUT * (2 * wanted.len() as u32 + 1);
    let out = process::output(backend.finish(cmd)?, budget).await?;
    let failed = |detail: String| Error::IndexLookup {
        index: index.to_string(),
        detail,
    };
    if !out.success() {
        // A traceback's last line names the exception; the lines above it are the script's.
        let stderr = out.stderr_text();
        let last = stderr.lines().rev().find(|l| !l.trim().is_empty());
        return Err(failed(last.unwrap_or("the look-up stopped").trim().into()));
    }
    let answers: Vec<Answer> = serde_json::from_slice(&out.stdout)
        .map_err(|e| failed(format!("its answer could not be read: {e}")))?;
    wanted
        .iter()
        .zip(answers)
        .map(|((name, spec), answer)| package(index, name, spec, answer))
        .collect()
}

/// The package one answer names, or what the answer says went wrong.
fn package(index: &str, name: &str, spec: &str, answer: Answer) -> Result<OnIndex> {
    let failed = |detail: String| Error::IndexLookup {
        index: index.to_string(),
        detail,
    };
    if let Some(detail) = answer.error {
        return Err(Error::IndexUnreachable {
            index: index.to_string(),
            detail,
        });
    }
    if let Some(detail) = answer.failed {
        return Err(failed(detail));
    }
    if answer.found != Some(true) {
        return Err(Error::PackageNotFound {
            name: name.to_string(),
            index: index.to_string(),
        });
    }
    let mut rest = answer.rest;
    rest["name"] = answer.name.into();
    let package: OnIndex = serde_json::from_value(rest)
        .map_err(|e| failed(format!("its answer could not be read: {e}")))?;
    if package.matches == Some(false) {
        return Err(Error::NoSuchVersion {
            name: package.name,
            spec: spec.to_string(),
            latest: package.latest,
        });
    }
    Ok(package)
}

#[cfg(all(test, unix))]
mod tests {
    use std::io::{Read, Write};
    use std::net::TcpListener;

    use super::*;

    async fn asked(index: &str) -> Error {
        asked_for(index, "numpy").await
    }

    async fn asked_for(index: &str, name: &str) -> Error {
        let wanted = [(name.to_string(), String::new())];
        look_up(&"python3".into(), &Backend::Local, index, &wanted, false)
            .await
            .unwrap_err()
    }

    /// The name is a path below the index, whatever it holds: one that looks like an address
    /// does not send the look-up to that host (the search refuses such names first).
    #[tokio::test]
    async fn a_name_never_replaces_the_index_address() {
        let other = TcpListener::bind("127.0.0.1:0").unwrap();
        other.set_nonblocking(true).unwrap();
        let closed = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let name = format!("http://localhost:{}/x", other.local_addr().unwrap().port());
        let err = asked_for(&format!("http://{closed}/simple"), &name).await;
        assert!(matches!(err, Error::IndexUnreachable { .. }), "{err}");
        assert!(
            err.to_string().contains("/simple/http%3A%2F%2Flocalhost"),
            "{err}"
        );
        assert!(
            other.accept().is_err(),
            "the look-up went to the name's host"
        );
    }

    /// `search ñ` once ended in a traceback worded "could not be reached": only a look-up that
    /// could not connect says that now; an index that answered, or a look-up that broke, says
    /// what happened.
    #[tokio::test]
    async fn unreachable_is_said_only_when_nothing_answered() {
        let closed = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let err = asked(&format!("http://{closed}/simple")).await;
        assert!(matches!(err, Error::IndexUnreachable { .. }), "{err}");

        // The address cannot even be sent (the look-up breaks before it connects).
        let err = asked(&format!("http://{closed}/sïmple")).await;
        assert!(matches!(err, Error::IndexLookup { .. }), "{err}");
        assert!(err.to_string().contains("UnicodeEncodeError"), "{err}");

        let busy = TcpListener::bind("127.0.0.1:0").unwrap();
        let at = busy.local_addr().unwrap();
        std::thread::spawn(move || {
            let (mut stream, _) = busy.accept().unwrap();
            let _ = stream.read(&mut [0u8; 4096]);
            let _ = stream.write_all(
                b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
        });
        let err = asked(&format!("http://{at}/simple")).await;
        assert!(matches!(err, Error::IndexLookup { .. }), "{err}");
        assert!(err.to_string().contains("answered 503"), "{err}");
    }
}
