//! Why an existing `.venv` is kept, made, or rebuilt: decided from what was found, without
//! touching anything (the caller removes and reports).

use std::path::{Path, PathBuf};

use super::venv::Health;
use crate::project::backend::Place;
use crate::project::stamp::Stamp;

/// What was found of the project's environment.
pub(super) struct Found<'a> {
    pub health: Health,
    pub stamp: Option<&'a Stamp>,
    /// Where the `.venv` is now.
    pub venv: &'a Path,
    /// Where the project runs now.
    pub place: &'a Place,
    /// The interpreter the user asks for, when the environment was not built from it.
    pub other_python: Option<&'a Path>,
}

#[derive(Debug, PartialEq, Eq)]
pub(super) enum Verdict {
    Keep,
    Create,
    /// Remove it and make it again; the warning says why.
    Rebuild {
        warning: String,
    },
    /// Something that is not a Python environment is in the way: never touched.
    NotAVenv,
}

pub(super) fn verdict(found: &Found<'_>) -> Verdict {
    match &found.health {
        Health::NotAVenv => return Verdict::NotAVenv,
        Health::Missing => return Verdict::Create,
        Health::Broken { why } => return broken(why),
        Health::Healthy => {}
    }
    if let Some(old) = found.stamp {
        // Venvs hold absolute paths: a moved project's `.venv` no longer works.
        if !old.venv.as_os_str().is_empty() && old.venv != found.venv {
            let why = format!(
                "it was made in {} before the project moved",
                old.venv.display()
            );
            return broken(&why);
        }
        if !old.backend.serves(found.place) {
            let warning = format!(
                "Rebuilding the environment: it was made to run in another place ({})",
                old.backend
            );
            return Verdict::Rebuild { warning };
        }
    }
    match found.other_python {
        Some(python) => Verdict::Rebuild {
            warning: format!("Rebuilding the environment with {}", python.display()),
        },
        None => Verdict::Keep,
    }
}

fn broken(why: &str) -> Verdict {
    Verdict::Rebuild {
        warning: format!("The project's environment no longer works ({why}); rebuilding it"),
    }
}

/// The interpreter asked for, when the environment in `venv_python` was not built from it.
pub(super) fn other_python<'a>(
    wanted: Option<&'a PathBuf>,
    stamp: Option<&Stamp>,
    venv_python: &Path,
) -> Option<&'a Path> {
    let wanted = wanted?;
    // The same request as last time (a pyenv shim, a bare name, a wrapper: all fine).
    if stamp.is_some_and(|s| s.requested_python.as_ref() == Some(wanted)) {
        return None;
    }
    (!same_interpreter(wanted, venv_python)).then_some(wanted.as_path())
}

/// Two interpreter paths that run the same binary (a venv's `python` links to its base).
fn same_interpreter(a: &Path, b: &Path) -> bool {
    match (dunce::canonicalize(a), dunce::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Installer;

    fn stamp(venv: &str, place: Place) -> Stamp {
        Stamp {
            hash: "h".into(),
            installer: Installer::Uv,
            packages: 1,
            venv: venv.into(),
            requested_python: None,
            backend: place,
            kernel_layer: None,
            python_wish: None,
        }
    }

    #[test]
    fn what_is_found_decides_the_environment() {
        let here = Place::ThisComputer;
        let wsl = Place::Wsl {
            distro: "Debian".into(),
        };
        let at_p = stamp("/p/.venv", here.clone());
        let moved = stamp("/old/.venv", here.clone());
        let legacy = stamp("", Place::Unrecorded);
        let in_wsl = stamp("/p/.venv", wsl.clone());
        let python = Path::new("/usr/bin/python3.12");
        let broken = || Health::Broken {
            why: "no python".into(),
        };
        // (health, stamp, other python, expected verdict: keep / create / rebuild / refuse)
        let table: [(Health, Option<&Stamp>, Option<&Path>, &str); 10] = [
            (Health::Healthy, Some(&at_p), None, "keep"),
            (Health::Healthy, None, None, "keep"),
            (Health::Healthy, Some(&legacy), None, "keep"),
            (Health::Missing, Some(&in_wsl), Some(python), "create"),
            (Health::NotAVenv, None, None, "refuse"),
            (broken(), Some(&at_p), None, "no longer works (no python)"),
            (
                Health::Healthy,
                Some(&moved),
                None,
                "made in /old/.venv before the project moved",
            ),
            (
                Health::Healthy,
                Some(&in_wsl),
                None,
                "another place (wsl:Debian)",
            ),
            (
                Health::Healthy,
                Some(&at_p),
                Some(python),
                "with /usr/bin/python3.12",
            ),
            (
                Health::Healthy,
                None,
                Some(python),
                "with /usr/bin/python3.12",
            ),
        ];
        for (health, stamp, other_python, expected) in table {
            let found = Found {
                health,
                stamp,
                venv: Path::new("/p/.venv"),
                place: &here,
                other_python,
            };
            let got = verdict(&found);
            let ok = match (&got, expected) {
                (Verdict::Keep, "keep") | (Verdict::Create, "create") => true,
                (Verdict::NotAVenv, "refuse") => true,
                (Verdict::Rebuild { warning }, why) => warning.contains(why),
                _ => false,
            };
            assert!(ok, "expected {expected}, got {got:?}");
        }
    }

    #[test]
    fn the_python_asked_for_last_time_is_not_asked_again() {
        let dir = tempfile::tempdir().unwrap();
        let wanted = PathBuf::from("python3");
        let mut s = stamp("/p/.venv", Place::ThisComputer);
        let venv_python = dir.path().join("python");
        assert_eq!(other_python(None, Some(&s), &venv_python), None);
        assert_eq!(
            other_python(Some(&wanted), Some(&s), &venv_python),
            Some(wanted.as_path())
        );
        s.requested_python = Some(wanted.clone());
        assert_eq!(other_python(Some(&wanted), Some(&s), &venv_python), None);
        // The very interpreter the environment runs.
        std::fs::write(&venv_python, "").unwrap();
        let same = venv_python.clone();
        assert_eq!(other_python(Some(&same), None, &venv_python), None);
    }
}
