//! `pyproject.toml`, the way uv, Poetry, Hatch and PDM projects describe themselves. A file
//! with only `[tool.*]` settings (black, ruff, pytest) declares nothing to install: it is not a
//! source of packages, and the choice falls through to the next file (as Binder's does).

use std::path::Path;

use serde::Deserialize;

use super::poetry;
use crate::error::Result;

/// The groups of `[dependency-groups]` (and Poetry's groups) a notebook needs besides the
/// project's dependencies.
const GROUPS: &[&str] = &["dev", "notebook", "notebooks", "jupyter"];

/// What to install for a `pyproject.toml` without `uv.lock`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Spec {
    /// `[project] dependencies`, Poetry's dependencies and the groups above, as requirement
    /// strings.
    pub requirements: Vec<String>,
    /// It is a package (it has a `[build-system]`): installed editable, so the notebooks import
    /// the code as it is edited.
    pub package: bool,
    /// It has a `[project]` table (with `[build-system]`, `pip install .` installs it).
    pub has_project: bool,
    /// It declares dependencies at all (even an empty list): otherwise it only configures tools.
    pub declares: bool,
    /// The notebook groups it has (besides `dev`, which `uv sync` installs anyway).
    pub groups: Vec<String>,
    /// `requires-python` (or Poetry's `python = "^3.9"` as PEP 440).
    pub requires_python: Option<String>,
    /// Dependencies that are not index packages (git, a path, a URL): named, not installed.
    pub skipped: Vec<String>,
}

#[derive(Deserialize, Default)]
struct File {
    project: Option<ProjectTable>,
    #[serde(rename = "build-system")]
    build_system: Option<toml::Value>,
    #[serde(rename = "dependency-groups", default)]
    dependency_groups: toml::Table,
    #[serde(default)]
    tool: Tool,
}

#[derive(Deserialize, Default)]
struct ProjectTable {
    dependencies: Option<Vec<String>>,
    #[serde(rename = "optional-dependencies", default)]
    optional_dependencies: toml::Table,
    #[serde(default)]
    dynamic: Vec<String>,
    #[serde(rename = "requires-python")]
    requires_python: Option<String>,
}

#[derive(Deserialize, Default)]
struct Tool {
    poetry: Option<poetry::Table>,
}

/// Reads `path`; a file that does not parse is an error naming its line.
pub fn read(path: &Path) -> Result<Spec> {
    super::read_parsed(path, parse)
}

fn parse(text: &str) -> std::result::Result<Spec, (usize, String)> {
    let file: File = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map_or(1, |s| text[..s.start].matches('\n').count() + 1);
        (line, e.message().to_string())
    })?;
    let has_project = file.project.is_some();
    let project = file.project.unwrap_or_default();
    let mut spec = Spec {
        package: file.build_system.is_some(),
        has_project,
        declares: project.dependencies.is_some()
            || project.dynamic.iter().any(|d| d == "dependencies")
            || !project.optional_dependencies.is_empty()
            || !file.dependency_groups.is_empty(),
        requires_python: project.requires_python,
        ..Spec::default()
    };
    spec.requirements = project.dependencies.unwrap_or_default();
    if let Some(poetry) = &file.tool.poetry {
        let declared = poetry.requirements(GROUPS);
        spec.declares |= declared.declares;
        spec.requirements.extend(declared.requirements);
        spec.skipped.extend(declared.skipped);
        spec.requires_python = spec.requires_python.or(declared.python);
    }
    for group in GROUPS {
        let mut seen = Vec::new();
        let groups = &file.dependency_groups;
        include_group(groups, group, &mut spec.requirements, &mut seen);
    }
    spec.groups = GROUPS
        .iter()
        .filter(|g| **g != "dev" && file.dependency_groups.contains_key(**g))
        .map(|g| g.to_string())
        .collect();
    Ok(spec)
}

/// A group's requirements, following `{include-group = "…"}` (once each: no cycles).
fn include_group(groups: &toml::Table, name: &str, out: &mut Vec<String>, seen: &mut Vec<String>) {
    if seen.iter().any(|s| s == name) {
        return;
    }
    seen.push(name.to_string());
    let Some(toml::Value::Array(items)) = groups.get(name) else {
        return;
    };
    for item in items {
        match item {
            toml::Value::String(req) if !out.contains(req) => out.push(req.clone()),
            toml::Value::Table(t) => {
                if let Some(toml::Value::String(other)) = t.get("include-group") {
                    include_group(groups, other, out, seen);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependencies_and_notebook_groups_are_read() {
        let spec = parse(
            r#"
[project]
name = "analysis"
dependencies = ["numpy>=1.26", "pandas"]

[dependency-groups]
lint = ["ruff"]
plots = ["matplotlib"]
dev = ["pytest", {include-group = "plots"}, {include-group = "dev"}]
notebook = ["ipywidgets"]
"#,
        )
        .unwrap();
        assert_eq!(
            spec.requirements,
            [
                "numpy>=1.26",
                "pandas",
                "pytest",
                "matplotlib",
                "ipywidgets"
            ]
        );
        assert_eq!(spec.groups, ["notebook"]);
        assert!(!spec.package, "no build system: not a package");
    }

    #[test]
    fn a_build_system_makes_it_a_package() {
        let spec =
            parse("[build-system]\nrequires = [\"hatchling\"]\n[project]\nname = \"p\"\n").unwrap();
        assert!(spec.package);
        assert!(spec.requirements.is_empty());
    }

    #[test]
    fn a_file_of_tool_settings_declares_nothing() {
        let spec =
            parse("[tool.black]\nline-length = 100\n[tool.ruff]\nselect = [\"E\"]\n").unwrap();
        assert!(!spec.declares);
        let empty = parse("[project]\nname = \"p\"\ndependencies = []\n").unwrap();
        assert!(empty.declares, "an empty list is still a declaration");
        let dynamic = parse("[project]\nname = \"p\"\ndynamic = [\"dependencies\"]\n").unwrap();
        assert!(dynamic.declares);
        let extras = parse(
            "[project]\nname = \"p\"\n[project.optional-dependencies]\nplot = [\"matplotlib\"]\n",
        )
        .unwrap();
        assert!(extras.declares);
    }

    #[test]
    fn poetry_dependencies_become_requirements() {
        let spec = parse(
            r#"
[tool.poetry]
name = "course"
[tool.poetry.dependencies]
python = "^3.9"
numpy = "^1.21"
pandas = {version = "~1.3", extras = ["excel"]}
mylib = {path = "../mylib"}
[tool.poetry.group.dev.dependencies]
pytest = "*"
[tool.poetry.group.docs.dependencies]
sphinx = "*"
"#,
        )
        .unwrap();
        assert!(spec.declares);
        assert_eq!(
            spec.requirements,
            ["numpy>=1.21,<2.0", "pandas[excel]>=1.3,<1.4", "pytest"]
        );
        assert_eq!(spec.skipped, ["mylib (a path: ../mylib)"]);
        assert_eq!(spec.requires_python.as_deref(), Some(">=3.9,<4.0"));
    }

    #[test]
    fn a_broken_file_names_its_line() {
        let (line, message) =
            parse("[project]\nname = \"p\"\ndependencies = [\"numpy\"\n").unwrap_err();
        assert_eq!(line, 4, "{message}");
        assert!(!message.is_empty());
    }
}
