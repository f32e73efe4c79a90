//! A server started from the shared runtime runs notebooks in the project's `.venv`: exactly
//! one kernel, whose Python is the project's, and the front-end extensions its packages ship.
//!
//! The kernel keeps the name `python3` — the one nearly every notebook's metadata asks for — so
//! a notebook from a course or a colleague opens on it without a "select a kernel" question,
//! and saving it does not rewrite that metadata. Its display name is the project's.

use std::path::{Path, PathBuf};

use super::private;
use crate::error::Result;
use crate::project::Project;

/// The kernel's name, as notebooks ask for it.
pub const NAME: &str = "python3";

/// The folder that goes first on the server's `JUPYTER_PATH`: its `kernels/` holds the one
/// kernel, inside the server's private runtime folder.
pub fn data_dir(runtime_dir: &Path) -> PathBuf {
    runtime_dir.join("data")
}

/// `JUPYTER_PATH` for a server: Darwinix's folder, then the user's own (the kernel gets the
/// user's back).
pub fn jupyter_path(ours: &std::ffi::OsStr) -> std::ffi::OsString {
    let mut all = vec![PathBuf::from(ours)];
    all.extend(users_jupyter_path().iter().flat_map(std::env::split_paths));
    std::env::join_paths(all).unwrap_or_else(|_| ours.to_owned())
}

fn users_jupyter_path() -> Option<std::ffi::OsString> {
    std::env::var_os(crate::env_vars::JUPYTER_PATH).filter(|v| !v.is_empty())
}

/// Writes the kernel (a Python of the project's `.venv`, as the backend names it) and the
/// server configuration that makes it the only one, into `config_dir` (on
/// `JUPYTER_CONFIG_PATH`; Darwinix's folder comes first there, so these settings win over
/// configuration files elsewhere).
pub fn install(
    config_dir: &Path,
    data: &Path,
    project: &Project,
    python: &str,
    venv: &str,
) -> Result<()> {
    let spec_dir = data.join("kernels").join(NAME);
    private::create_dir(&spec_dir)?;
    let spec = serde_json::json!({
        "argv": [python, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": format!("Python 3 ({})", project.name()),
        "language": "python",
        "metadata": { "debugger": true },
        // The user's own JUPYTER_PATH (empty: none) instead of the server's.
        "env": {
            "VIRTUAL_ENV": venv,
            "JUPYTER_PATH": users_jupyter_path().unwrap_or_default().to_string_lossy(),
        },
    });
    private::write_file(&spec_dir.join("kernel.json"), spec.to_string().as_bytes())?;
    let labextensions = format!("{venv}/share/jupyter/labextensions");
    let config = serde_json::json!({
        // Ours comes first on JUPYTER_PATH, so `python3` is ours; kernels of other
        // environments (the user's folders) are not offered.
        "KernelSpecManager": {
            "allowed_kernelspecs": [NAME],
            "ensure_native_kernel": false,
        },
        "MappingKernelManager": { "default_kernel_name": NAME },
        // ipywidgets, plotly, bokeh, ipympl: extensions the project's packages installed.
        "LabServerApp": { "extra_labextensions_path": [labextensions] },
    });
    private::write_file(
        &config_dir.join("jupyter_server_config.json"),
        config.to_string().as_bytes(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_kernel_in_the_projects_environment() {
        let dir = tempfile::tempdir().unwrap();
        let project = Project::at(&dir.path().join("Course notes"));
        let config = dir.path().join("config");
        let data = data_dir(dir.path());
        let kernels = data.join("kernels");
        std::fs::create_dir(&config).unwrap();
        let venv = "/p/Course notes/.venv";
        let python = "/p/Course notes/.venv/bin/python";
        install(&config, &data, &project, python, venv).unwrap();
        let spec: serde_json::Value =
            serde_json::from_slice(&std::fs::read(kernels.join("python3/kernel.json")).unwrap())
                .unwrap();
        assert_eq!(spec["argv"][0], python);
        assert_eq!(spec["display_name"], "Python 3 (Course notes)");
        let server: serde_json::Value = serde_json::from_slice(
            &std::fs::read(config.join("jupyter_server_config.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(server["KernelSpecManager"]["ensure_native_kernel"], false);
        assert_eq!(
            server["KernelSpecManager"]["allowed_kernelspecs"][0],
            "python3"
        );
        assert_eq!(
            server["LabServerApp"]["extra_labextensions_path"][0],
            "/p/Course notes/.venv/share/jupyter/labextensions"
        );
    }
}
