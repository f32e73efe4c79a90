//! The hubs the user added: finding one by an address into it, and a client that carries its
//! stored token.

use super::api::Client;
use super::store::{self, HubEntry};
use super::{credentials, url};
use crate::error::Result;
use crate::paths::AppPaths;

/// A client for the added hub `entry`, with its stored token.
pub(super) async fn connect(paths: &AppPaths, entry: &HubEntry) -> Result<Client> {
    let token = credentials::load(paths, &entry.url, entry.storage).await?;
    let base = url::normalise(&entry.url)?;
    Client::new(&base, Some(token))
}

/// The added hub that `url` points into.
pub(super) fn entry_of(paths: &AppPaths, url: &str) -> Result<HubEntry> {
    store::find(paths, url::normalise(url)?.as_str())
}
