//! gix's errors, told as the course-link errors a student can act on. gix nests causes as a
//! tree (and `io::Error` hides its inner error from `source()`), so every cause is visited and
//! the telling ones looked for: the HTTP status reqwest saw, the smart-HTTP content type check,
//! a connection that broke.

use std::error::Error as StdError;
use std::io;

use crate::error::CourseError;
use crate::error::{Error, Result};

/// What went wrong with a download from `url`; `asked_to_sign_in`: the server answered 401
/// (our credentials callback was called: nothing is ever sent, nor any prompt shown).
pub(super) fn download_error(url: &str, err: &gix::Error, asked_to_sign_in: bool) -> Error {
    let url = url.to_string();
    let causes = causes(err);
    if asked_to_sign_in {
        return Error::Course(CourseError::RepositoryNotPublic { url });
    }
    let status = causes.iter().find_map(|e| {
        e.downcast_ref::<reqwest::Error>()
            .and_then(reqwest::Error::status)
    });
    if let Some(status) = status {
        return match status.as_u16() {
            401 | 403 | 404 => Error::Course(CourseError::RepositoryNotPublic { url }),
            _ => Error::Course(CourseError::CloneFailed {
                url,
                why: format!("the server answered {status}"),
            }),
        };
    }
    let said = |text: &str| causes.iter().any(|e| e.to_string().contains(text));
    if said("'smart' protocol") {
        return Error::Course(CourseError::NotARepository {
            url,
            what: "with a web page or a file, not with git's smart HTTP".into(),
        });
    }
    Error::Course(CourseError::CloneFailed {
        url,
        why: network_why(&causes).unwrap_or_else(|| err.probable_cause().to_string()),
    })
}

/// A network failure in words, when it was one.
fn network_why(causes: &[&(dyn StdError + 'static)]) -> Option<String> {
    for cause in causes {
        if let Some(e) = cause.downcast_ref::<reqwest::Error>() {
            if e.is_connect() {
                return Some("the server could not be reached".into());
            }
            if e.is_timeout() {
                return Some("the server stopped answering".into());
            }
        }
        if let Some(e) = cause.downcast_ref::<io::Error>() {
            use io::ErrorKind::*;
            if matches!(
                e.kind(),
                UnexpectedEof | ConnectionReset | ConnectionAborted | BrokenPipe
            ) {
                return Some("the connection broke before the download was complete".into());
            }
        }
    }
    let said = |text: &str| causes.iter().any(|e| e.to_string().contains(text));
    if said("early EOF") || said("unexpected end") || said("closed") {
        return Some("the connection broke before the download was complete".into());
    }
    None
}

/// Every cause under `err`, breadth first, with the inner errors `io::Error` keeps to itself.
fn causes(err: &gix::Error) -> Vec<&(dyn StdError + 'static)> {
    let mut out: Vec<&(dyn StdError + 'static)> = Vec::new();
    let mut todo: Vec<&(dyn StdError + 'static)> = err.iter_errors().collect();
    while let Some(e) = todo.pop() {
        if out.iter().any(|seen| std::ptr::addr_eq(*seen, e)) || out.len() > 200 {
            continue;
        }
        out.push(e);
        if let Some(inner) = e.downcast_ref::<gix::Error>() {
            todo.extend(inner.iter_errors());
        }
        if let Some(inner) = e.downcast_ref::<io::Error>().and_then(io::Error::get_ref) {
            todo.push(inner);
        }
        todo.extend(e.source());
    }
    out
}

/// `told`, or `BranchMissing` when the download failed because the repository has no
/// `branch` (gix says so only in words): `branches` lists what it has.
pub(super) fn or_branch_missing(
    told: Error,
    url: &str,
    branch: &str,
    branches: impl FnOnce() -> Option<Vec<String>>,
) -> Error {
    if !matches!(told, Error::Course(CourseError::CloneFailed { .. })) {
        return told;
    }
    match branches() {
        Some(branches) if !branches.iter().any(|b| b == branch) => {
            Error::Course(CourseError::BranchMissing {
                url: url.to_string(),
                branch: branch.to_string(),
                branches,
            })
        }
        _ => told,
    }
}

/// Only https, or http to this computer (the test server), is ever fetched from: a folder's
/// own git configuration could name a local path or another transport, which run programs.
pub(super) fn check_url(url: &str) -> Result<()> {
    let parsed = gix::url::parse(url).ok();
    let allowed = parsed.is_some_and(|u| match u.scheme {
        gix::url::Scheme::Https => true,
        gix::url::Scheme::Http => u.host_unbracketed().is_some_and(|h| {
            h.eq_ignore_ascii_case("localhost")
                || h.parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback())
        }),
        _ => false,
    });
    if allowed {
        return Ok(());
    }
    Err(Error::Course(CourseError::LinkNotUnderstood {
        link: url.to_string(),
        why: "courses are downloaded over https:// only".into(),
    }))
}

/// A course folder's own git data failed to read or write.
pub(super) fn damaged(dir: &std::path::Path, what: &str, err: impl std::fmt::Display) -> Error {
    Error::Course(CourseError::CourseDamaged {
        dir: dir.to_path_buf(),
        why: format!("{what}: {err}"),
    })
}
