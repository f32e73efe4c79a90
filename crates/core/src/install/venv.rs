//! The project's `.venv`: is it healthy, make it, and remove it (only ever one we recognise as
//! a Python environment).

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::project::Layout;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Health {
    Missing,
    Healthy,
    /// A Python environment that cannot run any more (its base interpreter was removed).
    Broken {
        why: String,
    },
    /// Something else is at that path: never touched.
    NotAVenv,
}

pub fn health(venv: &Path, layout: Layout) -> Health {
    if std::fs::symlink_metadata(venv).is_err() {
        return Health::Missing;
    }
    let cfg = venv.join("pyvenv.cfg");
    let Ok(text) = std::fs::read_to_string(&cfg) else {
        return Health::NotAVenv;
    };
    let python = layout.python(venv);
    // A Linux venv seen from Windows (WSL): its links and `home` are the distro's, so only the
    // entries themselves can be checked here; the distro's Python says the rest when it runs.
    if layout.is_foreign() {
        return if std::fs::symlink_metadata(&python).is_ok() {
            Health::Healthy
        } else {
            Health::Broken {
                why: "its Python interpreter is gone".into(),
            }
        };
    }
    // `exists` follows the symlink to the base interpreter.
    if !python.exists() {
        return Health::Broken {
            why: "its Python interpreter is gone".into(),
        };
    }
    if let Some(home) = pyvenv_home(&text) {
        if !home.is_dir() {
            return Health::Broken {
                why: format!("the Python it was made from ({}) is gone", home.display()),
            };
        }
    }
    Health::Healthy
}

/// `home = /usr/bin` from `pyvenv.cfg`: the folder of the base interpreter.
pub fn pyvenv_home(cfg: &str) -> Option<PathBuf> {
    cfg.lines()
        .filter_map(|l| l.split_once('='))
        .find(|(k, _)| k.trim() == "home")
        .map(|(_, v)| PathBuf::from(v.trim()))
}

/// Removes a Python environment. Refuses anything without a `pyvenv.cfg`, so a user's own
/// folder that happens to be called `.venv` is never deleted.
pub fn remove(venv: &Path) -> Result<()> {
    if !venv.join("pyvenv.cfg").is_file() {
        return Err(Error::NotAVenv {
            path: venv.to_path_buf(),
        });
    }
    // Right after an install the bytecode warm-up (`install::bytecode`) may still be writing
    // `.pyc` files into it: a removal that meets one it just wrote ("directory not empty"; on
    // Windows, a file in use) tries again. Once its modules are gone the warm-up ends.
    let mut attempts = 0;
    loop {
        match std::fs::remove_dir_all(venv) {
            Ok(()) => return Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && attempts > 0 => return Ok(()),
            Err(e) if attempts < 50 && busy(&e) => {
                attempts += 1;
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            Err(source) => {
                return Err(Error::WriteFile {
                    path: venv.to_path_buf(),
                    source,
                })
            }
        }
    }
}

/// A removal that lost a race with a process still writing into the folder.
fn busy(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::DirectoryNotEmpty
        || (cfg!(windows) && e.kind() == std::io::ErrorKind::PermissionDenied)
}

/// Removes what a failed `create` left behind. Only called for a folder that did not exist
/// before the attempt, so everything in it is ours.
pub fn remove_half_made(venv: &Path) {
    let _ = std::fs::remove_dir_all(venv);
}

/// The packages installed in an environment: its `*.dist-info` folders.
pub fn count_packages(venv: &Path, layout: Layout) -> u32 {
    layout
        .site_packages(venv)
        .iter()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flat_map(|entries| entries.flatten())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".dist-info"))
        .count() as u32
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// The bytecode warm-up may write `.pyc` files while a rebuild removes the environment.
    #[test]
    fn removal_outlasts_a_process_still_writing_bytecode() {
        use std::sync::atomic::{AtomicBool, Ordering};
        use std::sync::Arc;
        let tmp = tempfile::tempdir().unwrap();
        let venv = tmp.path().join(".venv");
        let pkgs: Vec<PathBuf> = (0..20)
            .map(|i| venv.join(format!("lib/site-packages/pkg{i}")))
            .collect();
        for pkg in &pkgs {
            std::fs::create_dir_all(pkg).unwrap();
            for m in 0..50 {
                std::fs::write(pkg.join(format!("m{m}.py")), "").unwrap();
            }
        }
        std::fs::write(venv.join("pyvenv.cfg"), "home = /usr/bin\n").unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let writing = Arc::new(AtomicBool::new(false));
        let writer = {
            let stop = stop.clone();
            let writing = writing.clone();
            std::thread::spawn(move || {
                let mut n = 0u64;
                // A warm-up writes for a while, then ends (its modules are gone).
                let started = std::time::Instant::now();
                while !stop.load(Ordering::Relaxed)
                    && started.elapsed() < std::time::Duration::from_millis(300)
                {
                    // Like Python: `__pycache__` is made inside a package, never the package.
                    for pkg in &pkgs {
                        let cache = pkg.join("__pycache__");
                        let _ = std::fs::create_dir(&cache);
                        let _ = std::fs::write(cache.join(format!("m{n}.pyc")), b"pyc");
                    }
                    n += 1;
                    writing.store(true, Ordering::Relaxed);
                }
            })
        };
        // The removal starts while the warm-up writes.
        while !writing.load(Ordering::Relaxed) {
            std::thread::yield_now();
        }
        let removed = remove(&venv);
        stop.store(true, Ordering::Relaxed);
        writer.join().unwrap();
        removed.unwrap();
        assert!(!venv.exists());
    }

    #[test]
    fn health_of_odd_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let venv = tmp.path().join(".venv");
        assert_eq!(health(&venv, Layout::NATIVE), Health::Missing);
        std::fs::create_dir_all(venv.join("bin")).unwrap();
        std::fs::write(venv.join("notes.txt"), "mine").unwrap();
        assert_eq!(health(&venv, Layout::NATIVE), Health::NotAVenv);
        assert!(matches!(remove(&venv), Err(Error::NotAVenv { .. })));
        assert!(
            venv.join("notes.txt").exists(),
            "a user's folder is never deleted"
        );

        std::fs::write(venv.join("pyvenv.cfg"), "home = /nonexistent/python/bin\n").unwrap();
        std::os::unix::fs::symlink("/nonexistent/python/bin/python3", venv.join("bin/python"))
            .unwrap();
        assert!(matches!(
            health(&venv, Layout::NATIVE),
            Health::Broken { .. }
        ));
    }

    #[test]
    fn pyvenv_cfg() {
        let cfg =
            "home = /root/.pyenv/versions/3.11.7/bin\nimplementation = CPython\nuv = 0.13.9\n";
        assert_eq!(
            pyvenv_home(cfg),
            Some(PathBuf::from("/root/.pyenv/versions/3.11.7/bin"))
        );
    }
}
