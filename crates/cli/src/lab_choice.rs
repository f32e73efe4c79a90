//! `--shared-jupyterlab` / `--own-jupyterlab`: for a project that lists its own JupyterLab,
//! the app's Use Darwinix's JupyterLab instead, remembered for the project in Darwinix's
//! settings (the project's files stay as they are).

use darwinix_core::paths::AppPaths;
use darwinix_core::project::config;
use darwinix_core::target::Target;

#[derive(Debug, Clone, Copy, clap::Args)]
pub struct LabArgs {
    /// Run the notebooks in Darwinix's JupyterLab even though the project lists its own (when
    /// that one does not start); the kernel keeps the project's packages. Remembered.
    #[arg(long, conflicts_with = "own_jupyterlab")]
    shared_jupyterlab: bool,
    /// Go back to the JupyterLab the project lists.
    #[arg(long)]
    own_jupyterlab: bool,
}

impl LabArgs {
    /// Saves the choice, when one was made.
    pub fn apply(self, paths: &AppPaths, target: &Target) -> anyhow::Result<()> {
        if self.shared_jupyterlab || self.own_jupyterlab {
            let project = target.here("--shared-jupyterlab and --own-jupyterlab")?;
            config::update(paths, project, |c| {
                c.shared_jupyterlab = self.shared_jupyterlab;
            })?;
        }
        Ok(())
    }
}
