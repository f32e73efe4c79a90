//! The trust prompt's place in a setup: before the folder's environment is used or anything is
//! installed (`crate::trust` decides; this reads what it needs from the project).

use std::borrow::Cow;

use super::options::{index_in_use, SetupOptions};
use crate::error::Result;
use crate::paths::AppPaths;
use crate::project::{stamp, Project};
use crate::trust::{self, Gate, Setup};

/// `options` for a setup the gate lets through (marked Start without installing when that is
/// the user's answer), or [`crate::Error::NotTrusted`] with the question.
pub(super) fn gated<'a>(
    paths: &AppPaths,
    project: &Project,
    options: &'a SetupOptions,
) -> Result<Cow<'a, SetupOptions>> {
    let config = crate::project::config::load(paths, project)?;
    // Setup files that do not parse are the setup's own error to say; the folder's owner and
    // marks are still asked about.
    let source = super::source::chosen(project, &config)
        .ok()
        .and_then(|(source, _)| source);
    let index = index_words(&index_in_use(options));
    let setup = Setup {
        project,
        source: source.as_ref(),
        index: &index,
        first: stamp::load(&project.venv()).is_none(),
        origin: crate::course::record::of(paths, &project.dir).map(|c| c.origin_words()),
    };
    Ok(match trust::gate(paths, &setup)? {
        Gate::Install => Cow::Borrowed(options),
        Gate::WithoutInstalling => Cow::Owned(SetupOptions {
            without_installing: true,
            ..options.clone()
        }),
    })
}

/// "PyPI", or the index's address when another one is used.
fn index_words(url: &str) -> String {
    match url.trim_end_matches('/') {
        "https://pypi.org/simple" => "PyPI".into(),
        other => other.to_string(),
    }
}
