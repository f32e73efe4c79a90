//! What only a remote project (`ssh://…` where a folder goes) has: Open remote folder… → Test
//! connection. Everything else works on a remote project as on a folder here (see `target`).

use darwinix_core::paths::AppPaths;
use darwinix_core::remote::{server, SshAddress};
use darwinix_core::reporter::SetupEvent;
use darwinix_core::target::Target;
use tauri::ipc::Channel;
use tauri::State;

use crate::home::ProjectView;
use crate::ipc_error::{IpcError, IpcResult};
use crate::progress::forward;

/// Connects, copies Darwinix there when needed and checks the folder, with the steps as
/// progress. The project is not made current.
#[tauri::command]
pub async fn test_remote(
    paths: State<'_, AppPaths>,
    address: String,
    on_event: Channel<SetupEvent>,
) -> IpcResult<ProjectView> {
    let address = SshAddress::parse(address.trim()).map_err(IpcError::new)?;
    server::test_connection(&paths, &address, &forward(on_event)).await?;
    Ok(ProjectView::of(&Target::Remote(address), vec![]))
}
