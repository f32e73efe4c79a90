//! Darwinix's one HTTP client, for hubs and for its own Jupyter servers alike: one place decides
//! how a request leaves (proxy or not, redirects, timeouts, TLS) and how a token travels.
//!
//! The token goes in an `Authorization: token …` header only: never in an address, so it is in
//! no access log or error message. Cookies are never kept, so a server's XSRF check (which a
//! token in the header passes) never has to be turned off.

pub mod local;

use std::net::IpAddr;
use std::time::Duration;

use reqwest::header::HeaderValue;
use reqwest::{Client, ClientBuilder, Url};

/// How long a connection may take to open. A request's own timeout may be shorter.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The client for requests to `base`'s host. A loopback address never goes through a proxy
/// (a system proxy cannot reach this computer's 127.0.0.1); any other follows the system's
/// proxy settings, as a company network may require.
pub fn client(base: &Url) -> reqwest::Result<Client> {
    builder(is_loopback(base)).build()
}

/// What every request shares: no redirect is followed (an API that sends us elsewhere is not
/// the one we asked; a sign-in link's redirect is the answer), connections open in time, and
/// HTTPS trusts what the system trusts (a company's inspecting proxy CA works).
fn builder(loopback: bool) -> ClientBuilder {
    install_tls();
    let builder = Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("darwinix/", env!("CARGO_PKG_VERSION")));
    if loopback {
        builder.no_proxy()
    } else {
        builder
    }
}

/// Whether `url` names this computer (`127.0.0.0/8`, `[::1]`, `localhost`).
pub fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let ip = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost") || ip.parse::<IpAddr>().is_ok_and(|a| a.is_loopback())
}

/// `Authorization: token …`, kept out of debug output and HTTP/2 header tables.
pub fn authorization(token: &str) -> HeaderValue {
    let mut value = HeaderValue::from_str(&format!("token {token}"))
        .unwrap_or_else(|_| HeaderValue::from_static(""));
    value.set_sensitive(true);
    value
}

/// Why a request failed, in words: the error and its causes (reqwest's own message is only
/// "error sending request"). `timeout` is the one the request had.
pub fn describe(e: &reqwest::Error, timeout: Duration) -> String {
    if e.is_timeout() {
        return format!("no answer within {} s", timeout.as_secs());
    }
    let mut words = Vec::new();
    // reqwest's own words repeat the address the error already names; its causes are the news.
    let top: &dyn std::error::Error = e;
    let mut cause = top.source().or(Some(top));
    while let Some(c) = cause {
        let text = c.to_string();
        if !words.iter().any(|w: &String| w.contains(&text)) {
            words.push(text);
        }
        cause = c.source();
    }
    words.join(": ")
}

// rustls needs its crypto provider chosen once per process (reqwest panics without one).
// Installing fails when one is there already, which is as good.
#[cfg(not(any(windows, target_os = "macos")))]
pub(crate) fn install_tls() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

// macOS and Windows: reqwest uses the system's own TLS, which needs no setup.
#[cfg(any(windows, target_os = "macos"))]
pub(crate) fn install_tls() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_addresses() {
        let yes = [
            "http://127.0.0.1:8888/",
            "http://127.9.9.9/",
            "http://[::1]:1/",
        ];
        let no = [
            "https://hub.example.org/",
            "http://10.0.0.1/",
            "http://[::2]/",
        ];
        for url in yes.iter().chain(&no) {
            let want = yes.contains(url);
            assert_eq!(is_loopback(&Url::parse(url).unwrap()), want, "{url}");
        }
        assert!(is_loopback(&Url::parse("http://LocalHost:80/").unwrap()));
    }

    #[test]
    fn the_token_header_is_sensitive() {
        let value = authorization("sekrit");
        assert!(value.is_sensitive());
        assert_eq!(value.to_str().unwrap(), "token sekrit");
        assert!(!format!("{value:?}").contains("sekrit"));
    }
}
