//! `environment.yml`, what many course repositories ship instead of `requirements.txt`: read
//! without conda. Its `pip:` section is installed as it is; its conda packages by their names on
//! the package index, which are the same for most.

use std::path::Path;

use crate::error::Result;

/// Conda names whose package on the index is called something else. `None`: nothing on the
/// index provides it (a compiler, a system library, another language).
const PYPI_NAMES: &[(&str, Option<&str>)] = &[
    ("py-xgboost", Some("xgboost")),
    ("py-xgboost-cpu", Some("xgboost")),
    ("pytorch", Some("torch")),
    ("pytorch-cpu", Some("torch")),
    ("python-graphviz", Some("graphviz")),
    ("pytables", Some("tables")),
    ("py-opencv", Some("opencv-python")),
    ("opencv", Some("opencv-python")),
    ("matplotlib-base", Some("matplotlib")),
    ("msgpack-python", Some("msgpack")),
    ("pyqt", Some("pyqt5")),
    ("tensorflow-base", Some("tensorflow")),
    ("py-lightgbm", Some("lightgbm")),
    ("lightgbm", Some("lightgbm")),
    ("jupyter_contrib_nbextensions", None),
    ("graphviz", None),
    ("nodejs", None),
    ("cudatoolkit", None),
    ("cudnn", None),
    ("pytorch-cuda", None),
    ("cpuonly", None),
    ("mkl", None),
    ("blas", None),
    ("libblas", None),
    ("openjdk", None),
    ("ffmpeg", None),
    ("git", None),
    ("make", None),
    ("cmake", Some("cmake")),
    ("compilers", None),
    ("cxx-compiler", None),
    ("c-compiler", None),
    ("nb_conda_kernels", None),
    ("nb_conda", None),
    ("r-base", None),
    ("r-essentials", None),
    ("gdal", Some("gdal")),
    ("proj", None),
    ("geos", None),
];

/// What `environment.yml` asks for, as the package index names it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Spec {
    pub requirements: Vec<String>,
    /// `python=3.8`: the version it was written for.
    pub python: Option<String>,
    /// Conda packages nothing on the index provides: named in a warning.
    pub unavailable: Vec<String>,
}

pub fn read(path: &Path) -> Result<Spec> {
    super::read_parsed(path, parse)
}

/// The small part of YAML environment files use: a `dependencies:` list of strings, one of its
/// items a `pip:` list. Anything else in the file is not needed.
fn parse(text: &str) -> std::result::Result<Spec, (usize, String)> {
    let mut spec = Spec::default();
    let mut in_deps = false;
    let mut pip_indent: Option<usize> = None;
    for (n, raw) in text.lines().enumerate() {
        let line = raw.split(" #").next().unwrap_or("").trim_end();
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        if indent == 0 {
            in_deps = line.trim() == "dependencies:";
            pip_indent = None;
            if line.starts_with("dependencies:") && !in_deps {
                return Err((
                    n + 1,
                    "write the dependencies as a list, one `- name` per line".into(),
                ));
            }
            continue;
        }
        if !in_deps {
            continue;
        }
        let Some(item) = line.trim_start().strip_prefix('-') else {
            return Err((
                n + 1,
                format!("expected a `- package` item, found `{}`", line.trim()),
            ));
        };
        let item = item.trim().trim_matches(|c| c == '"' || c == '\'');
        if let Some(indent_of_pip) = pip_indent {
            if indent > indent_of_pip {
                spec.requirements.push(item.to_string());
                continue;
            }
            pip_indent = None;
        }
        if item == "pip:" {
            pip_indent = Some(indent);
        } else {
            conda_item(item, &mut spec);
        }
    }
    Ok(spec)
}

/// One conda dependency: `numpy`, `numpy=1.21`, `numpy=1.21.2=py39h_0`, `conda-forge::numpy>=1`.
fn conda_item(item: &str, spec: &mut Spec) {
    let item = item.rsplit("::").next().unwrap_or(item);
    let split = item
        .find(|c: char| "=<>!~ ".contains(c))
        .unwrap_or(item.len());
    let (name, version) = item.split_at(split);
    let name = name.to_ascii_lowercase();
    let version = pip_version(version.trim());
    if name == "python" {
        spec.python = version
            .strip_prefix("==")
            .map(|v| v.trim_end_matches(".*").to_string());
        return;
    }
    if name == "pip" {
        return;
    }
    match PYPI_NAMES.iter().find(|(conda, _)| *conda == name) {
        Some((_, None)) => spec.unavailable.push(name),
        Some((_, Some(pypi))) => spec.requirements.push(format!("{pypi}{version}")),
        None if name.starts_with("r-") => spec.unavailable.push(name),
        None => spec.requirements.push(format!("{name}{version}")),
    }
}

/// A conda version constraint as pip writes it: `=1.21` (conda's "1.21.anything") → `==1.21.*`,
/// a build string after a second `=` dropped.
fn pip_version(version: &str) -> String {
    if version.is_empty() {
        return String::new();
    }
    if let Some(rest) = version.strip_prefix("==") {
        return format!("=={}", rest.split('=').next().unwrap_or(rest));
    }
    if let Some(rest) = version.strip_prefix('=') {
        let v = rest
            .split('=')
            .next()
            .unwrap_or(rest)
            .trim_end_matches('*')
            .trim_end_matches('.');
        return format!("=={v}.*");
    }
    if version.starts_with(|c: char| c.is_ascii_digit()) {
        let v = version.split_whitespace().next().unwrap_or(version);
        return format!("=={}.*", v.trim_end_matches('*').trim_end_matches('.'));
    }
    version.replace(' ', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_course_environment_becomes_index_requirements() {
        let spec = parse(
            "name: course\nchannels:\n  - conda-forge\n  - defaults\ndependencies:\n  - python=3.8\n  - numpy=1.21\n  - pandas>=1.3\n  - conda-forge::scikit-learn\n  - py-xgboost=1.5.0=py38_0\n  - pytorch\n  - python-graphviz\n  - graphviz  # the dot program\n  - nodejs\n  - pip\n  - pip:\n    - ipywidgets==8.1.1\n    - \"git+https://example.org/x.git\"\n  - matplotlib-base\n",
        )
        .unwrap();
        assert_eq!(spec.python.as_deref(), Some("3.8"));
        assert_eq!(
            spec.requirements,
            [
                "numpy==1.21.*",
                "pandas>=1.3",
                "scikit-learn",
                "xgboost==1.5.0.*",
                "torch",
                "graphviz",
                "ipywidgets==8.1.1",
                "git+https://example.org/x.git",
                "matplotlib"
            ]
        );
        assert_eq!(spec.unavailable, ["graphviz", "nodejs"]);
    }

    #[test]
    fn a_file_that_is_not_a_list_names_its_line() {
        let (line, _) = parse("name: x\ndependencies:\n  numpy: 1\n").unwrap_err();
        assert_eq!(line, 3);
    }
}
