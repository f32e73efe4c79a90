//! Opening the user's browser on a server: `DARWINIX_BROWSER`, then `$BROWSER`, then the
//! Windows browser when running inside WSL, then the system's default (`open` crate).

use std::time::Duration;

use crate::env_vars::{BROWSER, DARWINIX_BROWSER};
use crate::process;

/// How the URL will be opened; pure, so the choice is testable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opener {
    /// Run this program with these arguments (the URL already in place).
    Command(Vec<String>),
    /// The system's default browser.
    System,
}

/// `$BROWSER` may list several commands (`:`-separated) and put `%s` where the URL goes; we
/// take the first. `DARWINIX_BROWSER` is one command, the URL appended.
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
        // explorer.exe drops the query string (the token); `cmd /c start` breaks on `&`.
        return Opener::Command(vec![
            "rundll32.exe".into(),
            "url.dll,FileProtocolHandler".into(),
            url.into(),
        ]);
    }
    Opener::System
}

/// Opens `url`. Failing to open a browser is not fatal: the caller shows the address instead.
pub async fn open(url: &str) -> Result<(), String> {
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
            let out = process::output(cmd, Duration::from_secs(30))
                .await
                .map_err(|e| e.to_string())?;
            if out.success() {
                Ok(())
            } else {
                Err(format!(
                    "`{}` failed: {}",
                    args[0],
                    out.stderr_text().trim()
                ))
            }
        }
        Opener::System => {
            let url = url.to_string();
            tokio::task::spawn_blocking(move || open::that(url))
                .await
                .map_err(|e| e.to_string())?
                .map_err(|e| e.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "http://127.0.0.1:1234/lab?token=t";

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
        assert_eq!(choose(None, Some(""), false, URL), Opener::System);
    }
}
