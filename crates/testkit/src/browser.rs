//! A stand-in browser: a script given as DARWINIX_BROWSER that records `PID ADDRESS` for every
//! launch, then does what the test asks of it (exit, fail, or stay like a first window).

use crate::{alive, cmdline, env, script, TestContext};

/// Records the launch and exits, as a browser that hands the address to a running one.
pub const RECORDING_BROWSER: &str = r#"echo "$$ $1" >> "$DARWINIX_TEST_BROWSER_CALLS""#;

/// A confined, foreground browser (snap/Flatpak): records the launch, refuses files it could
/// not read in a snap (hidden folders of $HOME, /tmp, outside $HOME), and then stays (a first
/// browser window does not exit) for a minute.
pub const CONFINED_BROWSER: &str = r#"
echo "$$ $1" >> "$DARWINIX_TEST_BROWSER_CALLS"
case "$1" in
  http://127.0.0.1:*) ;;
  *)
    path=${1#file://}
    case "$path" in
      */.*|/tmp/*) echo "Access to the file was denied" >&2; exit 1 ;;
      "$HOME"/*) ;;
      *) echo "File not found" >&2; exit 1 ;;
    esac ;;
esac
exec sleep 60
"#;

impl TestContext {
    /// Every command opens addresses with a script running `body` (`$1`: the address);
    /// `browser_calls` reads what it recorded.
    pub fn with_browser(self, body: &str) -> Self {
        let browser = script(self.root(), "browser", body);
        let calls = self.root().join("browser-calls");
        let mut ctx = self
            .with_env(env::BROWSER, browser)
            .with_env(env::BROWSER_CALLS, &calls);
        ctx.browser_calls = Some(calls);
        ctx
    }

    /// `(pid, address)` of every launch of the stand-in browser.
    pub fn browser_calls(&self) -> Vec<(u32, String)> {
        let Some(calls) = &self.browser_calls else {
            return Vec::new();
        };
        std::fs::read_to_string(calls)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| {
                let (pid, url) = l.split_once(' ')?;
                Some((pid.parse().ok()?, url.to_string()))
            })
            .collect()
    }

    /// The addresses the stand-in browser was given, in order.
    pub fn browser_addresses(&self) -> Vec<String> {
        self.browser_calls().into_iter().map(|(_, a)| a).collect()
    }

    /// Ends the stand-in browsers that stayed: only those still running the script's `sleep`
    /// (a pid of one that exited long ago may be another process's by now).
    pub(crate) fn kill_browsers(&self) {
        for (pid, _) in self.browser_calls() {
            if alive(pid) && cmdline(pid).starts_with("sleep ") {
                let _ = std::process::Command::new("kill")
                    .arg(pid.to_string())
                    .stderr(std::process::Stdio::null())
                    .status();
            }
        }
    }
}
