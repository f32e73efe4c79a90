//! Which of a folder's setup files Darwinix installs from, chosen as Binder (repo2docker)
//! chooses, so a course link that works on Binder works here: a `binder/` (or `.binder/`)
//! folder is the only place read; then `environment.yml` → `Pipfile.lock`/`Pipfile` →
//! `pyproject.toml` when it declares dependencies → `requirements.txt` (with the folder's own
//! package) → the folder's package alone. What is not used is named with the reason.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{conda, pipfile, pyproject, Source, ENVIRONMENT, PYPROJECT, REQUIREMENTS, UV_LOCK};
use crate::error::{Error, Result};

const BINDER_DIRS: [&str; 2] = ["binder", ".binder"];
const PACKAGE_FILES: [&str; 2] = ["setup.py", "setup.cfg"];
/// Files Binder reads that Darwinix does not act on, with the reason said to the user.
const NOT_ACTED_ON: &[(&str, &str)] = &[
    ("Dockerfile", "Darwinix does not build Docker images"),
    ("apt.txt", "Darwinix does not install system packages"),
    ("postBuild", "Darwinix does not run build scripts"),
    ("start", "Darwinix does not run start scripts"),
    ("install.R", "R packages are not installed by Darwinix"),
    (
        "Project.toml",
        "Julia packages are not installed by Darwinix",
    ),
    (
        "default.nix",
        "the Nix shell is used only when you choose it in Project settings",
    ),
];

/// A setup file that is not used, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct Ignored {
    /// Relative to the project folder: `requirements.txt`, `binder/apt.txt`.
    pub file: String,
    pub why: String,
}

/// The outcome of the choice.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// `None`: no setup file; the notebooks' imports are read.
    pub source: Option<Source>,
    pub ignored: Vec<Ignored>,
    /// The user picked the file (Project settings, `--from`).
    pub picked: bool,
    /// Said once: the file the user picked is gone, so the usual choice was made.
    pub notice: Option<String>,
}

/// A candidate, in Binder's order, with the source it would be.
struct Candidate {
    /// Relative to the project folder, as the user sees it.
    shown: String,
    source: Result<Option<Source>>,
}

/// Chooses `dir`'s source; `picked` is the file the user chose (relative to `dir`).
pub fn choose(dir: &Path, picked: Option<&str>) -> Result<Choice> {
    let binder = binder_dir(dir)?;
    let mut notice = None;
    if let Some(file) = picked {
        match dir.join(file).is_file() {
            true => return picked_choice(dir, binder.as_deref(), file),
            false => {
                notice = Some(format!(
                    "The setup file you chose, {file}, is not in the folder any more: Darwinix chose again"
                ))
            }
        }
    }
    let root = binder.clone().unwrap_or_else(|| dir.to_path_buf());
    let mut source = None;
    let mut chosen_name = String::new();
    let mut ignored = Vec::new();
    for candidate in candidates(dir, &root, binder.is_some()) {
        let why = match (&source, candidate.source) {
            (None, found) => match found? {
                Some(found) => {
                    chosen_name = candidate.shown;
                    source = Some(found);
                    continue;
                }
                None => why_not_a_source(dir, &candidate.shown),
            },
            (_, Ok(None)) => why_not_a_source(dir, &candidate.shown),
            // The folder's own package is installed after requirements.txt: it is used.
            (Some(Source::Requirements { package: true, .. }), Ok(Some(Source::Package))) => None,
            // A later file is not read further: one that does not parse is still not used.
            (Some(_), _) => Some(format!("{chosen_name} comes first")),
        };
        if let Some(why) = why {
            ignored.push(Ignored {
                file: candidate.shown,
                why,
            });
        }
    }
    if let Some(binder) = &binder {
        ignored.extend(outside_binder(dir, binder));
        source = source.or_else(|| made_beside_binder(dir, &mut ignored));
    }
    ignored.extend(not_acted_on(dir, &root));
    Ok(Choice {
        source,
        ignored,
        picked: false,
        notice,
    })
}

/// A binder/ folder without a list: the one Darwinix wrote from the imports beside it is the
/// list (else each start would read the imports again).
fn made_beside_binder(dir: &Path, ignored: &mut Vec<Ignored>) -> Option<Source> {
    let made = dir.join(REQUIREMENTS);
    if !super::made_from_imports(&made) {
        return None;
    }
    ignored.retain(|i| i.file != REQUIREMENTS);
    Some(Source::Requirements {
        file: made,
        package: false,
    })
}

/// `binder/` or `.binder/` when the folder has one; both is an error (Binder refuses too).
fn binder_dir(dir: &Path) -> Result<Option<PathBuf>> {
    let found: Vec<PathBuf> = BINDER_DIRS
        .iter()
        .map(|d| dir.join(d))
        .filter(|d| d.is_dir())
        .collect();
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one.clone())),
        _ => Err(Error::TwoBinderFolders {
            dir: dir.to_path_buf(),
        }),
    }
}

/// Every file that could be the source, in Binder's order. Each reads its file only when
/// asked (the first usable one wins; later ones are only checked for being present).
fn candidates(dir: &Path, root: &Path, in_binder: bool) -> Vec<Candidate> {
    let shown = |file: &Path| shown(dir, file);
    let mut out = Vec::new();
    for name in ENVIRONMENT {
        let file = root.join(name);
        if file.is_file() {
            out.push(Candidate {
                shown: shown(&file),
                source: conda::read(&file).map(|spec| Some(Source::Conda { file, spec })),
            });
        }
    }
    // The lock has the exact versions: the Pipfile beside it adds nothing.
    let pipfile = [pipfile::PIPFILE_LOCK, pipfile::PIPFILE]
        .iter()
        .map(|n| root.join(n))
        .find(|f| f.is_file());
    if let Some(file) = pipfile {
        out.push(Candidate {
            shown: shown(&file),
            source: pipfile::read(&file).map(|spec| Some(Source::Pipfile { file, spec })),
        });
    }
    // Binder installs the folder's own package and pyproject.toml only outside `binder/`.
    let package = !in_binder && is_package(dir);
    if !in_binder && dir.join(PYPROJECT).is_file() {
        out.push(Candidate {
            shown: PYPROJECT.into(),
            source: pyproject_source(dir),
        });
    }
    let requirements = root.join(REQUIREMENTS);
    if requirements.is_file() {
        out.push(Candidate {
            shown: shown(&requirements),
            source: Ok(Some(Source::Requirements {
                file: requirements,
                package,
            })),
        });
    }
    if package {
        out.push(Candidate {
            shown: package_file(dir),
            source: Ok(Some(Source::Package)),
        });
    }
    out
}

/// `pyproject.toml` as a source: only when it declares dependencies (a file of tool settings
/// falls through); with `uv.lock`, a uv project synced to its lock.
fn pyproject_source(dir: &Path) -> Result<Option<Source>> {
    let spec = pyproject::read(&dir.join(PYPROJECT))?;
    if !spec.declares {
        return Ok(None);
    }
    Ok(Some(match dir.join(UV_LOCK).is_file() {
        true => Source::UvProject,
        false => Source::Pyproject(spec),
    }))
}

/// The folder is a Python package `pip install .` installs: `setup.py`, `setup.cfg`, or a
/// `pyproject.toml` with `[project]` and `[build-system]`.
pub fn is_package(dir: &Path) -> bool {
    PACKAGE_FILES.iter().any(|f| dir.join(f).is_file())
        || pyproject::read(&dir.join(PYPROJECT)).is_ok_and(|s| s.has_project && s.package)
}

fn package_file(dir: &Path) -> String {
    PACKAGE_FILES
        .iter()
        .find(|f| dir.join(f).is_file())
        .unwrap_or(&PYPROJECT)
        .to_string()
}

/// Why a present file is not a source at all (not merely a later one).
fn why_not_a_source(dir: &Path, shown: &str) -> Option<String> {
    (shown == PYPROJECT && dir.join(PYPROJECT).is_file())
        .then(|| "it holds only tool settings ([tool.…]), no dependencies".to_string())
}

/// With a `binder/` folder, the setup files beside it are not read (as on Binder).
fn outside_binder(dir: &Path, binder: &Path) -> Vec<Ignored> {
    let name = shown(dir, binder);
    let mut files: Vec<&str> = ENVIRONMENT.to_vec();
    files.extend([
        pipfile::PIPFILE_LOCK,
        pipfile::PIPFILE,
        REQUIREMENTS,
        "runtime.txt",
    ]);
    files.extend(PACKAGE_FILES);
    files.push(PYPROJECT);
    files
        .into_iter()
        .filter(|f| dir.join(f).is_file())
        .map(|f| Ignored {
            file: f.to_string(),
            why: format!("{name}/ holds this project's setup files (Binder reads only there)"),
        })
        .collect()
}

fn not_acted_on(dir: &Path, root: &Path) -> Vec<Ignored> {
    NOT_ACTED_ON
        .iter()
        .map(|(name, why)| (root.join(name), why))
        .filter(|(file, _)| file.is_file())
        .map(|(file, why)| Ignored {
            file: shown(dir, &file),
            why: why.to_string(),
        })
        .collect()
}

/// The user's pick: that file, read as its kind says; every other candidate is not used.
fn picked_choice(dir: &Path, binder: Option<&Path>, file: &str) -> Result<Choice> {
    let path = dir.join(file);
    let source = source_of_file(dir, &path)?;
    let root = binder.map_or_else(|| dir.to_path_buf(), Path::to_path_buf);
    let ignored = candidates(dir, &root, binder.is_some())
        .into_iter()
        .filter(|c| c.shown != file)
        .map(|c| Ignored {
            file: c.shown,
            why: format!("you chose {file} in Project settings"),
        })
        .collect();
    Ok(Choice {
        source: Some(source),
        ignored,
        picked: true,
        notice: None,
    })
}

/// A file the user picked, read by its name: any `*.txt` is a requirements file.
pub fn source_of_file(dir: &Path, path: &Path) -> Result<Source> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let file = path.to_path_buf();
    Ok(match name.as_str() {
        n if ENVIRONMENT.contains(&n) || n.ends_with(".yml") || n.ends_with(".yaml") => {
            Source::Conda {
                spec: conda::read(path)?,
                file,
            }
        }
        pipfile::PIPFILE | pipfile::PIPFILE_LOCK => Source::Pipfile {
            spec: pipfile::read(path)?,
            file,
        },
        PYPROJECT => match dir.join(UV_LOCK).is_file() {
            true => Source::UvProject,
            false => Source::Pyproject(pyproject::read(path)?),
        },
        "setup.py" | "setup.cfg" => Source::Package,
        _ => Source::Requirements {
            file,
            package: false,
        },
    })
}

/// `file` as the user sees it: relative to the project folder, with `/`.
pub fn shown(dir: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(dir).unwrap_or(file);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// The setup files present in `dir` that the user may pick from (Project settings, `--from`).
pub fn pickable(dir: &Path) -> Vec<String> {
    let mut roots = vec![dir.to_path_buf()];
    roots.extend(BINDER_DIRS.iter().map(|b| dir.join(b)));
    let mut out = Vec::new();
    for root in roots {
        let Ok(entries) = std::fs::read_dir(&root) else {
            continue;
        };
        let mut names: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file() && is_setup_file(p))
            .collect();
        names.sort();
        out.extend(names.iter().map(|p| shown(dir, p)));
    }
    out
}

fn is_setup_file(path: &Path) -> bool {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    ENVIRONMENT.contains(&name.as_ref())
        || [
            pipfile::PIPFILE,
            pipfile::PIPFILE_LOCK,
            PYPROJECT,
            "setup.py",
            "setup.cfg",
        ]
        .contains(&name.as_ref())
        || (name.starts_with("requirements") && name.ends_with(".txt"))
}

#[cfg(test)]
#[path = "choose_tests.rs"]
mod tests;
