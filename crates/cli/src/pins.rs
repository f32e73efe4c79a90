//! `--ignore-pins` / `--keep-pins`: the app's Start with current versions, remembered for the
//! project in Darwinix's settings (the project's files stay as they are).

use darwinix_core::paths::AppPaths;
use darwinix_core::project::{config, Project};

#[derive(Debug, Clone, Copy, clap::Args)]
pub struct PinsArgs {
    /// Install the project's packages without the version pins that no longer install here
    /// (remembered for the project; its files stay unchanged).
    #[arg(long, conflicts_with = "keep_pins")]
    ignore_pins: bool,
    /// Go back to the versions the project pins.
    #[arg(long)]
    keep_pins: bool,
}

impl PinsArgs {
    /// Saves the choice, when one was made.
    pub fn apply(self, paths: &AppPaths, project: &Project) -> anyhow::Result<()> {
        if self.ignore_pins || self.keep_pins {
            config::update(paths, project, |c| {
                c.ignore_pins = self.ignore_pins;
                c.relaxed_pins.clear();
            })?;
        }
        Ok(())
    }
}
