//! The remote servers this computer reaches: one private file each (it holds the token), beside
//! the local registry, so that `list`, `open` and `stop` find them after a restart.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::address::SshAddress;
use crate::error::{Error, Result};
use crate::fs::private;
use crate::jupyter::{Entry, ServerState, Status};
use crate::paths::AppPaths;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteEntry {
    pub address: SshAddress,
    /// The forward's end on this computer (kept across re-connections, so open tabs work on).
    pub local_port: u16,
    /// JupyterLab's port on the remote's 127.0.0.1.
    pub remote_port: u16,
    pub remote_pid: u32,
    pub token: String,
    /// Seconds since the Unix epoch.
    pub started_at: u64,
    /// The server's log on the remote.
    pub log: String,
}

impl RemoteEntry {
    /// The address on this computer, without the token.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/lab", self.local_port)
    }

    /// The server as `list` and the window show one (its memory is the remote's: not known
    /// here).
    pub fn status(&self, state: ServerState) -> Status {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Status {
            id: id(&self.address),
            name: self.address.folder_name().to_string(),
            dir: PathBuf::from(self.address.to_string()),
            url: self.url(),
            pid: self.remote_pid,
            port: self.local_port,
            uptime_secs: now.saturating_sub(self.started_at),
            memory_bytes: 0,
            state,
            spare: false,
            host: Some(self.address.host_label()),
        }
    }

    /// The server as the browser hand-off sees it: JupyterLab on a port of this computer.
    pub(crate) fn as_local(&self) -> Entry {
        Entry {
            id: id(&self.address),
            dir: PathBuf::from(self.address.to_string()),
            pid: 0,
            port: self.local_port,
            token: self.token.clone(),
            started_at: self.started_at,
            runtime_dir: PathBuf::new(),
            log: PathBuf::new(),
            guest: None,
            spare: false,
        }
    }
}

/// A file name for `address` that no two addresses share.
fn id(address: &SshAddress) -> String {
    let text = address.to_string();
    let slug: String = address
        .folder_name()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .take(32)
        .collect();
    format!("{slug}-{}", &crate::hash::hex_sha256(text.as_bytes())[..12])
}

pub struct RemoteRegistry {
    dir: PathBuf,
}

impl RemoteRegistry {
    pub fn new(paths: &AppPaths) -> Self {
        Self {
            dir: paths.remote_servers(),
        }
    }

    fn file(&self, address: &SshAddress) -> PathBuf {
        self.dir.join(format!("{}.json", id(address)))
    }

    pub fn save(&self, entry: &RemoteEntry) -> Result<()> {
        private::create_dir(&self.dir)?;
        let bytes = serde_json::to_vec_pretty(entry).expect("entry is plain data");
        private::write_file(&self.file(&entry.address), &bytes)
    }

    pub fn get(&self, address: &SshAddress) -> Option<RemoteEntry> {
        let bytes = std::fs::read(self.file(address)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    pub fn remove(&self, address: &SshAddress) -> Result<()> {
        match std::fs::remove_file(self.file(address)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::WriteFile {
                path: self.file(address),
                source: e,
            }),
            _ => Ok(()),
        }
    }

    /// The entry whose [`Status`] has `id` (the tray names servers by it).
    pub fn by_id(&self, wanted: &str) -> Option<RemoteEntry> {
        self.all().into_iter().find(|e| id(&e.address) == wanted)
    }

    /// Every readable entry (a damaged file describes nothing we could reach, and is skipped).
    pub fn all(&self) -> Vec<RemoteEntry> {
        let Ok(files) = std::fs::read_dir(&self.dir) else {
            return vec![];
        };
        let mut entries: Vec<RemoteEntry> = files
            .flatten()
            .filter(|f| f.path().extension().is_some_and(|e| e == "json"))
            .filter_map(|f| serde_json::from_slice(&std::fs::read(f.path()).ok()?).ok())
            .collect();
        entries.sort_by_key(|e| e.started_at);
        entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(text: &str) -> RemoteEntry {
        RemoteEntry {
            address: SshAddress::parse(text).unwrap(),
            local_port: 40000,
            remote_port: 8888,
            remote_pid: 7,
            token: "t".repeat(48),
            started_at: 1,
            log: "/home/u/log".into(),
        }
    }

    #[test]
    fn entries_are_kept_privately_and_found_by_address() {
        let home = tempfile::tempdir().unwrap();
        let registry = RemoteRegistry::new(&AppPaths::under(home.path()));
        let a = entry("ssh://me@lab/home/me/a b");
        let b = entry("ssh://me@lab/home/me/a_b");
        registry.save(&a).unwrap();
        registry.save(&b).unwrap();
        assert_eq!(registry.get(&a.address), Some(a.clone()));
        assert_eq!(registry.all().len(), 2);
        registry.remove(&a.address).unwrap();
        registry.remove(&a.address).unwrap();
        assert_eq!(registry.all(), vec![b]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let file = registry.file(&entry("ssh://me@lab/home/me/a_b").address);
            let mode = std::fs::metadata(file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
