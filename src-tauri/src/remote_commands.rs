//! The window's commands on a remote project (`ssh://…` where a folder goes): the same buttons
//! as for a folder here, with the work done by Darwinix on the remote and the server reached
//! through a forward on this computer.

use std::path::{Path, PathBuf};

use darwinix_core::jupyter::ServerInfo;
use darwinix_core::project::recent;
use darwinix_core::remote::{self, server, RemoteEntry, SshAddress};
use darwinix_core::reporter::{SetupEvent, Silent};
use tauri::ipc::Channel;
use tauri::{AppHandle, State};

use crate::commands::{forward, ProjectView};
use crate::ipc_error::{IpcError, IpcResult};
use crate::state::AppState;
use crate::{opener, servers};

/// The remote project `dir` names, when it names one (`None`: a folder on this computer).
pub fn address(dir: &Path) -> Option<IpcResult<SshAddress>> {
    let text = dir.to_str()?;
    remote::is_remote(text).then(|| SshAddress::parse(text).map_err(IpcError::new))
}

impl ProjectView {
    pub fn remote(address: &SshAddress) -> Self {
        Self {
            dir: PathBuf::from(address.to_string()),
            name: address.folder_name().to_string(),
            added: vec![],
            host: Some(address.host_label()),
        }
    }
}

/// Open remote folder… → Test connection: connects, copies Darwinix there when needed and
/// checks the folder, with the steps as progress. The project is not made current.
#[tauri::command]
pub async fn test_remote(
    state: State<'_, AppState>,
    address: String,
    on_event: Channel<SetupEvent>,
) -> IpcResult<ProjectView> {
    let address = SshAddress::parse(address.trim()).map_err(IpcError::new)?;
    server::test_connection(&state.paths, &address, &forward(on_event)).await?;
    Ok(ProjectView::remote(&address))
}

/// Makes a remote project current (nothing is checked: Start Notebook says what is wrong).
pub fn open(state: &AppState, address: &SshAddress) -> IpcResult<ProjectView> {
    recent::touch(&state.paths, Path::new(&address.to_string()))?;
    Ok(ProjectView::remote(address))
}

fn info(entry: &RemoteEntry, reused: bool) -> ServerInfo {
    ServerInfo {
        dir: PathBuf::from(entry.address.to_string()),
        url: entry.url(),
        port: entry.local_port,
        pid: entry.remote_pid,
        started_at: entry.started_at,
        log: PathBuf::from(&entry.log),
        reused,
        notebook_url: None,
    }
}

/// Start Notebook on a remote project: setup and server there, the forward here, the browser.
pub async fn start(
    app: &AppHandle,
    state: &AppState,
    address: &SshAddress,
    on_event: Channel<SetupEvent>,
) -> IpcResult<ServerInfo> {
    let dir = PathBuf::from(address.to_string());
    recent::touch(&state.paths, &dir)?;
    let reporter = forward(on_event);
    let result = server::start(&state.paths, address, true, None, &reporter).await;
    servers::refresh(app).await;
    let started = result?;
    if let Some(opening) = started.opening {
        opener::watch(app, dir, None, opening);
    }
    Ok(info(&started.entry, started.reused))
}

pub async fn open_browser(state: &AppState, address: &SshAddress) -> IpcResult<()> {
    let opening = server::open(&state.paths, address, None, &Silent).await?;
    let shown = opening.address.clone();
    opening.settled().await.map_err(|why| {
        IpcError::no_browser(
            &shown,
            why,
            "use Copy link and paste it into your browser's address bar",
        )
    })
}

/// The forwarded address with its token, for Copy link (made again if it was gone).
pub async fn link(state: &AppState, address: &SshAddress) -> IpcResult<String> {
    let entry = remote::RemoteRegistry::new(&state.paths)
        .get(address)
        .ok_or_else(|| darwinix_core::Error::NotRunning {
            dir: address.to_string().into(),
        })?;
    let entry = server::reconnect(&state.paths, entry).await?;
    Ok(darwinix_core::jupyter::token::with_token(
        &entry.url(),
        &entry.token,
    ))
}

pub async fn stop(app: &AppHandle, state: &AppState, address: &SshAddress) -> IpcResult<()> {
    let result = server::stop(&state.paths, address).await;
    servers::refresh(app).await;
    result?;
    Ok(())
}

pub async fn restart(
    app: &AppHandle,
    state: &AppState,
    address: &SshAddress,
    on_event: Channel<SetupEvent>,
) -> IpcResult<ServerInfo> {
    server::stop(&state.paths, address).await?;
    let reporter = forward(on_event);
    let result = server::start(&state.paths, address, false, None, &reporter).await;
    servers::refresh(app).await;
    Ok(info(&result?.entry, false))
}

/// The end of the server's log on the remote.
pub async fn log(state: &AppState, address: &SshAddress) -> IpcResult<String> {
    Ok(server::command(&state.paths, address, &["logs"]).await?)
}
