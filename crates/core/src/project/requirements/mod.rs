//! Where a project's list of packages comes from: the setup file chosen as Binder chooses
//! (`choose`), the one the user picked, or — for a folder with none — what its notebooks
//! import, written into a new `requirements.txt`.

pub mod choose;
pub mod conda;
pub mod control;
pub mod edit;
pub mod imports;
pub mod names;
pub mod pep508;
pub mod pipfile;
mod poetry;
pub mod pyproject;
pub mod pyproject_edit;
pub mod python_wish;
mod table_spec;

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

pub const REQUIREMENTS: &str = "requirements.txt";
pub const PYPROJECT: &str = "pyproject.toml";
pub const UV_LOCK: &str = "uv.lock";
pub const ENVIRONMENT: [&str; 2] = ["environment.yml", "environment.yaml"];
/// The first line of a `requirements.txt` Darwinix wrote from the imports.
pub const FROM_IMPORTS: &str =
    "# Made by Darwinix from the imports in your notebooks: edit it freely, Darwinix never rewrites it.";

/// The file (or files) a project's packages are read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A requirements file (`requirements.txt`, `binder/requirements.txt`, or one the user
    /// picked), with its `-r`/`-c` includes; then the folder's own package when it is one.
    Requirements {
        file: PathBuf,
        package: bool,
    },
    /// A uv project: `pyproject.toml` with `uv.lock`.
    UvProject,
    Pyproject(pyproject::Spec),
    /// `Pipfile.lock` or `Pipfile`.
    Pipfile {
        file: PathBuf,
        spec: pipfile::Spec,
    },
    Conda {
        file: PathBuf,
        spec: conda::Spec,
    },
    /// The folder is a package (`setup.py`, `setup.cfg`, or `pyproject.toml` with `[project]`
    /// and `[build-system]`) and lists nothing else: it is installed editable.
    Package,
    /// None of these files, and no imports in the notebooks: Python and the kernel alone
    /// (nothing is written into the folder).
    Nothing,
}

impl Source {
    /// The project's source as Binder would choose it, or `None` when it has no setup file.
    /// Callers that know the project's settings use [`Source::of`], which honours the user's
    /// pick.
    pub fn detect(dir: &Path) -> Result<Option<Source>> {
        Ok(choose::choose(dir, None)?.source)
    }

    /// The source for `dir` with the file the user picked (`None`: Darwinix chooses).
    pub fn of(dir: &Path, picked: Option<&str>) -> Result<Option<Source>> {
        Ok(choose::choose(dir, picked)?.source)
    }

    /// A requirements file at `dir/requirements.txt` (the list Darwinix writes from imports).
    pub fn requirements_txt(dir: &Path) -> Source {
        Source::Requirements {
            file: dir.join(REQUIREMENTS),
            package: false,
        }
    }

    /// For people: where the packages come from.
    pub fn describe(&self) -> String {
        match self {
            Source::Requirements { file, package } => {
                let name = shown_name(file);
                match package {
                    true => format!("{name} and the folder's own package"),
                    false => name,
                }
            }
            Source::UvProject => format!("{PYPROJECT} and {UV_LOCK}"),
            Source::Pyproject(_) => PYPROJECT.into(),
            Source::Pipfile { file, .. } | Source::Conda { file, .. } => shown_name(file),
            Source::Package => "the folder's own package (setup.py or pyproject.toml)".into(),
            Source::Nothing => "no list of packages (none found in the notebooks)".into(),
        }
    }

    /// The file Darwinix's package changes edit, when it is one file it reads.
    pub fn file(&self, dir: &Path) -> Option<PathBuf> {
        match self {
            Source::Requirements { file, .. }
            | Source::Pipfile { file, .. }
            | Source::Conda { file, .. } => Some(file.clone()),
            Source::UvProject | Source::Pyproject(_) => Some(dir.join(PYPROJECT)),
            Source::Package | Source::Nothing => None,
        }
    }

    /// The files whose bytes decide the environment (`None`: it cannot be known from files, as
    /// with local or editable packages — then the installer always runs).
    pub fn inputs(&self, dir: &Path) -> Option<Vec<u8>> {
        match self {
            Source::Requirements {
                file,
                package: false,
            } => requirement_file_inputs(file),
            Source::Requirements { package: true, .. } | Source::Package => None,
            Source::UvProject => {
                let mut bytes = std::fs::read(dir.join(PYPROJECT)).ok()?;
                bytes.extend(std::fs::read(dir.join(UV_LOCK)).ok()?);
                Some(bytes)
            }
            Source::Pyproject(_) => std::fs::read(dir.join(PYPROJECT)).ok(),
            Source::Pipfile { file, .. } | Source::Conda { file, .. } => {
                let mut bytes = file.to_string_lossy().into_owned().into_bytes();
                bytes.extend(std::fs::read(file).ok()?);
                Some(bytes)
            }
            Source::Nothing => Some(b"nothing".to_vec()),
        }
    }

    /// The requirement lines it lists (for a requirements file: with its includes).
    pub fn requirements(&self, dir: &Path) -> Vec<String> {
        match self {
            Source::Requirements { file, .. } => {
                let base = file.parent().unwrap_or(dir);
                requirement_lines(base, file, 0)
            }
            Source::UvProject => pyproject::read(&dir.join(PYPROJECT))
                .map(|s| s.requirements)
                .unwrap_or_default(),
            Source::Pyproject(spec) => spec.requirements.clone(),
            Source::Pipfile { spec, .. } => spec.requirements.clone(),
            Source::Conda { spec, .. } => spec.requirements.clone(),
            Source::Package | Source::Nothing => Vec::new(),
        }
    }

    /// The folder's own package is installed (editable) besides the listed requirements.
    pub fn installs_folder(&self) -> bool {
        match self {
            Source::Requirements { package, .. } => *package,
            Source::Package => true,
            Source::Pyproject(spec) => spec.package,
            _ => false,
        }
    }

    /// Dependencies the file declares that are not index packages (git, a path, a URL): not
    /// installed, and named to the user.
    pub fn skipped(&self) -> &[String] {
        match self {
            Source::Pyproject(spec) => &spec.skipped,
            Source::Pipfile { spec, .. } => &spec.skipped,
            _ => &[],
        }
    }

    /// The project chose its own JupyterLab (or the classic Notebook): it keeps running that
    /// one instead of Darwinix's runtime.
    pub fn lists_jupyter(&self, dir: &Path) -> bool {
        self.requirements(dir)
            .iter()
            .filter_map(|r| name_of(r))
            .any(|n| matches!(n.as_str(), "jupyterlab" | "notebook" | "jupyter"))
    }
}

/// Reads a project file with `parse`; a file that does not parse is an error naming its line.
fn read_parsed<T>(
    path: &Path,
    parse: impl FnOnce(&str) -> std::result::Result<T, (usize, String)>,
) -> Result<T> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::ReadFile {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&text).map_err(|(line, message)| Error::BadProjectFile {
        path: path.to_path_buf(),
        line,
        message,
    })
}

/// The distribution a requirement line names, normalised (`Jupyter_Lab[all]>=4` → `jupyter-lab`).
pub fn name_of(requirement: &str) -> Option<String> {
    pep508::name_of(requirement)
}

/// A requirements file and the files it pulls in with `-r`/`-c`, as bytes; `None` when that
/// cannot be known (local or editable packages, a missing include).
fn requirement_file_inputs(file: &Path) -> Option<Vec<u8>> {
    let dir = file.parent()?;
    let main = std::fs::read(file).ok()?;
    let mut bytes = main.clone();
    for line in String::from_utf8_lossy(&main).lines().map(str::trim) {
        if let Some(include) = include_of(line) {
            bytes.extend(std::fs::read(dir.join(include)).ok()?);
        } else if line.starts_with("-e")
            || line.starts_with('.')
            || line.starts_with('/')
            || line.contains("file:")
        {
            return None;
        }
    }
    Some(bytes)
}

/// A file's name as the user knows it: with its `binder/` folder when it is in one.
fn shown_name(file: &Path) -> String {
    let name = file.file_name().unwrap_or_default().to_string_lossy();
    match file.parent().and_then(Path::file_name) {
        Some(parent) if parent == "binder" || parent == ".binder" => {
            format!("{}/{name}", parent.to_string_lossy())
        }
        _ => name.into_owned(),
    }
}

/// The file a `-r`/`-c` line includes.
fn include_of(line: &str) -> Option<&str> {
    ["-r", "--requirement", "-c", "--constraint"]
        .iter()
        .find_map(|flag| {
            line.strip_prefix(flag)
                .filter(|rest| rest.starts_with([' ', '=']))
        })
        .map(|f| f.trim_start_matches(['=', ' ']))
}

fn requirement_lines(dir: &Path, file: &Path, depth: u8) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(file) else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    for line in text
        .lines()
        .map(|l| l.split(" #").next().unwrap_or("").trim())
    {
        match include_of(line) {
            // Constraints (-c) do not ask for anything.
            Some(inc) if depth < 5 && (line.starts_with("-r") || line.starts_with("--req")) => {
                lines.extend(requirement_lines(dir, &dir.join(inc), depth + 1))
            }
            Some(_) => {}
            None if !line.is_empty() && !line.starts_with('#') => lines.push(line.to_string()),
            None => {}
        }
    }
    lines
}

/// `file` is a list Darwinix wrote from the notebooks' imports.
pub fn made_from_imports(file: &Path) -> bool {
    std::fs::read_to_string(file).is_ok_and(|t| t.starts_with(FROM_IMPORTS))
}

/// Writes a **new** `requirements.txt` listing `packages` (never over an existing one).
pub fn write_from_imports(dir: &Path, packages: &[String]) -> Result<PathBuf> {
    use std::io::Write;
    let path = dir.join(REQUIREMENTS);
    let mut text = format!("{FROM_IMPORTS}\n");
    for p in packages {
        text.push_str(p);
        text.push('\n');
    }
    let written = std::fs::File::options()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut f| f.write_all(text.as_bytes()));
    match written {
        Ok(()) => Ok(path),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(path),
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => Err(Error::ReadOnly {
            path: dir.to_path_buf(),
        }),
        Err(source) => Err(Error::WriteFile { path, source }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_project_that_lists_jupyterlab_keeps_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(
            d.join(REQUIREMENTS),
            "numpy  # arrays\n-r more.txt\n-c pins.txt\n",
        )
        .unwrap();
        std::fs::write(d.join("more.txt"), "JupyterLab>=4\n").unwrap();
        std::fs::write(d.join("pins.txt"), "notebook==7\n").unwrap();
        let source = Source::requirements_txt(d);
        assert_eq!(source.requirements(d), ["numpy", "JupyterLab>=4"]);
        assert!(source.lists_jupyter(d));
        std::fs::write(d.join("more.txt"), "jupyterlab-widgets\nipykernel\n").unwrap();
        assert!(
            !source.lists_jupyter(d),
            "constraints and look-alikes do not count"
        );
    }

    #[test]
    fn names_are_normalised() {
        assert_eq!(
            name_of("Jupyter_Lab[all]>=4").as_deref(),
            Some("jupyter-lab")
        );
        assert_eq!(name_of("ruamel.yaml==0.18").as_deref(), Some("ruamel-yaml"));
        assert_eq!(name_of("-e ."), None);
        assert_eq!(name_of("git+https://x/y.git"), None);
    }

    #[test]
    fn a_list_from_imports_never_replaces_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_from_imports(dir.path(), &["numpy".into(), "pillow".into()]).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with(FROM_IMPORTS));
        assert!(text.ends_with("numpy\npillow\n"));
        std::fs::write(&path, "mine\n").unwrap();
        write_from_imports(dir.path(), &["other".into()]).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine\n");
    }
}
