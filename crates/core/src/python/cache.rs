//! Probe results cached by interpreter path + file identity, so a second doctor run (or the app's
//! launch) costs a `stat` per interpreter instead of a process. A corrupt or outdated cache file
//! is ignored and rewritten, never an error.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use super::interpreter::{ProbeFailure, ProbeInfo, PROBE_SCRIPT};
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
        let target = path.canonicalize().ok()?;
        let meta = std::fs::metadata(&target).ok()?;
        let mtime_ns = meta
            .modified()
            .ok()?
            .duration_since(UNIX_EPOCH)
            .ok()?
            .as_nanos();
        Some(Self {
            target,
            mtime_ns,
            size: meta.len(),
        })
    }
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

    pub fn get(&self, path: &Path, fingerprint: &Fingerprint) -> Option<&Probed> {
        self.data
            .entries
            .get(path)
            .filter(|e| &e.fingerprint == fingerprint)
            .map(|e| &e.probed)
    }

    pub fn put(&mut self, path: &Path, fingerprint: Fingerprint, probed: Probed) {
        self.data.entries.insert(
            path.to_path_buf(),
            Entry {
                fingerprint,
                probed,
            },
        );
        self.dirty = true;
    }

    /// Writes the file if anything changed. A cache that cannot be written only costs speed.
    pub fn save(&self) -> crate::Result<()> {
        if !self.dirty {
            return Ok(());
        }
        let bytes = serde_json::to_vec_pretty(&self.data).expect("cache entries serialize");
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
