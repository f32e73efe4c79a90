//! A hub's address as people paste it (`…/hub/home`, `…/user/alice/lab`, no scheme) made into
//! the one base address Darwinix keys everything on: scheme, host, port and the hub's own
//! prefix, ending in `/`.

use reqwest::Url;

use crate::error::{Error, Result};

/// The base address of the hub `input` points into.
pub fn normalise(input: &str) -> Result<Url> {
    let text = input.trim();
    let bad = |why: &str| Error::HubAddress {
        input: text.to_string(),
        why: why.to_string(),
    };
    if text.is_empty() {
        return Err(bad("it is empty"));
    }
    // People type `hub.example.org`; real hubs are HTTPS.
    let with_scheme = if text.contains("://") {
        text.to_string()
    } else {
        format!("https://{text}")
    };
    let mut url = Url::parse(&with_scheme).map_err(|e| bad(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("it must start with https:// (or http://)"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("it has no host name"));
    }
    // A name or password in the address would be stored and shown with it.
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad(
            "it contains a user name or password; the hub's token replaces them",
        ));
    }
    let prefix = hub_prefix(url.path());
    url.set_path(&prefix);
    url.set_query(None);
    url.set_fragment(None);
    Ok(url)
}

/// The hub's `base_url`: what comes before its `/hub/` or `/user/` part, with a final `/`.
fn hub_prefix(path: &str) -> String {
    let mut kept = String::from("/");
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        if matches!(segment, "hub" | "user" | "user-redirect") {
            break;
        }
        kept.push_str(segment);
        kept.push('/');
    }
    kept
}

/// Whether the token would cross the network unencrypted: plain HTTP to another computer.
pub fn is_plain_remote(base: &Url) -> bool {
    base.scheme() == "http" && !names_loopback(base)
}

/// Whether `base` names this computer by its loopback address: an IPv4 address in
/// 127.0.0.0/8 (never routed off the machine, RFC 1122), `[::1]`, or the name `localhost`
/// (which [`super::plain`] also checks resolves to loopback alone). `0.0.0.0`, the machine's
/// own network addresses and IPv4-mapped `[::ffff:127.0.0.1]` do not count: traffic to
/// them may leave the loopback interface, or its route is not obvious.
pub fn names_loopback(base: &Url) -> bool {
    // The URL parser has already written any IPv4 form (`127.1`, `0x7f.0.0.1`) out in full.
    let host = base.host_str().unwrap_or_default();
    match host.trim_start_matches('[').trim_end_matches(']').parse() {
        Ok(std::net::IpAddr::V4(ip)) => ip.is_loopback(),
        Ok(std::net::IpAddr::V6(ip)) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}

/// `path` (absolute, from the hub: `/user/alice/`) on `base`'s scheme, host and port.
pub fn on_base(base: &Url, path: &str) -> String {
    base.join(path)
        .map_or_else(|_| format!("{base}{path}"), |u| u.to_string())
}

/// One path segment, escaped (server names may hold any character).
pub fn segment(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A server's name (or the user's) as a path segment. `.` and `..` are refused: an address
/// reads them as "this folder" and "the folder above" (escaped as `%2E` too, by the URL
/// standard), so `…/servers/..` would become a request for the user itself.
pub fn name_segment(name: &str) -> Result<String> {
    if matches!(name, "." | "..") {
        return Err(Error::HubServerName { name: name.into() });
    }
    Ok(segment(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(input: &str) -> String {
        normalise(input).unwrap().to_string()
    }

    #[test]
    fn pasted_pages_give_the_hub_base() {
        assert_eq!(base("https://hub.example.org"), "https://hub.example.org/");
        assert_eq!(
            base(" https://hub.example.org/hub/home?x=1#top "),
            "https://hub.example.org/"
        );
        assert_eq!(
            base("https://x.org/jhub/user/alice/lab/tree/a.ipynb"),
            "https://x.org/jhub/"
        );
        assert_eq!(base("https://x.org/jhub/hub"), "https://x.org/jhub/");
        assert_eq!(base("https://x.org/jhub"), "https://x.org/jhub/");
        assert_eq!(
            base("HTTP://127.0.0.1:8000/hub/token"),
            "http://127.0.0.1:8000/"
        );
        assert_eq!(base("hub.example.org/hub/"), "https://hub.example.org/");
        assert_eq!(
            base("https://x.org/hub/user-redirect/lab"),
            "https://x.org/"
        );
    }

    #[test]
    fn not_an_address() {
        for input in ["", "ftp://x.org/", "https://ann:pw@x.org/", "https://"] {
            let err = normalise(input).unwrap_err();
            assert!(matches!(err, Error::HubAddress { .. }), "{input}: {err}");
        }
    }

    #[test]
    fn plain_http_only_matters_off_this_computer() {
        let plain = |s: &str| is_plain_remote(&normalise(s).unwrap());
        assert!(plain("http://hub.example.org/"));
        assert!(!plain("http://127.0.0.1:8000/"));
        assert!(!plain("http://localhost/"));
        assert!(!plain("http://[::1]:8000/"));
        assert!(!plain("https://hub.example.org/"));
    }

    #[test]
    fn server_paths_join_the_base_host() {
        let b = normalise("https://x.org/jhub/").unwrap();
        assert_eq!(on_base(&b, "/jhub/user/a/"), "https://x.org/jhub/user/a/");
        assert_eq!(segment("my server/ü"), "my%20server%2F%C3%BC");
    }
}
