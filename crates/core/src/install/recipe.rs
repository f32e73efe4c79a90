//! What the stamp records of a setup: every input that decides the environment, hashed with
//! the Python's fingerprint. The no-op check compares it; a build writes it.

use super::kernel_plan::KernelPlan;
use super::options::SetupOptions;
use super::packages::relaxed_pins;
use crate::project::backend::{self, Place};
use crate::project::config::ProjectConfig;
use crate::project::requirements::python_wish::Wish;
use crate::project::requirements::Source;
use crate::project::stamp::Recipe;
use crate::project::Project;

/// What the stamp records of this setup (see [`Recipe`]).
pub(super) fn recipe<'a>(
    source: &'a Source,
    project: &'a Project,
    config: &'a ProjectConfig,
    place: &Place,
    options: &'a SetupOptions,
    python_wish: Option<&Wish>,
) -> Recipe<'a> {
    Recipe {
        python_wish: python_wish.map(Wish::key),
        source,
        dir: &project.dir,
        kernel: KernelPlan::of(source, project, config).input(),
        relaxed: relaxed_pins(config),
        left_out: &config.left_out,
        without: &config.without,
        instead: &config.instead,
        lock: std::fs::read(project.lock_file()).ok(),
        place: backend::stamp_input(place, project),
        installer: options.installer,
        index_url: options.index_url.as_deref(),
        native_tls: options.native_tls,
    }
}
