//! One holder at a time, across processes: a lock file that a second holder waits on (a setup
//! of the same project, a download of uv, a start of the same server) instead of both doing the
//! same work into the same place. The operating system releases it when its holder dies.

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Held while the lock is held; dropping it releases the lock (as does the process dying).
pub struct Guard {
    _file: File,
}

/// Takes the lock at `path`, calling `waiting` once if someone else holds it.
pub async fn acquire(path: &Path, waiting: impl FnOnce()) -> Result<Guard> {
    let parent = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|source| Error::CreateDir {
        path: parent.to_path_buf(),
        source,
    })?;
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(|source| Error::WriteFile {
            path: path.to_path_buf(),
            source,
        })?;
    match file.try_lock() {
        Ok(()) => return Ok(Guard { _file: file }),
        Err(std::fs::TryLockError::WouldBlock) => waiting(),
        Err(std::fs::TryLockError::Error(source)) => {
            return Err(Error::WriteFile {
                path: path.to_path_buf(),
                source,
            })
        }
    }
    let path: PathBuf = path.to_path_buf();
    tokio::task::spawn_blocking(move || {
        file.lock()
            .map_err(|source| Error::WriteFile { path, source })?;
        Ok(Guard { _file: file })
    })
    .await
    .expect("lock task does not panic")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    #[tokio::test]
    async fn second_holder_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("locks/p.lock");
        let first = acquire(&path, || panic!("free lock")).await.unwrap();
        let waited = Arc::new(AtomicBool::new(false));
        let w = waited.clone();
        let p = path.clone();
        let second = tokio::spawn(async move {
            acquire(&p, move || w.store(true, Ordering::SeqCst))
                .await
                .map(|_| ())
        });
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(waited.load(Ordering::SeqCst));
        assert!(
            !second.is_finished(),
            "must wait while the first holds the lock"
        );
        drop(first);
        tokio::time::timeout(Duration::from_secs(5), second)
            .await
            .unwrap()
            .unwrap()
            .unwrap();
    }
}
