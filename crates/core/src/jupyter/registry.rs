//! The registry of running servers: one private JSON file per server under `DARWINIX_HOME`,
//! shared by the CLI and the app. The files hold tokens, so they are 0600 in a 0700 folder.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::paths::AppPaths;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The project's key: one server per project.
    pub id: String,
    pub dir: PathBuf,
    pub pid: u32,
    pub port: u16,
    pub token: String,
    /// Seconds since the Unix epoch, taken right after the process was started.
    pub started_at: u64,
    /// The server's private `JUPYTER_RUNTIME_DIR`.
    pub runtime_dir: PathBuf,
    pub log: PathBuf,
    /// Set when the server runs inside a WSL distro: `pid` is then the `wsl.exe` that carries
    /// it, and this names the Linux side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guest: Option<Guest>,
    /// Started ahead of time by the app's instant start, and not opened yet: nobody has seen
    /// it, so the app does not show it, and it is stopped when the app no longer wants it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub spare: bool,
}

/// The Linux side of a server run in a WSL distro.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guest {
    pub distro: String,
    /// The server's pid inside the distro.
    pub pid: u32,
    /// Its private runtime folder, a path inside the distro.
    pub runtime_dir: String,
}

impl Entry {
    /// The address without the token (safe to show and log).
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/lab", self.port)
    }

    /// The address of `notebook` on this server, or of JupyterLab's start page (no token).
    pub fn page(&self, notebook: Option<&str>) -> String {
        notebook.map_or_else(|| self.url(), |nb| notebook_url(self.port, nb))
    }

    /// The address that logs the browser in.
    pub fn token_url(&self) -> String {
        self.token_url_of(None)
    }

    /// [`Entry::page`] with the token that logs the browser in.
    pub fn token_url_of(&self, notebook: Option<&str>) -> String {
        super::token::with_token(&self.page(notebook), &self.token)
    }
}

/// The address of `notebook` on a server (no token), as the sign-in link's target
/// (`login::link`) names it.
pub fn notebook_url(port: u16, notebook: &str) -> String {
    let mut url = format!("http://127.0.0.1:{port}/lab/tree");
    for part in notebook.split('/').filter(|p| !p.is_empty()) {
        url.push('/');
        url.push_str(&percent_encode(part));
    }
    url
}

/// RFC 3986 percent-encoding of one path segment (what Python's `quote(..., safe="/")` does).
fn percent_encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

pub struct Registry {
    dir: PathBuf,
}

impl Registry {
    pub fn new(paths: &AppPaths) -> Self {
        Self {
            dir: paths.servers(),
        }
    }

    fn file(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.json"))
    }

    pub fn save(&self, entry: &Entry) -> Result<()> {
        crate::fs::private::create_dir(&self.dir)?;
        let bytes = serde_json::to_vec_pretty(entry).expect("entry is plain data");
        crate::fs::private::write_file(&self.file(&entry.id), &bytes)
    }

    pub fn get(&self, id: &str) -> Option<Entry> {
        read(&self.file(id)).ok()
    }

    /// Every readable entry. A damaged file cannot describe a server we could safely touch: it
    /// is moved aside (kept, for a bug report) and reported.
    pub fn all(&self) -> (Vec<Entry>, Vec<PathBuf>) {
        let mut entries = Vec::new();
        let mut damaged = Vec::new();
        let Ok(files) = std::fs::read_dir(&self.dir) else {
            return (entries, damaged);
        };
        for file in files
            .flatten()
            .map(|f| f.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
        {
            match read(&file) {
                Ok(e) => entries.push(e),
                Err(_) => {
                    let aside = file.with_extension("json.damaged");
                    let _ = std::fs::rename(&file, &aside);
                    damaged.push(aside);
                }
            }
        }
        entries.sort_by(|a, b| a.dir.cmp(&b.dir));
        (entries, damaged)
    }

    /// Damaged records moved aside by [`Registry::all`], for the user to look at.
    pub fn set_aside(&self) -> Vec<PathBuf> {
        let Ok(files) = std::fs::read_dir(&self.dir) else {
            return vec![];
        };
        files
            .flatten()
            .map(|f| f.path())
            .filter(|p| p.to_string_lossy().ends_with(".json.damaged"))
            .collect()
    }

    pub fn remove(&self, id: &str) {
        let _ = std::fs::remove_file(self.file(id));
    }
}

fn read(file: &Path) -> Result<Entry> {
    let bytes = std::fs::read(file).map_err(|source| Error::ReadFile {
        path: file.to_path_buf(),
        source,
    })?;
    serde_json::from_slice(&bytes).map_err(|source| Error::CorruptFile {
        path: file.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notebook_addresses_are_encoded_like_the_server_does() {
        assert_eq!(
            notebook_url(8888, "my notes ü/analysis.ipynb"),
            "http://127.0.0.1:8888/lab/tree/my%20notes%20%C3%BC/analysis.ipynb"
        );
        assert_eq!(
            notebook_url(1, "a#b?.ipynb"),
            "http://127.0.0.1:1/lab/tree/a%23b%3F.ipynb"
        );
    }

    fn entry(id: &str) -> Entry {
        Entry {
            guest: None,
            spare: false,
            id: id.into(),
            dir: "/p".into(),
            pid: 1,
            port: 8888,
            token: "t".into(),
            started_at: 0,
            runtime_dir: "/r".into(),
            log: "/l".into(),
        }
    }

    #[test]
    fn save_list_remove_and_damage() {
        let tmp = tempfile::tempdir().unwrap();
        let reg = Registry::new(&AppPaths::under(tmp.path()));
        reg.save(&entry("a")).unwrap();
        reg.save(&entry("b")).unwrap();
        std::fs::write(tmp.path().join("data/servers/c.json"), "{ not json").unwrap();
        let (all, damaged) = reg.all();
        assert_eq!(all.len(), 2);
        assert_eq!(damaged.len(), 1);
        assert!(damaged[0].exists(), "kept aside, not deleted");
        assert_eq!(reg.get("a"), Some(entry("a")));
        reg.remove("a");
        assert_eq!(reg.get("a"), None);
        assert_eq!(entry("a").token_url(), "http://127.0.0.1:8888/lab?token=t");
    }

    #[cfg(unix)]
    #[test]
    fn files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let reg = Registry::new(&AppPaths::under(tmp.path()));
        reg.save(&entry("a")).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&tmp.path().join("data/servers")), 0o700);
        assert_eq!(mode(&tmp.path().join("data/servers/a.json")), 0o600);
    }
}
