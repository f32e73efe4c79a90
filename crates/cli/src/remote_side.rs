//! This computer as another Darwinix's remote: `start --json --events` prints what that
//! Darwinix reads (progress, then the server and its token) and takes the token it made.

use std::io::BufRead;
use std::process::ExitCode;

use darwinix_core::jupyter::{self, Registry, StartOptions};
use darwinix_core::paths::AppPaths;
use darwinix_core::project::Project;

use crate::setup::JsonLines;

/// Starts (or finds) the project's server with progress as JSON lines; the last line is
/// `{"server": …, "token": …}`, or an `error` event.
#[allow(clippy::print_stdout)]
pub async fn start(
    paths: &AppPaths,
    project: &Project,
    mut options: StartOptions,
    token_stdin: bool,
) -> anyhow::Result<ExitCode> {
    if token_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        let token = line.trim();
        anyhow::ensure!(
            jupyter::token::is_acceptable(token),
            "the token on standard input is not one Darwinix makes"
        );
        options.token = Some(token.to_string());
    }
    match jupyter::start(paths, project, &options, &JsonLines).await {
        Ok(started) => {
            let token = token_stdin
                .then(|| Registry::new(paths).get(&project.key()).map(|e| e.token))
                .flatten();
            let line = serde_json::json!({ "server": started.server, "token": token });
            println!("{line}");
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            // The window's words: the other computer shows them in its window.
            let event = serde_json::json!({"event": "error", "data": {"message": e.to_string(), "hint": darwinix_core::hints::hint(&e)}});
            println!("{event}");
            Ok(ExitCode::FAILURE)
        }
    }
}
