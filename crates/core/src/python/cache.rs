//! Probe results cached by interpreter path + file identity, so a second doctor run (or the app's
//! launch) costs a `stat` per interpreter instead of a process. A corrupt or outdated cache file
//! is ignored and rewritten, never an error.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use super::interpreter::{ProbeFailure, ProbeInfo, PROBE_SCRIPT};
use crate::error::Error;
use crate::paths::write_atomically;

/// What identifies "the same interpreter as last time": where the path leads and that file's
/// modification time and size. An upgrade in place or a re-pointed symlink changes one of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    pub target: PathBuf,
    pub mtime_ns: u128,
    pub size: u64,
}

impl Fingerprint {
    pub fn of(path: &Path) -> Option<Self> {
        // Windows' App Execution Aliases cannot be canonicalized (error 1920) but are real
        // interpreters: fall back to the path itself and the link's own metadata.
        let target = dunce::canonicalize(path)
            .or_else(|_| std::path::absolute(path))
            .ok()?;
        let meta = std::fs::metadata(&target)
            .or_else(|_| std::fs::symlink_metadata(path))
            .ok()?;
        Some(Self {
            target,
            mtime_ns: modified_ns(&meta)?,
            size: meta.len(),
        })
    }
}

fn modified_ns(meta: &std::fs::Metadata) -> Option<u128> {
    Some(
        meta.modified()
            .ok()?
            .duration_since(UNIX_EPOCH)
            .ok()?
            .as_nanos(),
    )
}

/// The modification time of `path` now; `None` when it does not exist.
fn mtime_now(path: &Path) -> Option<u128> {
    std::fs::metadata(path).ok().as_ref().and_then(modified_ns)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Probed {
    Ok(ProbeInfo),
    Failed(ProbeFailure),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    fingerprint: Fingerprint,
    /// The probe's `depends_on` paths with their modification times at probe time.
    #[serde(default)]
    depends: Vec<(PathBuf, Option<u128>)>,
    probed: Probed,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct CacheFile {
    /// Changes whenever the probe does, so old answers to other questions are dropped.
    probe: String,
    entries: BTreeMap<PathBuf, Entry>,
}

pub struct ProbeCache {
    file: PathBuf,
    data: CacheFile,
    dirty: bool,
}

impl ProbeCache {
    /// Loads `file`; missing, unreadable, corrupt or from another probe version = empty.
    pub fn load(file: &Path) -> Self {
        let data = std::fs::read(file)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<CacheFile>(&bytes).ok())
            .filter(|d| d.probe == probe_id())
            .unwrap_or_else(|| CacheFile {
                probe: probe_id(),
                entries: BTreeMap::new(),
            });
        Self {
            file: file.to_path_buf(),
            data,
            dirty: false,
        }
    }

    /// The cached answer, if neither the interpreter nor anything its answer was read from
    /// changed since.
    pub fn get(&self, path: &Path, fingerprint: &Fingerprint) -> Option<&Probed> {
        let entry = self.data.entries.get(path)?;
        let current = &entry.fingerprint == fingerprint
            && entry
                .depends
                .iter()
                .all(|(dep, mtime)| mtime_now(dep) == *mtime);
        current.then_some(&entry.probed)
    }

    pub fn put(&mut self, path: &Path, fingerprint: Fingerprint, probed: Probed) {
        // The cache is JSON, whose keys must be text; such paths are simply probed every time.
        if path.to_str().is_none() {
            return;
        }
        let depends = match &probed {
            Probed::Ok(info) => info
                .depends_on
                .iter()
                .map(|d| (d.clone(), mtime_now(d)))
                .collect(),
            Probed::Failed(_) => vec![],
        };
        let entry = Entry {
            fingerprint,
            depends,
            probed,
        };
        self.data.entries.insert(path.to_path_buf(), entry);
        self.dirty = true;
    }

    /// Writes the file if anything changed. A cache that cannot be written only costs speed.
    pub fn save(&self) -> crate::Result<()> {
        if !self.dirty {
            return Ok(());
        }
        let bytes = serde_json::to_vec_pretty(&self.data).map_err(|e| Error::WriteFile {
            path: self.file.clone(),
            source: std::io::Error::other(e),
        })?;
        write_atomically(&self.file, &bytes)
    }
}

/// A short fingerprint of the embedded probe script (FNV-1a; no need for a crypto hash here).
fn probe_id() -> String {
    let hash = PROBE_SCRIPT.bytes().fold(0xcbf29ce484222325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    });
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure() -> Probed {
        Probed::Failed(ProbeFailure::TooOld {
            said: "Unknown option: -I".into(),
        })
    }

    #[test]
    fn round_trip_and_invalidation() {
        let dir = tempfile::tempdir().unwrap();
        let python = dir.path().join("python");
        std::fs::write(&python, "one").unwrap();
        let file = dir.path().join("cache/interpreters.json");
        let fp = Fingerprint::of(&python).unwrap();

        let mut cache = ProbeCache::load(&file);
        assert!(cache.get(&python, &fp).is_none());
        cache.put(&python, fp.clone(), failure());
        cache.save().unwrap();

        let cache = ProbeCache::load(&file);
        assert_eq!(cache.get(&python, &fp), Some(&failure()));
        std::fs::write(&python, "a different, longer interpreter").unwrap();
        let changed = Fingerprint::of(&python).unwrap();
        assert!(
            cache.get(&python, &changed).is_none(),
            "a changed file is probed again"
        );
    }

    #[test]
    fn a_changed_dependency_invalidates_the_answer() {
        let dir = tempfile::tempdir().unwrap();
        let python = dir.path().join("python");
        std::fs::write(&python, "bin").unwrap();
        let stdlib = dir.path().join("lib");
        std::fs::create_dir_all(&stdlib).unwrap();
        let marker = stdlib.join("EXTERNALLY-MANAGED");
        let info: ProbeInfo = serde_json::from_value(serde_json::json!({
            "version": "3.11.2", "release_level": "final", "implementation": "cpython",
            "arch": "x86_64", "pointer_bits": 64, "executable": "/x", "prefix": "/x",
            "base_prefix": "/x", "is_venv": false, "has_venv": true, "has_ensurepip": false,
            "has_pip": false, "externally_managed": false,
            "depends_on": [stdlib, marker],
        }))
        .unwrap();
        let mut cache = ProbeCache::load(&dir.path().join("c.json"));
        let fp = Fingerprint::of(&python).unwrap();
        cache.put(&python, fp.clone(), Probed::Ok(info));
        assert!(cache.get(&python, &fp).is_some());
        // The distribution marks the Python as managed: a file appears that was absent.
        std::fs::write(&marker, "[externally-managed]").unwrap();
        assert!(
            cache.get(&python, &fp).is_none(),
            "a new marker file must re-probe"
        );
    }

    #[cfg(unix)]
    #[test]
    fn non_utf8_paths_are_not_cached_and_do_not_panic() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let odd = dir.path().join(std::ffi::OsStr::from_bytes(b"venv_\xe9"));
        std::fs::write(&odd, "x").unwrap();
        let file = dir.path().join("c.json");
        let mut cache = ProbeCache::load(&file);
        cache.put(&odd, Fingerprint::of(&odd).unwrap(), failure());
        cache.save().unwrap();
        assert!(ProbeCache::load(&file)
            .get(&odd, &Fingerprint::of(&odd).unwrap())
            .is_none());
    }

    #[test]
    fn corrupt_cache_is_ignored_and_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("interpreters.json");
        std::fs::write(&file, "{ not json").unwrap();
        let mut cache = ProbeCache::load(&file);
        let python = dir.path().join("python");
        std::fs::write(&python, "x").unwrap();
        cache.put(&python, Fingerprint::of(&python).unwrap(), failure());
        cache.save().unwrap();
        assert!(
            serde_json::from_slice::<serde_json::Value>(&std::fs::read(&file).unwrap()).is_ok()
        );
    }
}
