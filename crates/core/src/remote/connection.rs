//! One SSH connection to a remote machine, through the system's OpenSSH client: the user's
//! `~/.ssh/config`, keys and agent; never a password (BatchMode: a prompt is an error, not a
//! hang). On Unix every command and forward shares one master connection (ControlMaster) whose
//! socket lives in a 0700 folder of ours, so repeated commands cost no new handshake.

use std::path::PathBuf;
use std::time::Duration;

use tokio::process::Command;

use super::address::SshAddress;
use super::control_dir::control_dir;
use super::ssh_error;
use crate::error::{Error, Result, SshProblem};
use crate::paths::AppPaths;
use crate::{env_vars, process};

mod forwarding;
mod listener;
#[cfg(windows)]
mod windows;

// Uninstall names it here.
pub(crate) use super::control_dir::outside_socket_dir;

/// How long one remote command may take when it is not a setup (those stream and may take
/// minutes).
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(60);

/// Options every invocation shares. Command-line options win over the user's config, where
/// the first value obtained counts.
const COMMON: &[&str] = &[
    "-T",
    "-o",
    "BatchMode=yes",
    "-o",
    "ConnectTimeout=10",
    // A dead link (sleep, a new network) ends the master within about 45 s, and the forward is
    // then made again on the next use.
    "-o",
    "ServerAliveInterval=15",
    "-o",
    "ServerAliveCountMax=3",
    // A `RemoteCommand` or `RequestTTY` in the user's config would replace our command.
    "-o",
    "RemoteCommand=none",
    "-o",
    "RequestTTY=no",
    "-o",
    "PermitLocalCommand=no",
    "-o",
    "LogLevel=ERROR",
];

pub struct Connection {
    address: SshAddress,
    control_dir: PathBuf,
}

impl Connection {
    /// A connection to `address`'s machine (nothing is connected yet).
    pub fn new(paths: &AppPaths, address: &SshAddress) -> Result<Self> {
        Ok(Self {
            address: address.clone(),
            control_dir: control_dir(paths)?,
        })
    }

    pub fn address(&self) -> &SshAddress {
        &self.address
    }

    fn ssh(&self) -> Command {
        let program = std::env::var_os(env_vars::DARWINIX_SSH).unwrap_or_else(|| "ssh".into());
        let mut cmd = process::command(program);
        cmd.args(COMMON);
        if let Some(config) = std::env::var_os(env_vars::DARWINIX_SSH_CONFIG) {
            cmd.arg("-F").arg(config);
        }
        self.multiplex(&mut cmd);
        if let Some(user) = &self.address.user {
            cmd.args(["-l", user]);
        }
        if let Some(port) = self.address.port {
            cmd.args(["-p", &port.to_string()]);
        }
        cmd
    }

    // Unix: one master per host, its socket named by ssh's hash of host, port and user (%C), so
    // the path stays short enough for a socket whatever the names are.
    #[cfg(unix)]
    fn multiplex(&self, cmd: &mut Command) {
        cmd.arg("-o").arg("ControlMaster=auto");
        cmd.arg("-o")
            .arg(super::control_dir::control_path(&self.control_dir));
        // A master killed outright leaves its forwards' socket files behind; the next master
        // may replace them (they are ours: nobody else can write in that folder).
        cmd.args(["-o", "StreamLocalBindUnlink=yes"]);
        // `yes`, not a time: an idle master with only a forward open would otherwise exit and
        // take the forward with it. It is ended when its host's last server stops.
        cmd.args(["-o", "ControlPersist=yes"]);
    }

    // Windows: its OpenSSH has no ControlMaster; a user's config that asks for one would fail.
    #[cfg(windows)]
    fn multiplex(&self, cmd: &mut Command) {
        cmd.args(["-o", "ControlMaster=no", "-o", "ControlPath=none"]);
    }

    fn host_args(&self, cmd: &mut Command) {
        cmd.arg("--").arg(&self.address.host);
    }

    fn error(&self, stderr: &str) -> Error {
        Error::Ssh {
            login: self.address.login(),
            problem: ssh_error::classify(stderr),
            detail: ssh_error::detail(stderr),
        }
    }

    fn spawn_error(&self, e: Error) -> Error {
        match e {
            Error::Spawn { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                Error::Ssh {
                    login: self.address.login(),
                    problem: SshProblem::NoClient,
                    detail: "no `ssh` program on this computer".into(),
                }
            }
            e => e,
        }
    }

    /// Connects (once: a running master is reused), so that "connecting" is its own step with
    /// its own error.
    pub async fn open(&self) -> Result<()> {
        if self.is_open().await {
            return Ok(());
        }
        let mut cmd = self.ssh();
        // The master asks for no forwardings of the user's config (they would fail in every
        // later session); ours are added one by one.
        cmd.args(["-o", "ClearAllForwardings=yes"]);
        master_args(&mut cmd);
        self.host_args(&mut cmd);
        let out = process::output(cmd, Duration::from_secs(30))
            .await
            .map_err(|e| self.spawn_error(e))?;
        if !out.success() {
            return Err(self.error(&out.stderr_text()));
        }
        Ok(())
    }

    /// The master connection is up.
    pub async fn is_open(&self) -> bool {
        self.control("check").await.is_ok()
    }

    /// Ends the master connection and every forward it holds.
    pub async fn close(&self) {
        let _ = self.control("exit").await;
    }

    async fn control(&self, what: &str) -> Result<()> {
        if cfg!(windows) {
            return Err(self.error("no master connections on Windows"));
        }
        self.control_with(&["-O", what]).await
    }

    /// Runs a control command (`-O …`) on the master; its failure is ssh's, as an error.
    #[cfg_attr(windows, allow(dead_code))]
    async fn control_with(&self, args: &[&str]) -> Result<()> {
        let mut cmd = self.ssh();
        cmd.args(args);
        self.host_args(&mut cmd);
        let out = process::output(cmd, Duration::from_secs(15))
            .await
            .map_err(|e| self.spawn_error(e))?;
        if out.success() {
            Ok(())
        } else {
            Err(self.error(&out.stderr_text()))
        }
    }

    fn shell(&self) -> Command {
        let mut cmd = self.ssh();
        cmd.args(["-o", "ClearAllForwardings=yes"]);
        self.host_args(&mut cmd);
        cmd.args(["sh", "-s"]);
        cmd
    }

    /// Runs `script` (see [`super::script`]) on the remote; the exit code and output come back.
    /// Only a failure of ssh itself is an error here.
    pub async fn run(&self, script: Vec<u8>, timeout: Duration) -> Result<process::Output> {
        let out = process::output_with_input(self.shell(), Some(script), timeout)
            .await
            .map_err(|e| self.spawn_error(e))?;
        if out.code == Some(255) {
            return Err(self.error(&out.stderr_text()));
        }
        Ok(out)
    }

    /// Runs `script`, handing each line it prints to `on_line` as it arrives; the exit code
    /// comes back (255 lines are ssh's own, and are reported as [`Error::Ssh`]).
    pub async fn stream(&self, script: Vec<u8>, mut on_line: impl FnMut(&str)) -> Result<i32> {
        let mut said = Vec::new();
        let code = process::stream_with_input(self.shell(), script, |line| {
            said.push(line.to_string());
            if said.len() > 40 {
                said.remove(0);
            }
            on_line(line)
        })
        .await
        .map_err(|e| self.spawn_error(e))?;
        match code {
            Some(255) => Err(self.error(&said.join("\n"))),
            Some(code) => Ok(code),
            None => Ok(-1),
        }
    }

    /// Writes `bytes` to the file `name` in the remote folder `dir_expr` (a shell expression
    /// of safe characters only), made executable and private, replacing it atomically.
    pub async fn upload(&self, dir_expr: &str, name: &str, bytes: Vec<u8>) -> Result<()> {
        debug_assert!(name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)));
        // The data is on stdin, so the command is a fixed string; single quotes, no `!` and
        // no backslash read the same in sh, bash, zsh, fish and tcsh.
        let body = format!(
            "umask 077; d={dir_expr}; mkdir -p \"$d\" && cat > \"$d/{name}.part\" && chmod 700 \"$d/{name}.part\" && mv -f \"$d/{name}.part\" \"$d/{name}\""
        );
        let mut cmd = self.ssh();
        cmd.args(["-o", "ClearAllForwardings=yes"]);
        self.host_args(&mut cmd);
        cmd.arg("sh").arg("-c").arg(format!("'{body}'"));
        let out = process::output_with_input(cmd, Some(bytes), Duration::from_secs(600))
            .await
            .map_err(|e| self.spawn_error(e))?;
        match out.code {
            Some(0) => Ok(()),
            Some(255) => Err(self.error(&out.stderr_text())),
            _ => Err(Error::Remote {
                host: self.address.host_label(),
                detail: format!(
                    "could not copy {name} there: {}",
                    ssh_error::detail(&out.stderr_text())
                ),
                hint: None,
            }),
        }
    }
}

// Unix: `-f` returns once the master is authenticated (its errors still reach us); the master
// detaches itself (a session of its own, its outputs on /dev/null).
#[cfg(unix)]
fn master_args(cmd: &mut Command) {
    cmd.args(["-o", "ControlMaster=yes", "-N", "-f"]);
}

// Windows: no master; "connecting" is a plain command that checks the login works.
#[cfg(windows)]
fn master_args(cmd: &mut Command) {
    cmd.arg("true");
}
