//! Stopping a server and everything it started: the polite `POST /api/shutdown` (kernels
//! cleaned up by Jupyter), then SIGTERM, then SIGKILL for whatever of the tree is left.

use std::time::{Duration, Instant};

use super::verify::{check, forget, list, Check};
use super::waits::HTTP_TIMEOUT;
use crate::error::Result;
use crate::http::local;
use crate::jupyter::in_lab;
use crate::jupyter::procs::{self, Proc};
use crate::jupyter::registry::{Entry, Guest};
use crate::paths::AppPaths;
use crate::project::backend::Wsl;

/// Stops the server of `entry`. An entry that fails verification is only forgotten: a
/// stranger at that pid is never signalled.
pub async fn stop(paths: &AppPaths, entry: &Entry) -> Result<()> {
    // A silent server is still ours (same pid, start time and command line), so it may be
    // signalled.
    let (server, answers) = match check(entry).await {
        Check::Ours(p) => (p, true),
        Check::NotResponding(p) => (p, false),
        Check::Gone => {
            forget(paths, entry);
            return Ok(());
        }
    };
    // Kernels run in their own session: find them now, while their parent links still exist.
    let tree = procs::descendants(&procs::table(), entry.pid);
    let token = Some(entry.token.as_str());
    // Open JupyterLab pages save first: edits made since the last autosave are kept.
    if answers {
        let _ = in_lab::save_all(entry).await;
    }
    let _ = local::status(entry.port, "POST", "/api/shutdown", token, HTTP_TIMEOUT).await;
    // The Linux side of a server in WSL is signalled there; this side only sees wsl.exe.
    let guest = entry
        .guest
        .as_ref()
        .and_then(|g| Some((Wsl::new(&g.distro).ok()?, g)));
    end_server(&server, guest.as_ref()).await;
    for p in tree.iter().filter(|p| procs::is_alive(p)) {
        procs::signal(p, true);
    }
    for p in &tree {
        wait_gone(p, Duration::from_secs(2)).await;
    }
    if let Some((wsl, g)) = &guest {
        if wsl.is_alive(g.pid).await {
            wsl.signal_tree(g.pid, true).await;
        }
        wsl.remove_runtime_dir(&g.runtime_dir).await;
    }
    forget(paths, entry);
    Ok(())
}

/// Gives the server 5 s to end after the shutdown request, then asks again with SIGTERM and
/// finally SIGKILL (both here and, for WSL, inside the distro).
async fn end_server(server: &Proc, guest: Option<&(Wsl, &Guest)>) {
    for (grace, hard) in [(5, None), (3, Some(false)), (2, Some(true))] {
        if let Some(hard) = hard {
            if let Some((wsl, g)) = guest {
                wsl.signal_tree(g.pid, hard).await;
            }
            procs::signal(server, hard);
        }
        if wait_gone(server, Duration::from_secs(grace)).await {
            return;
        }
    }
}

/// Stops every registered server; returns how many were running.
pub async fn stop_all(paths: &AppPaths) -> Result<usize> {
    let running = list(paths).await;
    for (entry, _) in &running {
        stop(paths, entry).await?;
    }
    Ok(running.len())
}

async fn wait_gone(proc: &Proc, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if !procs::is_alive(proc) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    !procs::is_alive(proc)
}
