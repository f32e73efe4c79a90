//! Opening the user's browser on an address: `DARWINIX_BROWSER`, then `$BROWSER`, then the
//! Windows browser when running inside WSL, then the system's default.
//!
//! The browser is the user's: it is started in a session of its own and never waited for nor
//! killed (a first browser window stays in the foreground until the user closes it). Only a
//! launch that fails at once — a missing program, an exit with an error within
//! [`SETTLE_TIME`] — is reported.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use process_wrap::tokio::ChildWrapper;

use crate::env_vars::{BROWSER, DARWINIX_BROWSER};
use crate::process;

/// How long a launched browser command is watched for an early failure.
pub const SETTLE_TIME: Duration = Duration::from_secs(2);

/// How the address will be opened; pure, so the choice is testable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opener {
    /// Run this program with these arguments (the address already in place).
    Command(Vec<String>),
    /// The system's default browser.
    System(String),
}

/// `$BROWSER` may list several commands (`:`-separated) and put `%s` where the URL goes; we
/// take the first. `DARWINIX_BROWSER` is one command, the URL appended. Inside WSL the Windows
/// browser opens it (a server in WSL answers on Windows' localhost too).
pub fn choose(
    darwinix_browser: Option<&str>,
    browser: Option<&str>,
    inside_wsl: bool,
    url: &str,
) -> Opener {
    let words = |cmd: &str| -> Vec<String> { cmd.split_whitespace().map(str::to_string).collect() };
    if let Some(cmd) = darwinix_browser.filter(|c| !c.trim().is_empty()) {
        let mut args = words(cmd);
        args.push(url.to_string());
        return Opener::Command(args);
    }
    if let Some(first) = browser.and_then(|b| b.split(':').find(|c| !c.trim().is_empty())) {
        let mut args = words(first);
        if args.iter().any(|a| a.contains("%s")) {
            args = args.into_iter().map(|a| a.replace("%s", url)).collect();
        } else {
            args.push(url.to_string());
        }
        return Opener::Command(args);
    }
    if inside_wsl {
        // explorer.exe drops the query string; `cmd /c start` breaks on `&`.
        return Opener::Command(vec![
            "rundll32.exe".into(),
            "url.dll,FileProtocolHandler".into(),
            url.into(),
        ]);
    }
    Opener::System(url.to_string())
}

/// A browser command on its way: watch it with [`Launch::settle`], or just drop it.
pub struct Launch {
    child: Option<Box<dyn ChildWrapper>>,
    program: String,
    url: String,
    started: Instant,
    log: PathBuf,
    /// Where this launch's output begins in the shared log.
    log_from: u64,
}

impl Launch {
    /// Waits until the command has been running for [`SETTLE_TIME`] (then it is a browser
    /// window the user will close some day) or has ended; an early error is reported with the
    /// end of what it printed. The command itself is left alone either way.
    pub async fn settle(mut self) -> Result<(), String> {
        let Some(child) = self.child.as_mut() else {
            return Ok(());
        };
        let left = SETTLE_TIME.saturating_sub(self.started.elapsed());
        match tokio::time::timeout(left, child.wait()).await {
            Err(_still_running) => Ok(()),
            Ok(Ok(status)) if status.success() => Ok(()),
            Ok(Ok(status)) => {
                let code = status
                    .code()
                    .map_or_else(|| "was stopped".to_string(), |c| format!("exited with {c}"));
                // Only what this launch printed, without the link (it still logs in).
                let said = printed_since(&self.log, self.log_from).replace(&self.url, "<link>");
                Err(format!("`{}` {code}: {}", self.program, said.trim()))
            }
            Ok(Err(e)) => Err(format!("`{}`: {e}", self.program)),
        }
    }
}

/// Launches the browser on `url` and returns at once. `log` gets what the browser prints.
pub async fn launch(url: &str, log: &Path) -> Result<Launch, String> {
    let inside_wsl = crate::machine::wsl::detect_guest().is_some();
    let opener = choose(
        std::env::var(DARWINIX_BROWSER).ok().as_deref(),
        std::env::var(BROWSER).ok().as_deref(),
        inside_wsl,
        url,
    );
    match opener {
        Opener::Command(args) => {
            let mut cmd = process::command(&args[0]);
            cmd.args(&args[1..]);
            spawn(cmd, url, log)
        }
        Opener::System(url) => system(&url, log).await,
    }
}

/// Browsers print a lot for as long as they run; the log starts over past this size.
const MAX_LOG_BYTES: u64 = 1024 * 1024;

/// The last lines written to `log` after byte `from`.
fn printed_since(log: &Path, from: u64) -> String {
    let bytes = std::fs::read(log).unwrap_or_default();
    let start = usize::try_from(from).unwrap_or(usize::MAX).min(bytes.len());
    let text = String::from_utf8_lossy(&bytes[start..]);
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(3)..].join("\n")
}

fn spawn(mut cmd: tokio::process::Command, url: &str, log: &Path) -> Result<Launch, String> {
    for name in crate::env_vars::app_only() {
        cmd.env_remove(name);
    }
    let program = cmd.as_std().get_program().to_string_lossy().into_owned();
    // A browser started earlier may still write to the old file; it keeps it, we start anew.
    if std::fs::metadata(log).is_ok_and(|m| m.len() > MAX_LOG_BYTES) {
        let _ = std::fs::remove_file(log);
    }
    let log_from = std::fs::metadata(log).map_or(0, |m| m.len());
    let file = crate::fs::private::append_file(log).map_err(|e| e.to_string())?;
    let child = process::spawn_background(cmd, file).map_err(|e| match process::hint(&e) {
        Some(hint) => format!("{e}: {hint}"),
        None => e.to_string(),
    })?;
    Ok(Launch {
        child: Some(child),
        program,
        url: url.to_string(),
        started: Instant::now(),
        log: log.to_path_buf(),
        log_from,
    })
}

// Linux and the BSDs: the `open` crate's list of openers (xdg-open, gio, gnome-open, kde-open,
// wslview), the first one that exists, started like any browser command: xdg-open without a
// desktop environment runs the browser in the foreground. macOS: `open` hands over and exits.
#[cfg(not(windows))]
async fn system(url: &str, log: &Path) -> Result<Launch, String> {
    let mut last = String::from("no program to open addresses with was found");
    for std_cmd in open::commands(url) {
        match spawn(tokio::process::Command::from(std_cmd), url, log) {
            Ok(launch) => return Ok(launch),
            Err(why) => last = why,
        }
    }
    Err(last)
}

// Windows: ShellExecute hands the address to the default browser and returns at once.
#[cfg(windows)]
async fn system(url: &str, _log: &Path) -> Result<Launch, String> {
    let url = url.to_string();
    tokio::task::spawn_blocking(move || open::that_detached(url))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
    Ok(Launch {
        child: None,
        program: "the default browser".into(),
        url: String::new(),
        started: Instant::now(),
        log: PathBuf::new(),
        log_from: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "http://127.0.0.1:1234/darwinix/login/n0nce";

    #[test]
    fn darwinix_browser_wins() {
        assert_eq!(
            choose(Some("/bin/echo -n"), Some("firefox"), true, URL),
            Opener::Command(vec!["/bin/echo".into(), "-n".into(), URL.into()])
        );
    }

    #[test]
    fn browser_variable_with_and_without_placeholder() {
        assert_eq!(
            choose(None, Some("firefox --new-tab %s:chromium"), false, URL),
            Opener::Command(vec!["firefox".into(), "--new-tab".into(), URL.into()])
        );
        assert_eq!(
            choose(None, Some("w3m"), false, URL),
            Opener::Command(vec!["w3m".into(), URL.into()])
        );
    }

    #[test]
    fn wsl_uses_the_windows_browser_then_system() {
        assert_eq!(
            choose(None, None, true, URL),
            Opener::Command(vec![
                "rundll32.exe".into(),
                "url.dll,FileProtocolHandler".into(),
                URL.into()
            ])
        );
        assert_eq!(
            choose(None, Some(""), false, URL),
            Opener::System(URL.into())
        );
    }

    #[cfg(unix)]
    fn launch_of(script: &str, log: &Path) -> Result<Launch, String> {
        let mut cmd = process::command("sh");
        cmd.args(["-c", script, "sh", URL]);
        spawn(cmd, URL, log)
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn a_browser_that_stays_is_left_running_and_not_waited_for() {
        let dir = tempfile::tempdir().unwrap();
        let pid_file = dir.path().join("pid");
        let script = format!("echo $$ > '{}'; exec sleep 30", pid_file.display());
        let started = Instant::now();
        let launch = launch_of(&script, &dir.path().join("log")).unwrap();
        assert!(started.elapsed() < Duration::from_millis(500));
        assert_eq!(launch.settle().await, Ok(()));
        assert!(started.elapsed() < SETTLE_TIME + Duration::from_secs(1));
        let pid: i32 = std::fs::read_to_string(&pid_file)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        // Still running, in a session of its own.
        assert!(Path::new(&format!("/proc/{pid}")).exists());
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
        let fields: Vec<&str> = stat
            .rsplit(')')
            .next()
            .unwrap()
            .split_whitespace()
            .collect();
        assert_eq!(fields[3], pid.to_string(), "session id is its own pid");
        let _ = std::process::Command::new("kill")
            .arg(pid.to_string())
            .status();
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn an_early_failure_is_reported_with_what_it_said() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        std::fs::write(&log, "an older browser's message\n").unwrap();
        let launch = launch_of("echo \"no browser here for $1\" >&2; exit 3", &log);
        let why = launch.unwrap().settle().await.unwrap_err();
        assert!(
            why.contains("exited with 3") && why.contains("no browser here"),
            "{why}"
        );
        assert!(!why.contains("older"), "only this launch's output: {why}");
        assert!(
            !why.contains(URL) && why.contains("<link>"),
            "the link stays out: {why}"
        );
        let missing = spawn(process::command("/nonexistent/browser"), URL, &log);
        assert!(missing.err().unwrap().contains("/nonexistent/browser"));
    }
}
