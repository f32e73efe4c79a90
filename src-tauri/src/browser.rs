//! A browser the window asked for: the command waits to know whether it opened, since the
//! window shows what to do instead when it did not.

use std::future::Future;

use crate::ipc_error::{IpcError, IpcResult};

/// Where Copy link is (a server of Darwinix's): said when the browser did not open.
pub const USE_COPY_LINK: &str = "use Copy link and paste it into your browser's address bar";

/// Waits until the browser on `address` opened (`settled`: a server's or a hub's opening); an
/// error with `hint` when it could not be.
pub async fn opened(
    address: String,
    settled: impl Future<Output = Result<(), String>>,
    hint: &str,
) -> IpcResult<()> {
    settled
        .await
        .map_err(|why| IpcError::no_browser(&address, why, hint))
}
