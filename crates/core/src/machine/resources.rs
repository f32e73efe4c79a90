//! CPU, memory and disk, from `sysinfo`.

use std::path::{Path, PathBuf};

use serde::Serialize;
use sysinfo::{CpuRefreshKind, Disks, System};

use crate::paths::nearest_existing;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Resources {
    pub cpu_model: Option<String>,
    #[ts(type = "number")]
    pub logical_cores: usize,
    #[ts(type = "number | null")]
    pub physical_cores: Option<usize>,
    #[ts(type = "number")]
    pub memory_total_bytes: u64,
    #[ts(type = "number")]
    pub memory_available_bytes: u64,
    pub disk: Option<DiskSpace>,
}

/// Free space on the disk that holds `path`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct DiskSpace {
    pub path: PathBuf,
    pub mount_point: PathBuf,
    #[ts(type = "number")]
    pub available_bytes: u64,
    #[ts(type = "number")]
    pub total_bytes: u64,
}

/// Measures this machine; `project_dir` is where projects will live (it need not exist yet).
pub fn detect(project_dir: &Path) -> Resources {
    let (cpu_model, logical_cores, memory_total_bytes, memory_available_bytes) = match System::new()
    {
        Ok(mut sys) => {
            sys.refresh_cpu_list(CpuRefreshKind::nothing());
            sys.refresh_memory();
            let model = sys
                .cpus()
                .first()
                .map(|c| c.brand().trim().to_string())
                .filter(|b| !b.is_empty());
            (
                model,
                sys.cpus().len(),
                sys.total_memory(),
                sys.available_memory(),
            )
        }
        Err(_) => (None, 0, 0, 0),
    };
    let logical_cores = if logical_cores == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        logical_cores
    };
    Resources {
        cpu_model,
        logical_cores,
        physical_cores: System::physical_core_count().ok(),
        memory_total_bytes,
        memory_available_bytes,
        disk: disk_for(project_dir),
    }
}

pub fn disk_for(path: &Path) -> Option<DiskSpace> {
    let existing = nearest_existing(path)?;
    // dunce: on Windows, std's canonical form is `\\?\C:\…`, which never starts with the
    // mount point `C:\` that sysinfo reports.
    let resolved = dunce::canonicalize(existing).unwrap_or_else(|_| existing.to_path_buf());
    let disks = Disks::new_with_refreshed_list().ok()?;
    let mounts: Vec<(&Path, u64, u64)> = disks
        .iter()
        .map(|d| (d.mount_point(), d.available_space(), d.total_space()))
        .collect();
    let (mount, available, total) = deepest_mount(&resolved, &mounts)?;
    Some(DiskSpace {
        path: path.to_path_buf(),
        mount_point: mount.to_path_buf(),
        available_bytes: available,
        total_bytes: total,
    })
}

/// The mount whose mount point is the longest prefix of `path`: `/home` beats `/`.
fn deepest_mount<'a>(path: &Path, mounts: &[(&'a Path, u64, u64)]) -> Option<(&'a Path, u64, u64)> {
    mounts
        .iter()
        .filter(|(m, _, _)| path.starts_with(m))
        .max_by_key(|(m, _, _)| m.components().count())
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deepest_mount_wins() {
        let mounts = [
            (Path::new("/"), 1, 10),
            (Path::new("/home"), 2, 20),
            (Path::new("/ho"), 3, 30),
        ];
        assert_eq!(
            deepest_mount(Path::new("/home/ann/Documents"), &mounts),
            Some((Path::new("/home"), 2, 20))
        );
        assert_eq!(
            deepest_mount(Path::new("/var"), &mounts),
            Some((Path::new("/"), 1, 10))
        );
    }

    #[test]
    fn measures_this_machine() {
        let dir = tempfile::tempdir().unwrap();
        let r = detect(&dir.path().join("not/yet/made"));
        assert!(r.logical_cores >= 1);
        assert!(r.memory_total_bytes >= r.memory_available_bytes);
        assert!(r.memory_total_bytes > 0);
        let disk = r.disk.expect("the temp dir is on some disk");
        assert!(disk.total_bytes >= disk.available_bytes);
    }
}
