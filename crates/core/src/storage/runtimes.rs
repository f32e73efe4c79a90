//! The shared runtimes (`install::runtime`, `install::kernel_layer`): which versions are in the
//! runtimes folder, which one this Darwinix uses, which ones a running server uses, and
//! removing the others. A runtime of an earlier release is never needed again: projects move to
//! the current one on their next start.

use std::path::{Path, PathBuf};

use super::cleaned::{remove_path, Cleaned, Problem, Removed};
use super::space::{measure_dir, RuntimeKind, RuntimeSpace};
use crate::install::{kernel_layer, runtime};
use crate::jupyter::{procs, Entry};
use crate::paths::AppPaths;
use crate::project::{Layout, Project};

/// A runtime folder found in the runtimes folder.
struct Found {
    name: String,
    path: PathBuf,
    kind: RuntimeKind,
    current: bool,
}

/// The runtime folders (not the lock files beside them), by name.
fn found(paths: &AppPaths) -> Vec<Found> {
    let Ok(entries) = std::fs::read_dir(paths.runtimes()) else {
        return Vec::new();
    };
    let (lab, kernel) = (runtime::version(), kernel_layer::version());
    let mut found: Vec<Found> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            let kind = if name.starts_with("jupyterlab-") {
                RuntimeKind::Jupyterlab
            } else if name.starts_with("ipykernel-") {
                RuntimeKind::Kernel
            } else {
                return None;
            };
            let current = [&lab, &kernel]
                .iter()
                .any(|v| name.starts_with(&format!("{v}-")));
            Some(Found {
                path: e.path(),
                name,
                kind,
                current,
            })
        })
        .collect();
    found.sort_by(|a, b| a.name.cmp(&b.name));
    found
}

/// The folders running servers use: a runtime named on a live process's command line (a
/// server started from it, its bytecode warm-up), and the kernel layer each running server's
/// project links into its `.venv`.
fn in_use(running: &[Entry], candidates: &[Found]) -> Vec<PathBuf> {
    let table = procs::table();
    let lines: Vec<String> = table
        .processes()
        .keys()
        .filter_map(|pid| procs::get(&table, pid.as_u32()))
        .map(|p| p.cmdline)
        .collect();
    let named = |path: &Path| {
        let canonical = dunce::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        [path.to_path_buf(), canonical].iter().any(|p| {
            let text = p.to_string_lossy();
            lines.iter().any(|l| l.contains(text.as_ref()))
        })
    };
    let mut used: Vec<PathBuf> = candidates
        .iter()
        .filter(|f| named(&f.path))
        .map(|f| f.path.clone())
        .collect();
    for entry in running {
        let venv = Project::at(&entry.dir).venv();
        for site in Layout::NATIVE.site_packages(&venv) {
            if let Ok(text) = std::fs::read_to_string(site.join(kernel_layer::PTH)) {
                used.push(PathBuf::from(text.trim()));
            }
        }
    }
    used
}

fn same(a: &Path, b: &Path) -> bool {
    a == b || dunce::canonicalize(a).ok() == dunce::canonicalize(b).ok() && a.exists()
}

/// Every runtime with its size. `running`: the servers that run now.
pub(super) async fn list(paths: &AppPaths, running: &[Entry]) -> Vec<RuntimeSpace> {
    let found = found(paths);
    let used = in_use(running, &found);
    let mut out = Vec::new();
    for f in found {
        let (bytes, problems) = measure_dir(&f.path).await;
        out.push(RuntimeSpace {
            in_use: used.iter().any(|u| same(u, &f.path)),
            name: f.name,
            path: f.path,
            kind: f.kind,
            current: f.current,
            bytes,
            problems,
        });
    }
    out
}

/// Removes every runtime that is neither the current version nor used by a running server,
/// with the lock file beside it. Decided afresh here, whatever the caller saw before.
pub async fn remove_unused_runtimes(paths: &AppPaths) -> Cleaned {
    let running: Vec<Entry> = crate::jupyter::list(paths)
        .await
        .into_iter()
        .map(|(e, _)| e)
        .collect();
    let mut cleaned = Cleaned::default();
    for r in list(paths, &running).await {
        if !r.removable() {
            continue;
        }
        match remove_path(&r.path) {
            Ok(()) => {
                let _ = remove_path(&runtime::beside(&r.path, "lock"));
                let what = match r.kind {
                    RuntimeKind::Jupyterlab => "the JupyterLab runtime",
                    RuntimeKind::Kernel => "the kernel layer",
                };
                cleaned.removed.push(Removed {
                    what: format!("{what} {}", r.name),
                    path: Some(r.path),
                    bytes: r.bytes,
                });
            }
            Err(e) => cleaned.problems.push(Problem::from(&e)),
        }
    }
    cleaned
}

#[cfg(test)]
mod tests {
    use super::*;

    fn make(paths: &AppPaths, name: &str, bytes: usize) -> PathBuf {
        let dir = paths.runtimes().join(name);
        std::fs::create_dir_all(dir.join("lib")).unwrap();
        std::fs::write(dir.join("lib/file"), vec![7u8; bytes]).unwrap();
        dir
    }

    #[tokio::test]
    async fn only_old_versions_that_nothing_runs_are_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(tmp.path());
        let current = make(&paths, &format!("{}-abcd1234", runtime::version()), 50_000);
        let kernel = make(
            &paths,
            &format!("{}-py3.11", kernel_layer::version()),
            9_000,
        );
        let old = make(&paths, "jupyterlab-0000000000-abcd1234", 80_000);
        let old_kernel = make(&paths, "ipykernel-0000000000-py3.11", 20_000);
        std::fs::write(runtime::beside(&old, "lock"), "").unwrap();
        std::fs::write(paths.runtimes().join("notes.txt"), "not a runtime").unwrap();
        let listed = list(&paths, &[]).await;
        let names: Vec<_> = listed
            .iter()
            .map(|r| (r.name.as_str(), r.current))
            .collect();
        assert_eq!(names.len(), 4, "{names:?}");
        assert!(listed.iter().all(|r| !r.in_use));
        let old_bytes = listed.iter().find(|r| r.path == old).unwrap().bytes;
        assert!(old_bytes >= 80_000);
        let cleaned = remove_unused_runtimes(&paths).await;
        assert!(cleaned.problems.is_empty(), "{:?}", cleaned.problems);
        assert_eq!(cleaned.removed.len(), 2, "{:?}", cleaned.removed);
        assert!(cleaned.freed() >= 100_000);
        assert!(!old.exists() && !old_kernel.exists());
        assert!(!runtime::beside(&old, "lock").exists(), "its lock goes too");
        assert!(current.is_dir() && kernel.is_dir());
        assert!(paths.runtimes().join("notes.txt").is_file());
    }

    #[tokio::test]
    async fn a_runtime_a_running_server_links_stays() {
        let tmp = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(tmp.path());
        let old_kernel = make(&paths, "ipykernel-0000000000-py3.11", 1_000);
        let project = tmp.path().join("p");
        let venv = project.join(".venv");
        std::fs::create_dir_all(venv.join("lib/python3.11/site-packages")).unwrap();
        std::fs::create_dir_all(venv.join("Lib/site-packages")).unwrap();
        let site = Layout::NATIVE.site_packages(&venv)[0].clone();
        std::fs::write(
            site.join(kernel_layer::PTH),
            format!("{}\n", old_kernel.display()),
        )
        .unwrap();
        let entry = Entry {
            id: "p".into(),
            dir: project,
            pid: std::process::id(),
            port: 1,
            token: "t".into(),
            started_at: 0,
            runtime_dir: tmp.path().join("rt"),
            log: tmp.path().join("log"),
            guest: None,
            spare: false,
        };
        let listed = list(&paths, &[entry]).await;
        assert!(listed[0].in_use && !listed[0].removable());
    }
}
