//! Darwinix inside JupyterLab: what each server it starts gets in its private folder, so the
//! user's `.venv` and JupyterLab settings stay untouched.
//!
//! - A kernel hook (`darwinix_kernel_hook.py`, run by the kernel spec Darwinix writes): after a
//!   cell fails with "No module named X", or ran `pip install`, the output offers to install
//!   the package with Darwinix.
//! - A server extension (`darwinix_lab.py`): the Install click's authenticated POST, which runs
//!   Darwinix's own command line (`darwinix add --for-import X`: the name from Darwinix's import
//!   table, the project's setup file edited as `darwinix add` does); and the save that comes
//!   before a stop ([`save_all`]).
//! - A prebuilt JupyterLab extension (`extension/`, built by `extension/build`): the Install
//!   button (a renderer for Darwinix's MIME type, shown in untrusted notebooks too, since it
//!   writes only text) and the page's side of saving before a stop.
//!
//! Where that extension is not loaded (another front end), the output's HTML is a link to the
//! server extension's question page, whose button posts.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use crate::error::Result;
use crate::fs::private;
use crate::http::local;
use crate::jupyter::registry::Entry;

#[rustfmt::skip]
mod extension_files;

const SERVER_EXTENSION: &str = include_str!("darwinix_lab.py");
const KERNEL_HOOK: &str = include_str!("darwinix_kernel_hook.py");
/// The hook's file name, in the server's config folder.
pub const HOOK_FILE: &str = "darwinix_kernel_hook.py";
/// The extension's folder name, under `labextensions/` of the server's data folder.
const EXTENSION_NAME: &str = "darwinix-jupyterlab";

/// What the hook and the server extension need to know, written beside them (no secrets).
#[derive(Debug, Serialize)]
pub struct LabConfig {
    /// Darwinix's command line, as the server's side runs it.
    pub cli: String,
    /// The project, as that command line names it.
    pub project: String,
}

/// Writes the server extension, the kernel hook and its settings into `config_dir`, and the
/// JupyterLab extension under `data_dir/labextensions` (first on the server's `JUPYTER_PATH`).
pub fn install(config_dir: &Path, data_dir: &Path, config: &LabConfig) -> Result<()> {
    private::write_file(
        &config_dir.join("darwinix_lab.py"),
        SERVER_EXTENSION.as_bytes(),
    )?;
    private::write_file(&config_dir.join(HOOK_FILE), KERNEL_HOOK.as_bytes())?;
    let json = serde_json::to_vec_pretty(config).expect("plain data");
    private::write_file(&config_dir.join("darwinix_lab.json"), &json)?;
    let root = data_dir.join("labextensions").join(EXTENSION_NAME);
    for (name, bytes) in extension_files::FILES {
        let file = root.join(name);
        private::create_dir(file.parent().expect("below the extension's folder"))?;
        private::write_file(&file, bytes)?;
    }
    Ok(())
}

/// Darwinix's command line: this program when it is the CLI, else the one beside the app.
pub fn cli_program() -> Option<PathBuf> {
    crate::remote::agent::local_cli()
}

/// How long a stop waits for the open pages to save (the server waits up to 4 s itself).
const SAVE_TIMEOUT: Duration = Duration::from_secs(6);

/// What a save before a stop did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
pub struct Saved {
    /// JupyterLab pages open on the server.
    pub pages: u32,
    /// Pages that saved their documents in time.
    pub saved: u32,
}

/// Asks every open JupyterLab page of `entry`'s server to save its documents, and waits for
/// them (briefly). A server without Darwinix's extension, or with no page open, answers at once.
pub async fn save_all(entry: &Entry) -> Option<Saved> {
    let answer = local::request(
        entry.port,
        "POST",
        "/darwinix/save-all",
        Some(&entry.token),
        Some("{}"),
        SAVE_TIMEOUT,
    )
    .await
    .ok()?;
    (answer.status == 200)
        .then(|| serde_json::from_slice(&answer.body).ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everything_goes_into_the_servers_private_folders() {
        let dir = tempfile::tempdir().unwrap();
        let (config, data) = (dir.path().join("config"), dir.path().join("data"));
        private::create_dir(&config).unwrap();
        let settings = LabConfig {
            cli: "/usr/bin/darwinix".into(),
            project: "/home/ann/Course notes".into(),
        };
        install(&config, &data, &settings).unwrap();
        assert!(config.join("darwinix_lab.py").is_file());
        assert!(config.join(HOOK_FILE).is_file());
        let written: serde_json::Value =
            serde_json::from_slice(&std::fs::read(config.join("darwinix_lab.json")).unwrap())
                .unwrap();
        assert_eq!(written["project"], "/home/ann/Course notes");
        let extension = data.join("labextensions/darwinix-jupyterlab");
        let package: serde_json::Value =
            serde_json::from_slice(&std::fs::read(extension.join("package.json")).unwrap())
                .unwrap();
        let entry = package["jupyterlab"]["_build"]["load"].as_str().unwrap();
        assert!(extension.join(entry).is_file(), "{entry}");
    }

    #[test]
    fn the_files_are_the_ones_jupyter_loads() {
        // Written by Darwinix, read by Python: the names must match what each expects.
        assert!(KERNEL_HOOK.contains("darwinix_lab.json"));
        assert!(SERVER_EXTENSION.contains("darwinix_lab.json"));
        assert!(include_str!("../login/jupyter_server_config.py").contains("\"darwinix_lab\""));
        assert!(KERNEL_HOOK.contains("application/vnd.darwinix.install+json"));
    }
}
