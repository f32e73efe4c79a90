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
    /// The system's default browser, on this address or file.
    System(String),
}

/// `$BROWSER` may list several commands (`:`-separated) and put `%s` where the URL goes; we
/// take the first. `DARWINIX_BROWSER` is one command, the URL appended.
///
/// `redirect` is JupyterLab's own `jpserver-<pid>-open.html` (in the server's 0700 runtime
/// folder): a page that forwards to the token address, so the token never appears on a
/// browser's command line, where every user could read it. `DARWINIX_BROWSER` (an explicit
/// hook) and the Windows browser inside WSL (which cannot read the Linux file) get the URL.
pub fn choose(
    darwinix_browser: Option<&str>,
    browser: Option<&str>,
    inside_wsl: bool,
    url: &str,
    redirect: Option<&str>,
) -> Opener {
    let target = redirect.unwrap_or(url);
    let words = |cmd: &str| -> Vec<String> { cmd.split_whitespace().map(str::to_string).collect() };
    if let Some(cmd) = darwinix_browser.filter(|c| !c.trim().is_empty()) {
        let mut args = words(cmd);
        args.push(url.to_string());
        return Opener::Command(args);
    }
    if let Some(first) = browser.and_then(|b| b.split(':').find(|c| !c.trim().is_empty())) {
        let mut args = words(first);
        if args.iter().any(|a| a.contains("%s")) {
            args = args.into_iter().map(|a| a.replace("%s", target)).collect();
        } else {
            args.push(target.to_string());
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
    Opener::System(target.to_string())
}

/// Opens `url`. Failing to open a browser is not fatal: the caller shows the address instead.
pub async fn open(url: &str, redirect: Option<&std::path::Path>) -> Result<(), String> {
    let inside_wsl = crate::machine::wsl::detect_guest().is_some();
    let redirect = redirect.filter(|p| p.is_file()).and_then(|p| p.to_str());
    let opener = choose(
        std::env::var(DARWINIX_BROWSER).ok().as_deref(),
        std::env::var(BROWSER).ok().as_deref(),
        inside_wsl,
        url,
        redirect,
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
        Opener::System(target) => tokio::task::spawn_blocking(move || open::that(target))
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "http://127.0.0.1:1234/lab?token=t";

    #[test]
    fn darwinix_browser_wins() {
        assert_eq!(
            choose(Some("/bin/echo -n"), Some("firefox"), true, URL, None),
            Opener::Command(vec!["/bin/echo".into(), "-n".into(), URL.into()])
        );
    }

    #[test]
    fn browser_variable_with_and_without_placeholder() {
        assert_eq!(
            choose(
                None,
                Some("firefox --new-tab %s:chromium"),
                false,
                URL,
                None
            ),
            Opener::Command(vec!["firefox".into(), "--new-tab".into(), URL.into()])
        );
        assert_eq!(
            choose(None, Some("w3m"), false, URL, None),
            Opener::Command(vec!["w3m".into(), URL.into()])
        );
    }

    #[test]
    fn the_token_stays_off_browser_command_lines() {
        let file = "/home/ann/.local/share/darwinix/runtime/p-1/jpserver-42-open.html";
        let page = Some(file);
        assert_eq!(
            choose(None, None, false, URL, page),
            Opener::System(file.into())
        );
        assert_eq!(
            choose(None, Some("firefox"), false, URL, page),
            Opener::Command(vec!["firefox".into(), file.into()])
        );
        // The explicit hook and the Windows browser (which cannot read the Linux file) get the URL.
        assert_eq!(
            choose(Some("hook"), None, false, URL, page),
            Opener::Command(vec!["hook".into(), URL.into()])
        );
        assert!(matches!(choose(None, None, true, URL, page), Opener::Command(a) if a[2] == URL));
    }

    #[test]
    fn wsl_uses_the_windows_browser_then_system() {
        assert_eq!(
            choose(None, None, true, URL, None),
            Opener::Command(vec![
                "rundll32.exe".into(),
                "url.dll,FileProtocolHandler".into(),
                URL.into()
            ])
        );
        assert_eq!(
            choose(None, Some(""), false, URL, None),
            Opener::System(URL.into())
        );
    }
}
