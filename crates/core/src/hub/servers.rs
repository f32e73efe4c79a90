//! The user's servers on a hub, as the list shows them: their state, and the address the
//! browser signs in through.

use serde::Serialize;

use super::api::{Client, ServerModel, UserModel};
use super::url;

/// One of the user's servers on a hub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct HubServer {
    /// `""` for the default server.
    pub name: String,
    pub state: HubServerState,
    /// Its full address (the browser signs in through the hub there).
    pub url: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub enum HubServerState {
    Ready,
    Starting,
    Stopping,
    Stopped,
}

/// Words for a server: "the default server" or "the server NAME".
pub fn server_label(name: &str) -> String {
    match name {
        "" => "the default server".into(),
        name => format!("the server {name}"),
    }
}

/// The user's servers, the default one first (it is there even before its first start).
pub(super) fn servers_of(client: &Client, user: &UserModel) -> Vec<HubServer> {
    let mut servers: Vec<HubServer> = user
        .servers
        .iter()
        .flatten()
        .map(|(name, model)| server_of(client, &user.name, name, model))
        .collect();
    if !servers.iter().any(|s| s.name.is_empty()) {
        let default = ServerModel::default();
        servers.insert(0, server_of(client, &user.name, "", &default));
    }
    servers
}

pub(super) fn server_of(client: &Client, user: &str, name: &str, model: &ServerModel) -> HubServer {
    let state = match model.pending.as_deref() {
        Some("spawn") => HubServerState::Starting,
        Some("stop") => HubServerState::Stopping,
        _ if model.ready => HubServerState::Ready,
        _ => HubServerState::Stopped,
    };
    let path = match model.url.as_str() {
        "" => default_server_path(client, user, name),
        path => path.to_string(),
    };
    HubServer {
        name: name.to_string(),
        state,
        url: url::on_base(client.base(), &path),
    }
}

/// `{prefix}user/NAME/[SERVER/]`, for a server the hub did not describe.
fn default_server_path(client: &Client, user: &str, name: &str) -> String {
    let mut path = format!("{}user/{}/", client.base().path(), url::segment(user));
    if !name.is_empty() {
        path.push_str(&url::segment(name));
        path.push('/');
    }
    path
}
