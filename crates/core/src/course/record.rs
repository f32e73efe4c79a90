//! Which folders came from a link or a shared file, and from which: a course is found again by
//! its link (a second click reuses it, wherever the user put it), offers the teacher's updates,
//! and is foreign to the trust prompt until the user says otherwise. Kept in Darwinix's config
//! folder; a folder that is gone is forgotten on the next write.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::link::Link;
use crate::error::{Error, Result};
use crate::paths::AppPaths;

/// Where a folder came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export, rename = "CourseFrom")]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum From {
    /// Opened from a course link.
    Link { link: Link },
    /// Unpacked from a `.darwinix.zip`.
    #[serde(rename_all = "camelCase")]
    SharedFile {
        #[ts(type = "string")]
        file: PathBuf,
    },
}

/// One remembered folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export, rename = "CourseRecord")]
#[serde(rename_all = "camelCase")]
pub struct Course {
    #[ts(type = "string")]
    pub dir: PathBuf,
    pub from: From,
    /// Seconds since 1970.
    #[ts(type = "number")]
    pub opened_at: u64,
}

impl Course {
    /// The link's repository address, for a course cloned from one.
    pub fn repository(&self) -> Option<&str> {
        match &self.from {
            From::Link {
                link: Link::Repository { url, .. },
            } => Some(url),
            _ => None,
        }
    }

    /// Where it came from, in words: "https://github.com/ann/course", "the file Course.darwinix.zip".
    pub fn origin_words(&self) -> String {
        match &self.from {
            From::Link {
                link: Link::Repository { url, .. } | Link::Notebook { url, .. },
            } => url.clone(),
            From::SharedFile { file } => format!(
                "the shared file {}",
                file.file_name()
                    .unwrap_or(file.as_os_str())
                    .to_string_lossy()
            ),
        }
    }
}

/// Every remembered folder. A damaged file is an error naming it (nothing is forgotten by it).
pub fn all(paths: &AppPaths) -> Result<Vec<Course>> {
    let file = paths.courses_file();
    match std::fs::read(&file) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map_err(|source| Error::CorruptFile { path: file, source }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(source) => Err(Error::ReadFile { path: file, source }),
    }
}

/// Where `dir` came from, when it came from a link or a shared file.
pub fn of(paths: &AppPaths, dir: &Path) -> Option<Course> {
    all(paths).ok()?.into_iter().find(|c| c.dir == dir)
}

/// The folders already opened from the same repository (any branch and notebook), the most
/// recent first, that still exist.
pub fn from_repository(paths: &AppPaths, url: &str) -> Vec<Course> {
    let mut found: Vec<Course> = all(paths)
        .unwrap_or_default()
        .into_iter()
        .filter(|c| c.repository().is_some_and(|r| same_repository(r, url)) && c.dir.is_dir())
        .collect();
    found.sort_by_key(|c| std::cmp::Reverse(c.opened_at));
    found
}

/// The folder a notebook link was downloaded into before, when it still exists.
pub fn from_notebook(paths: &AppPaths, url: &str) -> Option<Course> {
    all(paths).ok()?.into_iter().rev().find(|c| {
        matches!(&c.from, From::Link { link: Link::Notebook { url: u, .. } } if u == url)
            && c.dir.is_dir()
    })
}

/// `https://github.com/a/b`, `https://github.com/a/b.git` and `…/b/` are one repository.
pub fn same_repository(a: &str, b: &str) -> bool {
    let key = |u: &str| {
        u.trim_end_matches('/')
            .trim_end_matches(".git")
            .to_ascii_lowercase()
    };
    key(a) == key(b)
}

/// Remembers where `dir` came from (replacing what was known of it).
pub fn remember(paths: &AppPaths, dir: &Path, from: From) -> Result<()> {
    let mut courses = all(paths)?;
    courses.retain(|c| c.dir != dir && c.dir.exists());
    courses.push(Course {
        dir: dir.to_path_buf(),
        from,
        opened_at: now(),
    });
    let file = paths.courses_file();
    if let Some(parent) = file.parent() {
        std::fs::create_dir_all(parent).map_err(|source| Error::CreateDir {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    let bytes = serde_json::to_vec_pretty(&courses).expect("plain data");
    crate::paths::write_atomically(&file, &bytes)
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_course_is_found_again_by_its_repository_and_a_gone_one_is_not() {
        let home = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(home.path());
        let (a, b) = (home.path().join("a"), home.path().join("b"));
        std::fs::create_dir_all(&a).unwrap();
        let link = super::super::link::parse("https://github.com/ann/course#main").unwrap();
        remember(&paths, &a, From::Link { link: link.clone() }).unwrap();
        remember(&paths, &b, From::Link { link }).unwrap();
        let found = from_repository(&paths, "https://GitHub.com/ann/course.git/");
        assert_eq!(found.iter().map(|c| &c.dir).collect::<Vec<_>>(), [&a]);
        assert_eq!(
            of(&paths, &a).unwrap().origin_words(),
            "https://github.com/ann/course"
        );
        assert!(from_repository(&paths, "https://github.com/ann/other").is_empty());
        std::fs::write(paths.courses_file(), "{").unwrap();
        assert!(matches!(all(&paths), Err(Error::CorruptFile { .. })));
    }
}
