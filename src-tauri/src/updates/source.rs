//! Where updates come from: the endpoint and public key in tauri.conf.json
//! (`plugins.updater`), and in debug builds only, the test overrides.

use darwinix_core::env_vars::{DARWINIX_UPDATE_ENDPOINT, DARWINIX_UPDATE_PUBKEY};
use tauri::Url;

/// Test overrides of the manifest address and the signing key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    pub endpoint: Option<Url>,
    pub pubkey: Option<String>,
}

impl Overrides {
    /// SECURITY: only a debug build reads `DARWINIX_UPDATE_ENDPOINT` / `DARWINIX_UPDATE_PUBKEY`
    /// (tests serve updates signed with a throwaway key). A release build never does: anyone who
    /// can set a user's environment could otherwise make the app install their "update". The
    /// `cfg` removes the reading from release builds altogether.
    #[cfg(debug_assertions)]
    pub fn from_env() -> Self {
        let var = |name| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        Self::parse(var(DARWINIX_UPDATE_ENDPOINT), var(DARWINIX_UPDATE_PUBKEY))
    }

    /// Release builds: the configured endpoint and key, always.
    #[cfg(not(debug_assertions))]
    pub fn from_env() -> Self {
        let _ = (DARWINIX_UPDATE_ENDPOINT, DARWINIX_UPDATE_PUBKEY);
        Self::default()
    }

    /// An address that does not parse is ignored (the configured one stays).
    pub fn parse(endpoint: Option<String>, pubkey: Option<String>) -> Self {
        Self {
            endpoint: endpoint.and_then(|e| Url::parse(e.trim()).ok()),
            pubkey: pubkey.map(|k| k.trim().to_owned()),
        }
    }
}

/// The page a user downloads a release from by hand (the notice's link): the release's own page.
pub fn release_page(version: Option<&str>) -> String {
    let repository = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/');
    match version {
        Some(v) => format!("{repository}/releases/tag/v{}", v.trim_start_matches('v')),
        None => format!("{repository}/releases/latest"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_parse_and_bad_addresses_are_dropped() {
        let o = Overrides::parse(
            Some(" http://127.0.0.1:9/latest.json ".into()),
            Some(" K ".into()),
        );
        assert_eq!(
            o.endpoint.unwrap().as_str(),
            "http://127.0.0.1:9/latest.json"
        );
        assert_eq!(o.pubkey.as_deref(), Some("K"));
        assert_eq!(
            Overrides::parse(Some("not a url".into()), None),
            Overrides::default()
        );
    }

    #[test]
    fn the_release_page_is_the_versions_tag() {
        assert_eq!(
            release_page(Some("0.2.0")),
            "https://github.com/darwinix/darwinix/releases/tag/v0.2.0"
        );
        assert!(release_page(None).ends_with("/releases/latest"));
    }
}
