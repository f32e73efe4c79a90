//! Share as a link: a project that is a checkout of a public https repository is shared as the
//! `darwinix://` link that opens it (on its branch); anything else is said why not.

use std::path::Path;

use super::git;
use super::link::{self, Link};
use crate::error::CourseError;
use crate::error::{Error, Result};

/// The `darwinix://` link that opens `dir`'s repository, on the branch it follows.
pub fn darwinix_link(dir: &Path) -> Result<String> {
    let no_link = |why: Option<String>| {
        Error::Course(CourseError::ShareNoLink {
            dir: dir.to_path_buf(),
            why,
        })
    };
    let remote = git::remote_url(dir)
        .ok_or_else(|| no_link(Some("it is not a git checkout with a remote".into())))?;
    let parsed = link::parse(&remote).map_err(|e| match e {
        Error::Course(CourseError::LinkNotUnderstood { why, .. }) => {
            no_link(Some(format!("its git address {why}")))
        }
        other => other,
    })?;
    let Link::Repository { url, .. } = parsed else {
        return Err(no_link(Some("its git address is not a repository".into())));
    };
    Ok(Link::Repository {
        url,
        branch: git::branch(dir),
        path: None,
    }
    .to_darwinix())
}
