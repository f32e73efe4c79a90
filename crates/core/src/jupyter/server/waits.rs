//! How long Darwinix waits for a server's answer.

use std::time::Duration;

/// One request to a server (its status, a shutdown): a server that takes longer is not
/// answering.
pub(super) const HTTP_TIMEOUT: Duration = Duration::from_secs(5);
