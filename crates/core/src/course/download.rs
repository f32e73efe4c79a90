//! A notebook link: the one file downloaded into a new folder of its own. Redirects are
//! followed only to https (or to this computer), the size is capped, and what arrives must be a
//! notebook before anything is written; the folder appears whole or not at all.

use std::path::Path;
use std::time::Duration;

use reqwest::{redirect, Url};

use crate::error::CourseError;
use crate::error::{Error, Result};

/// A notebook bigger than this is not a lesson but a dataset in disguise.
const MAX_BYTES: u64 = 200 << 20;
const TIMEOUT: Duration = Duration::from_secs(120);

/// Downloads `url` into `dir/name`; `dir` does not exist yet.
pub(super) async fn notebook(url: &str, dir: &Path, name: &str) -> Result<()> {
    let failed = |why: String| {
        Error::Course(CourseError::NotebookDownload {
            url: url.to_string(),
            why,
        })
    };
    let bytes = fetch(url).await.map_err(failed)?;
    let parsed: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|_| failed("what arrived is not a notebook (not JSON)".into()))?;
    if !parsed.get("cells").is_some_and(serde_json::Value::is_array) {
        return Err(failed(
            "what arrived is not a notebook (it has no cells)".into(),
        ));
    }
    let parent = dir.parent().unwrap_or(dir);
    let partial = parent.join(format!(
        ".{}.darwinix-partial-{}",
        name.trim_end_matches(".ipynb"),
        std::process::id()
    ));
    let written = std::fs::create_dir(&partial)
        .map_err(|source| Error::CreateDir {
            path: partial.clone(),
            source,
        })
        .and_then(|()| {
            let file = partial.join(name);
            std::fs::write(&file, &bytes).map_err(|source| Error::WriteFile { path: file, source })
        })
        .and_then(|()| {
            std::fs::rename(&partial, dir).map_err(|source| Error::WriteFile {
                path: dir.to_path_buf(),
                source,
            })
        });
    if written.is_err() {
        let _ = std::fs::remove_dir_all(&partial);
    }
    written
}

/// The body, or why not in words.
async fn fetch(url: &str) -> std::result::Result<Vec<u8>, String> {
    let parsed = Url::parse(url).map_err(|e| e.to_string())?;
    let client = client(&parsed).map_err(|e| crate::http::describe(&e, TIMEOUT))?;
    let mut response = client
        .get(parsed)
        .timeout(TIMEOUT)
        .send()
        .await
        .map_err(|e| crate::http::describe(&e, TIMEOUT))?;
    let status = response.status();
    if !status.is_success() {
        return Err(match status.as_u16() {
            401 | 403 | 404 => {
                format!("the server answered {status}: it is private or does not exist")
            }
            _ => format!("the server answered {status}"),
        });
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| crate::http::describe(&e, TIMEOUT))?
    {
        body.extend_from_slice(&chunk);
        if body.len() as u64 > MAX_BYTES {
            return Err(format!(
                "it is bigger than {}",
                crate::format::human_bytes(MAX_BYTES)
            ));
        }
    }
    Ok(body)
}

/// Follows a few redirects (raw files are often served from elsewhere), never to plain http
/// on another computer.
fn client(url: &Url) -> reqwest::Result<reqwest::Client> {
    crate::http::install_tls();
    let policy = redirect::Policy::custom(|attempt| {
        let safe = attempt.url().scheme() == "https" || crate::http::is_loopback(attempt.url());
        if attempt.previous().len() >= 5 || !safe {
            attempt.stop()
        } else {
            attempt.follow()
        }
    });
    let builder = reqwest::Client::builder()
        .connect_timeout(crate::http::CONNECT_TIMEOUT)
        .redirect(policy)
        .user_agent(concat!("darwinix/", env!("CARGO_PKG_VERSION")));
    if crate::http::is_loopback(url) {
        builder.no_proxy().build()
    } else {
        builder.build()
    }
}
