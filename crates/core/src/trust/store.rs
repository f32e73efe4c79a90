//! The user's answers to the trust prompt, per folder: by its path and its owner, so a folder
//! that changed hands (or was replaced by someone else's at the same path) is asked about
//! again. Kept in Darwinix's config folder, private to the user; Settings lists and forgets
//! them.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::paths::AppPaths;

/// What the user chose for a folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, rename = "TrustChoice")]
pub enum Choice {
    /// Trust and start: its packages are installed.
    Trusted,
    /// Start without installing: JupyterLab with an empty kernel.
    WithoutInstalling,
}

/// One remembered answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export, rename = "TrustDecision")]
pub struct Decision {
    /// The folder (canonical).
    #[ts(type = "string")]
    pub dir: PathBuf,
    /// Its owner when the answer was given (Unix uid; `None` where there is none to read).
    pub owner: Option<u32>,
    pub choice: Choice,
    /// Seconds since 1970.
    #[ts(type = "number")]
    pub at: u64,
}

/// Every remembered answer. A damaged file is an error that names it (nothing is trusted by
/// accident, nothing deleted).
pub fn all(paths: &AppPaths) -> Result<Vec<Decision>> {
    let file = paths.trust_file();
    match std::fs::read(&file) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map_err(|source| Error::CorruptFile { path: file, source }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(source) => Err(Error::ReadFile { path: file, source }),
    }
}

/// The answer for `dir` as it is now: one given while another account owned it counts for
/// nothing.
pub fn choice(paths: &AppPaths, dir: &Path) -> Result<Option<Choice>> {
    let owner = owner_of(dir);
    Ok(all(paths)?
        .into_iter()
        .find(|d| d.dir == dir && d.owner == owner)
        .map(|d| d.choice))
}

/// Remembers `choice` for `dir` (replacing an earlier answer).
pub fn remember(paths: &AppPaths, dir: &Path, choice: Choice) -> Result<()> {
    let mut decisions = all(paths)?;
    decisions.retain(|d| d.dir != dir);
    decisions.push(Decision {
        dir: dir.to_path_buf(),
        owner: owner_of(dir),
        choice,
        at: now(),
    });
    save(paths, &decisions)
}

/// Forgets the answer for `dir`: the next start asks again. `false` when there was none.
pub fn forget(paths: &AppPaths, dir: &Path) -> Result<bool> {
    let mut decisions = all(paths)?;
    let before = decisions.len();
    decisions.retain(|d| d.dir != dir);
    if decisions.len() == before {
        return Ok(false);
    }
    save(paths, &decisions)?;
    Ok(true)
}

fn save(paths: &AppPaths, decisions: &[Decision]) -> Result<()> {
    let file = paths.trust_file();
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(|source| Error::CreateDir {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    let bytes = serde_json::to_vec_pretty(decisions).expect("plain data");
    // Private: another account that could write here could trust folders in the user's name.
    crate::fs::private::write_file(&file, &bytes)
}

// Unix: the folder's owner, so that an answer does not carry over to someone else's folder.
#[cfg(unix)]
fn owner_of(dir: &Path) -> Option<u32> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(dir).ok().map(|m| m.uid())
}

// Windows: no uid; the path alone.
#[cfg(windows)]
fn owner_of(_dir: &Path) -> Option<u32> {
    None
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
    fn an_answer_is_remembered_replaced_and_forgotten() {
        let home = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(home.path());
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(choice(&paths, dir.path()).unwrap(), None);
        remember(&paths, dir.path(), Choice::WithoutInstalling).unwrap();
        assert_eq!(
            choice(&paths, dir.path()).unwrap(),
            Some(Choice::WithoutInstalling)
        );
        remember(&paths, dir.path(), Choice::Trusted).unwrap();
        assert_eq!(all(&paths).unwrap().len(), 1);
        assert_eq!(choice(&paths, dir.path()).unwrap(), Some(Choice::Trusted));
        assert!(forget(&paths, dir.path()).unwrap());
        assert!(!forget(&paths, dir.path()).unwrap());
        assert_eq!(choice(&paths, dir.path()).unwrap(), None);
    }

    #[cfg(unix)]
    #[test]
    fn an_answer_for_another_owner_counts_for_nothing() {
        let home = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(home.path());
        let dir = tempfile::tempdir().unwrap();
        let stale = vec![Decision {
            dir: dir.path().to_path_buf(),
            owner: Some(owner_of(dir.path()).unwrap() + 1),
            choice: Choice::Trusted,
            at: 0,
        }];
        save(&paths, &stale).unwrap();
        assert_eq!(choice(&paths, dir.path()).unwrap(), None);
    }

    #[test]
    fn a_damaged_file_is_an_error_not_trust() {
        let home = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(home.path());
        std::fs::create_dir_all(paths.trust_file().parent().unwrap()).unwrap();
        std::fs::write(paths.trust_file(), "{not json").unwrap();
        assert!(matches!(
            choice(&paths, home.path()),
            Err(Error::CorruptFile { .. })
        ));
    }
}
