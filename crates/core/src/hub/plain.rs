//! Plain `http://` to another computer: the token (and everything the hub answers) would cross
//! the network readable by anyone on the way. Refused before a single request, unless the user
//! confirmed it when adding the hub (`--allow-insecure-http`, or Connect without encryption in
//! the window); the confirmation is kept with the hub.

use reqwest::Url;

use super::url::names_loopback;
use crate::error::{Error, Result};

/// `Ok` when requests to `base` may be made: HTTPS, this computer's loopback, or plain HTTP the
/// user confirmed.
pub(super) async fn allowed(base: &Url, confirmed: bool) -> Result<()> {
    if base.scheme() != "http" || confirmed || stays_on_this_computer(base).await {
        return Ok(());
    }
    Err(Error::HubPlainHttp {
        url: base.to_string(),
    })
}

/// Whether requests to `base` go over the loopback interface. The name `localhost` counts only
/// when it resolves to loopback addresses alone, as it does on every ordinary system: a
/// resolver (or hosts file) that sends it elsewhere does not carry the token off unencrypted.
async fn stays_on_this_computer(base: &Url) -> bool {
    if !names_loopback(base) {
        return false;
    }
    let Some(host) = base
        .host_str()
        .filter(|h| h.eq_ignore_ascii_case("localhost"))
    else {
        return true;
    };
    let port = base.port_or_known_default().unwrap_or(80);
    match tokio::net::lookup_host((host, port)).await {
        Ok(addresses) => {
            let addresses: Vec<_> = addresses.collect();
            !addresses.is_empty() && addresses.iter().all(|a| a.ip().is_loopback())
        }
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn refused(url: &str, confirmed: bool) -> bool {
        let base = super::super::url::normalise(url).unwrap();
        matches!(
            allowed(&base, confirmed).await,
            Err(Error::HubPlainHttp { .. })
        )
    }

    #[tokio::test]
    async fn plain_http_leaves_this_computer_only_when_confirmed() {
        for url in [
            "http://hub.example.org/",
            "http://192.0.2.7:8000/",
            "http://0.0.0.0:8000/",
            "http://[::ffff:127.0.0.1]/",
            "http://[fe80::1]/",
            "http://localhost.example.org/",
        ] {
            assert!(refused(url, false).await, "{url}");
            assert!(!refused(url, true).await, "{url}");
        }
        for url in [
            "https://hub.example.org/",
            "http://127.0.0.1:8000/",
            "http://127.3.4.5/",
            "http://[::1]:8000/",
            "http://localhost:8000/",
        ] {
            assert!(!refused(url, false).await, "{url}");
        }
    }
}
