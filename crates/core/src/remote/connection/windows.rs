//! Windows: its OpenSSH has no master connection, so each forward is an `ssh -N -L` of its own,
//! detached (it must outlive the CLI), its pid kept in the control folder so that cancel can
//! end it. Which process listens on the port is read from `netstat -ano` (the TCP table with
//! each row's owner; reading it through the API itself would take unsafe code).

use std::time::Duration;

use super::Connection;
use crate::error::Result;
use crate::jupyter::procs;
use crate::process;
use crate::remote::forward::Forward;

impl Connection {
    pub(super) async fn forwarding(&self, what: &str, forward: Forward) -> Result<()> {
        if what == "cancel" {
            if let Some(proc) = self.forward_process(forward) {
                procs::signal(&proc, true);
            }
            let _ = std::fs::remove_file(self.pid_file(forward));
            return Ok(());
        }
        let mut cmd = self.ssh();
        cmd.args([
            "-N",
            "-o",
            "ExitOnForwardFailure=yes",
            "-L",
            &forward.spec(),
        ]);
        self.host_args(&mut cmd);
        let log_path = self
            .control_dir
            .join(format!("forward-{}.log", forward.local));
        let log = crate::fs::private::append_file(&log_path)?;
        let mut child = process::spawn_detached(cmd, log).map_err(|e| self.spawn_error(e))?;
        if let Some(pid) = child.id() {
            crate::fs::private::write_file(&self.pid_file(forward), pid.to_string().as_bytes())?;
        }
        // Something answering on the port is not enough: it may be another account's program
        // (then our ssh fails to listen, and exits for ExitOnForwardFailure).
        let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
        while tokio::time::Instant::now() < deadline {
            if self.windows_holds(forward).await {
                return Ok(());
            }
            if matches!(child.try_wait(), Ok(Some(_))) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let said = std::fs::read_to_string(&log_path).unwrap_or_default();
        Err(self.error(&said))
    }

    fn pid_file(&self, forward: Forward) -> std::path::PathBuf {
        self.control_dir
            .join(format!("forward-{}.pid", forward.local))
    }

    /// The forward's ssh, when it still runs: only our own (a reused pid is someone else's).
    fn forward_process(&self, forward: Forward) -> Option<procs::Proc> {
        let pid = std::fs::read_to_string(self.pid_file(forward)).ok()?;
        let proc = procs::one(pid.trim().parse().ok()?)?;
        proc.cmdline.contains(&forward.spec()).then_some(proc)
    }

    /// The forward's own ssh listens on its port.
    pub(super) async fn windows_holds(&self, forward: Forward) -> bool {
        let Some(proc) = self.forward_process(forward) else {
            return false;
        };
        let mut cmd = process::command("netstat");
        cmd.args(["-ano", "-p", "TCP"]);
        let Ok(out) = process::output(cmd, Duration::from_secs(10)).await else {
            return false;
        };
        super::listener::owner(&out.stdout_text(), forward.local) == Some(proc.pid)
    }
}
