//! The user's choices, persisted as JSON under the config folder and shared by the CLI and app.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::locale::{self, Language, Pack};
use crate::paths::{write_atomically, AppPaths};

/// Which tool installs packages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "lowercase")]
pub enum Installer {
    /// Fast; fetched from PyPI once when not installed.
    #[default]
    Uv,
    /// The classic `python -m venv` + `pip install`, as the original flake did.
    Pip,
}

impl std::fmt::Display for Installer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Installer::Uv => "uv",
            Installer::Pip => "pip",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(default)]
pub struct Settings {
    pub installer: Installer,
    /// A specific interpreter instead of the one discovery picks.
    pub python: Option<PathBuf>,
    /// A package index instead of PyPI (`PIP_INDEX_URL`/`UV_INDEX_URL` are honoured too).
    pub index_url: Option<String>,
    /// Trust the system's certificate store (company proxies that re-sign TLS).
    pub native_tls: bool,
    /// More `--Option=value` arguments for JupyterLab, e.g. `--ServerApp.max_buffer_size=...`.
    pub extra_args: Vec<String>,
    /// What quitting the app does with the servers it shows.
    pub on_quit: OnQuit,
    /// The app has said once that closing its window keeps it running in the tray.
    pub tray_notice_shown: bool,
    /// While the app is open, keep the current project's JupyterLab started in the background
    /// (one server, unseen until Start Notebook), so the click only opens the browser.
    pub instant_start: bool,
    /// Ask once a day whether a new release of the app exists (Settings → Updates). Off: the app
    /// never asks (managed installs; `DARWINIX_NO_UPDATE_CHECK` turns it off too).
    pub update_checks: bool,
    /// Where courses opened from a link go (`None`: `~/Darwinix`); the last folder the user
    /// chose, remembered.
    #[ts(type = "string | null")]
    pub courses_dir: Option<PathBuf>,
    /// JupyterLab's language (and the window's): `auto` follows the computer, `en` is English,
    /// else a language pack's code (`fr-FR`; see `locale::PACKS`). Used from the next start.
    #[ts(type = "string")]
    pub language: Language,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            installer: Installer::default(),
            python: None,
            index_url: None,
            native_tls: false,
            extra_args: vec![],
            on_quit: OnQuit::default(),
            tray_notice_shown: false,
            instant_start: true,
            update_checks: true,
            courses_dir: None,
            language: Language::Auto,
        }
    }
}

/// What the app's Quit does with running servers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub enum OnQuit {
    /// Stop every server, so nothing keeps running unseen.
    #[default]
    StopServers,
    /// Leave them running; the CLI and the next launch find them again.
    KeepRunning,
}

impl Settings {
    pub fn file(paths: &AppPaths) -> PathBuf {
        paths.settings_file()
    }

    /// Missing file = defaults. A corrupt file is an error that names it (and is left alone, so
    /// nothing the user wrote is lost).
    pub fn load(paths: &AppPaths) -> Result<Self> {
        let file = Self::file(paths);
        match std::fs::read(&file) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|source| Error::CorruptFile { path: file, source }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(source) => Err(Error::ReadFile { path: file, source }),
        }
    }

    pub fn save(&self, paths: &AppPaths) -> Result<()> {
        let bytes = serde_json::to_vec_pretty(self).expect("settings are plain data");
        write_atomically(&Self::file(paths), &bytes)
    }

    /// JupyterLab's language pack by this setting and the computer's languages; `None`: English.
    pub fn language_pack(&self) -> Option<Pack> {
        self.language.effective(&locale::preferred())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_defaults_and_corruption() {
        let dir = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(dir.path());
        assert_eq!(Settings::load(&paths).unwrap(), Settings::default());
        let s = Settings {
            installer: Installer::Pip,
            native_tls: true,
            ..Settings::default()
        };
        s.save(&paths).unwrap();
        assert_eq!(Settings::load(&paths).unwrap(), s);
        // A file from before a setting existed loads, with that setting's default.
        std::fs::write(Settings::file(&paths), r#"{"installer": "pip"}"#).unwrap();
        let old = Settings::load(&paths).unwrap();
        assert_eq!(old.installer, Installer::Pip);
        assert!(old.update_checks && old.instant_start);
        assert_eq!(old.language, Language::Auto);
        std::fs::write(Settings::file(&paths), "{ oops").unwrap();
        let err = Settings::load(&paths).unwrap_err();
        assert!(err.to_string().contains("settings.json"), "{err}");
        assert!(
            crate::hints::hint(&err).unwrap().contains("fix or delete"),
            "{:?}",
            crate::hints::hint(&err)
        );
        assert_eq!(
            std::fs::read_to_string(Settings::file(&paths)).unwrap(),
            "{ oops",
            "left as it was"
        );
    }
}
