//! Start over from the teacher's version: the student's folder is kept whole under a dated
//! name, and the course cloned fresh where it was.

use std::path::{Path, PathBuf};

use super::{clone, Progress};
use crate::error::CourseError;
use crate::error::{Error, Result};

pub(super) fn start_over(dir: &Path, on_progress: &(dyn Fn(Progress) + Sync)) -> Result<PathBuf> {
    let url = super::remote_url(dir).ok_or_else(|| {
        Error::Course(CourseError::NotACourse {
            dir: dir.to_path_buf(),
        })
    })?;
    let branch = super::branch(dir);
    let kept = kept_name(dir, &today());
    std::fs::rename(dir, &kept).map_err(|source| Error::CreateDir {
        path: kept.clone(),
        source,
    })?;
    match clone::clone(&url, branch.as_deref(), dir, None, on_progress) {
        Ok(_) => Ok(kept),
        Err(err) => {
            // Nothing half-done: the student's folder goes back where it was.
            let _ = std::fs::rename(&kept, dir);
            Err(err)
        }
    }
}

/// `<name> (my copy DATE)` beside `dir`, with ` 2`, ` 3`, … when taken.
fn kept_name(dir: &Path, date: &str) -> PathBuf {
    let name = dir.file_name().unwrap_or_default().to_string_lossy();
    crate::format::numbered(format!("{name} (my copy {date})"), String::new())
        .map(|kept| dir.with_file_name(kept))
        .find(|path| path.symlink_metadata().is_err())
        .expect("some number is free")
}

/// Today's local date, `2026-12-06`.
fn today() -> String {
    let now = gix::date::Time::now_local_or_utc();
    let (y, m, d) = civil(
        now.seconds
            .saturating_add(i64::from(now.offset))
            .div_euclid(86_400),
    );
    format!("{y:04}-{m:02}-{d:02}")
}

/// The calendar date of a day counted from 1970-01-01 (H. Hinnant's `civil_from_days`).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(20_793), (2026, 12, 6));
        assert_eq!(civil(11_016), (2000, 2, 29));
        assert_eq!(civil(-1), (1969, 12, 31));
    }
}
