//! Where a hub's token is kept: the operating system's credential store (Keychain, Credential
//! Manager, the Secret Service), or — when there is none, as on a server without a desktop — a
//! file only the user may read, which the user is told about.
//!
//! Every call into the credential store runs on a blocking thread under a timeout: a locked
//! keyring may ask for its password in a prompt nobody will ever see, and Darwinix then uses
//! the file instead of waiting forever.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::env_vars::DARWINIX_CREDENTIALS;
use crate::error::{Error, Result};
use crate::fs::private;
use crate::paths::AppPaths;

/// The credential store's service name; the account is the hub's base address.
pub const SERVICE: &str = "org.darwinix.hub";

/// How long the credential store may take to answer.
pub const KEYRING_TIMEOUT: Duration = Duration::from_secs(5);

/// A hub API token. Not `Display`, and `Debug` hides it: it cannot slip into a log line.
#[derive(Clone, PartialEq, Eq)]
pub struct HubToken(String);

impl HubToken {
    /// The token as pasted (surrounding blanks dropped); `None` unless it is one word of
    /// visible characters (anything else could not go into a header).
    pub fn new(text: &str) -> Option<Self> {
        let token = text.trim();
        let usable = !token.is_empty() && token.bytes().all(|b| b.is_ascii_graphic());
        usable.then(|| Self(token.to_string()))
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for HubToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HubToken(…)")
    }
}

/// Which store holds a hub's token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub enum TokenStorage {
    /// The operating system's credential store.
    System,
    /// [`tokens_file`]: readable only by the user.
    File,
}

impl TokenStorage {
    /// Words for people: the store's name, or the file's path.
    pub fn describe(self, paths: &AppPaths) -> String {
        match self {
            TokenStorage::System => system_store_name().into(),
            TokenStorage::File => tokens_file(paths).display().to_string(),
        }
    }
}

fn system_store_name() -> &'static str {
    if cfg!(target_os = "macos") {
        "the macOS Keychain"
    } else if cfg!(windows) {
        "Windows Credential Manager"
    } else {
        "the Secret Service keyring"
    }
}

/// The fallback file, in a folder of its own that only the user may open.
pub fn tokens_file(paths: &AppPaths) -> PathBuf {
    paths.hub_tokens_file()
}

/// What `DARWINIX_CREDENTIALS` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Choice {
    /// The system store, the file when it is not there.
    Auto,
    File,
    System,
}

fn choice() -> Choice {
    match std::env::var(DARWINIX_CREDENTIALS)
        .as_deref()
        .map(str::trim)
    {
        Ok("file") => Choice::File,
        Ok("system") => Choice::System,
        _ => Choice::Auto,
    }
}

/// Keeps `token` for `url` and says where. When the system store takes it, an older copy in
/// the file goes.
pub async fn save(paths: &AppPaths, url: &str, token: &HubToken) -> Result<TokenStorage> {
    let choice = choice();
    let kept = if choice == Choice::File {
        Err(Unavailable("not asked for".into()))
    } else {
        system_set(url, token).await
    };
    match kept {
        Ok(()) => {
            file_remove(paths, url)?;
            Ok(TokenStorage::System)
        }
        Err(Unavailable(why)) if choice == Choice::System => Err(Error::HubCredentials {
            url: url.into(),
            what: "kept",
            detail: format!("{} is not available: {why}", system_store_name()),
        }),
        // An older copy in the system store stays: it could not be reached to remove it.
        Err(_) => {
            file_set(paths, url, token)?;
            Ok(TokenStorage::File)
        }
    }
}

/// The token kept for `url` in `storage`.
pub async fn load(paths: &AppPaths, url: &str, storage: TokenStorage) -> Result<HubToken> {
    let found = match storage {
        TokenStorage::File => Ok(read_file(paths)?.remove(url)),
        TokenStorage::System => system_get(url).await,
    };
    let failed = |what, detail: String| Error::HubCredentials {
        url: url.into(),
        what,
        detail,
    };
    let missing = |detail| failed("found", detail);
    match found {
        Ok(Some(text)) => HubToken::new(&text).ok_or_else(|| {
            missing(format!(
                "what {} holds is not a token",
                storage.describe(paths)
            ))
        }),
        Ok(None) => Err(missing(format!(
            "it is no longer in {}",
            storage.describe(paths)
        ))),
        Err(Unavailable(why)) => Err(failed(
            "read",
            format!("{} did not answer: {why}", system_store_name()),
        )),
    }
}

/// Removes the token for `url` from both stores. Fails only when the system store holds it
/// (`storage`) and cannot be reached: the user is then told the token stayed behind.
pub async fn forget(paths: &AppPaths, url: &str, storage: Option<TokenStorage>) -> Result<()> {
    file_remove(paths, url)?;
    if choice() == Choice::File && storage != Some(TokenStorage::System) {
        return Ok(());
    }
    match system_delete(url).await {
        Err(Unavailable(why)) if storage == Some(TokenStorage::System) => {
            Err(Error::HubCredentials {
                url: url.into(),
                what: "removed",
                detail: format!("{} did not answer: {why}", system_store_name()),
            })
        }
        _ => Ok(()),
    }
}

/// The system store could not be used (absent, locked, refused, too slow).
struct Unavailable(String);

/// What went wrong in the system store.
enum KeyringError {
    /// It answered: there is no such entry.
    NoEntry,
    Unavailable(String),
}

async fn system_set(url: &str, token: &HubToken) -> Result<(), Unavailable> {
    let secret = token.expose().to_string();
    match in_keyring(url, move |entry| entry.set_password(&secret)).await {
        Ok(()) => Ok(()),
        Err(KeyringError::NoEntry) => Err(Unavailable("the entry could not be made".into())),
        Err(KeyringError::Unavailable(why)) => Err(Unavailable(why)),
    }
}

async fn system_get(url: &str) -> Result<Option<String>, Unavailable> {
    match in_keyring(url, |entry| entry.get_password()).await {
        Ok(text) => Ok(Some(text)),
        Err(KeyringError::NoEntry) => Ok(None),
        Err(KeyringError::Unavailable(why)) => Err(Unavailable(why)),
    }
}

async fn system_delete(url: &str) -> Result<(), Unavailable> {
    match in_keyring(url, |entry| entry.delete_credential()).await {
        Ok(()) | Err(KeyringError::NoEntry) => Ok(()),
        Err(KeyringError::Unavailable(why)) => Err(Unavailable(why)),
    }
}

/// Runs `f` on the credential store's entry for `url`, on a blocking thread, within
/// [`KEYRING_TIMEOUT`]. A thread stuck in a prompt is left behind.
async fn in_keyring<T: Send + 'static>(
    url: &str,
    f: impl FnOnce(&keyring::Entry) -> keyring::Result<T> + Send + 'static,
) -> Result<T, KeyringError> {
    let account = url.to_string();
    let work = tokio::task::spawn_blocking(move || {
        let entry = keyring::Entry::new(SERVICE, &account)?;
        f(&entry)
    });
    match tokio::time::timeout(KEYRING_TIMEOUT, work).await {
        Err(_) => Err(KeyringError::Unavailable(format!(
            "no answer within {} s (it may be locked and waiting for its password)",
            KEYRING_TIMEOUT.as_secs()
        ))),
        Ok(Err(join)) => Err(KeyringError::Unavailable(join.to_string())),
        Ok(Ok(Err(keyring::Error::NoEntry))) => Err(KeyringError::NoEntry),
        Ok(Ok(Err(e))) => Err(KeyringError::Unavailable(e.to_string())),
        Ok(Ok(Ok(value))) => Ok(value),
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct TokensFile {
    /// Base address → token.
    tokens: BTreeMap<String, String>,
}

fn read_file(paths: &AppPaths) -> Result<BTreeMap<String, String>> {
    let file = tokens_file(paths);
    match std::fs::read(&file) {
        Ok(bytes) => serde_json::from_slice::<TokensFile>(&bytes)
            .map(|f| f.tokens)
            .map_err(|source| Error::CorruptFile { path: file, source }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
        Err(source) => Err(Error::ReadFile { path: file, source }),
    }
}

fn write_file(paths: &AppPaths, tokens: BTreeMap<String, String>) -> Result<()> {
    let file = tokens_file(paths);
    if tokens.is_empty() {
        return match std::fs::remove_file(&file) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::WriteFile {
                path: file,
                source: e,
            }),
            _ => Ok(()),
        };
    }
    if let Some(dir) = file.parent() {
        private::create_dir(dir)?;
    }
    let json = serde_json::to_vec_pretty(&TokensFile { tokens }).unwrap_or_default();
    private::write_file(&file, &json)
}

fn file_set(paths: &AppPaths, url: &str, token: &HubToken) -> Result<()> {
    let mut tokens = read_file(paths)?;
    tokens.insert(url.to_string(), token.expose().to_string());
    write_file(paths, tokens)
}

fn file_remove(paths: &AppPaths, url: &str) -> Result<()> {
    let mut tokens = read_file(paths)?;
    if tokens.remove(url).is_some() {
        write_file(paths, tokens)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_never_shows_in_debug_output() {
        let token = HubToken::new("  s3cret-token\n").unwrap();
        assert_eq!(token.expose(), "s3cret-token");
        assert!(!format!("{token:?}").contains("s3cret"));
        assert!(HubToken::new("").is_none());
        assert!(HubToken::new("two words").is_none());
        assert!(HubToken::new("line\r\nX-Evil: 1").is_none());
    }

    #[cfg(unix)]
    #[test]
    fn the_file_is_private_and_emptied_away() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(dir.path());
        let token = HubToken::new("abc").unwrap();
        file_set(&paths, "https://a.org/", &token).unwrap();
        file_set(&paths, "https://b.org/", &token).unwrap();
        let file = tokens_file(&paths);
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&file), 0o600);
        assert_eq!(mode(file.parent().unwrap()), 0o700);
        assert_eq!(read_file(&paths).unwrap()["https://a.org/"], "abc");
        file_remove(&paths, "https://a.org/").unwrap();
        assert_eq!(read_file(&paths).unwrap().len(), 1);
        file_remove(&paths, "https://b.org/").unwrap();
        assert!(!file.exists());
    }
}
