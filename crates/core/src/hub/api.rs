//! The hub's REST API (`{base}hub/api/…`), as far as Darwinix uses it: who the token belongs
//! to, their servers, start, stop, and the spawn's progress stream.
//!
//! The token goes in the `Authorization` header only: never in an address, so it is in no
//! proxy's or hub's access log.

use std::collections::BTreeMap;
use std::time::Duration;

use reqwest::{Method, RequestBuilder, Response, StatusCode, Url};
use serde::Deserialize;

use super::credentials::HubToken;
use super::url::segment;
use crate::error::{Error, Result};
use crate::http;

/// How long one request may take: a hub that does not answer by then is shown as unreachable,
/// and the others are not kept waiting.
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// What `GET {base}hub/api/user` says about the token's owner.
#[derive(Debug, Clone, Deserialize)]
pub struct UserModel {
    pub name: String,
    /// Everything the token may do, expanded (`servers!user=alice`, …).
    #[serde(default)]
    pub scopes: Vec<String>,
    /// Only there when the token may read servers; the default server's key is `""`.
    #[serde(default)]
    pub servers: Option<BTreeMap<String, ServerModel>>,
}

/// One of the user's servers as the hub describes it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ServerModel {
    #[serde(default)]
    pub ready: bool,
    /// `spawn` or `stop` while the hub is busy with it.
    #[serde(default)]
    pub pending: Option<String>,
    /// The server's path on the hub (`/user/alice/srv/`).
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub progress_url: Option<String>,
}

/// A connection to one hub, with or without the user's token.
pub struct Client {
    base: Url,
    http: reqwest::Client,
    token: Option<HubToken>,
}

impl Client {
    pub fn new(base: &Url, token: Option<HubToken>) -> Result<Self> {
        Ok(Self {
            base: base.clone(),
            http: http_client(base)?,
            token,
        })
    }

    pub fn base(&self) -> &Url {
        &self.base
    }

    /// The hub's version, asked without a token: anything else than JupyterHub's answer means
    /// the address is not a hub.
    pub async fn version(&self) -> Result<String> {
        #[derive(Deserialize)]
        struct Root {
            version: String,
        }
        let reply = self.send(Method::GET, "hub/api/", false).await?;
        let status = reply.status();
        let not_a_hub = |detail: String| Error::NotAHub {
            url: self.base.to_string(),
            detail,
        };
        if status.is_redirection() {
            let to = reply
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("another address");
            return Err(not_a_hub(format!("it sends requests on to {to}")));
        }
        if !status.is_success() {
            return Err(not_a_hub(format!("its API answered {status}")));
        }
        let root: Root = reply
            .json()
            .await
            .map_err(|_| not_a_hub("its API did not answer as JupyterHub does".into()))?;
        Ok(root.version)
    }

    /// The token's owner with all their servers, stopped ones too. A refused token is
    /// [`Error::HubTokenRefused`].
    pub async fn user(&self) -> Result<UserModel> {
        let reply = self
            .send(Method::GET, "hub/api/user?include_stopped_servers=1", true)
            .await?;
        if matches!(
            reply.status(),
            StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED
        ) {
            return Err(Error::HubTokenRefused {
                url: self.base.to_string(),
            });
        }
        let reply = self.check(reply).await?;
        reply.json().await.map_err(|e| Error::NotAHub {
            url: self.base.to_string(),
            detail: format!("its answer about the user could not be read ({e})"),
        })
    }

    /// Asks for `server` (`""` = the default) to start. `Ok(true)` when it is ready (it was
    /// already running, or started at once), `Ok(false)` while the hub spawns it.
    pub async fn start(&self, user: &str, server: &str) -> Result<bool> {
        let path = server_path(user, server);
        // No body: no user options, which every hub version takes.
        let reply = self.send(Method::POST, &path, true).await?;
        match reply.status() {
            StatusCode::CREATED => Ok(true),
            StatusCode::ACCEPTED => Ok(false),
            StatusCode::BAD_REQUEST => {
                let message = hub_message(reply).await;
                if message.contains("is already running") {
                    return Ok(true);
                }
                Err(self.refused(StatusCode::BAD_REQUEST, message))
            }
            _ => Err(self.check(reply).await.err().unwrap_or_else(|| {
                self.refused(StatusCode::OK, "unexpected answer to a start".into())
            })),
        }
    }

    /// Asks for `server` to stop. `Ok(true)` when it has stopped, `Ok(false)` while the hub
    /// stops it.
    pub async fn stop(&self, user: &str, server: &str) -> Result<bool> {
        let reply = self
            .send(Method::DELETE, &server_path(user, server), true)
            .await?;
        match reply.status() {
            StatusCode::ACCEPTED => Ok(false),
            s if s.is_success() => Ok(true),
            _ => self.check(reply).await.map(|_| true),
        }
    }

    /// The open progress stream of a pending spawn (`progress_url` is a path on the hub's
    /// host). No overall timeout: a spawn may take minutes; the caller watches for silence.
    pub async fn progress(&self, progress_url: &str) -> Result<Response> {
        let url = self.base.join(progress_url).map_err(|e| Error::NotAHub {
            url: self.base.to_string(),
            detail: format!("its progress address `{progress_url}` is not usable ({e})"),
        })?;
        let request = self.authorised(self.http.get(url));
        // The answer's head must come in time; its body may take as long as the spawn.
        let reply = match tokio::time::timeout(TIMEOUT, request.send()).await {
            Ok(sent) => sent.map_err(|e| self.unreachable(&e))?,
            Err(_) => {
                return Err(Error::HubUnreachable {
                    url: self.base.to_string(),
                    detail: format!("no answer within {} s", TIMEOUT.as_secs()),
                })
            }
        };
        self.check(reply).await
    }

    async fn send(&self, method: Method, path: &str, with_token: bool) -> Result<Response> {
        let mut request = self.http.request(method, self.url(path)?).timeout(TIMEOUT);
        if with_token {
            request = self.authorised(request);
        }
        request.send().await.map_err(|e| self.unreachable(&e))
    }

    fn url(&self, path: &str) -> Result<Url> {
        self.base.join(path).map_err(|e| Error::HubAddress {
            input: self.base.to_string(),
            why: e.to_string(),
        })
    }

    fn authorised(&self, request: RequestBuilder) -> RequestBuilder {
        match &self.token {
            Some(token) => request.header(
                reqwest::header::AUTHORIZATION,
                http::authorization(token.expose()),
            ),
            None => request,
        }
    }

    /// A reply that is not a success, as the hub's own words.
    async fn check(&self, reply: Response) -> Result<Response> {
        let status = reply.status();
        if status.is_success() {
            return Ok(reply);
        }
        let message = hub_message(reply).await;
        Err(self.refused(status, message))
    }

    fn refused(&self, status: StatusCode, message: String) -> Error {
        Error::HubRefused {
            url: self.base.to_string(),
            status: status.as_u16(),
            message,
        }
    }

    fn unreachable(&self, e: &reqwest::Error) -> Error {
        Error::HubUnreachable {
            url: self.base.to_string(),
            detail: http::describe(e, TIMEOUT),
        }
    }
}

/// `hub/api/users/NAME/server` or `…/servers/SERVER`, escaped.
pub fn server_path(user: &str, server: &str) -> String {
    match server {
        "" => format!("hub/api/users/{}/server", segment(user)),
        name => format!("hub/api/users/{}/servers/{}", segment(user), segment(name)),
    }
}

/// The `message` of the hub's JSON error (`{"status": 400, "message": "…"}`), or the body.
async fn hub_message(reply: Response) -> String {
    let status = reply.status();
    let body = reply.text().await.unwrap_or_default();
    let message = serde_json::from_str::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v.get("message")?.as_str().map(str::to_string));
    match message {
        Some(m) if !m.is_empty() => m,
        _ if body.trim().is_empty() || body.trim_start().starts_with('<') => status.to_string(),
        _ => body.trim().chars().take(300).collect(),
    }
}

/// One client for the hub: [`http::client`]'s settings (the system's trust and proxies, no
/// redirects followed: an API that redirects is not the hub's).
fn http_client(base: &Url) -> Result<reqwest::Client> {
    http::client(base).map_err(|e| Error::HubUnreachable {
        url: base.to_string(),
        detail: format!(
            "could not prepare a secure connection: {}",
            http::describe(&e, TIMEOUT)
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_paths() {
        assert_eq!(server_path("alice", ""), "hub/api/users/alice/server");
        assert_eq!(
            server_path("a b", "my/srv"),
            "hub/api/users/a%20b/servers/my%2Fsrv"
        );
    }

    #[tokio::test]
    async fn a_closed_port_is_unreachable_and_named() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let base = Url::parse(&format!("http://127.0.0.1:{port}/")).unwrap();
        let err = Client::new(&base, None)
            .unwrap()
            .version()
            .await
            .unwrap_err();
        match &err {
            Error::HubUnreachable { url, detail } => {
                assert_eq!(url, base.as_str());
                assert!(!detail.is_empty());
            }
            other => panic!("{other:?}"),
        }
    }
}
