//! What to do about hub errors — one family of [`crate::hints::hint`], in the window's words (the command line words its own in
//! `crates/cli/src/fix.rs`).

use crate::error::Error;

/// What the user can do about a hub error; `None` for errors that are not about hubs.
pub(crate) fn hint(error: &Error) -> Option<String> {
    const NEW_TOKEN: &str =
        "make a new token on the hub's Token page, then press Add hub again and paste it";
    Some(match error {
        Error::HubAddress { .. } => "paste the address of the hub's page from your browser's address bar, for example https://hub.example.org/hub/home".into(),
        Error::HubUnreachable { .. } => "check the address and your network connection (and the VPN, if the hub needs one); the hub may also be down for a while".into(),
        Error::NotAHub { .. } => "check the address: it is the one of the hub's sign-in page, for example https://hub.example.org/".into(),
        Error::HubTokenRefused { .. } => NEW_TOKEN.into(),
        Error::HubBadToken { .. } => "copy the whole token from the hub's Token page: one line, no spaces".into(),
        Error::HubScopes { .. } => "on the hub's Token page, make a new token with the scope servers!user (or with no scopes chosen), then press Add hub again and paste it".into(),
        Error::HubRefused { status: 404, .. } => "check the server's name in the hub's list of your servers".into(),
        Error::HubRefused { .. } => "the hub's own message says why; its administrators can help when it is unclear".into(),
        Error::HubServerFailed { .. } => "press Start to try again; if it fails again, the hub's administrators can see why in its log".into(),
        Error::HubNotAdded { .. } => "add it first with Add hub, with a token from the hub's Token page".into(),
        Error::HubCredentials { what: "found", .. } => NEW_TOKEN.into(),
        Error::HubCredentials { .. } => "unlock your system keychain (sign in to your desktop session), then try again".into(),
        // The window's words; the CLI's fix names `--allow-insecure-http` (cli/src/fix.rs).
        Error::HubPlainHttp { .. } => "use the hub's https:// address; if it has none and you trust every network between you and the hub, add it again and confirm Connect without encryption".into(),
        Error::HubNoAnswer { .. } => "the hub may be busy or stuck: try again in a minute; if it keeps happening, its administrators can see why in its log".into(),
        Error::HubServerName { .. } => "give the server a name with letters or digits in it".into(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_hub_error_says_what_to_do() {
        let url = || "https://hub.example.org/".to_string();
        for error in [
            Error::HubUnreachable {
                url: url(),
                detail: "x".into(),
            },
            Error::HubTokenRefused { url: url() },
            Error::HubNotAdded { url: url() },
            Error::HubPlainHttp { url: url() },
            Error::HubNoAnswer {
                url: url(),
                secs: 5,
            },
            Error::HubServerName { name: "..".into() },
            Error::HubCredentials {
                url: url(),
                what: "removed",
                detail: "x".into(),
            },
        ] {
            assert!(hint(&error).is_some(), "{error:?}");
        }
        assert!(hint(&Error::NoHome).is_none());
    }
}
