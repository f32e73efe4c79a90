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
use super::limits::{SPAWN_DEADLINE, STOP_DEADLINE};
use super::plain;
use super::url::name_segment;
use crate::error::{Error, Result};
use crate::http;

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
    /// How long a read may take (see [`super::limits`]).
    wait: Duration,
}

impl Client {
    /// A client for the hub at `base`; plain `http://` to another computer is refused here,
    /// before any request, unless `plain_http_confirmed` (see [`plain`]).
    pub async fn open(
        base: &Url,
        token: Option<HubToken>,
        plain_http_confirmed: bool,
        wait: Duration,
    ) -> Result<Self> {
        plain::allowed(base, plain_http_confirmed).await?;
        Ok(Self {
            base: base.clone(),
            http: http_client(base)?,
            token,
            wait,
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
        let path = server_path(user, server)?;
        // No body: no user options, which every hub version takes. The hub holds the request
        // open while it spawns, up to its `slow_spawn_timeout`.
        let reply = self
            .send_within(Method::POST, &path, SPAWN_DEADLINE)
            .await?;
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
        let path = server_path(user, server)?;
        let reply = self
            .send_within(Method::DELETE, &path, STOP_DEADLINE)
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
        let request = self.authorised(self.http.get(self.url(progress_url)?));
        // The answer's head must come in time; its body may take as long as the spawn.
        let reply = match tokio::time::timeout(self.wait, request.send()).await {
            Ok(sent) => sent.map_err(|e| self.not_answered(&e, self.wait))?,
            Err(_) => return Err(self.no_answer(self.wait)),
        };
        self.check(reply).await
    }

    async fn send(&self, method: Method, path: &str, with_token: bool) -> Result<Response> {
        let mut request = self
            .http
            .request(method, self.url(path)?)
            .timeout(self.wait);
        if with_token {
            request = self.authorised(request);
        }
        request
            .send()
            .await
            .map_err(|e| self.not_answered(&e, self.wait))
    }

    /// A request with the token that may take `limit` (a start or stop the hub holds open).
    async fn send_within(&self, method: Method, path: &str, limit: Duration) -> Result<Response> {
        let request = self.http.request(method, self.url(path)?).timeout(limit);
        let sent = self.authorised(request).send().await;
        sent.map_err(|e| self.not_answered(&e, limit))
    }

    /// `path` on the hub. Whatever it holds, the request stays on the hub's host and under its
    /// prefix: a path that would climb out (a `..` that slipped past [`name_segment`]) is
    /// refused rather than sent with the token somewhere else.
    fn url(&self, path: &str) -> Result<Url> {
        let bad = |why: String| Error::HubAddress {
            input: format!("{}{path}", self.base),
            why,
        };
        let url = self.base.join(path).map_err(|e| bad(e.to_string()))?;
        if !url.as_str().starts_with(self.base.as_str()) {
            return Err(bad(format!("it leads out of the hub at {}", self.base)));
        }
        Ok(url)
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

    /// A request that got no answer: no connection is "unreachable"; a connection that stayed
    /// silent past `limit` is the hub not answering in time.
    fn not_answered(&self, e: &reqwest::Error, limit: Duration) -> Error {
        if e.is_timeout() && !e.is_connect() {
            return self.no_answer(limit);
        }
        let detail = match e.is_timeout() {
            true => format!("no connection within {} s", http::CONNECT_TIMEOUT.as_secs()),
            false => http::describe(e, limit),
        };
        Error::HubUnreachable {
            url: self.base.to_string(),
            detail,
        }
    }

    fn no_answer(&self, limit: Duration) -> Error {
        Error::HubNoAnswer {
            url: self.base.to_string(),
            secs: limit.as_secs(),
        }
    }
}

/// `hub/api/users/NAME/server` or `…/servers/SERVER`, escaped (`.` and `..` refused).
pub fn server_path(user: &str, server: &str) -> Result<String> {
    let user = name_segment(user)?;
    Ok(match server {
        "" => format!("hub/api/users/{user}/server"),
        name => format!("hub/api/users/{user}/servers/{}", name_segment(name)?),
    })
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
            http::describe(&e, http::CONNECT_TIMEOUT)
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    async fn client(base: &Url, wait: Duration) -> Client {
        Client::open(base, None, false, wait).await.unwrap()
    }

    #[test]
    fn server_paths() {
        assert_eq!(
            server_path("alice", "").unwrap(),
            "hub/api/users/alice/server"
        );
        assert_eq!(
            server_path("a b", "my/srv").unwrap(),
            "hub/api/users/a%20b/servers/my%2Fsrv"
        );
        assert_eq!(
            server_path("alice", "...").unwrap(),
            "hub/api/users/alice/servers/..."
        );
    }

    #[test]
    fn dot_names_are_refused_not_sent() {
        for (user, server) in [("alice", "."), ("alice", ".."), ("..", ""), (".", "x")] {
            let err = server_path(user, server).unwrap_err();
            assert!(
                matches!(err, Error::HubServerName { .. }),
                "{user} {server}: {err}"
            );
        }
    }

    #[tokio::test]
    async fn no_path_leads_out_of_the_hub() {
        let base = Url::parse("https://x.org/jhub/").unwrap();
        let hub = client(&base, SECOND).await;
        for path in [
            "../other/hub/api/",
            "hub/%2E%2E/%2e./../other/",
            "/hub/api/user",
            "https://evil.example/jhub/hub/api/",
            "//evil.example/jhub/hub/api/",
        ] {
            let out = hub.url(path);
            assert!(
                matches!(out, Err(Error::HubAddress { .. })),
                "{path}: {out:?}"
            );
        }
        let ok = hub.url("hub/api/users/alice/servers/a%2Fb").unwrap();
        assert_eq!(
            ok.as_str(),
            "https://x.org/jhub/hub/api/users/alice/servers/a%2Fb"
        );
        // Why `.` and `..` are refused as names, not escaped: `%2E` is a dot to the URL standard.
        let climbed = hub.url("hub/api/users/alice/servers/%2E%2E").unwrap();
        assert_eq!(climbed.as_str(), "https://x.org/jhub/hub/api/users/alice/");
    }

    #[tokio::test]
    async fn a_closed_port_is_unreachable_and_named() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let base = Url::parse(&format!("http://127.0.0.1:{port}/")).unwrap();
        let err = client(&base, SECOND).await.version().await.unwrap_err();
        match &err {
            Error::HubUnreachable { url, detail } => {
                assert_eq!(url, base.as_str());
                assert!(!detail.is_empty());
            }
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn a_silent_hub_did_not_answer_and_is_not_called_unreachable() {
        // Takes the connection and never answers, as a hung hub does.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
        let err = client(&base, SECOND).await.version().await.unwrap_err();
        assert!(
            matches!(&err, Error::HubNoAnswer { secs: 1, url } if url == base.as_str()),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            format!("the hub at {base} did not answer within 1 s")
        );
        drop(listener);
    }

    #[tokio::test]
    async fn plain_http_to_another_computer_is_refused_before_any_request() {
        // 192.0.2.0/24 is for documentation: nothing there answers, so a request would fail
        // differently (and slowly); the refusal comes first.
        let base = Url::parse("http://192.0.2.1:9/").unwrap();
        let err = Client::open(&base, None, false, SECOND)
            .await
            .err()
            .unwrap();
        assert!(matches!(err, Error::HubPlainHttp { .. }), "{err:?}");
    }
}
