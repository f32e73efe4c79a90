//! Writing the zip: everything under one top folder named as the project (unzipped by hand, it
//! is a folder), Darwinix's files in `.darwinix/`. Written beside its final name under a hidden
//! one, then given a name no file has: nothing the user has is ever replaced.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::meta;
use crate::error::{Error, Result};

/// Files that are compressed already: stored as they are (deflating them again only costs time).
const PACKED: [&str; 14] = [
    "whl", "zip", "gz", "tgz", "bz2", "xz", "zst", "7z", "png", "jpg", "jpeg", "gif", "webp", "mp4",
];

/// What goes into the zip.
pub(super) struct Contents {
    pub project_dir: PathBuf,
    /// The top folder (the project's name).
    pub top: String,
    /// The project's files, relative, with `/`.
    pub files: Vec<String>,
    pub meta: Vec<u8>,
    pub lock: String,
    pub wheels: Vec<PathBuf>,
}

/// Writes the zip and names it `wanted`, or `wanted` numbered when that exists. Returns its
/// path and size.
pub(super) fn write(contents: &Contents, wanted: &Path) -> Result<(PathBuf, u64)> {
    let parent = wanted.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|source| Error::CreateDir {
        path: parent.to_path_buf(),
        source,
    })?;
    let name = wanted.file_name().unwrap_or_default().to_string_lossy();
    let tmp = Temporary::new(parent.join(format!(".{name}.tmp-{}", std::process::id())));
    let failed = |source| Error::WriteFile {
        path: tmp.path.clone(),
        source,
    };
    let file = File::create(&tmp.path).map_err(failed)?;
    let mut zip = ZipWriter::new(BufWriter::new(file));
    fill(&mut zip, contents).map_err(|e| match e {
        Fill::Read(error) => *error,
        Fill::Write(source) => failed(source),
    })?;
    let mut out = zip.finish().map_err(|e| failed(zip_io(e)))?;
    out.flush().map_err(failed)?;
    let file = out.into_inner().map_err(|e| failed(e.into_error()))?;
    file.sync_all().map_err(failed)?;
    let bytes = file.metadata().map_err(failed)?.len();
    drop(file);
    let placed = place(&tmp.path, wanted)?;
    tmp.keep();
    Ok((placed, bytes))
}

enum Fill {
    /// A project file could not be read (its path named). Boxed: the engine's error is large
    /// (Windows paths), and this travels through every `?` of the packing.
    Read(Box<Error>),
    Write(std::io::Error),
}

fn fill<W: Write + std::io::Seek>(zip: &mut ZipWriter<W>, c: &Contents) -> Result<(), Fill> {
    let write = |e: zip::result::ZipError| Fill::Write(zip_io(e));
    for relative in &c.files {
        let entry = format!("{}/{relative}", c.top);
        add_file(zip, &entry, &c.project_dir.join(relative))?;
    }
    let darwinix = format!("{}/{}", c.top, meta::DIR);
    for (name, bytes) in [
        (meta::META, c.meta.as_slice()),
        (meta::LOCK, c.lock.as_bytes()),
    ] {
        zip.start_file(
            format!("{darwinix}/{name}"),
            options(name, SystemTime::now(), 0),
        )
        .map_err(write)?;
        zip.write_all(bytes).map_err(Fill::Write)?;
    }
    for wheel in &c.wheels {
        let name = wheel.file_name().unwrap_or_default().to_string_lossy();
        add_file(zip, &format!("{darwinix}/{}/{name}", meta::WHEELS), wheel)?;
    }
    Ok(())
}

/// One file of this computer as the entry `entry`.
fn add_file<W: Write + std::io::Seek>(
    zip: &mut ZipWriter<W>,
    entry: &str,
    path: &Path,
) -> Result<(), Fill> {
    let read = |source| {
        Fill::Read(Box::new(Error::ReadFile {
            path: path.to_path_buf(),
            source,
        }))
    };
    let mut file = File::open(path).map_err(read)?;
    let meta = file.metadata().map_err(read)?;
    let modified = meta.modified().unwrap_or_else(|_| SystemTime::now());
    zip.start_file(entry, options(entry, modified, meta.len()))
        .map_err(|e| Fill::Write(zip_io(e)))?;
    std::io::copy(&mut file, zip).map_err(|e| match e.kind() {
        // Reading the source and writing the zip fail alike here; a full disk is the zip's.
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::WriteZero => Fill::Write(e),
        _ => read(e),
    })?;
    Ok(())
}

fn options(name: &str, modified: SystemTime, bytes: u64) -> SimpleFileOptions {
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let method = match extension.is_some_and(|e| PACKED.contains(&e.as_str())) {
        true => CompressionMethod::Stored,
        false => CompressionMethod::Deflated,
    };
    SimpleFileOptions::default()
        .compression_method(method)
        .unix_permissions(0o644)
        .large_file(bytes >= u64::from(u32::MAX))
        .last_modified_time(dos_time(modified))
}

/// The time a zip can hold (from 1980 on, in two-second steps); the earliest otherwise.
fn dos_time(time: SystemTime) -> DateTime {
    let [y, mo, d, h, mi, s] = meta::civil(time);
    let narrow = |v: u64| u8::try_from(v).unwrap_or(0);
    u16::try_from(y)
        .ok()
        .and_then(|y| {
            DateTime::from_date_and_time(y, narrow(mo), narrow(d), narrow(h), narrow(mi), narrow(s))
                .ok()
        })
        .unwrap_or_default()
}

fn zip_io(e: zip::result::ZipError) -> std::io::Error {
    match e {
        zip::result::ZipError::Io(e) => e,
        other => std::io::Error::other(other),
    }
}

/// Renames `tmp` to the first name of `wanted`'s numbered ones that nothing has. The name is
/// taken first (a new empty file), so two shares at once never pick the same one.
fn place(tmp: &Path, wanted: &Path) -> Result<PathBuf> {
    for candidate in meta::numbered_file(wanted).take(1000) {
        match File::options()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(_) => {
                return std::fs::rename(tmp, &candidate)
                    .map(|()| candidate.clone())
                    .map_err(|source| {
                        let _ = std::fs::remove_file(&candidate);
                        Error::WriteFile {
                            path: candidate,
                            source,
                        }
                    })
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(source) => {
                return Err(Error::WriteFile {
                    path: candidate,
                    source,
                })
            }
        }
    }
    Err(Error::WriteFile {
        path: wanted.to_path_buf(),
        source: std::io::ErrorKind::AlreadyExists.into(),
    })
}

/// A file or folder of Darwinix's own, removed when dropped unless kept.
pub(super) struct Temporary {
    pub path: PathBuf,
    kept: bool,
}

impl Temporary {
    pub fn new(path: PathBuf) -> Self {
        Self { path, kept: false }
    }

    pub fn keep(mut self) {
        self.kept = true;
    }
}

impl Drop for Temporary {
    fn drop(&mut self) {
        if self.kept {
            return;
        }
        match self.path.is_dir() {
            true => drop(std::fs::remove_dir_all(&self.path)),
            false => drop(std::fs::remove_file(&self.path)),
        }
    }
}
