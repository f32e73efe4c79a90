//! Which JupyterLab and which kernel Python a project uses, and where its packages come from:
//! for the project view and `doctor`. Only file reads: no program runs.

use std::path::PathBuf;

use serde::Serialize;

use super::kernel_plan::KernelPlan;
use super::{kernel_layer, runtime};
use crate::error::Result;
use crate::paths::AppPaths;
use crate::project::backend::{self, BackendChoice};
use crate::project::config;
use crate::project::requirements::choose::{self, Ignored};
use crate::project::requirements::python_wish;
use crate::project::Project;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ProjectJupyter {
    /// `requirements.txt`, `pyproject.toml and uv.lock`, …; `None`: the notebooks' imports
    /// will be read at the first start.
    pub packages_from: Option<String>,
    /// The setup files not used, and why ("environment.yml comes first").
    pub not_used: Vec<Ignored>,
    /// The file the user picked in Project settings (or with `--from`), as `setup_files` names
    /// it; `None`: Darwinix chose.
    pub picked_file: Option<String>,
    /// The setup files the user may pick from, relative to the project folder.
    pub setup_files: Vec<String>,
    /// The Python the project asks for: `3.9 from runtime.txt`, `3.10 (your choice)`.
    pub python_wanted: Option<String>,
    /// In words: "JupyterLab 4.6.6, shared by your projects" or "the project's own JupyterLab".
    pub jupyterlab: String,
    /// The shared runtime's folder, when the project uses it (it may not be made yet).
    pub runtime: Option<PathBuf>,
    /// The Python the notebooks run in (the project's `.venv`).
    pub kernel_python: PathBuf,
    /// The kernel's packages are linked from Darwinix's shared copy (not installed in `.venv`).
    pub kernel_shared: bool,
    /// Start with current versions is on: failing version pins are left out.
    pub ignore_pins: bool,
    /// The project lists its own JupyterLab (or Notebook).
    pub lists_jupyterlab: bool,
    /// ... and the user chose Darwinix's shared one instead.
    pub shared_jupyterlab: bool,
    /// What PyTorch, JAX or TensorFlow could use after the last install (empty: none of them).
    pub gpu: Vec<super::gpu_check::GpuCheck>,
}

pub fn describe(paths: &AppPaths, project: &Project) -> Result<ProjectJupyter> {
    let config = config::load(paths, project)?;
    let choice = choose::choose(&project.dir, config.source.as_deref())?;
    let source = choice.source.clone();
    let plan = match &source {
        Some(s) => KernelPlan::of(s, project, &config),
        None => KernelPlan::without_jupyter(&config.backend),
    };
    // A runtime inside a WSL distro has a folder of the distro's, known only by asking it.
    let runtime = (plan == KernelPlan::Shared).then(|| {
        let place = config.backend.expected_place(project);
        runtime::dir_for(paths, &backend::stamp_input(&place, project))
    });
    let jupyterlab = match (&runtime, &config.backend) {
        (Some(dir), _) => match runtime::jupyterlab_version(dir) {
            Some(v) => format!("JupyterLab {v}, shared by your projects"),
            None => "JupyterLab shared by your projects (set up at the first start)".into(),
        },
        _ if plan == KernelPlan::Own => {
            "the project's own JupyterLab (it lists JupyterLab itself)".into()
        }
        (None, BackendChoice::Wsl { distro }) => {
            format!("JupyterLab shared by your projects in the WSL distro {distro}")
        }
        (None, _) => "JupyterLab shared by your projects".into(),
    };
    let layout = config.backend.layout();
    let venv = project.venv();
    Ok(ProjectJupyter {
        packages_from: source.map(|s| s.describe()),
        not_used: choice.ignored.clone(),
        picked_file: config.source.clone().filter(|_| choice.picked),
        setup_files: choose::pickable(&project.dir),
        python_wanted: config
            .python
            .clone()
            .map(|v| format!("{v} (your choice)"))
            .or_else(|| python_wish::wish(&project.dir, &choice).map(|w| w.key())),
        jupyterlab,
        runtime,
        kernel_python: layout.python(&venv),
        kernel_shared: kernel_layer::linked(&venv, layout).is_some(),
        ignore_pins: config.ignore_pins,
        lists_jupyterlab: choice
            .source
            .as_ref()
            .is_some_and(|s| s.lists_jupyter(&project.dir)),
        shared_jupyterlab: config.shared_jupyterlab,
        gpu: super::gpu_check::saved(paths, project),
    })
}
