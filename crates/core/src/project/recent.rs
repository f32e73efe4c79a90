//! The one list of known projects: every project Darwinix set up, started or opened, from the
//! app or the CLI, most recent first, with the notebooks opened. The app's project switcher and
//! Home show its head; `disk` and `clean` read all of it. Kept in the config folder; a damaged
//! list is set aside (never deleted) and a fresh one started.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::paths::{write_atomically, AppPaths};

/// How many folders the switcher shows.
pub const MAX_RECENT: usize = 12;

/// How many folders are remembered: every project in use, and the gone ones until the list is
/// this long (a USB disk may come back).
pub const MAX_KNOWN: usize = 1000;

/// How many notebooks Home's "Recent notebooks" remembers.
pub const MAX_NOTEBOOKS: usize = 8;

#[derive(Debug, Default, Serialize, Deserialize)]
struct RecentFile {
    projects: Vec<PathBuf>,
    /// Absolute paths of notebook files (lists from before notebooks were kept have none).
    #[serde(default)]
    notebooks: Vec<PathBuf>,
    /// When each remembered project was last opened (lists from before this have none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    opened: Vec<Opened>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Opened {
    dir: PathBuf,
    /// Seconds since the Unix epoch.
    at: u64,
}

fn file(paths: &AppPaths) -> PathBuf {
    paths.recent_file()
}

/// The projects the switcher shows: the most recent ones that still exist (a remote project's
/// address is kept as it is: whether its folder is still there is the remote's to say, when it
/// is used).
pub fn load(paths: &AppPaths) -> Vec<PathBuf> {
    let mut shown = known(paths);
    shown.truncate(MAX_RECENT);
    shown
}

/// Every known project that still exists (remote ones by their address), most recent first.
pub fn known(paths: &AppPaths) -> Vec<PathBuf> {
    read(paths)
        .into_iter()
        .filter(|dir| dir.to_str().is_some_and(crate::remote::is_remote) || dir.is_dir())
        .collect()
}

fn read(paths: &AppPaths) -> Vec<PathBuf> {
    read_file(paths).projects
}

fn read_file(paths: &AppPaths) -> RecentFile {
    let file = file(paths);
    let Ok(bytes) = std::fs::read(&file) else {
        return RecentFile::default();
    };
    serde_json::from_slice::<RecentFile>(&bytes).unwrap_or_else(|_| {
        // Kept for whoever wants to look; the next save starts a new list.
        let _ = std::fs::rename(&file, file.with_extension("json.damaged"));
        RecentFile::default()
    })
}

/// `list` with `item` first, once, at most `max` long.
fn put_first(list: &mut Vec<PathBuf>, item: &Path, max: usize) {
    list.retain(|p| p != item);
    list.insert(0, item.to_path_buf());
    list.truncate(max);
}

fn write(paths: &AppPaths, recent: &RecentFile) -> Result<()> {
    let bytes = serde_json::to_vec_pretty(recent).expect("plain data");
    write_atomically(&file(paths), &bytes)
}

/// Puts `dir` first. Folders that are gone stay remembered until the list is full (a USB disk
/// may come back).
pub fn touch(paths: &AppPaths, dir: &Path) -> Result<()> {
    let mut recent = read_file(paths);
    put_first(&mut recent.projects, dir, MAX_KNOWN);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    recent.opened.retain(|o| o.dir != dir);
    recent.opened.push(Opened {
        dir: dir.to_path_buf(),
        at: now,
    });
    let projects = &recent.projects;
    recent.opened.retain(|o| projects.contains(&o.dir));
    write(paths, &recent)
}

/// When the app last opened the project `dir` (seconds since the Unix epoch), if it did since
/// it started keeping the time.
pub fn opened_at(paths: &AppPaths, dir: &Path) -> Option<u64> {
    read_file(paths)
        .opened
        .into_iter()
        .find(|o| o.dir == dir)
        .map(|o| o.at)
}

/// Puts the notebook `file` (absolute) first in the recent notebooks.
pub fn touch_notebook(paths: &AppPaths, file: &Path) -> Result<()> {
    let mut recent = read_file(paths);
    put_first(&mut recent.notebooks, file, MAX_NOTEBOOKS);
    write(paths, &recent)
}

/// The remembered notebooks that still exist, most recent first.
pub fn notebooks(paths: &AppPaths) -> Vec<PathBuf> {
    read_file(paths)
        .notebooks
        .into_iter()
        .filter(|f| f.is_file())
        .collect()
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
        assert_eq!(
            load(&paths).len(),
            MAX_RECENT,
            "the switcher shows the head"
        );
        assert_eq!(known(&paths).len(), MAX_RECENT + 4, "all are known");
        assert_eq!(
            read_file(&paths).opened.len(),
            MAX_RECENT + 5,
            "times go with their folders"
        );
    }

    #[test]
    fn the_time_a_project_was_opened_is_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(&tmp.path().join("home"));
        let a = project(tmp.path(), "a");
        assert_eq!(opened_at(&paths, &a), None);
        let before = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        touch(&paths, &a).unwrap();
        touch(&paths, &a).unwrap();
        let at = opened_at(&paths, &a).expect("a time");
        assert!(at >= before && at <= before + 60, "{at} vs {before}");
        assert_eq!(read_file(&paths).opened.len(), 1, "one time per project");
    }

    #[test]
    fn folders_without_a_list_and_remote_projects_are_remembered() {
        let tmp = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(&tmp.path().join("home"));
        let bare = tmp.path().join("notebooks only");
        std::fs::create_dir_all(&bare).unwrap();
        let remote = PathBuf::from("ssh://me@lab/home/me/thesis");
        touch(&paths, &bare).unwrap();
        touch(&paths, &remote).unwrap();
        assert_eq!(load(&paths), vec![remote, bare]);
    }

    #[test]
    fn notebooks_are_kept_beside_the_projects() {
        let tmp = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(&tmp.path().join("home"));
        let a = project(tmp.path(), "a");
        touch(&paths, &a).unwrap();
        let (x, y) = (a.join("x.ipynb"), a.join("ü y.ipynb"));
        std::fs::write(&x, "{}").unwrap();
        std::fs::write(&y, "{}").unwrap();
        touch_notebook(&paths, &x).unwrap();
        touch_notebook(&paths, &y).unwrap();
        touch_notebook(&paths, &x).unwrap();
        assert_eq!(notebooks(&paths), vec![x.clone(), y]);
        assert_eq!(load(&paths), vec![a], "projects are untouched");
        std::fs::remove_file(&x).unwrap();
        assert_eq!(notebooks(&paths).len(), 1);
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
