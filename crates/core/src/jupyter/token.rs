//! The server's password: made here, for one run of one server, and handed to JupyterLab in
//! its environment only (never on a command line, never in a log).

use crate::error::{Error, Result};

/// 192 random bits, hex.
pub fn new_token() -> Result<String> {
    let mut bytes = [0u8; 24];
    getrandom::fill(&mut bytes).map_err(|source| Error::Random { source })?;
    Ok(crate::hash::hex(&bytes))
}

/// `address` with the token that logs the browser in (kept out of logs: whoever has it is in).
pub fn with_token(address: &str, token: &str) -> String {
    format!("{address}?token={token}")
}

#[cfg(test)]
mod tests {
    use super::*;

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
