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
    error: Option<String>,
    #[serde(flatten)]
    rest: serde_json::Value,
}

/// Looks up `(name, spec)` pairs on `index` with `python` (as the backend names it): every
/// one found, or the first error — not on the index, no such version, the index unreachable.
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
    let unreachable = |detail: String| Error::IndexUnreachable {
        index: index.to_string(),
        detail,
    };
    if !out.success() {
        return Err(unreachable(out.stderr_text().trim().to_string()));
    }
    let answers: Vec<Answer> = serde_json::from_slice(&out.stdout)
        .map_err(|e| unreachable(format!("its answer could not be read: {e}")))?;
    let mut found = Vec::new();
    for ((name, spec), answer) in wanted.iter().zip(answers) {
        if let Some(detail) = answer.error {
            return Err(unreachable(detail));
        }
        if answer.found != Some(true) {
            return Err(Error::PackageNotFound {
                name: name.clone(),
                index: index.to_string(),
            });
        }
        let mut rest = answer.rest;
        rest["name"] = answer.name.into();
        let package: OnIndex = serde_json::from_value(rest)
            .map_err(|e| unreachable(format!("its answer could not be read: {e}")))?;
        if package.matches == Some(false) {
            return Err(Error::NoSuchVersion {
                name: package.name,
                spec: spec.clone(),
                latest: package.latest,
            });
        }
        found.push(package);
    }
    Ok(found)
}
