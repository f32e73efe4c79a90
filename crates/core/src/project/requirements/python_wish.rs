//! The Python a project asks for, from its files, in Binder's order: the chosen
//! `environment.yml`'s `python=X.Y` or the `Pipfile`'s `python_version`, else `runtime.txt`
//! (`python-3.9`), `.python-version`, then `requires-python` (the highest version it allows —
//! one on this computer when one is). Only the kernel's `.venv` is made from it; the shared
//! JupyterLab runtime keeps its own Python.

use std::path::Path;

use pep508_rs::pep440_rs::{Version, VersionSpecifiers};

use super::choose::Choice;
use super::{pyproject, Source, PYPROJECT};

/// Python minor versions uv can provide, newest first (what a range is resolved against when
/// no Python on this computer fits it).
const KNOWN: &[(u64, u64)] = &[(3, 14), (3, 13), (3, 12), (3, 11), (3, 10), (3, 9), (3, 8)];

/// What the project's files ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wish {
    pub wanted: Wanted,
    /// The file that says so, as the user sees it (`runtime.txt`, `binder/environment.yml`).
    pub from: String,
}

impl Wish {
    /// For the stamp, and people: `3.9 from runtime.txt`.
    pub fn key(&self) -> String {
        match &self.wanted {
            Wanted::Version(v) | Wanted::Range(v) => format!("{v} from {}", self.from),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wanted {
    /// `X.Y`.
    Version(String),
    /// A PEP 440 range (`>=3.8,<3.11`).
    Range(String),
}

/// What Binder's files ask for, given the choice of source made for `dir`.
fn binder_wish(dir: &Path, choice: &Choice) -> Option<Wish> {
    let version = |v: &str, from: &str| Wish {
        wanted: Wanted::Version(v.to_string()),
        from: from.to_string(),
    };
    match &choice.source {
        Some(Source::Conda { file, spec }) => {
            return spec
                .python
                .as_deref()
                .map(|v| version(v, &super::choose::shown(dir, file)));
        }
        Some(Source::Pipfile { file, spec }) if spec.python.is_some() => {
            let from = super::choose::shown(dir, file);
            return spec.python.as_deref().map(|v| version(v, &from));
        }
        _ => {}
    }
    let runtime = ["binder/runtime.txt", ".binder/runtime.txt", "runtime.txt"]
        .iter()
        .find(|f| dir.join(f).is_file())?;
    if let Some(v) = read_first_line(&dir.join(runtime)).and_then(|l| runtime_txt(&l)) {
        return Some(version(&v, runtime));
    }
    None
}

/// The wish of `dir`'s files: Binder's, then `.python-version` and `requires-python`.
pub fn wish(dir: &Path, choice: &Choice) -> Option<Wish> {
    if let Some(found) = binder_wish(dir, choice) {
        return Some(found);
    }
    if let Some(v) = read_first_line(&dir.join(".python-version")).and_then(|l| x_y(&l)) {
        return Some(Wish {
            wanted: Wanted::Version(v),
            from: ".python-version".into(),
        });
    }
    let range = pyproject::read(&dir.join(PYPROJECT))
        .ok()
        .and_then(|s| s.requires_python)?;
    Some(Wish {
        wanted: Wanted::Range(range),
        from: PYPROJECT.into(),
    })
}

fn read_first_line(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
}

/// `python-3.9` or `python-3.9.18` → `3.9`.
fn runtime_txt(line: &str) -> Option<String> {
    x_y(line.strip_prefix("python-")?)
}

/// `3.9`, `3.9.18` → `3.9`; anything else (`pypy3.9`, `system`) → nothing.
fn x_y(text: &str) -> Option<String> {
    let mut parts = text.trim().split('.');
    let major: u64 = parts.next()?.parse().ok()?;
    let minor: u64 = parts.next()?.parse().ok()?;
    Some(format!("{major}.{minor}"))
}

/// The `X.Y` a range asks for: `None` when one of the Pythons here fits it (the usual choice
/// stands), else the newest known version it allows (`None` when it allows none, or is not a
/// valid range: nothing is guessed).
pub fn resolve_range(range: &str, here: &[String]) -> Option<String> {
    let specifiers: VersionSpecifiers = range.parse().ok()?;
    let allows = |v: &str| v.parse::<Version>().is_ok_and(|v| specifiers.contains(&v));
    if here.iter().any(|v| allows(v)) {
        return None;
    }
    KNOWN
        .iter()
        .map(|(major, minor)| format!("{major}.{minor}"))
        // A range like `<3.10` excludes 3.10.0 but wants 3.9.x: try the minor's late patch too.
        .find(|v| allows(&format!("{v}.0")) || allows(&format!("{v}.99")))
}

/// Python 2: notebooks written for it cannot run in any Python Darwinix can make.
pub fn is_python2(version: &str) -> bool {
    version == "2" || version.starts_with("2.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::requirements::choose::choose;

    fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    fn wished(files: &[(&str, &str)]) -> Option<(Wanted, String)> {
        let dir = folder(files);
        let choice = choose(dir.path(), None).unwrap();
        wish(dir.path(), &choice).map(|w| (w.wanted, w.from))
    }

    fn version(v: &str, from: &str) -> Option<(Wanted, String)> {
        Some((Wanted::Version(v.into()), from.into()))
    }

    #[test]
    fn each_file_that_names_a_python_is_read_in_binders_order() {
        assert_eq!(wished(&[("requirements.txt", "six\n")]), None);
        assert_eq!(
            wished(&[
                ("runtime.txt", "python-3.9\n"),
                ("requirements.txt", "six\n")
            ]),
            version("3.9", "runtime.txt")
        );
        assert_eq!(
            wished(&[("binder/runtime.txt", "python-3.10.4\n")]),
            version("3.10", "binder/runtime.txt")
        );
        assert_eq!(
            wished(&[
                (
                    "environment.yml",
                    "dependencies:\n  - python=3.8\n  - numpy\n"
                ),
                ("runtime.txt", "python-3.9\n"),
            ]),
            version("3.8", "environment.yml"),
            "environment.yml's python wins, as on Binder"
        );
        assert_eq!(
            wished(&[(
                "Pipfile",
                "[packages]\nsix = \"*\"\n[requires]\npython_version = \"3.7\"\n"
            )]),
            version("3.7", "Pipfile")
        );
        assert_eq!(
            wished(&[(".python-version", "3.12.1\n")]),
            version("3.12", ".python-version")
        );
        assert_eq!(
            wished(&[(
                "pyproject.toml",
                "[project]\nname='p'\nrequires-python='>=3.8,<3.11'\ndependencies=['six']\n"
            )]),
            Some((Wanted::Range(">=3.8,<3.11".into()), "pyproject.toml".into()))
        );
        assert_eq!(wished(&[(".python-version", "pypy3.9\n")]), None);
    }

    #[test]
    fn a_range_keeps_a_python_here_that_fits_else_the_newest_it_allows() {
        let here = ["3.11.7".to_string()];
        assert_eq!(resolve_range(">=3.8", &here), None);
        assert_eq!(resolve_range(">=3.8,<3.11", &here).as_deref(), Some("3.10"));
        assert_eq!(resolve_range(">=3.12", &here).as_deref(), Some("3.14"));
        assert_eq!(resolve_range("~=3.9.0", &here).as_deref(), Some("3.9"));
        assert_eq!(
            resolve_range("<3", &here),
            None,
            "no Python 3 fits: nothing guessed"
        );
        assert_eq!(resolve_range("not a range", &here), None);
    }

    #[test]
    fn python_2_is_named() {
        assert!(is_python2("2.7"));
        assert!(!is_python2("3.12"));
    }
}
