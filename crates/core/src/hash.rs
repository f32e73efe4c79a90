//! Content hashes for stamps and per-project file names.

use sha2::{Digest, Sha256};

pub fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
