//! `pyproject.toml`, the way uv, Poetry, Hatch and PDM projects describe themselves.

use std::path::Path;

use serde::Deserialize;

use crate::error::Result;

/// The groups of `[dependency-groups]` a notebook needs besides the project's dependencies.
const GROUPS: &[&str] = &["dev", "notebook", "notebooks", "jupyter"];

/// What to install for a `pyproject.toml` without `uv.lock`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Spec {
    /// `[project] dependencies` and the groups above, as requirement strings.
    pub requirements: Vec<String>,
    /// It is a package (it has a `[build-system]`): installed editable, so the notebooks import
    /// the code as it is edited.
    pub package: bool,
    /// The notebook groups it has (besides `dev`, which `uv sync` installs anyway).
    pub groups: Vec<String>,
}

#[derive(Deserialize, Default)]
struct File {
    project: Option<ProjectTable>,
    #[serde(rename = "build-system")]
    build_system: Option<toml::Value>,
    #[serde(rename = "dependency-groups", default)]
    dependency_groups: toml::Table,
}

#[derive(Deserialize, Default)]
struct ProjectTable {
    #[serde(default)]
    dependencies: Vec<String>,
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
    let mut requirements = file.project.unwrap_or_default().dependencies;
    for group in GROUPS {
        let mut seen = Vec::new();
        include_group(&file.dependency_groups, group, &mut requirements, &mut seen);
    }
    let groups = GROUPS
        .iter()
        .filter(|g| **g != "dev" && file.dependency_groups.contains_key(**g))
        .map(|g| g.to_string())
        .collect();
    Ok(Spec {
        requirements,
        package: file.build_system.is_some(),
        groups,
    })
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
    fn a_broken_file_names_its_line() {
        let (line, message) =
            parse("[project]\nname = \"p\"\ndependencies = [\"numpy\"\n").unwrap_err();
        assert_eq!(line, 4, "{message}");
        assert!(!message.is_empty());
    }
}
