//! Which files in a folder are Python interpreters, best names first.

use std::path::{Path, PathBuf};

/// `python`, `python3`, `python3.N` (with `.exe` on Windows) in `dir`, best names first.
pub(super) fn python_files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return vec![];
    };
    let mut found: Vec<((u8, u32), PathBuf)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name();
            let rank = python_name_rank(name.to_str()?)?;
            let path = e.path();
            is_executable(&path).then_some((rank, path))
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, p)| p).collect()
}

/// Sort key for interpreter names: `python3`, then `python`, then `python3.N`, newest first.
/// `None` for everything else (`python3-config`, `python3.11m`, `pythonw`, `python2`).
fn python_name_rank(name: &str) -> Option<(u8, u32)> {
    let suffix = std::env::consts::EXE_SUFFIX;
    let stem = if suffix.is_empty() {
        name
    } else {
        name.strip_suffix(suffix)
            .or_else(|| name.strip_suffix(&suffix.to_ascii_uppercase()))?
    };
    match stem {
        "python3" => Some((0, 0)),
        "python" => Some((1, 0)),
        _ => {
            let minor = stem.strip_prefix("python3.")?;
            let n: u32 = minor.parse().ok().filter(|_| minor.len() <= 2)?;
            Some((2, 100 - n.min(99)))
        }
    }
}

pub(super) fn is_executable(path: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    meta.is_file() && has_exec_bit(&meta)
}

// Unix: a file must carry an execute bit to run.
#[cfg(unix)]
fn has_exec_bit(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o111 != 0
}

// Windows: the extension, already checked by name, is what makes a file runnable.
#[cfg(not(unix))]
fn has_exec_bit(_meta: &std::fs::Metadata) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpreter_names() {
        if cfg!(windows) {
            return;
        }
        assert_eq!(python_name_rank("python3"), Some((0, 0)));
        assert_eq!(python_name_rank("python"), Some((1, 0)));
        assert!(python_name_rank("python3.12") < python_name_rank("python3.9"));
        for not in [
            "python2",
            "python3-config",
            "python3.11m",
            "python3.11-config",
            "pythonw",
            "python3.",
            "python3.x",
        ] {
            assert_eq!(python_name_rank(not), None, "{not}");
        }
    }
}
