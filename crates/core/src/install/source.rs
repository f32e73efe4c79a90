//! The first thing a setup says: which setup file the packages come from (chosen as Binder
//! chooses, or the user's pick), which files are not used and why, and the Python the files ask
//! for. A folder without a setup file gets a new `requirements.txt` from its notebooks' imports.

use super::SetupEvent;
use crate::error::{Error, Result};
use crate::project::config::ProjectConfig;
use crate::project::requirements::choose::{self, Choice};
use crate::project::requirements::python_wish::{self, Wanted, Wish};
use crate::project::requirements::{self, Source};
use crate::project::Project;
use crate::reporter::{Reporter, SetupStep};

/// The source a setup installs from, and the Python version it should be made with.
pub(super) struct Found {
    pub source: Source,
    pub python: Option<Wish>,
}

/// Chooses, tells, and — for a folder without a setup file — reads the imports.
pub(super) fn find_source(
    project: &Project,
    config: &ProjectConfig,
    reporter: &dyn Reporter,
) -> Result<Found> {
    let choice = choose::choose(&project.dir, config.source.as_deref())?;
    let python = python_of(project, config, &choice)?;
    if let Some(notice) = &choice.notice {
        warn(reporter, notice.clone());
    }
    tell(reporter, &choice, python.as_ref());
    let source = match choice.source {
        Some(source) => {
            warn_left_out(reporter, &source);
            source
        }
        None => from_imports(project, reporter)?,
    };
    Ok(Found { source, python })
}

/// The user chose Start without installing for this folder: Python and the kernel alone, said
/// so (and nothing is written into the folder, not even a list from the imports).
pub(super) fn without_installing(
    project: &Project,
    config: &ProjectConfig,
    reporter: &dyn Reporter,
) -> Result<Found> {
    let (_, python) = chosen(project, config)?;
    warn(
        reporter,
        "This folder's packages are not installed, as you chose when Darwinix asked whether to trust it: its kernel has Python's own modules alone. Trust the folder to install them.".into(),
    );
    Ok(Found {
        source: Source::Nothing,
        python,
    })
}

/// Whether the project's setup files can be set up at all (they parse, one binder folder, not
/// Python 2): file reads only, before a start begins anything.
pub fn check(paths: &crate::paths::AppPaths, project: &Project) -> Result<()> {
    let config = crate::project::config::load(paths, project)?;
    chosen(project, &config).map(drop)
}

/// The source and the Python wish, without telling anyone (the no-op check).
pub(super) fn chosen(
    project: &Project,
    config: &ProjectConfig,
) -> Result<(Option<Source>, Option<Wish>)> {
    let choice = choose::choose(&project.dir, config.source.as_deref())?;
    let python = python_of(project, config, &choice)?;
    Ok((choice.source, python))
}

/// The Python the user chose for the project, else the one its files ask for. Python 2 is an
/// error before anything is installed.
fn python_of(project: &Project, config: &ProjectConfig, choice: &Choice) -> Result<Option<Wish>> {
    if let Some(version) = &config.python {
        return Ok(Some(Wish {
            wanted: Wanted::Version(version.clone()),
            from: "your choice in Project settings".into(),
        }));
    }
    let wish = python_wish::wish(&project.dir, choice);
    if let Some(Wish {
        wanted: Wanted::Version(version),
        from,
    }) = &wish
    {
        if python_wish::is_python2(version) {
            return Err(Error::Python2 {
                version: version.clone(),
                from: from.clone(),
            });
        }
    }
    Ok(wish)
}

/// "Packages from environment.yml · requirements.txt not used: environment.yml comes first".
fn tell(reporter: &dyn Reporter, choice: &Choice, python: Option<&Wish>) {
    let used = choice.source.as_ref().map(|s| match choice.picked {
        true => format!("{} (your choice)", s.describe()),
        false => s.describe(),
    });
    let python = python.map(|w| match &w.wanted {
        Wanted::Version(v) => format!("Python {v}, as {} asks", w.from),
        Wanted::Range(r) => format!("Python {r}, as {} asks", w.from),
    });
    reporter.report(SetupEvent::Source {
        used,
        ignored: choice.ignored.clone(),
        python,
    });
}

/// One line for people, as the CLI and the step list show it.
pub fn sentence(used: Option<&str>, ignored: &[choose::Ignored]) -> String {
    let mut text = match used {
        Some(used) => format!("Packages from {used}"),
        None => "Packages from what the notebooks import".to_string(),
    };
    for i in ignored {
        text.push_str(&format!(" · {} not used: {}", i.file, i.why));
    }
    text
}

/// What the chosen file lists but cannot be installed from the index: said, never dropped
/// silently.
fn warn_left_out(reporter: &dyn Reporter, source: &Source) {
    if let Source::Conda { spec, .. } = source {
        if !spec.unavailable.is_empty() {
            let message = format!(
                "{} lists conda packages the package index does not have; they are left out: {}",
                source.describe(),
                spec.unavailable.join(", ")
            );
            warn(reporter, message);
        }
    }
    if !source.skipped().is_empty() {
        let message = format!(
            "{} lists packages that are not on the package index; they are not installed (add them in Packages if you trust them): {}",
            source.describe(),
            source.skipped().join(", ")
        );
        warn(reporter, message);
    }
}

/// A folder without a setup file: its notebooks' imports, written into a new
/// `requirements.txt` (or nothing at all when they import nothing to install).
fn from_imports(project: &Project, reporter: &dyn Reporter) -> Result<Source> {
    let found = requirements::imports::scan(&project.dir);
    for message in &found.warnings {
        warn(reporter, message.clone());
    }
    if found.packages.is_empty() {
        reporter.report(SetupEvent::Step {
            step: SetupStep::CheckingComputer,
            detail: "No packages found in your notebooks: starting with Python's own".into(),
        });
        return Ok(Source::Nothing);
    }
    reporter.report(SetupEvent::Step {
        step: SetupStep::CheckingComputer,
        detail: format!("Found in your notebooks: {}", found.packages.join(", ")),
    });
    let file = requirements::write_from_imports(&project.dir, &found.packages)?;
    Ok(Source::Requirements {
        file,
        package: false,
    })
}

fn warn(reporter: &dyn Reporter, message: String) {
    reporter.report(SetupEvent::Warning { message });
}
