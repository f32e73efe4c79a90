//! Sign-in links: how a browser gets into JupyterLab without ever being handed the token.
//!
//! Every server Darwinix starts loads a small server extension (`login/darwinix_login.py`,
//! through a config file in the server's private folder on `JUPYTER_CONFIG_PATH`). Darwinix,
//! which holds the token, asks it for a link; the browser gets `/darwinix/login/NONCE`, an
//! address any browser can open — confined (snap, Flatpak) or not, on this computer or in WSL —
//! that logs it in once, within a minute, and leads to JupyterLab or one notebook.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use super::registry::Entry;
use crate::error::Result;
use crate::fs::private;
use crate::http::local;

mod confined;
pub mod remote;

const EXTENSION: &str = include_str!("login/darwinix_login.py");
const CONFIG: &str = include_str!("login/jupyter_server_config.py");

/// The folder, inside a server's private runtime folder, that goes on `JUPYTER_CONFIG_PATH`.
pub fn config_dir(runtime_dir: &Path) -> PathBuf {
    runtime_dir.join("config")
}

/// Writes the extension and the config file that loads it (no secrets in either).
pub fn install(runtime_dir: &Path) -> Result<PathBuf> {
    let dir = config_dir(runtime_dir);
    private::create_dir(&dir)?;
    private::write_file(&dir.join("darwinix_login.py"), EXTENSION.as_bytes())?;
    private::write_file(&dir.join("jupyter_server_config.py"), CONFIG.as_bytes())?;
    Ok(dir)
}

/// A fresh link, and where it leads (neither holds the token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Logs a browser in once, within a minute.
    pub url: String,
    /// JupyterLab or the notebook, for people to read (opening it asks for the token).
    pub target: String,
}

#[derive(Deserialize)]
struct Answer {
    path: String,
    target: String,
}

/// Why there is no link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoLink {
    /// The server does not know the address: a JupyterLab too old to load the extension.
    Unsupported,
    /// The server did not give one: what went wrong, in words.
    Failed(String),
}

/// Where a link is asked for (with the token).
pub const LINKS_PATH: &str = "/darwinix/login-links";

/// Asks the server for a link to JupyterLab, or to `notebook` (a path relative to the
/// server's root, `/`-separated).
pub async fn link(entry: &Entry, notebook: Option<&str>) -> Result<Link, NoLink> {
    let answer = local::request(
        entry.port,
        "POST",
        LINKS_PATH,
        Some(&entry.token),
        Some(&link_request(notebook)),
        Duration::from_secs(5),
    )
    .await;
    read_link(answer, entry.port)
}

/// The body of a request for a link to JupyterLab, or to `notebook`.
pub fn link_request(notebook: Option<&str>) -> String {
    serde_json::json!({ "path": notebook }).to_string()
}

/// The link in the server's `answer`, for a browser that reaches the server on `port`.
pub fn read_link(answer: std::io::Result<local::Response>, port: u16) -> Result<Link, NoLink> {
    let answer = answer.map_err(|e| NoLink::Failed(format!("JupyterLab did not answer: {e}")))?;
    match answer.status {
        200 => {}
        404 => return Err(NoLink::Unsupported),
        code => {
            let said = String::from_utf8_lossy(&answer.body);
            return Err(NoLink::Failed(format!(
                "JupyterLab refused a sign-in link (HTTP {code}): {}",
                said.trim()
            )));
        }
    }
    let answer: Answer = serde_json::from_slice(&answer.body)
        .map_err(|e| NoLink::Failed(format!("JupyterLab's sign-in link is unreadable: {e}")))?;
    let origin = format!("http://127.0.0.1:{port}");
    Ok(Link {
        url: format!("{origin}{}", answer.path),
        target: format!("{origin}{}", answer.target),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_files_go_in_a_private_folder() {
        let dir = tempfile::tempdir().unwrap();
        let config = install(dir.path()).unwrap();
        assert!(config.join("darwinix_login.py").is_file());
        assert!(
            std::fs::read_to_string(config.join("jupyter_server_config.py"))
                .unwrap()
                .contains("darwinix_login")
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&config).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
        }
    }
}
