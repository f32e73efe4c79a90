//! The command line and environment of a JupyterLab server, decided from plain inputs (no
//! files, no processes): the lockdown in one place, unit-tested.

use std::ffi::OsString;
use std::path::PathBuf;

use crate::env_vars::{JUPYTER_CONFIG_PATH, JUPYTER_PATH, JUPYTER_RUNTIME_DIR, JUPYTER_TOKEN};

/// What the server is started with. Paths are as the backend names them (inside a WSL
/// distro: its own).
pub(super) struct LaunchInputs<'a> {
    pub jupyter_lab: OsString,
    /// The project folder: JupyterLab's root, and the server's working folder here.
    pub root_dir: OsString,
    pub cwd: PathBuf,
    pub token: &'a str,
    /// The free port Darwinix chose (`port::free_port`).
    pub port: u16,
    /// Where it writes `jpserver-<pid>.json`.
    pub runtime_dir: OsString,
    /// `JUPYTER_CONFIG_PATH`: Darwinix's sign-in links first.
    pub config_path: OsString,
    /// `JUPYTER_PATH` for a server from the shared runtime (its one kernel first).
    pub jupyter_path: Option<OsString>,
    /// From the settings, already checked by `args::check`.
    pub extra_args: &'a [String],
    /// Jupyter refuses root without `allow_root`; containers and CI run as root.
    pub as_root: bool,
    /// The project's own JupyterLab workspace folder (open tabs come back after a restart).
    pub workspaces_dir: OsString,
}

pub(super) struct LaunchPlan {
    pub program: OsString,
    pub args: Vec<OsString>,
    pub env: Vec<(&'static str, OsString)>,
    pub cwd: PathBuf,
}

pub(super) fn plan(inputs: LaunchInputs<'_>) -> LaunchPlan {
    let mut root = OsString::from("--ServerApp.root_dir=");
    root.push(&inputs.root_dir);
    let mut args: Vec<OsString> = [
        "--no-browser",
        // Only this computer can reach it.
        "--ServerApp.ip=127.0.0.1",
    ]
    .map(OsString::from)
    .into();
    // The port Darwinix chose, never 0 (see `port`); taken meanwhile, the server stops instead
    // of moving to another one silently, and the start tries again.
    args.push(format!("--ServerApp.port={}", inputs.port).into());
    args.push("--ServerApp.port_retries=0".into());
    args.push(root);
    let mut workspaces = OsString::from("--LabApp.workspaces_dir=");
    workspaces.push(&inputs.workspaces_dir);
    args.push(workspaces);
    args.extend(inputs.extra_args.iter().map(OsString::from));
    if inputs.as_root {
        args.push("--ServerApp.allow_root=True".into());
    }
    // The token travels in the environment: argv is visible to every user in `ps`.
    let mut env = vec![
        (JUPYTER_TOKEN, OsString::from(inputs.token)),
        (JUPYTER_RUNTIME_DIR, inputs.runtime_dir),
        (JUPYTER_CONFIG_PATH, inputs.config_path),
    ];
    if let Some(path) = inputs.jupyter_path {
        env.push((JUPYTER_PATH, path));
    }
    LaunchPlan {
        program: inputs.jupyter_lab,
        args,
        env,
        cwd: inputs.cwd,
    }
}

impl LaunchPlan {
    /// The command, through the one way Darwinix spawns; whatever Python setup the caller's
    /// shell had does not leak into the project's.
    pub(super) fn command(&self) -> tokio::process::Command {
        let mut cmd = crate::process::command(&self.program);
        cmd.args(&self.args).current_dir(&self.cwd);
        crate::process::clean_python_env(&mut cmd);
        for (name, value) in &self.env {
            cmd.env(name, value);
        }
        cmd
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs<'a>(extra: &'a [String], as_root: bool, kernel: bool) -> LaunchInputs<'a> {
        LaunchInputs {
            jupyter_lab: "/rt/bin/jupyter-lab".into(),
            root_dir: "/home/me/my notes".into(),
            cwd: "/home/me/my notes".into(),
            token: "s3cret",
            port: 41317,
            runtime_dir: "/d/runtime/p-1".into(),
            config_path: "/d/runtime/p-1/config".into(),
            jupyter_path: kernel.then(|| "/d/runtime/p-1/data".into()),
            extra_args: extra,
            as_root,
            workspaces_dir: "/d/workspaces/my_notes-1".into(),
        }
    }

    fn args(plan: &LaunchPlan) -> Vec<String> {
        plan.args
            .iter()
            .map(|a| a.to_string_lossy().into())
            .collect()
    }

    #[test]
    fn the_server_is_locked_down_and_the_token_stays_off_the_command_line() {
        let plan = plan(inputs(&[], false, true));
        let got = args(&plan);
        assert_eq!(
            got,
            [
                "--no-browser",
                "--ServerApp.ip=127.0.0.1",
                "--ServerApp.port=41317",
                "--ServerApp.port_retries=0",
                "--ServerApp.root_dir=/home/me/my notes",
                "--LabApp.workspaces_dir=/d/workspaces/my_notes-1",
            ]
        );
        assert!(!got.iter().any(|a| a.contains("s3cret")));
        let env: Vec<_> = plan
            .env
            .iter()
            .map(|(k, v)| (*k, v.to_str().unwrap()))
            .collect();
        assert!(env.contains(&(JUPYTER_TOKEN, "s3cret")));
        assert!(env.contains(&(JUPYTER_PATH, "/d/runtime/p-1/data")));
        assert!(env.contains(&(JUPYTER_RUNTIME_DIR, "/d/runtime/p-1")));
    }

    #[test]
    fn settings_arguments_come_after_and_root_is_allowed_only_as_root() {
        let extra = vec!["--ServerApp.iopub_data_rate_limit=1e10".to_string()];
        let as_root = plan(inputs(&extra, true, false));
        let got = args(&as_root);
        assert_eq!(got[6], extra[0]);
        assert_eq!(got.last().unwrap(), "--ServerApp.allow_root=True");
        assert!(!as_root.env.iter().any(|(k, _)| *k == JUPYTER_PATH));
        let plain = plan(inputs(&[], false, false));
        assert!(!args(&plain).iter().any(|a| a.contains("allow_root")));
    }
}
