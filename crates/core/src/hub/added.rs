//! The hubs the user added: finding one by an address into it, and a client that carries its
//! stored token.

use std::time::Duration;

use super::api::Client;
use super::store::{self, HubEntry};
use super::{credentials, plain, url};
use crate::error::Result;
use crate::paths::AppPaths;

/// A client for the added hub `entry`, with its stored token, whose reads wait up to `wait`.
/// Plain HTTP the user did not confirm is refused before the token is even taken out of its
/// store.
pub(super) async fn connect(paths: &AppPaths, entry: &HubEntry, wait: Duration) -> Result<Client> {
    let base = url::normalise(&entry.url)?;
    plain::allowed(&base, entry.plain_http_confirmed).await?;
    let token = credentials::load(paths, &entry.url, entry.storage).await?;
    Client::open(&base, Some(token), entry.plain_http_confirmed, wait).await
}

/// The added hub that `url` points into.
pub(super) fn entry_of(paths: &AppPaths, url: &str) -> Result<HubEntry> {
    store::find(paths, url::normalise(url)?.as_str())
}
