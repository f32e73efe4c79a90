//! What Darwinix asks before it installs a folder it has no reason to trust, as plain data: why
//! it asks, and what would be installed from where (made by `crate::trust`).

use serde::Serialize;

/// The question the app's trust prompt and the CLI's ask.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct TrustAsk {
    /// Why the folder is not taken on trust, one sentence each ("it belongs to the account
    /// `ann`", "others may change its files", "it came from the internet").
    pub reasons: Vec<String>,
    /// The setup file the packages come from (`requirements.txt`), as the user knows it.
    pub from_file: Option<String>,
    /// Everything that would be installed, in the file's order.
    pub installs: Vec<Install>,
}

/// One thing a setup would install, and from where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Install {
    /// As the setup file writes it (`numpy>=1.26`, `git+https://…`, `--extra-index-url …`).
    pub what: String,
    /// Where it comes from, in words ("PyPI", "a git repository at github.com", "this folder").
    pub from: String,
    /// More than a package from the package index: a git or URL requirement, a local path, an
    /// extra index, or the folder's own `setup.py` — code that runs while installing, from a
    /// place the index does not vouch for.
    pub beyond_index: bool,
}
