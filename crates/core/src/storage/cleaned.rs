//! What a clean-up did, in the words the window and the command line show: what went (and
//! the space it took), and what could not, with the fix.

use std::path::PathBuf;

use serde::Serialize;

use crate::error::Error;

/// Something that could not be measured or done, in words, with what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    pub message: String,
    pub hint: Option<String>,
}

impl From<&Error> for Problem {
    fn from(e: &Error) -> Self {
        use std::error::Error as _;
        let mut message = e.to_string();
        if let Some(cause) = e.source() {
            message = format!("{message}: {cause}");
        }
        Self {
            message,
            hint: crate::hints::hint(e),
        }
    }
}

/// One thing removed (or, before a purge, to be removed), and the space it took.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct Removed {
    /// What it is, in words ("the JupyterLab runtime jupyterlab-…").
    pub what: String,
    pub path: Option<PathBuf>,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// What one clean-up did: what went, and what could not.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct Cleaned {
    pub removed: Vec<Removed>,
    pub problems: Vec<Problem>,
}

impl Cleaned {
    /// The space given back.
    pub fn freed(&self) -> u64 {
        self.removed.iter().map(|r| r.bytes).sum()
    }
}

/// Removes a folder (never following a link out of it) or a file; a missing one is fine.
pub(super) fn remove_path(path: &std::path::Path) -> crate::Result<()> {
    let removed = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    };
    removed.map_err(|source| Error::Remove {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_keeps_the_cause_and_the_fix() {
        let e = Error::Unreadable {
            path: PathBuf::from("/x/locked"),
            source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        };
        let p = Problem::from(&e);
        assert!(p.message.contains("/x/locked"), "{}", p.message);
        assert!(p.message.contains("ermission denied"), "{}", p.message);
        assert!(p.hint.unwrap().contains("/x/locked"));
    }

    #[test]
    fn removing_never_follows_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let kept = dir.path().join("kept");
        std::fs::create_dir(&kept).unwrap();
        std::fs::write(kept.join("f"), "x").unwrap();
        let ours = dir.path().join("ours");
        std::fs::create_dir(&ours).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&kept, ours.join("link")).unwrap();
        remove_path(&ours).unwrap();
        assert!(!ours.exists());
        assert!(kept.join("f").is_file(), "the link's target stays");
        remove_path(&ours).unwrap();
    }
}
