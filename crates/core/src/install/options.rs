//! How a setup installs: the installer, the Python to build from, the package index and its
//! certificates, what to upgrade, whether a big install is asked first.

use std::path::PathBuf;

use crate::env_vars;
use crate::project::backend::BackendChoice;
use crate::settings::{Installer, Settings};

#[derive(Debug, Clone, Default)]
pub struct SetupOptions {
    pub installer: Installer,
    /// Build from this interpreter instead of the one discovery picks.
    pub python: Option<PathBuf>,
    pub index_url: Option<String>,
    pub native_tls: bool,
    /// Packages to bring to their newest allowed version (`darwinix update`): the install runs
    /// even when nothing else changed.
    pub upgrade: Vec<String>,
    /// A big install (see `size`) stops with [`crate::Error::BigInstall`] until the user says
    /// yes: the app, which has a button for it. The command line only says the size and goes
    /// on (someone typed the command; a script must not hang on a question).
    pub ask_before_big_install: bool,
    /// The user chose Start without installing for this folder (the trust prompt): Python and
    /// the kernel alone. Set by the setup itself from the remembered answer.
    pub(crate) without_installing: bool,
}

impl SetupOptions {
    /// What applies where the project runs: a Python of this computer means nothing inside a
    /// WSL distro, which uses its own.
    pub(super) fn for_backend(&self, choice: &BackendChoice) -> Self {
        let mut options = self.clone();
        if matches!(choice, BackendChoice::Wsl { .. }) {
            options.python = None;
        }
        options
    }
}

impl From<&Settings> for SetupOptions {
    fn from(s: &Settings) -> Self {
        Self {
            installer: s.installer,
            python: s.python.clone(),
            index_url: s.index_url.clone(),
            native_tls: s.native_tls,
            upgrade: Vec::new(),
            ask_before_big_install: false,
            without_installing: false,
        }
    }
}

/// The package index the installer talks to, for error messages.
pub(crate) fn index_in_use(options: &SetupOptions) -> String {
    options
        .index_url
        .clone()
        .or_else(|| std::env::var(env_vars::UV_INDEX_URL).ok())
        .or_else(|| std::env::var(env_vars::PIP_INDEX_URL).ok())
        .unwrap_or_else(|| "https://pypi.org/simple".into())
}
