//! The server's password: made here, for one run of one server, and handed to JupyterLab in
//! its environment only (never on a command line, never in a log).

use crate::error::{Error, Result};

/// 192 random bits, hex.
pub fn new_token() -> Result<String> {
    let mut bytes = [0u8; 24];
    getrandom::fill(&mut bytes).map_err(|source| Error::Random { source })?;
    Ok(crate::hash::hex(&bytes))
}

/// A token handed over from elsewhere (a remote project's, made on the user's computer) is
/// one Darwinix could have made: long, and nothing a URL, a header or a shell could misread.
pub fn is_acceptable(token: &str) -> bool {
    (32..=128).contains(&token.len()) && token.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// `address` with the token that logs the browser in (kept out of logs: whoever has it is in).
pub fn with_token(address: &str, token: &str) -> String {
    format!("{address}?token={token}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_long_plain_tokens_are_taken_from_elsewhere() {
        assert!(is_acceptable(&new_token().unwrap()));
        assert!(!is_acceptable("short"));
        assert!(!is_acceptable(&format!("{}'; rm -rf ~", "a".repeat(40))));
        assert!(!is_acceptable(&"a".repeat(200)));
    }

    #[test]
    fn tokens_are_long_hex_and_never_repeat() {
        let (a, b) = (new_token().unwrap(), new_token().unwrap());
        assert_eq!(a.len(), 48);
        assert!(a
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_ne!(a, b);
        assert_eq!(
            with_token("http://127.0.0.1:1/lab", "t"),
            "http://127.0.0.1:1/lab?token=t"
        );
    }
}
