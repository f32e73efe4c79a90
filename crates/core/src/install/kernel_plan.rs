//! What Darwinix adds to a project's environment for its notebook kernel, and whether its
//! server runs from the shared JupyterLab runtime.

use crate::project::backend::BackendChoice;
use crate::project::config::ProjectConfig;
use crate::project::requirements::Source;
use crate::project::Project;

use super::kernel_layer;

/// Where a project's notebooks get their JupyterLab and kernel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KernelPlan {
    /// The project lists JupyterLab (or Notebook) itself: its own server, kernel included
    /// (unless the user chose Darwinix's JupyterLab instead: `shared_jupyterlab`).
    Own,
    /// In WSL: the shared runtime inside the distro runs the server, and the kernel is
    /// installed into `.venv`, resolved with the project's packages (a shared kernel folder in
    /// the distro would be linked into a `.venv` that usually lives on the Windows side).
    InEnvironment,
    /// The shared runtime's server, and the kernel linked (or installed) into `.venv`.
    Shared,
}

impl KernelPlan {
    /// The plan for the project's packages and its settings (where it runs; whether the user
    /// chose Darwinix's JupyterLab over the one the project lists).
    pub fn of(source: &Source, project: &Project, config: &ProjectConfig) -> Self {
        if source.lists_jupyter(&project.dir) && !config.shared_jupyterlab {
            KernelPlan::Own
        } else {
            Self::without_jupyter(&config.backend)
        }
    }

    /// The plan of a project that does not list JupyterLab (or has no packages at all yet).
    pub fn without_jupyter(choice: &BackendChoice) -> Self {
        if matches!(choice, BackendChoice::Wsl { .. }) {
            KernelPlan::InEnvironment
        } else {
            KernelPlan::Shared
        }
    }

    /// The server runs from the shared runtime (here, or inside the WSL distro).
    pub fn uses_runtime(self) -> bool {
        self != KernelPlan::Own
    }

    /// What goes into the environment besides the project's packages (never into its files):
    /// pip, for `%pip install` (the shared kernel brings its own), and the kernel in WSL.
    pub(super) fn extras(self) -> &'static [&'static str] {
        match self {
            KernelPlan::Own => &["pip"],
            KernelPlan::InEnvironment => &["pip", "ipykernel"],
            KernelPlan::Shared => &[],
        }
    }

    /// For the stamp: another kernel version means another environment.
    pub(super) fn input(self) -> String {
        match self {
            KernelPlan::Own => "own".into(),
            KernelPlan::InEnvironment => "ipykernel".into(),
            KernelPlan::Shared => kernel_layer::version(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listed_jupyterlab_is_the_projects_own_unless_the_user_chose_darwinixs() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("requirements.txt"), "jupyterlab==4.2.5\n").unwrap();
        let project = Project::at(dir.path());
        let source = Source::detect(dir.path()).unwrap().unwrap();
        let mut config = ProjectConfig::default();
        assert_eq!(KernelPlan::of(&source, &project, &config), KernelPlan::Own);
        config.shared_jupyterlab = true;
        assert_eq!(
            KernelPlan::of(&source, &project, &config),
            KernelPlan::Shared
        );
        config.backend = BackendChoice::Wsl {
            distro: "Ubuntu".into(),
        };
        let in_wsl = KernelPlan::of(&source, &project, &config);
        assert_eq!(in_wsl, KernelPlan::InEnvironment);
        assert!(in_wsl.uses_runtime());
    }
}
