//! `Pipfile.lock` and `Pipfile`, Pipenv's files. Binder installs both the default and the
//! development packages (`pipenv install --dev`); so does Darwinix, from the lock when there is
//! one (its exact versions), else from the Pipfile.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::table_spec::TableSpec;
use crate::error::Result;

pub const PIPFILE: &str = "Pipfile";
pub const PIPFILE_LOCK: &str = "Pipfile.lock";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Spec {
    pub requirements: Vec<String>,
    /// `python_version` (`3.9`) from `[requires]`, or the lock's `_meta.requires`.
    pub python: Option<String>,
    /// Packages from git, a path or a URL: named, never run without the user seeing them.
    pub skipped: Vec<String>,
}

/// One entry of `[packages]`, or of the lock's `default`: a version string or a table.
#[derive(Deserialize, Default)]
struct Entry {
    #[serde(flatten)]
    spec: TableSpec,
    git: Option<String>,
    path: Option<String>,
    file: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Value {
    Version(String),
    Table(Entry),
}

#[derive(Deserialize, Default)]
struct Requires {
    python_version: Option<String>,
    python_full_version: Option<String>,
}

#[derive(Deserialize, Default)]
struct Pipfile {
    #[serde(default)]
    packages: BTreeMap<String, Value>,
    #[serde(rename = "dev-packages", default)]
    dev_packages: BTreeMap<String, Value>,
    #[serde(default)]
    requires: Requires,
}

#[derive(Deserialize, Default)]
struct Lock {
    #[serde(rename = "_meta", default)]
    meta: LockMeta,
    #[serde(default)]
    default: BTreeMap<String, Value>,
    #[serde(default)]
    develop: BTreeMap<String, Value>,
}

#[derive(Deserialize, Default)]
struct LockMeta {
    #[serde(default)]
    requires: Requires,
}

/// `Pipfile.lock` (JSON) or `Pipfile` (TOML), by the file's name.
pub fn read(path: &Path) -> Result<Spec> {
    if path.file_name().is_some_and(|n| n == PIPFILE_LOCK) {
        super::read_parsed(path, parse_lock)
    } else {
        super::read_parsed(path, parse_pipfile)
    }
}

fn parse_pipfile(text: &str) -> std::result::Result<Spec, (usize, String)> {
    let file: Pipfile = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map_or(1, |s| text[..s.start].matches('\n').count() + 1);
        (line, e.message().to_string())
    })?;
    let mut spec = Spec {
        python: python_of(&file.requires),
        ..Spec::default()
    };
    for (name, value) in file.packages.iter().chain(&file.dev_packages) {
        add(name, value, &mut spec);
    }
    Ok(spec)
}

fn parse_lock(text: &str) -> std::result::Result<Spec, (usize, String)> {
    let lock: Lock = serde_json::from_str(text).map_err(|e| (e.line(), e.to_string()))?;
    let mut spec = Spec {
        python: python_of(&lock.meta.requires),
        ..Spec::default()
    };
    for (name, value) in lock.default.iter().chain(&lock.develop) {
        add(name, value, &mut spec);
    }
    Ok(spec)
}

/// `3.9` from `python_version`, or the `X.Y` of `python_full_version`.
fn python_of(requires: &Requires) -> Option<String> {
    let version = requires
        .python_version
        .clone()
        .or_else(|| requires.python_full_version.clone())?;
    let xy: Vec<&str> = version.trim().split('.').take(2).collect();
    (xy.len() == 2).then(|| xy.join("."))
}

fn add(name: &str, value: &Value, spec: &mut Spec) {
    let entry = match value {
        Value::Version(v) => &Entry {
            spec: TableSpec {
                version: Some(v.clone()),
                ..TableSpec::default()
            },
            ..Entry::default()
        },
        Value::Table(entry) => entry,
    };
    let place = [
        ("git", &entry.git),
        ("a path", &entry.path),
        ("a download", &entry.file),
    ]
    .into_iter()
    .find_map(|(what, v)| v.as_ref().map(|v| format!("{what}: {v}")));
    if let Some(place) = place {
        spec.skipped.push(format!("{name} ({place})"));
        return;
    }
    let version = match entry.spec.version.as_deref().map(str::trim) {
        None | Some("*") | Some("") => String::new(),
        Some(v) if v.starts_with(|c: char| c.is_ascii_digit()) => format!("=={v}"),
        Some(v) => v.replace(' ', ""),
    };
    spec.requirements.push(entry.spec.line(name, &version));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pipfile_lists_default_and_dev_packages() {
        let spec = parse_pipfile(
            r#"
[[source]]
url = "https://pypi.org/simple"
verify_ssl = true
name = "pypi"

[packages]
numpy = "*"
pandas = "==1.3.5"
requests = {version = ">=2", extras = ["socks"]}
mytool = {git = "https://example.org/mytool.git", ref = "main"}
course = {path = ".", editable = true}

[dev-packages]
pytest = "*"

[requires]
python_version = "3.9"
"#,
        )
        .unwrap();
        assert_eq!(
            spec.requirements,
            ["numpy", "pandas==1.3.5", "requests[socks]>=2", "pytest"]
        );
        assert_eq!(
            spec.skipped,
            [
                "course (a path: .)",
                "mytool (git: https://example.org/mytool.git)"
            ]
        );
        assert_eq!(spec.python.as_deref(), Some("3.9"));
    }

    #[test]
    fn a_lock_gives_exact_versions_and_its_python() {
        let spec = parse_lock(
            r#"{"_meta": {"requires": {"python_full_version": "3.8.10"}, "sources": []},
                "default": {"six": {"hashes": [], "version": "==1.16.0"},
                            "colorama": {"version": "==0.4.6", "markers": "sys_platform == 'win32'"}},
                "develop": {}}"#,
        )
        .unwrap();
        assert_eq!(
            spec.requirements,
            ["colorama==0.4.6 ; sys_platform == 'win32'", "six==1.16.0"]
        );
        assert_eq!(spec.python.as_deref(), Some("3.8"));
    }

    #[test]
    fn a_broken_lock_names_its_line() {
        let (line, _) = parse_lock("{\n\"default\": {\n  \"six\": \n}").unwrap_err();
        assert_eq!(line, 4);
    }
}
