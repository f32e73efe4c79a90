//! A full disk, said as such: where, how much is free, how much more the install needed — and
//! what the failed install added taken out again, so the disk is not left full.

use std::collections::BTreeSet;
use std::path::Path;

use super::log::SetupLog;
use super::tool::Tool;
use super::uv;
use crate::error::Error;
use crate::process;
use crate::project::backend::Backend;
use crate::project::Layout;

/// An installer line that means the disk filled up (Linux and macOS; Windows' own words).
pub fn is_disk_full(line: &str) -> bool {
    line.contains("No space left on device")
        || line.contains("os error 28")
        || line.contains("There is not enough space on the disk")
        || line.contains("os error 112")
}

/// Free bytes on the disk that holds `path` (the nearest folder of it that exists).
pub fn free_bytes(path: &Path) -> Option<u64> {
    let existing = crate::paths::nearest_existing(path)?;
    free_on(existing)
}

// statvfs sees every mount (sysinfo's list leaves out tmpfs and other virtual filesystems).
#[cfg(unix)]
fn free_on(path: &Path) -> Option<u64> {
    let stat = rustix::fs::statvfs(path).ok()?;
    Some(stat.f_bavail.saturating_mul(stat.f_frsize))
}

// Windows: sysinfo's disk list knows every volume.
#[cfg(not(unix))]
fn free_on(path: &Path) -> Option<u64> {
    crate::machine::resources::disk_for(path).map(|d| d.available_bytes)
}

/// Bytes in `dir` (files counted once, links not followed).
pub fn size_of(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.file_type() {
            Ok(t) if t.is_dir() => size_of(&e.path()),
            Ok(t) if t.is_file() => e.metadata().map_or(0, |m| m.len()),
            _ => 0,
        })
        .sum()
}

/// The `*.dist-info` folders of an environment: what is installed.
pub fn installed(venv: &Path, layout: Layout) -> BTreeSet<String> {
    layout
        .site_packages(venv)
        .iter()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flat_map(|entries| entries.flatten())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".dist-info"))
        .collect()
}

/// The error for a disk that filled up while an install wrote `written` bytes into `dir`
/// (measured before they were taken out again). What it needs in all is not known in advance:
/// twice what it wrote before the disk filled is the estimate (at least 100 MB).
pub fn full(dir: &Path, written: u64) -> Error {
    full_needing(dir, written.saturating_mul(2).max(100 << 20))
}

/// The same, when the size is known (the shared runtime, the kernel).
pub fn full_needing(dir: &Path, needed: u64) -> Error {
    Error::DiskFull {
        path: dir.to_path_buf(),
        free: free_bytes(dir).unwrap_or(0),
        needed,
    }
}

/// Takes out what a failed install added to an environment that was there before (`before`: its
/// packages then), and uv's unreachable cache objects; the environment works as it did.
pub(super) async fn take_out(
    venv: &Path,
    before: &BTreeSet<String>,
    backend: &Backend,
    tool: &Tool,
    log: &mut SetupLog,
) {
    let layout = backend.layout();
    let added: Vec<String> = installed(venv, layout)
        .difference(before)
        .filter_map(|d| d.strip_suffix(".dist-info")?.rsplit_once('-'))
        .map(|(name, _)| name.to_string())
        .collect();
    let Ok(python) = backend.path(&layout.python(venv)) else {
        return;
    };
    let mut commands = Vec::new();
    if !added.is_empty() {
        let mut cmd = match tool {
            Tool::Uv(uv) => {
                let mut c = process::command(uv);
                c.args(["pip", "uninstall", "--python"]).arg(&python);
                c
            }
            Tool::Pip => {
                let mut c = process::command(&python);
                c.args(["-m", "pip", "uninstall", "-y"]);
                c
            }
        };
        cmd.args(&added);
        commands.push(cmd);
    }
    if let Tool::Uv(uv_path) = tool {
        let mut prune = process::command(uv_path);
        prune.args(["cache", "prune"]);
        commands.push(prune);
    }
    for cmd in commands {
        if let Ok(cmd) = backend.finish(cmd) {
            let _ = uv::run(cmd, log).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_of_a_full_disk() {
        assert!(is_disk_full(
            "error: Failed to write to `/x/numpy/core.so`: No space left on device (os error 28)"
        ));
        assert!(is_disk_full("ERROR: Could not install packages due to an OSError: [Errno 28] No space left on device"));
        assert!(!is_disk_full("error: Failed to fetch: connection refused"));
    }

    #[test]
    fn free_space_is_known_for_a_folder_not_made_yet() {
        let dir = tempfile::tempdir().unwrap();
        assert!(free_bytes(&dir.path().join("not/yet")).unwrap() > 0);
    }

    #[test]
    fn sizes_and_packages_of_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("lib/python3.11/site-packages");
        std::fs::create_dir_all(site.join("six-1.17.0.dist-info")).unwrap();
        std::fs::write(site.join("six.py"), vec![0u8; 1000]).unwrap();
        assert_eq!(size_of(dir.path()), 1000);
        assert_eq!(
            installed(dir.path(), Layout::Posix)
                .into_iter()
                .collect::<Vec<_>>(),
            ["six-1.17.0.dist-info"]
        );
    }
}
