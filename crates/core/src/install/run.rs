//! What an installer run is given: the plan of what it puts into the environment, and what
//! every run of one setup shares (the tool, the project, where it runs, the options).

use super::options::SetupOptions;
use super::tool::Tool;
use crate::project::backend::Backend;
use crate::project::requirements::Source;
use crate::project::Project;
use crate::reporter::Reporter;

/// What one install puts into the environment.
pub(super) struct Plan<'a> {
    pub source: &'a Source,
    pub extras: &'static [&'static str],
    /// Darwinix's `requirements.lock` (see `freeze`) pins what it lists.
    pub has_lock: bool,
}

impl Plan<'_> {
    /// An installer run would install something (an empty list is no error, just nothing).
    pub fn has_anything(&self, project: &Project) -> bool {
        !self.extras.is_empty()
            || match self.source {
                Source::Requirements { package: true, .. } | Source::Package => true,
                Source::Requirements { .. } | Source::Conda { .. } | Source::Pipfile { .. } => {
                    !self.source.requirements(&project.dir).is_empty()
                }
                Source::UvProject => true,
                Source::Pyproject(spec) => spec.package || !spec.requirements.is_empty(),
                Source::Nothing => false,
            }
    }
}

/// What every installer run of one setup shares.
pub(super) struct Run<'a> {
    pub tool: &'a Tool,
    pub project: &'a Project,
    pub backend: &'a Backend,
    pub options: &'a SetupOptions,
    pub reporter: &'a dyn Reporter,
}
