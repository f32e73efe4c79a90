//! JupyterHub: the user's servers on a hub (a university's, a company's), next to the local
//! ones. Add a hub with an API token from its Token page, see its servers, start and stop them
//! (with the hub's own progress), open them in the browser through the hub's sign-in.
//!
//! The token is kept by [`credentials`] and travels only in the `Authorization` header: never
//! in an address, on a command line, in a log or in `hubs.json`.

mod added;
pub mod api;
pub mod credentials;
mod hint;
pub mod limits;
mod plain;
pub mod progress;
pub mod scopes;
mod servers;
mod spawn;
pub mod store;
pub mod url;

use std::path::PathBuf;

use serde::Serialize;

use self::added::{connect, entry_of};
pub use self::credentials::{HubToken, TokenStorage};
pub(crate) use self::hint::hint;
use self::servers::servers_of;
pub use self::servers::{server_label, HubServer, HubServerState};
pub use self::spawn::{start, stop};
use self::store::HubEntry;
use crate::error::{Error, Result};
use crate::jupyter::browser;
use crate::paths::AppPaths;
use crate::reporter::{Reporter, SetupEvent, SetupStep};

/// A hub that was just added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct HubInfo {
    /// The base address everything is keyed on (`https://hub.example.org/`).
    pub url: String,
    /// The token's owner.
    pub user: String,
    /// JupyterHub's version, as the hub says.
    pub version: String,
    pub storage: TokenStorage,
    /// Where the token is: the credential store's name, or the file's path.
    pub kept_in: String,
    /// Plain `http://` to another computer, as the user confirmed: the token crosses the
    /// network unencrypted.
    pub unencrypted: bool,
}

/// How a hub answered just now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub enum HubState {
    Online,
    /// No answer in time: no connection (down, no network, a wrong address) or a hub too slow
    /// for the list; `problem` says which. The other hubs are shown anyway.
    Unreachable,
    /// The hub answered but refused the token (revoked, expired).
    TokenRefused,
    /// Anything else (the token's store, an unexpected answer): see `problem`.
    Failed,
}

/// One hub for the list: its servers when it answered, the problem when not.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct HubStatus {
    pub url: String,
    pub user: String,
    pub storage: TokenStorage,
    pub kept_in: String,
    pub state: HubState,
    /// The user's servers (the default one first), when the hub answered.
    pub servers: Vec<HubServer>,
    /// What went wrong, and what the user can do about it (in the window's words).
    pub problem: Option<String>,
    pub hint: Option<String>,
    /// The error itself, for callers that word the fix their own way (the command line).
    #[serde(skip)]
    #[ts(skip)]
    pub error: Option<Error>,
}

/// Adds the hub `url` with `token`: checks that it is a JupyterHub, that the token works and
/// may see, start and stop the user's servers, then keeps the token (see [`credentials`]).
/// Plain `http://` to another computer is refused before any request unless
/// `allow_insecure_http` (the user's confirmation, kept with the hub).
pub async fn add(
    paths: &AppPaths,
    url: &str,
    token: &str,
    allow_insecure_http: bool,
) -> Result<HubInfo> {
    let base = url::normalise(url)?;
    let key = base.to_string();
    let token = HubToken::new(token).ok_or_else(|| Error::HubBadToken {
        url: key.clone(),
        why: "it must be one line of letters and digits, without spaces".into(),
    })?;
    let client = api::Client::open(
        &base,
        Some(token.clone()),
        allow_insecure_http,
        limits::ACTION_WAIT,
    )
    .await?;
    let version = client.version().await?;
    let user = client.user().await?;
    let missing = scopes::missing(&user.scopes, &user.name);
    if !missing.is_empty() {
        return Err(Error::HubScopes {
            url: key,
            missing: missing.join(", "),
        });
    }
    let storage = credentials::save(paths, &key, &token).await?;
    store::put(
        paths,
        HubEntry {
            url: key.clone(),
            user: user.name.clone(),
            storage,
            plain_http_confirmed: allow_insecure_http && base.scheme() == "http",
        },
    )?;
    Ok(HubInfo {
        unencrypted: url::is_plain_remote(&base),
        url: key,
        user: user.name,
        version,
        storage,
        kept_in: storage.describe(paths),
    })
}

/// Every added hub with its servers, asked all at once: a hub that does not answer within
/// [`limits::LIST_WAIT`] is shown as unreachable and holds up none of the others.
pub async fn list(paths: &AppPaths) -> Result<Vec<HubStatus>> {
    let hubs = store::load(paths)?;
    let asks = hubs.into_iter().map(|entry| status_of(paths, entry));
    Ok(futures_util::future::join_all(asks).await)
}

/// The added hub `url` with its servers (one row of [`list`], asked again).
pub async fn status(paths: &AppPaths, url: &str) -> Result<HubStatus> {
    Ok(status_of(paths, entry_of(paths, url)?).await)
}

async fn status_of(paths: &AppPaths, entry: HubEntry) -> HubStatus {
    let answer = async {
        let client = connect(paths, &entry, limits::LIST_WAIT).await?;
        let user = client.user().await?;
        Ok::<_, Error>(servers_of(&client, &user))
    };
    let (state, servers, error) = match answer.await {
        Ok(servers) => (HubState::Online, servers, None),
        Err(e) => {
            let state = match e {
                Error::HubUnreachable { .. } | Error::HubNoAnswer { .. } => HubState::Unreachable,
                Error::HubTokenRefused { .. } => HubState::TokenRefused,
                _ => HubState::Failed,
            };
            (state, vec![], Some(e))
        }
    };
    HubStatus {
        kept_in: entry.storage.describe(paths),
        url: entry.url,
        user: entry.user,
        storage: entry.storage,
        state,
        servers,
        problem: error.as_ref().map(|e| e.to_string()),
        hint: error.as_ref().and_then(|e| crate::hints::hint(e)),
        error,
    }
}

/// Where the browser goes for a server: the hub's own address, which signs the user in
/// through the hub (no token in it). The default server through `user-redirect` (the hub
/// fills in the user); a named one by its path.
pub fn open_address(paths: &AppPaths, url: &str, server: Option<&str>) -> Result<String> {
    let entry = entry_of(paths, url)?;
    let base = url::normalise(&entry.url)?;
    let path = match server.unwrap_or("") {
        "" => "hub/user-redirect/lab".to_string(),
        name => format!(
            "user/{}/{}/lab",
            url::name_segment(&entry.user)?,
            url::name_segment(name)?
        ),
    };
    Ok(url::on_base(&base, &path))
}

/// The browser on its way to a hub's server.
pub struct HubOpening {
    pub address: String,
    launch: std::result::Result<browser::Launch, String>,
}

impl HubOpening {
    /// `Err(why)` when the browser could not be opened (see [`browser::Launch::settle`]).
    pub async fn settled(self) -> std::result::Result<(), String> {
        self.launch?.settle().await
    }
}

/// Opens the browser on [`open_address`] and returns once it is launched.
pub async fn open(
    paths: &AppPaths,
    url: &str,
    server: Option<&str>,
    reporter: &dyn Reporter,
) -> Result<HubOpening> {
    let address = open_address(paths, url, server)?;
    reporter.report(SetupEvent::Step {
        step: SetupStep::OpeningBrowser,
        detail: format!(
            "Opening {} in your browser",
            server_label(server.unwrap_or(""))
        ),
    });
    let _ = crate::fs::private::create_dir(&paths.logs());
    let launch = browser::launch(&address, &paths.log("browser.log")).await;
    Ok(HubOpening { address, launch })
}

/// Forgets the hub `url`: its token (from the credential store and the file) and its entry.
/// Returns where the token had been kept.
pub async fn remove(paths: &AppPaths, url: &str) -> Result<TokenStorage> {
    let key = url::normalise(url)?.to_string();
    let entry = store::find(paths, &key)?;
    credentials::forget(paths, &key, Some(entry.storage)).await?;
    store::take(paths, &key)?;
    Ok(entry.storage)
}

/// Darwinix's own files about hubs (for the storage view and uninstall).
pub fn files(paths: &AppPaths) -> Vec<PathBuf> {
    vec![store::hubs_file(paths), credentials::tokens_file(paths)]
}
