//! Which interpreter Darwinix would build environments from, and why, in words.

use serde::Serialize;

use super::discovery::{Interpreter, Source};

/// Oldest Python that current JupyterLab and the scientific stack support.
pub const MIN_PYTHON: (u32, u32) = (3, 9);

/// [`MIN_PYTHON`] as people read it ("3.9"), for every message that names it.
pub fn min_python_text() -> String {
    super::interpreter::minor_version_text(MIN_PYTHON)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Choice {
    /// Index into the discovered interpreters.
    pub index: usize,
    pub reason: String,
}

/// Why this interpreter cannot make notebook environments, or `None` when it can.
pub fn unusable_reason(i: &Interpreter) -> Option<String> {
    let (major, minor) = i.info.minor_version();
    if i.info.implementation != "cpython" {
        Some(format!("{} is not CPython", i.info.implementation))
    } else if major != 3 || (major, minor) < MIN_PYTHON {
        Some(format!("older than {}", min_python_text()))
    } else if i.info.release_level != "final" {
        Some(format!("a pre-release ({})", i.info.release_level))
    } else if !i.info.has_venv {
        Some("no venv module".into())
    } else if i.info.is_venv {
        Some("a virtual environment, not a base Python".into())
    } else {
        None
    }
}

pub fn is_usable(i: &Interpreter) -> bool {
    unusable_reason(i).is_none()
}

/// The first usable interpreter in discovery order (the user's own default comes first), one
/// with `ensurepip` preferred: its venvs get pip without help. `None` when nothing qualifies.
pub fn choose(interpreters: &[Interpreter]) -> Option<Choice> {
    let complete = interpreters
        .iter()
        .position(|i| is_usable(i) && i.info.has_ensurepip);
    let index = complete.or_else(|| interpreters.iter().position(is_usable))?;
    let chosen = &interpreters[index];
    let earlier_unusable = interpreters[..index]
        .iter()
        .any(|i| i.source == chosen.source);
    let place = match chosen.source {
        Source::Path | Source::SearchPath if !earlier_unusable => {
            format!("the first Python on your {}", chosen.source.describe())
        }
        Source::Pyenv if index == 0 => "your pyenv default".to_string(),
        source => format!("found through {}", source.describe()),
    };
    let min = min_python_text();
    let reason = if chosen.info.has_ensurepip {
        format!("it is {place}, and a CPython {min}+ with venv and ensurepip")
    } else {
        format!("it is {place}, and a CPython {min}+ with venv but no ensurepip, so Darwinix will add pip to its environments with uv")
    };
    Some(Choice { index, reason })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::ProbeInfo;
    use std::path::PathBuf;

    fn py(version: &str, source: Source, ensurepip: bool) -> Interpreter {
        Interpreter {
            path: PathBuf::from(format!("/x/{version}/python3")),
            source,
            info: ProbeInfo {
                version: version.into(),
                release_level: "final".into(),
                implementation: "cpython".into(),
                arch: "x86_64".into(),
                pointer_bits: 64,
                executable: PathBuf::from("/x"),
                prefix: PathBuf::from("/x"),
                base_prefix: PathBuf::from("/x"),
                is_venv: false,
                has_venv: true,
                has_ensurepip: ensurepip,
                has_pip: true,
                externally_managed: false,
                depends_on: vec![],
            },
        }
    }

    #[test]
    fn first_complete_python_wins() {
        let found = [
            py("3.8.18", Source::Path, true),
            py("3.11.2", Source::Path, false),
            py("3.12.1", Source::Pyenv, true),
        ];
        let choice = choose(&found).unwrap();
        assert_eq!(choice.index, 2);
        assert_eq!(
            choice.reason,
            "it is found through pyenv, and a CPython 3.9+ with venv and ensurepip"
        );
    }

    #[test]
    fn falls_back_to_one_without_ensurepip() {
        let found = [py("3.11.2", Source::Path, false)];
        let choice = choose(&found).unwrap();
        assert_eq!(choice.index, 0);
        assert!(choice.reason.contains("first Python on your PATH"));
        assert!(choice.reason.contains("uv"), "{}", choice.reason);
    }

    #[test]
    fn nothing_usable() {
        let mut venv = py("3.12.1", Source::Path, true);
        venv.info.is_venv = true;
        let mut pypy = py("3.10.0", Source::Path, true);
        pypy.info.implementation = "pypy".into();
        let mut beta = py("3.15.0", Source::Path, true);
        beta.info.release_level = "beta".into();
        let found = [py("3.6.15", Source::Pyenv, true), venv, pypy, beta];
        assert_eq!(choose(&found), None);
        let reasons: Vec<String> = found.iter().filter_map(unusable_reason).collect();
        assert_eq!(
            reasons,
            [
                "older than 3.9",
                "a virtual environment, not a base Python",
                "pypy is not CPython",
                "a pre-release (beta)"
            ]
        );
    }
}
