//! `uninstall --purge`: everything Darwinix made outside the projects goes — its data, settings
//! and cache folders (runtimes, logs, the servers' registry, the remote agent's key, hub lists),
//! the hub tokens in the system's credential store, the Start at login entry, the SSH socket
//! folder outside its data — after its servers are stopped. What stays is said, with sizes: the
//! projects with their `.venv`s, uv's cache (shared with any uv here), and the agent on remote
//! computers (removing it there needs the network and the user's keys).

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::cleaned::{remove_path, Problem, Removed};
use super::size;
use super::space::{blocking, ProjectSpace};
use super::uv_cache::UvCacheSpace;
use crate::error::Error;
use crate::hub;
use crate::paths::AppPaths;

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct PurgeReport {
    /// Whether it was done; `false`: what it would do.
    pub done: bool,
    /// Servers that were (or would be) stopped first, here and on remote computers.
    pub servers: usize,
    pub removed: Vec<Removed>,
    pub problems: Vec<Problem>,
    pub left: Left,
}

impl PurgeReport {
    pub fn removed_bytes(&self) -> u64 {
        self.removed.iter().map(|r| r.bytes).sum()
    }
}

/// What uninstall leaves, on purpose.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct Left {
    /// The known projects (the user's files), with their `.venv`s.
    pub projects: Vec<ProjectSpace>,
    /// What the `.venv`s take together.
    #[ts(type = "number")]
    pub venvs_bytes: u64,
    pub uv_cache: UvCacheSpace,
    /// Remote computers that may keep Darwinix's agent in `~/.local/share/darwinix`.
    pub remote_hosts: Vec<String>,
}

/// Removes everything Darwinix made outside the projects (`really`), or says what it would.
pub async fn purge(paths: &AppPaths, really: bool) -> PurgeReport {
    run(paths, really, true).await
}

/// [`purge`]; `autostart`: the Start at login entry too (tests leave their user's alone).
async fn run(paths: &AppPaths, really: bool, autostart: bool) -> PurgeReport {
    // A spare server half-started by Instant start would register itself after the folders are
    // gone: wait for it, so it is listed and stopped with the others.
    let keeper = match really {
        true => crate::jupyter::spare::hold_keeper(paths).await.ok(),
        false => None,
    };
    let local = crate::jupyter::list(paths).await;
    let remote = crate::remote::RemoteRegistry::new(paths).all();
    let entries: Vec<_> = local.iter().map(|(e, _)| e.clone()).collect();
    let (projects, uv_cache) = tokio::join!(
        super::projects::list(paths, &entries),
        super::uv_cache::locate(paths)
    );
    let mut report = PurgeReport {
        done: really,
        servers: local.len() + remote.len(),
        removed: Vec::new(),
        problems: Vec::new(),
        left: Left {
            venvs_bytes: projects.iter().map(|p| p.bytes).sum(),
            remote_hosts: remote_hosts(paths, &remote),
            projects,
            uv_cache,
        },
    };
    if really {
        stop_servers(paths, &mut report).await;
    }
    // Let go before the folders go: Windows cannot remove a file that is held open.
    drop(keeper);
    hub_tokens(paths, really, &mut report).await;
    let entry = match (autostart, really) {
        (false, _) => Ok(None),
        (true, true) => super::autostart::remove(),
        (true, false) => Ok(super::autostart::find()),
    };
    match entry {
        Ok(found) => report.removed.extend(found),
        Err(e) => report.problems.push(Problem::from(&e)),
    }
    let mut folders: Vec<PathBuf> = paths.roots().iter().map(|r| r.to_path_buf()).collect();
    folders.extend(crate::remote::connection::outside_socket_dir(paths));
    for folder in folders {
        folder_gone(&folder, really, &mut report).await;
    }
    report
}

async fn stop_servers(paths: &AppPaths, report: &mut PurgeReport) {
    if let Err(e) = crate::jupyter::stop_all(paths).await {
        report.problems.push(Problem::from(&e));
    }
    if let Err(e) = crate::remote::server::stop_all(paths).await {
        report.problems.push(Problem::from(&e));
    }
}

/// The hubs' tokens in the system's credential store (those in Darwinix's file go with its
/// config folder).
async fn hub_tokens(paths: &AppPaths, really: bool, report: &mut PurgeReport) {
    let hubs = match hub::store::load(paths) {
        Ok(hubs) => hubs,
        Err(e) => return report.problems.push(Problem::from(&e)),
    };
    for entry in hubs {
        let storage = entry.storage;
        if storage != hub::credentials::TokenStorage::System {
            continue;
        }
        let forgotten = match really {
            true => hub::credentials::forget(paths, &entry.url, Some(storage)).await,
            false => Ok(()),
        };
        match forgotten {
            Ok(()) => report.removed.push(Removed {
                what: format!("the token for {} in {}", entry.url, storage.describe(paths)),
                path: None,
                bytes: 0,
            }),
            Err(e) => report.problems.push(Problem::from(&e)),
        }
    }
}

/// One of Darwinix's folders, measured and removed — unless a project lives inside it.
async fn folder_gone(folder: &Path, really: bool, report: &mut PurgeReport) {
    if std::fs::symlink_metadata(folder).is_err() {
        return;
    }
    let inside = report
        .left
        .projects
        .iter()
        .find(|p| p.dir.starts_with(folder));
    if let Some(project) = inside {
        report.problems.push(Problem::from(&Error::NotRemovable {
            path: folder.to_path_buf(),
            why: format!("the project {} is inside it", project.dir.display()),
        }));
        return;
    }
    let path = folder.to_path_buf();
    let measured = blocking(move || size::of(&path)).await;
    report
        .problems
        .extend(measured.unreadable.iter().map(Problem::from));
    let gone = match really {
        true => remove_path(folder),
        false => Ok(()),
    };
    match gone {
        Ok(()) => report.removed.push(Removed {
            what: "Darwinix's folder".into(),
            path: Some(folder.to_path_buf()),
            bytes: measured.bytes,
        }),
        Err(e) => report.problems.push(Problem::from(&e)),
    }
}

/// The remote computers Darwinix used (its recent remote projects and remote servers).
fn remote_hosts(paths: &AppPaths, running: &[crate::remote::RemoteEntry]) -> Vec<String> {
    let recent = crate::project::recent::known(paths)
        .into_iter()
        .filter_map(|d| crate::remote::SshAddress::parse(d.to_str()?).ok());
    let mut hosts: Vec<String> = Vec::new();
    for address in recent.chain(running.iter().map(|e| e.address.clone())) {
        let host = address.host_label();
        if !hosts.contains(&host) {
            hosts.push(host);
        }
    }
    hosts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn everything_of_darwinix_goes_and_the_projects_stay() {
        let tmp = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(&tmp.path().join("home"));
        let project = tmp.path().join("p");
        std::fs::create_dir_all(project.join(".venv")).unwrap();
        std::fs::write(project.join(".venv/pyvenv.cfg"), "x").unwrap();
        std::fs::write(project.join("a.ipynb"), "{}").unwrap();
        let project = dunce::canonicalize(&project).unwrap();
        crate::project::recent::touch(&paths, &project).unwrap();
        std::fs::create_dir_all(paths.runtimes().join("jupyterlab-x")).unwrap();
        std::fs::create_dir_all(paths.cache.join("c")).unwrap();
        let preview = run(&paths, false, false).await;
        assert!(!preview.done);
        assert!(
            paths.config.is_dir() && paths.data.is_dir(),
            "a preview removes nothing"
        );
        assert_eq!(preview.left.projects.len(), 1);
        let done = run(&paths, true, false).await;
        assert!(done.problems.is_empty(), "{:?}", done.problems);
        assert_eq!(done.removed.len(), 3, "{:?}", done.removed);
        for root in [&paths.data, &paths.config, &paths.cache] {
            assert!(!root.exists(), "{} is gone", root.display());
        }
        assert!(project.join("a.ipynb").is_file() && project.join(".venv").is_dir());
        assert_eq!(done.left.projects[0].dir, project);
    }

    #[tokio::test]
    async fn a_folder_holding_a_project_is_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(&tmp.path().join("home"));
        let project = paths.data.join("my project");
        std::fs::create_dir_all(&project).unwrap();
        crate::project::recent::touch(&paths, &dunce::canonicalize(&project).unwrap()).unwrap();
        let done = run(&paths, true, false).await;
        assert!(project.is_dir());
        assert_eq!(done.problems.len(), 1, "{:?}", done.problems);
        assert!(done.problems[0].message.contains("is inside it"));
    }
}
