//! A server started from the shared runtime runs notebooks in the project's `.venv`: exactly
//! one kernel, whose Python is the project's, and the front-end extensions its packages ship.
//!
//! The kernel keeps the name `python3` — the one nearly every notebook's metadata asks for — so
//! a notebook from a course or a colleague opens on it without a "select a kernel" question,
//! and saving it does not rewrite that metadata. Its display name is the project's.

use std::path::{Path, PathBuf};

use crate::env_vars::{JUPYTER_PATH, VIRTUAL_ENV};
use crate::error::Result;
use crate::fs::private;
use crate::http::local;
use crate::project::Project;

/// The kernel's name, as notebooks ask for it.
pub const NAME: &str = "python3";

/// The folder that goes first on the server's `JUPYTER_PATH`: its `kernels/` holds the one
/// kernel, inside the server's private runtime folder.
pub fn data_dir(runtime_dir: &Path) -> PathBuf {
    runtime_dir.join("data")
}

/// `JUPYTER_PATH` for a server: Darwinix's folder, then the user's own (the kernel gets the
/// user's back). Joined with `:`, the separator of the server's side, for a server in WSL
/// (`users` is `None` there).
pub fn jupyter_path(
    ours: &std::ffi::OsStr,
    users: Option<std::ffi::OsString>,
) -> std::ffi::OsString {
    let Some(users) = users else {
        return ours.to_owned();
    };
    let mut all = vec![PathBuf::from(ours)];
    all.extend(std::env::split_paths(&users));
    std::env::join_paths(all).unwrap_or_else(|_| ours.to_owned())
}

/// The `JUPYTER_PATH` the user set, if any.
pub fn users_jupyter_path() -> Option<std::ffi::OsString> {
    std::env::var_os(crate::env_vars::JUPYTER_PATH).filter(|v| !v.is_empty())
}

/// The project's kernel, with paths as the server's side names them.
pub struct Kernel<'a> {
    /// The `.venv`'s Python.
    pub python: &'a str,
    pub venv: &'a str,
    /// The user's `JUPYTER_PATH`, given back to the kernel (`None`: the kernel gets none).
    pub users_path: Option<std::ffi::OsString>,
    /// Darwinix's kernel hook (`in_lab`), run at kernel start: nothing of it goes into `.venv`.
    pub hook: Option<&'a str>,
}

/// Writes the kernel and the server configuration that makes it the only one, into
/// `config_dir` (on `JUPYTER_CONFIG_PATH`; Darwinix's folder comes first there, so these
/// settings win over configuration files elsewhere).
pub fn install(
    config_dir: &Path,
    data: &Path,
    project: &Project,
    kernel: &Kernel<'_>,
) -> Result<()> {
    let spec_dir = data.join("kernels").join(NAME);
    private::create_dir(&spec_dir)?;
    let users_path = kernel.users_path.clone().unwrap_or_default();
    let mut argv = vec![
        kernel.python.to_string(),
        "-Xfrozen_modules=off".into(),
        "-m".into(),
        "ipykernel_launcher".into(),
        "-f".into(),
        "{connection_file}".into(),
    ];
    argv.extend(kernel.hook.map(|h| format!("--IPKernelApp.exec_files={h}")));
    let spec = serde_json::json!({
        "argv": argv,
        "display_name": format!("Python 3 ({})", project.name()),
        "language": "python",
        "metadata": { "debugger": true },
        // The user's own JUPYTER_PATH (empty: none) instead of the server's.
        "env": {
            (VIRTUAL_ENV): kernel.venv,
            (JUPYTER_PATH): users_path.to_string_lossy(),
        },
    });
    private::write_file(&spec_dir.join("kernel.json"), spec.to_string().as_bytes())?;
    let labextensions = format!("{}/share/jupyter/labextensions", kernel.venv);
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

/// Restarts every kernel of a running server (after its project's packages changed), through
/// the server's API; how many were restarted.
pub async fn restart_all(entry: &super::Entry) -> Result<usize> {
    let timeout = std::time::Duration::from_secs(30);
    let failed = || crate::error::Error::NotResponding {
        dir: entry.dir.clone(),
        pid: entry.pid,
    };
    let listed = local::request(
        entry.port,
        "GET",
        "/api/kernels",
        Some(&entry.token),
        None,
        timeout,
    )
    .await
    .map_err(|_| failed())?;
    let kernels: Vec<serde_json::Value> =
        serde_json::from_slice(&listed.body).map_err(|_| failed())?;
    let mut restarted = 0;
    for id in kernels.iter().filter_map(|k| k["id"].as_str()) {
        let path = format!("/api/kernels/{id}/restart");
        let answer = local::request(entry.port, "POST", &path, Some(&entry.token), None, timeout)
            .await
            .map_err(|_| failed())?;
        if answer.status == 200 {
            restarted += 1;
        }
    }
    Ok(restarted)
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
        let python = "/p/Course notes/.venv/bin/python";
        let kernel = Kernel {
            python,
            venv: "/p/Course notes/.venv",
            users_path: None,
            hook: Some("/run/d/config/darwinix_kernel_hook.py"),
        };
        install(&config, &data, &project, &kernel).unwrap();
        let spec: serde_json::Value =
            serde_json::from_slice(&std::fs::read(kernels.join("python3/kernel.json")).unwrap())
                .unwrap();
        assert_eq!(spec["argv"][0], python);
        assert_eq!(
            spec["argv"][6],
            "--IPKernelApp.exec_files=/run/d/config/darwinix_kernel_hook.py"
        );
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
