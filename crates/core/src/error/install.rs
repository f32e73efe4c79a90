//! A package that could not be built, as plain data: which one, what its build lacked, and
//! what uv found round it (read from the installer's output in `install::build_failure` and
//! `install::failure`), with the message that says it.

use std::fmt;
use std::path::PathBuf;

/// What a build needed and did not find.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    Swig,
    CCompiler,
    CppCompiler,
    /// Windows: "Microsoft Visual C++ 14.0 or greater is required".
    MsvcBuildTools,
    Rust,
    PkgConfig,
    /// A header file (`graphviz/cgraph.h`): a library's development files.
    Header(String),
    /// A library pkg-config or meson looked for (`cairo`).
    Library(String),
    /// Another program the build ran (`command 'pg_config' failed: No such file`).
    Program(String),
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Missing::Swig => f.write_str("SWIG"),
            Missing::CCompiler => f.write_str("a C compiler"),
            Missing::CppCompiler => f.write_str("a C++ compiler"),
            Missing::MsvcBuildTools => {
                f.write_str("Microsoft C++ Build Tools (Visual C++ 14.0 or newer)")
            }
            Missing::Rust => f.write_str("Rust (its compiler and cargo)"),
            Missing::PkgConfig => f.write_str("pkg-config"),
            Missing::Header(h) if h == "Python.h" => {
                f.write_str("Python's development files (Python.h)")
            }
            Missing::Header(h) => write!(f, "the development files that provide {h}"),
            Missing::Library(l) => write!(f, "the library {l} with its development files"),
            Missing::Program(p) => write!(f, "the program {p}"),
        }
    }
}

/// A package that had to be built from its source here and could not be
/// ([`super::Error::CannotBuild`]), with what uv could find round it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unbuildable {
    pub dir: PathBuf,
    /// Normalised (`box2d-py`).
    pub package: String,
    pub version: Option<String>,
    /// The listed package it is a dependency of (`pymc3` for `scipy`).
    pub needed_by: Option<String>,
    /// What the build needed that this computer lacks, when the output says.
    pub missing: Option<Missing>,
    /// A version of `package` with a wheel for this Python and computer.
    pub ready_made: Option<String>,
    /// The nearest Python (`3.10`) that the failing version has wheels for.
    pub needs_python: Option<String>,
    /// The installer's lines that say why.
    pub detail: String,
}

impl fmt::Display for Unbuildable {
    /// [`super::Error::CannotBuild`]'s message.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Unbuildable {
            package,
            version,
            needed_by,
            missing,
            detail,
            ..
        } = self;
        let named = match version {
            Some(v) => format!("{package} {v}"),
            None => package.clone(),
        };
        let head = match (missing, needed_by) {
            (Some(m), None) => {
                format!("{package} could not be built: it needs {m}, which this computer does not have")
            }
            (Some(m), Some(by)) => format!(
                "{by} could not be installed: it needs {named}, which could not be built here: that needs {m}, which this computer does not have"
            ),
            (None, None) if version.is_none() => format!("{package} could not be built here"),
            (None, None) => {
                format!("{named} has no ready-made version for this Python, and building it here failed")
            }
            (None, Some(by)) => format!(
                "{by} does not install on this Python: it needs {named}, which has no ready-made version for this Python, and building it here failed"
            ),
        };
        match missing {
            Some(_) => write!(f, "{head}; the installer said:\n{detail}"),
            None => write!(f, "{head}; the end of the build's output:\n{detail}"),
        }
    }
}
