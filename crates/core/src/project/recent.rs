//! The projects the user opened, most recent first, kept in the config folder for the app's
//! project switcher. A damaged list is set aside (never deleted) and a fresh one started.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::paths::{write_atomically, AppPaths};

/// How many folders the switcher remembers.
pub const MAX_RECENT: usize = 12;

#[derive(Debug, Default, Serialize, Deserialize)]
struct RecentFile {
    projects: Vec<PathBuf>,
}

fn file(paths: &AppPaths) -> PathBuf {
    paths.config.join("recent.json")
}

/// The remembered folders that still exist, most recent first.
pub fn load(paths: &AppPaths) -> Vec<PathBuf> {
    read(paths)
        .into_iter()
        .filter(|dir| dir.join(super::REQUIREMENTS).is_file())
        .collect()
}

fn read(paths: &AppPaths) -> Vec<PathBuf> {
    let file = file(paths);
    let Ok(bytes) = std::fs::read(&file) else {
        return vec![];
    };
    match serde_json::from_slice::<RecentFile>(&bytes) {
        Ok(list) => list.projects,
        Err(_) => {
            // Kept for whoever wants to look; the next save starts a new list.
            let _ = std::fs::rename(&file, file.with_extension("json.damaged"));
            vec![]
        }
    }
}

/// Puts `dir` first. Folders that are gone stay remembered until the list is full (a USB disk
/// may come back).
pub fn touch(paths: &AppPaths, dir: &Path) -> Result<()> {
    let mut projects = read(paths);
    projects.retain(|p| p != dir);
    projects.insert(0, dir.to_path_buf());
    projects.truncate(MAX_RECENT);
    let bytes = serde_json::to_vec_pretty(&RecentFile { projects }).expect("plain data");
    write_atomically(&file(paths), &bytes)
}

/// The project to show: the most recent one that still exists, else the default project.
pub fn current(paths: &AppPaths) -> Option<PathBuf> {
    load(paths).into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(root: &Path, name: &str) -> PathBuf {
        let dir = root.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("requirements.txt"), "").unwrap();
        dir
    }

    #[test]
    fn most_recent_first_without_duplicates_or_vanished_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(&tmp.path().join("home"));
        let (a, b) = (project(tmp.path(), "a"), project(tmp.path(), "b é"));
        assert_eq!(current(&paths), None);
        touch(&paths, &a).unwrap();
        touch(&paths, &b).unwrap();
        touch(&paths, &a).unwrap();
        assert_eq!(load(&paths), vec![a.clone(), b.clone()]);
        std::fs::remove_dir_all(&a).unwrap();
        assert_eq!(
            current(&paths),
            Some(b.clone()),
            "a vanished folder is skipped"
        );
        for i in 0..MAX_RECENT + 3 {
            touch(&paths, &project(tmp.path(), &format!("p{i}"))).unwrap();
        }
        assert_eq!(read(&paths).len(), MAX_RECENT);
    }

    #[test]
    fn a_damaged_list_is_set_aside_not_lost() {
        let tmp = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(tmp.path());
        std::fs::create_dir_all(&paths.config).unwrap();
        std::fs::write(file(&paths), "{ not json").unwrap();
        assert!(load(&paths).is_empty());
        let aside = paths.config.join("recent.json.damaged");
        assert_eq!(std::fs::read_to_string(aside).unwrap(), "{ not json");
        let a = project(tmp.path(), "a");
        touch(&paths, &a).unwrap();
        assert_eq!(load(&paths), vec![a]);
    }
}
