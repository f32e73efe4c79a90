//! Folders and files only the user may read: servers' tokens, hub tokens, logs that may quote
//! either. Private from the first byte, never made private afterwards.

use std::path::Path;

use crate::error::{Error, Result};

/// Creates `dir` (and parents) and makes it 0700.
pub fn create_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|source| Error::CreateDir {
        path: dir.to_path_buf(),
        source,
    })?;
    restrict(dir, 0o700).map_err(|source| Error::CreateDir {
        path: dir.to_path_buf(),
        source,
    })
}

/// Writes `file` atomically with mode 0600 from the first byte (never briefly world-readable).
pub fn write_file(file: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let tmp = file.with_extension(format!("tmp-{}", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut f = open_private(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, file)
    };
    write().map_err(|source| {
        let _ = std::fs::remove_file(&tmp);
        Error::WriteFile {
            path: file.to_path_buf(),
            source,
        }
    })
}

/// Opens (creating or appending) a log file that only the user may read.
pub fn append_file(file: &Path) -> Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    private_mode(&mut options);
    options.open(file).map_err(|source| Error::WriteFile {
        path: file.to_path_buf(),
        source,
    })
}

fn open_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    private_mode(&mut options);
    options.open(path)
}

// Unix: permission bits decide who may read; set them at creation.
#[cfg(unix)]
fn private_mode(options: &mut std::fs::OpenOptions) {
    use std::os::unix::fs::OpenOptionsExt;
    options.mode(0o600);
}

// Windows: files under the user's profile are private to that user by their inherited ACL.
#[cfg(not(unix))]
fn private_mode(_options: &mut std::fs::OpenOptions) {}

#[cfg(unix)]
fn restrict(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

// Windows: see `private_mode`.
#[cfg(not(unix))]
fn restrict(_path: &Path, _mode: u32) -> std::io::Result<()> {
    Ok(())
}
