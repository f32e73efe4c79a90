//! Whether a folder's packages may be installed without asking. Installing runs code from the
//! internet (sdist builds, `setup.py`), so a folder the user has no reason to trust — another
//! account's, one others may change, one that came from the internet — or one that asks for
//! more than plain packages from the index before its first setup, is set up only after the
//! user says so (the app's prompt, the CLI's question or `--trust`). The user's own folder with
//! `numpy` in its requirements.txt keeps its one click.

pub mod facts;
pub(crate) mod hint;
pub mod plan;
pub mod store;

use std::path::Path;

pub use self::store::{Choice, Decision};
use crate::error::{Error, Install, Result, TrustAsk};
use crate::paths::AppPaths;
use crate::project::requirements::Source;
use crate::project::Project;

/// What a setup may do with the folder's packages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    Install,
    /// The user chose Start without installing: Python and the kernel alone.
    WithoutInstalling,
}

/// What the gate looks at: the folder, the setup file chosen for it, the index in use.
pub struct Setup<'a> {
    pub project: &'a Project,
    /// `None`: no setup file (the notebooks' imports decide).
    pub source: Option<&'a Source>,
    /// The package index in use, in words.
    pub index: &'a str,
    /// Darwinix has not made this folder's environment yet.
    pub first: bool,
    /// Where the folder came from, when Darwinix downloaded it (a course link, a shared file):
    /// foreign by definition, whoever owns the files now.
    pub origin: Option<String>,
}

/// The gate for a setup: the user's remembered answer, else nothing to ask, else
/// [`Error::NotTrusted`] with the question.
pub fn gate(paths: &AppPaths, setup: &Setup<'_>) -> Result<Gate> {
    match store::choice(paths, &setup.project.dir)? {
        Some(Choice::Trusted) => return Ok(Gate::Install),
        Some(Choice::WithoutInstalling) => return Ok(Gate::WithoutInstalling),
        None => {}
    }
    match ask(setup) {
        None => Ok(Gate::Install),
        Some(ask) => Err(Error::NotTrusted {
            dir: setup.project.dir.clone(),
            ask,
        }),
    }
}

/// The question for a setup, or `None` when the folder is taken on trust.
pub fn ask(setup: &Setup<'_>) -> Option<TrustAsk> {
    let dir = &setup.project.dir;
    let file = setup.source.and_then(|s| s.file(dir));
    let facts = [Some(dir.clone()), file.clone(), Some(setup.project.venv())]
        .into_iter()
        .flatten()
        .map(|p| facts::of(&p))
        .fold(facts::Facts::default(), facts::Facts::merge);
    let mut reasons = reasons(&facts);
    if let Some(origin) = &setup.origin {
        reasons.push(format!("it was downloaded from {origin}"));
    }
    // The user's own folder: only its first setup, and only a setup file, can ask for more
    // than the index (the notebooks' imports name index packages alone).
    if reasons.is_empty() && (!setup.first || setup.source.is_none()) {
        return None;
    }
    let installs = match setup.source {
        Some(source) => plan::installs(source, dir, setup.index),
        None => from_imports(dir, setup.index),
    };
    let from_file = file.as_deref().map(|f| shown(dir, f));
    if reasons.is_empty() {
        reasons.extend(beyond_index(&installs, from_file.as_deref()));
    }
    (!reasons.is_empty()).then_some(TrustAsk {
        reasons,
        from_file,
        installs,
    })
}

/// Why a folder is foreign, in words.
fn reasons(facts: &facts::Facts) -> Vec<String> {
    let mut reasons = Vec::new();
    if let Some(owner) = &facts.other_owner {
        reasons.push(format!("it belongs to another account ({owner})"));
    }
    if facts.writable_by_others {
        reasons.push("other accounts on this computer may change its files".into());
    }
    if facts.downloaded {
        reasons.push("it came from the internet (its files carry a download mark)".into());
    }
    reasons
}

/// "requirements.txt installs from a git repository at github.com and an extra package index".
fn beyond_index(installs: &[Install], file: Option<&str>) -> Option<String> {
    let mut places: Vec<&str> = installs
        .iter()
        .filter(|i| i.beyond_index)
        .map(|i| i.from.as_str())
        .collect();
    places.dedup();
    let first = places.first()?;
    let more = match places.len() {
        1 => String::new(),
        n => format!(" (and {} more)", n - 1),
    };
    Some(format!(
        "{} installs from beyond the package index: {first}{more}",
        file.unwrap_or("its setup")
    ))
}

/// A folder without a setup file: the packages its notebooks import, from the index.
fn from_imports(dir: &Path, index: &str) -> Vec<Install> {
    crate::project::requirements::imports::scan(dir)
        .packages
        .iter()
        .map(|name| plan::classify(name, index))
        .collect()
}

/// `binder/requirements.txt`: a setup file as the user finds it in the folder.
fn shown(dir: &Path, file: &Path) -> String {
    file.strip_prefix(dir)
        .unwrap_or(file)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

// The tests hand folders to other accounts and set modes: Unix's.
#[cfg(all(test, unix))]
mod tests;
