//! The teacher's copies Darwinix wrote beside students' files, with the blob each got: such a
//! copy nobody changed since may be replaced by a newer one; any other file is the student's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use gix::ObjectId;

use super::rules::{Disk, Files};
use super::write;
use crate::error::Result;

const RECORD: &str = "darwinix-teachers-copies.json";

pub(super) struct Copies {
    file: PathBuf,
    /// Path (with `/`) to the blob written there, as hex.
    written: BTreeMap<String, String>,
    /// Names given in this update, not to be given twice.
    taken: Vec<String>,
}

impl Copies {
    /// The record in the course's git data; an unreadable one is an empty one (its files are
    /// then all taken as the student's: never lost, only not replaced).
    pub fn read(repo: &gix::Repository) -> Copies {
        let file = repo.git_dir().join(RECORD);
        let written = std::fs::read(&file)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        Copies {
            file,
            written,
            taken: Vec::new(),
        }
    }

    /// Whether `candidate` may receive a teacher's copy: nothing there, or a copy written
    /// earlier and unchanged; never a path of either version of the teacher's.
    pub fn usable(
        &self,
        candidate: &str,
        trees: [&Files; 2],
        disk: impl Fn(&str) -> Result<Disk>,
    ) -> bool {
        if self.taken.iter().any(|t| t == candidate)
            || trees.iter().any(|tree| tree.contains_key(candidate))
        {
            return false;
        }
        match disk(candidate) {
            Ok(Disk::Missing) => true,
            Ok(Disk::File(id)) => self
                .written
                .get(candidate)
                .is_some_and(|hex| ObjectId::from_hex(hex.as_bytes()).is_ok_and(|h| h == id)),
            _ => false,
        }
    }

    pub fn claim(&mut self, path: &str, id: ObjectId) {
        self.taken.push(path.to_string());
        self.written.insert(path.to_string(), id.to_string());
    }

    /// Saves the record, forgetting copies that are gone.
    pub fn save(mut self, dir: &Path) -> Result<()> {
        self.written.retain(|path, _| dir.join(path).is_file());
        let json = serde_json::to_vec_pretty(&self.written).unwrap_or_default();
        write::replace(&self.file, &json, false)
    }
}
