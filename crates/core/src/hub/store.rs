//! The hubs the user has added: base address, user name and which store holds the token. No
//! secrets here, so it is an ordinary settings file (`hubs.json` in Darwinix's config folder).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::credentials::TokenStorage;
use crate::error::{Error, Result};
use crate::paths::{write_atomically, AppPaths};

/// One added hub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HubEntry {
    /// The normalised base address (`https://hub.example.org/`), the hub's key.
    pub url: String,
    /// Whom the token belongs to, as the hub said when it was added.
    pub user: String,
    pub storage: TokenStorage,
    /// The user confirmed plain `http://` to another computer when adding it (see
    /// [`super::plain`]); without it such a hub is sent nothing. Absent in files written
    /// before this was asked, which leaves those hubs refused until added again.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub plain_http_confirmed: bool,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct HubsFile {
    hubs: Vec<HubEntry>,
}

pub fn hubs_file(paths: &AppPaths) -> PathBuf {
    paths.hubs_file()
}

/// Every added hub, in the order they were added.
pub fn load(paths: &AppPaths) -> Result<Vec<HubEntry>> {
    let file = hubs_file(paths);
    match std::fs::read(&file) {
        Ok(bytes) => serde_json::from_slice::<HubsFile>(&bytes)
            .map(|f| f.hubs)
            .map_err(|source| Error::CorruptFile { path: file, source }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(source) => Err(Error::ReadFile { path: file, source }),
    }
}

/// The hub at `url`, which must have been added.
pub fn find(paths: &AppPaths, url: &str) -> Result<HubEntry> {
    load(paths)?
        .into_iter()
        .find(|h| h.url == url)
        .ok_or_else(|| Error::HubNotAdded { url: url.into() })
}

/// Adds `entry`, or replaces the hub with its address (keeping its place in the list).
pub fn put(paths: &AppPaths, entry: HubEntry) -> Result<()> {
    let mut hubs = load(paths)?;
    match hubs.iter_mut().find(|h| h.url == entry.url) {
        Some(old) => *old = entry,
        None => hubs.push(entry),
    }
    save(paths, hubs)
}

/// Takes the hub at `url` off the list; what it was, if it was there.
pub fn take(paths: &AppPaths, url: &str) -> Result<Option<HubEntry>> {
    let mut hubs = load(paths)?;
    let Some(at) = hubs.iter().position(|h| h.url == url) else {
        return Ok(None);
    };
    let entry = hubs.remove(at);
    save(paths, hubs)?;
    Ok(Some(entry))
}

fn save(paths: &AppPaths, hubs: Vec<HubEntry>) -> Result<()> {
    let json = serde_json::to_vec_pretty(&HubsFile { hubs }).unwrap_or_default();
    write_atomically(&hubs_file(paths), &json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_replaces_in_place_and_take_removes() {
        let dir = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(dir.path());
        let hub = |url: &str, user: &str| HubEntry {
            url: url.into(),
            user: user.into(),
            storage: TokenStorage::File,
            plain_http_confirmed: false,
        };
        assert!(load(&paths).unwrap().is_empty());
        put(&paths, hub("https://a/", "ann")).unwrap();
        put(&paths, hub("https://b/", "bob")).unwrap();
        put(&paths, hub("https://a/", "amy")).unwrap();
        let urls: Vec<String> = load(&paths).unwrap().into_iter().map(|h| h.user).collect();
        assert_eq!(urls, ["amy", "bob"]);
        assert_eq!(take(&paths, "https://a/").unwrap().unwrap().user, "amy");
        assert!(take(&paths, "https://a/").unwrap().is_none());
        assert!(matches!(
            find(&paths, "https://a/"),
            Err(Error::HubNotAdded { .. })
        ));
    }
}
