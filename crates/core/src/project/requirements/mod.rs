//! Where a project's list of packages comes from, in this order: `requirements.txt`,
//! `pyproject.toml` (with `uv.lock`: synced exactly), `environment.yml`, or — for a folder with
//! none of these — what its notebooks import, written into a new `requirements.txt`.

pub mod conda;
pub mod edit;
pub mod imports;
pub mod names;
pub mod pyproject;
pub mod pyproject_edit;

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

pub const REQUIREMENTS: &str = "requirements.txt";
pub const PYPROJECT: &str = "pyproject.toml";
pub const UV_LOCK: &str = "uv.lock";
const ENVIRONMENT: [&str; 2] = ["environment.yml", "environment.yaml"];
/// The first line of a `requirements.txt` Darwinix wrote from the imports.
pub const FROM_IMPORTS: &str =
    "# Made by Darwinix from the imports in your notebooks: edit it freely, Darwinix never rewrites it.";

/// The file (or files) a project's packages are read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `requirements.txt`, with its `-r`/`-c` includes.
    Requirements,
    /// A uv project: `pyproject.toml` with `uv.lock`.
    UvProject,
    Pyproject(pyproject::Spec),
    Conda {
        file: PathBuf,
        spec: conda::Spec,
    },
    /// None of these files, and no imports in the notebooks: Python and the kernel alone
    /// (nothing is written into the folder).
    Nothing,
}

impl Source {
    /// The project's source, or `None` when it has none of these files.
    pub fn detect(dir: &Path) -> Result<Option<Source>> {
        if dir.join(REQUIREMENTS).is_file() {
            return Ok(Some(Source::Requirements));
        }
        let pyproject = dir.join(PYPROJECT);
        if pyproject.is_file() {
            if dir.join(UV_LOCK).is_file() {
                return Ok(Some(Source::UvProject));
            }
            return Ok(Some(Source::Pyproject(pyproject::read(&pyproject)?)));
        }
        for name in ENVIRONMENT {
            let file = dir.join(name);
            if file.is_file() {
                let spec = conda::read(&file)?;
                return Ok(Some(Source::Conda { file, spec }));
            }
        }
        Ok(None)
    }

    /// For people: where the packages come from.
    pub fn describe(&self) -> String {
        match self {
            Source::Requirements => REQUIREMENTS.into(),
            Source::UvProject => format!("{PYPROJECT} and {UV_LOCK}"),
            Source::Pyproject(_) => PYPROJECT.into(),
            Source::Conda { file, .. } => file.file_name().map_or("environment.yml".into(), |n| {
                n.to_string_lossy().into_owned()
            }),
            Source::Nothing => "no list of packages (none found in the notebooks)".into(),
        }
    }

    /// The files whose bytes decide the environment (`None`: it cannot be known from files, as
    /// with local or editable packages — then the installer always runs).
    pub fn inputs(&self, dir: &Path) -> Option<Vec<u8>> {
        match self {
            Source::Requirements => requirement_file_inputs(dir),
            Source::UvProject => {
                let mut bytes = std::fs::read(dir.join(PYPROJECT)).ok()?;
                bytes.extend(std::fs::read(dir.join(UV_LOCK)).ok()?);
                Some(bytes)
            }
            Source::Pyproject(_) => std::fs::read(dir.join(PYPROJECT)).ok(),
            Source::Conda { file, .. } => std::fs::read(file).ok(),
            Source::Nothing => Some(b"nothing".to_vec()),
        }
    }

    /// The requirement lines it lists (for `requirements.txt`: with its includes).
    pub fn requirements(&self, dir: &Path) -> Vec<String> {
        match self {
            Source::Requirements => requirement_lines(dir, &dir.join(REQUIREMENTS), 0),
            Source::UvProject => pyproject::read(&dir.join(PYPROJECT))
                .map(|s| s.requirements)
                .unwrap_or_default(),
            Source::Pyproject(spec) => spec.requirements.clone(),
            Source::Conda { spec, .. } => spec.requirements.clone(),
            Source::Nothing => Vec::new(),
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
    let r = requirement.trim();
    if r.is_empty() || r.starts_with(['#', '-', '.', '/']) || r.contains("://") {
        return None;
    }
    let end = r
        .find(|c: char| !(c.is_alphanumeric() || "-_.".contains(c)))
        .unwrap_or(r.len());
    let name = &r[..end];
    (!name.is_empty()).then(|| name.to_ascii_lowercase().replace(['_', '.'], "-"))
}

/// `requirements.txt` and the files it pulls in with `-r`/`-c`, as bytes; `None` when that
/// cannot be known (local or editable packages, a missing include).
fn requirement_file_inputs(dir: &Path) -> Option<Vec<u8>> {
    let main = std::fs::read(dir.join(REQUIREMENTS)).ok()?;
    let mut bytes = main.clone();
    for line in String::from_utf8_lossy(&main).lines().map(str::trim) {
        if let Some(file) = include_of(line) {
            bytes.extend(std::fs::read(dir.join(file)).ok()?);
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
    fn the_first_source_found_wins() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        assert_eq!(Source::detect(d).unwrap(), None);
        std::fs::write(d.join("environment.yml"), "dependencies:\n  - numpy\n").unwrap();
        assert!(matches!(
            Source::detect(d).unwrap(),
            Some(Source::Conda { .. })
        ));
        std::fs::write(
            d.join(PYPROJECT),
            "[project]\nname='p'\ndependencies=['pandas']\n",
        )
        .unwrap();
        assert!(matches!(
            Source::detect(d).unwrap(),
            Some(Source::Pyproject(_))
        ));
        std::fs::write(d.join(UV_LOCK), "version = 1\n").unwrap();
        assert_eq!(Source::detect(d).unwrap(), Some(Source::UvProject));
        std::fs::write(d.join(REQUIREMENTS), "numpy\n").unwrap();
        assert_eq!(Source::detect(d).unwrap(), Some(Source::Requirements));
    }

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
        assert_eq!(
            Source::Requirements.requirements(d),
            ["numpy", "JupyterLab>=4"]
        );
        assert!(Source::Requirements.lists_jupyter(d));
        std::fs::write(d.join("more.txt"), "jupyterlab-widgets\nipykernel\n").unwrap();
        assert!(
            !Source::Requirements.lists_jupyter(d),
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
