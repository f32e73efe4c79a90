//! `environment.yml`, what many course repositories ship instead of `requirements.txt`: read
//! without conda. Its `pip:` section is installed as it is; its conda packages by their names on
//! the package index, which are the same for most (the others are in
//! `data/conda-to-pypi.tsv`).

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::LazyLock;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

use crate::error::Result;

/// conda names whose PyPI project is called something else, or that nothing on PyPI provides.
const NAME_TABLE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/conda-to-pypi.tsv"
));

/// The table, keyed by the normalised conda name; `None`: nothing on PyPI provides it.
static PYPI_NAMES: LazyLock<HashMap<String, Option<String>>> = LazyLock::new(|| {
    parse_table(NAME_TABLE).expect("data/conda-to-pypi.tsv is checked by a unit test")
});

/// What `environment.yml` asks for, as the package index names it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Spec {
    /// Its `name:`.
    pub name: Option<String>,
    /// Its `channels:`, in order (`conda-forge`, `pytorch`).
    pub channels: Vec<String>,
    pub requirements: Vec<String>,
    /// The `X.Y` of its first `python=X.Y` (or `==X.Y`), as Binder reads it: a range such as
    /// `python>=3.8` chooses nothing.
    pub python: Option<String>,
    /// Python's constraint as written (`=2.7`, `>=3.8`, `3.9.*`), to tell a Python 2 project
    /// apart or to say what was not followed.
    pub python_spec: Option<String>,
    /// Conda packages nothing on the index provides: named in a warning.
    pub unavailable: Vec<String>,
}

pub fn read(path: &Path) -> Result<Spec> {
    super::read_parsed(path, parse)
}

/// The file as YAML gives it; other keys (`prefix:`, `variables:`) are not needed.
#[derive(Deserialize)]
struct EnvironmentFile {
    name: Option<String>,
    /// Not needed to install: whatever is written there is no reason to stop.
    channels: Option<serde_norway::Value>,
    dependencies: Option<Vec<Dependency>>,
}

/// One item of `dependencies:`.
enum Dependency {
    /// `numpy=1.21`.
    Conda(String),
    /// `- pip: [...]`, installed as written.
    Pip(Vec<String>),
    /// Another mapping (no `pip:` in it).
    Other,
}

/// A parse error: the line, and the message with its column.
type Failure = (usize, String);

fn parse(text: &str) -> std::result::Result<Spec, Failure> {
    // An empty (or all-comment) file is an empty environment, not an error.
    let file: Option<EnvironmentFile> = serde_norway::from_str(text).map_err(failure)?;
    let Some(file) = file else {
        return Ok(Spec::default());
    };
    let mut spec = Spec {
        name: file.name,
        channels: channels(file.channels),
        ..Spec::default()
    };
    for dependency in file.dependencies.unwrap_or_default() {
        match dependency {
            Dependency::Conda(item) => conda_item(item.trim(), &mut spec),
            Dependency::Pip(lines) => spec.requirements.extend(lines),
            Dependency::Other => {}
        }
    }
    Ok(spec)
}

/// `channels:` as a list of names (one name alone counts too).
fn channels(value: Option<serde_norway::Value>) -> Vec<String> {
    match value {
        Some(serde_norway::Value::Sequence(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(String::from))
            .collect(),
        Some(serde_norway::Value::String(one)) => vec![one],
        _ => Vec::new(),
    }
}

/// serde_norway's error as the line it names and a message with the column and the fix.
fn failure(error: serde_norway::Error) -> Failure {
    let message = error.to_string().replace(
        "struct EnvironmentFile",
        "a mapping with `name:`, `channels:` and `dependencies:`",
    );
    let Some(at) = error.location() else {
        return (1, message);
    };
    let fix = if message.starts_with("dependencies: invalid type") {
        "; write `dependencies:` as a list, one `- name` per line"
    } else {
        ""
    };
    let message = if message.contains("column") {
        format!("{message}{fix}")
    } else {
        format!("{message} (column {}){fix}", at.column())
    };
    (at.line(), message)
}

impl<'de> Deserialize<'de> for Dependency {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        deserializer.deserialize_any(DependencyVisitor)
    }
}

/// Reads an item without buffering it, so an error keeps the place serde_norway found it.
struct DependencyVisitor;

impl<'de> Visitor<'de> for DependencyVisitor {
    type Value = Dependency;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a package (`- numpy=1.21`) or a `- pip:` list")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Dependency, E> {
        Ok(Dependency::Conda(v.to_string()))
    }

    // `- 7za` reads as text, but a bare number (`- 2`) as a number: still a package name.
    fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Dependency, E> {
        Ok(Dependency::Conda(v.to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Dependency, E> {
        Ok(Dependency::Conda(v.to_string()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Dependency, A::Error> {
        let mut found = Dependency::Other;
        while let Some(key) = map.next_key::<String>()? {
            if key == "pip" {
                let lines: Option<Vec<String>> = map.next_value()?;
                found = Dependency::Pip(lines.unwrap_or_default());
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
}

/// One conda dependency: `numpy`, `numpy=1.21`, `numpy=1.21.2=py39h_0`, `numpy 1.21.*`,
/// `conda-forge::numpy>=1`, `conda-forge/linux-64::numpy`.
fn conda_item(item: &str, spec: &mut Spec) {
    let item = item.rsplit("::").next().unwrap_or(item);
    let split = item
        .find(|c: char| "=<>!~ [".contains(c))
        .unwrap_or(item.len());
    let (name, constraint) = item.split_at(split);
    let name = name.to_ascii_lowercase();
    // `numpy[version='>=1.2']`, conda's long form, is rare: the package is kept, unpinned.
    let constraint = if constraint.starts_with('[') {
        ""
    } else {
        constraint.trim()
    };
    match name.as_str() {
        "python" => python_item(constraint, spec),
        "pip" => {}
        _ => match pypi_name(&name) {
            Some(Some(pypi)) => spec
                .requirements
                .push(format!("{pypi}{}", pip_version(constraint))),
            Some(None) => spec.unavailable.push(name),
            None => spec
                .requirements
                .push(format!("{name}{}", pip_version(constraint))),
        },
    }
}

/// `python=3.9`: the first one found decides, as in Binder, which reads only `=`/`==` (a range
/// such as `python>=3.8` leaves the choice to the usual rules). `python=2` is Python 2.7 there.
fn python_item(constraint: &str, spec: &mut Spec) {
    if spec.python_spec.is_none() && !constraint.is_empty() {
        spec.python_spec = Some(constraint.to_string());
    }
    let Some(version) = constraint
        .strip_prefix('=')
        .filter(|_| spec.python.is_none())
    else {
        return;
    };
    let version = version.trim_start_matches('=').trim();
    let digits: String = version
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let mut parts = digits.split('.').filter(|p| !p.is_empty());
    spec.python = match (parts.next(), parts.next()) {
        (Some(major), Some(minor)) => Some(format!("{major}.{minor}")),
        (Some("2"), None) => Some("2.7".into()),
        _ => None,
    };
}

/// The PyPI name of a conda package: `Some(None)` when nothing on PyPI provides it, `None`
/// when it is not in the table (the same name on PyPI).
fn pypi_name(conda: &str) -> Option<Option<String>> {
    if conda.starts_with("r-") || conda.starts_with("bioconductor-") {
        return Some(None);
    }
    PYPI_NAMES.get(&normalise(conda)).cloned()
}

/// PEP 503's normal form, which both tables are keyed by (conda's `ruamel_yaml` and
/// `ruamel.yaml` are one PyPI project).
fn normalise(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let c = if "_.".contains(c) { '-' } else { c };
        if !(c == '-' && out.ends_with('-')) {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// `conda<TAB>pypi` lines (`-`: none), `#` comments; an error names the line that is wrong.
fn parse_table(text: &str) -> std::result::Result<HashMap<String, Option<String>>, String> {
    let mut table = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((conda, pypi)) = line.split_once('\t') else {
            return Err(format!("line {}: no tab in `{line}`", n + 1));
        };
        let pypi = (pypi != "-").then(|| pypi.to_string());
        if pypi
            .as_deref()
            .is_some_and(|p| normalise(p) == normalise(conda))
        {
            return Err(format!(
                "line {}: `{conda}` is the same name on PyPI",
                n + 1
            ));
        }
        if table.insert(normalise(conda), pypi).is_some() {
            return Err(format!("line {}: `{conda}` is listed twice", n + 1));
        }
    }
    Ok(table)
}

/// A conda version constraint as pip writes it: `=1.21` (conda's "1.21.anything") → `==1.21.*`,
/// a bare `1.21.2` → `==1.21.2`, a build string (after a second `=` or a space) dropped.
fn pip_version(version: &str) -> String {
    if version.is_empty() || version.contains('|') {
        // No constraint, or conda's "either" (`1.2|1.4`), which pip cannot say: unpinned.
        return String::new();
    }
    if let Some(rest) = version.strip_prefix("==") {
        return format!("=={}", rest.split('=').next().unwrap_or(rest).trim());
    }
    if let Some(rest) = version.strip_prefix('=') {
        let v = rest.split('=').next().unwrap_or(rest).trim();
        return format!("=={}.*", v.trim_end_matches('*').trim_end_matches('.'));
    }
    if version.starts_with(|c: char| c.is_ascii_digit()) {
        let v = version.split_whitespace().next().unwrap_or(version);
        return match v.strip_suffix('*') {
            Some(fuzzy) => format!("=={}.*", fuzzy.trim_end_matches('.')),
            None => format!("=={v}"),
        };
    }
    version.replace(' ', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A course's environment file as they are written: channels, comments, quotes, a pinned
    /// Python, conda-only packages and a `pip:` section.
    const COURSE: &str = r#"# Environment for the course
name: ml-course
channels:
  - conda-forge
  - pytorch
  - defaults
dependencies:
  - python=3.9
  - numpy=1.21
  - "pandas>=1.3"
  - 'scikit-learn'
  - conda-forge::matplotlib-base   # the plots
  - py-xgboost=1.5.0=py38_0
  - pytorch
  - python-graphviz
  - graphviz  # the dot program
  - nodejs
  - r-irkernel
  - scipy 1.7.3 py39hee8e79c_0
  - pip
  - pip:
    - ipywidgets==8.1.1
    - "git+https://example.org/x.git"
    - -r requirements-extra.txt
prefix: /opt/conda/envs/ml-course
"#;

    #[test]
    fn a_course_environment_becomes_index_requirements() {
        let spec = parse(COURSE).unwrap();
        assert_eq!(spec.name.as_deref(), Some("ml-course"));
        assert_eq!(spec.channels, ["conda-forge", "pytorch", "defaults"]);
        assert_eq!(spec.python.as_deref(), Some("3.9"));
        assert_eq!(spec.python_spec.as_deref(), Some("=3.9"));
        assert_eq!(
            spec.requirements,
            [
                "numpy==1.21.*",
                "pandas>=1.3",
                "scikit-learn",
                "matplotlib",
                "xgboost==1.5.0.*",
                "torch",
                "graphviz",
                "scipy==1.7.3",
                "ipywidgets==8.1.1",
                "git+https://example.org/x.git",
                "-r requirements-extra.txt",
            ]
        );
        assert_eq!(spec.unavailable, ["graphviz", "nodejs", "r-irkernel"]);
    }

    #[test]
    fn python_is_chosen_as_binder_chooses() {
        let python = |item: &str| {
            let spec = parse(&format!("dependencies:\n  - {item}\n  - python=3.12\n")).unwrap();
            (spec.python, spec.python_spec)
        };
        let s = |v: &str| Some(v.to_string());
        assert_eq!(python("python=2.7"), (s("2.7"), s("=2.7")));
        assert_eq!(python("python==3.10.4"), (s("3.10"), s("==3.10.4")));
        assert_eq!(
            python("python=3.8.*=*_cpython"),
            (s("3.8"), s("=3.8.*=*_cpython"))
        );
        assert_eq!(python("python=2"), (s("2.7"), s("=2")));
        assert_eq!(python("python>=3.8"), (s("3.12"), s(">=3.8")));
        let spec = parse("dependencies:\n  - python>=3.8\n").unwrap();
        assert_eq!((spec.python, spec.python_spec), (None, s(">=3.8")));
        assert_eq!(python("python"), (s("3.12"), s("=3.12")));
        assert_eq!(python("python-dateutil"), (s("3.12"), s("=3.12")));
    }

    #[test]
    fn an_empty_file_or_list_is_an_empty_environment() {
        assert_eq!(parse("").unwrap(), Spec::default());
        assert_eq!(parse("# nothing yet\n").unwrap(), Spec::default());
        let spec = parse("name: x\ndependencies:\n").unwrap();
        assert!(spec.requirements.is_empty());
        let spec = parse("dependencies:\n  - pip:\n  - {nodefaults: true}\n").unwrap();
        assert!(spec.requirements.is_empty());
        let spec = parse("channels: conda-forge\ndependencies: [numpy]\n").unwrap();
        assert_eq!(
            (spec.channels, spec.requirements),
            (vec!["conda-forge".into()], vec!["numpy".into()])
        );
    }

    #[test]
    fn a_file_that_is_not_yaml_names_its_line_and_column() {
        let (line, message) =
            parse("name: x\ndependencies:\n  - numpy\n - pandas\n  - scipy\n").unwrap_err();
        assert_eq!(line, 4, "{message}");
        assert!(message.contains("column"), "{message}");
        let (line, message) = parse("name: x\ndependencies: [numpy\n").unwrap_err();
        assert!(line >= 2, "{line}: {message}");
    }

    #[test]
    fn dependencies_that_are_not_a_list_name_their_line() {
        let (line, message) = parse("name: x\ndependencies:\n  numpy: 1\n").unwrap_err();
        assert_eq!(line, 3, "{message}");
        assert!(message.contains("as a list"), "{message}");
        let (line, message) = parse("name: x\ndependencies:\n  - [numpy]\n").unwrap_err();
        assert_eq!(line, 3, "{message}");
        let (line, message) = parse("- numpy\n- pandas\n").unwrap_err();
        assert_eq!(line, 1, "{message}");
        assert!(message.contains("a mapping with `name:`"), "{message}");
    }

    #[test]
    fn the_name_table_parses_and_maps_the_known_cases() {
        let table = parse_table(NAME_TABLE).unwrap();
        assert!(table.len() > 150, "{}", table.len());
        assert!(table.len() < 500, "a few hundred names at most");
        let cases: &[(&str, Option<&str>)] = &[
            ("pytorch", Some("torch")),
            ("py-opencv", Some("opencv-python")),
            ("python-graphviz", Some("graphviz")),
            ("pytables", Some("tables")),
            ("msgpack-python", Some("msgpack")),
            ("matplotlib-base", Some("matplotlib")),
            ("graphviz", None),
            ("nodejs", None),
            ("cudatoolkit", None),
            ("cxx-compiler", None),
            ("ffmpeg", None),
            ("nb_conda_kernels", None),
            ("r-base", None),
        ];
        for (conda, pypi) in cases {
            assert_eq!(pypi_name(conda), Some(pypi.map(String::from)), "{conda}");
        }
        assert_eq!(pypi_name("numpy"), None, "the same name on PyPI");
        assert_eq!(
            pypi_name("NB-Conda.Kernels"),
            Some(None),
            "matched normalised"
        );
    }

    #[test]
    fn a_broken_table_is_refused_with_its_line() {
        assert!(parse_table("# c\na\tb\nA\t-\n")
            .unwrap_err()
            .contains("line 3"));
        assert!(parse_table("a b\n").unwrap_err().contains("line 1"));
        assert!(parse_table("a_b\ta-b\n").unwrap_err().contains("same name"));
    }

    #[test]
    fn conda_versions_become_pip_versions() {
        let cases = [
            ("", ""),
            ("=1.21", "==1.21.*"),
            ("=1.21.*", "==1.21.*"),
            ("==1.21.2", "==1.21.2"),
            ("==1.21.2=py39_0", "==1.21.2"),
            ("1.7.3", "==1.7.3"),
            ("1.7.*", "==1.7.*"),
            ("1.7.3 py39_0", "==1.7.3"),
            (">=1.2, <2", ">=1.2,<2"),
            ("1.2|1.4", ""),
        ];
        for (conda, pip) in cases {
            assert_eq!(pip_version(conda), pip, "{conda}");
        }
    }
}
