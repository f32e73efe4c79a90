//! Instant start: while the app is open, the current project's JupyterLab is started ahead of
//! time, so pressing Start Notebook only claims it and opens the browser.
//!
//! Bounded: one such server at a time (starting one stops any other), only for a project whose
//! setup would do nothing (it never installs on its own), never shown until claimed, and
//! stopped when the app quits or the user turns it off. It is a normal server otherwise: token,
//! 127.0.0.1, private runtime folder, in the registry (so `darwinix list` and `stop --all` see
//! it, and a crash of the app leaves nothing unfindable).

use super::registry::Registry;
use super::server::{self, ServerInfo, StartOptions};
use crate::error::Result;
use crate::fs::lock;
use crate::install;
use crate::paths::AppPaths;
use crate::project::Project;
use crate::reporter::Silent;

/// Makes sure `project` has a server ready: starts a spare one when it has none and its
/// environment is up to date. Other projects' spares are stopped first. `None`: nothing was
/// started (one already runs, or setup has work to do).
pub async fn keep_ready(
    paths: &AppPaths,
    project: &Project,
    options: &StartOptions,
) -> Result<Option<ServerInfo>> {
    // One keeper at a time: two quick project switches must not leave two spares.
    let _one = hold_keeper(paths).await?;
    stop_spares(paths, Some(&project.key())).await?;
    if server::find(paths, project).await.is_some()
        || !install::is_up_to_date(paths, project, &options.setup)
    {
        return Ok(None);
    }
    let options = StartOptions {
        open_browser: false,
        spare: true,
        ..options.clone()
    };
    server::start(paths, project, &options, &Silent)
        .await
        .map(|started| Some(started.server))
}

/// The keeper's lock, held while a spare is being started: whoever holds it knows no spare is
/// half-started (Remove Darwinix's data holds it, so a spare starting meanwhile cannot write
/// its registry entry into the folder just removed).
pub async fn hold_keeper(paths: &AppPaths) -> Result<lock::Guard> {
    lock::acquire(&paths.lock("spare.lock"), || {}).await
}

/// Stops every spare server except the one of the project with key `except`; returns how many.
pub async fn stop_spares(paths: &AppPaths, except: Option<&str>) -> Result<usize> {
    let spares: Vec<_> = server::list(paths)
        .await
        .into_iter()
        .filter(|(e, _)| e.spare && Some(e.id.as_str()) != except)
        .collect();
    let mut stopped = 0;
    for (entry, _) in &spares {
        // A Start may be claiming it right now: wait for it, and stop only what is still spare.
        let _claim = lock::acquire(&server::start_lock(paths, &entry.id), || {}).await?;
        if Registry::new(paths).get(&entry.id).is_some_and(|e| e.spare) {
            server::stop(paths, entry).await?;
            stopped += 1;
        }
    }
    Ok(stopped)
}
