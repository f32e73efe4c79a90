//! Fetching the teacher's newest commit of the followed branch into the course's own git data.
//! Only objects and the remote-tracking branch change: the student's files are untouched until
//! the whole pack is in, so a fetch that breaks off changes nothing they can see.

use std::num::NonZeroU32;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use gix::ObjectId;

use super::clone::{list_branches, no_credentials};
use super::errors::{check_url, damaged, download_error, or_branch_missing};
use super::progress::watch;
use super::Progress;
use crate::error::CourseError;
use crate::error::{Error, Result};

/// The commit `branch` of `url` is at now, fetched (depth 1) into `repo`.
pub(super) fn newest(
    repo: &gix::Repository,
    dir: &Path,
    url: &str,
    branch: &str,
    on_progress: &(dyn Fn(Progress) + Sync),
) -> Result<ObjectId> {
    check_url(url)?;
    crate::http::install_tls();
    let wanted = format!("refs/heads/{branch}");
    let asked = Arc::new(AtomicBool::new(false));
    let (fetched, _) = watch(None, on_progress, |tracker, interrupt| {
        let mut remote = repo
            .find_remote("origin")?
            .with_fetch_tags(gix::remote::fetch::Tags::None);
        // Exactly the followed branch, whatever the folder's configuration says, and into no
        // local ref: the remote-tracking branch is the base of the next update, so it moves
        // only once this update's files are all written.
        remote.replace_refspecs(Some(wanted.as_str()), gix::remote::Direction::Fetch)?;
        let mut connection = remote.connect(gix::remote::Direction::Fetch)?;
        connection.set_credentials(no_credentials(asked.clone()));
        let outcome = connection
            .prepare_fetch(tracker.clone(), Default::default())?
            .with_shallow(gix::remote::fetch::Shallow::DepthAtRemote(NonZeroU32::MIN))
            .receive(tracker, interrupt)?;
        Ok::<_, gix::Error>(outcome.ref_map.mappings.iter().find_map(|m| {
            (m.remote.as_name()? == wanted.as_str())
                .then(|| m.remote.as_id().map(ToOwned::to_owned))?
        }))
    });
    let newest = fetched.map_err(|err| {
        let told = download_error(url, &err, asked.load(Ordering::Acquire));
        or_branch_missing(told, url, branch, || list_branches(repo, url))
    })?;
    match newest {
        Some(id) => {
            repo.find_commit(id)
                .map_err(|e| damaged(dir, "the teacher's newest version did not arrive", e))?;
            Ok(id)
        }
        None => Err(Error::Course(CourseError::BranchMissing {
            url: url.to_string(),
            branch: branch.to_string(),
            branches: list_branches(repo, url).unwrap_or_default(),
        })),
    }
}
