//! The commands on a remote project (`ssh://[user@]host[:port]/path` where a folder goes): the
//! work is done by Darwinix on the remote, this side keeps the connection and the forward.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use darwinix_core::jupyter::{ServerState, Status};
use darwinix_core::paths::AppPaths;
use darwinix_core::remote::{self, server, SshAddress};

use crate::setup::Bar;

/// The remote address `path` names, when it is one.
pub fn address_of(path: Option<&Path>) -> anyhow::Result<Option<SshAddress>> {
    let Some(text) = path.and_then(Path::to_str) else {
        return Ok(None);
    };
    if !remote::is_remote(text) {
        return Ok(None);
    }
    SshAddress::parse(text)
        .map(Some)
        .map_err(|why| anyhow::anyhow!("`{text}` is not a remote folder's address: {why}"))
}

#[allow(clippy::print_stdout)]
pub async fn start(
    address: &SshAddress,
    open_browser: bool,
    json: bool,
    notebook: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let paths = AppPaths::from_env()?;
    let bar = Bar::new();
    let result = server::start(&paths, address, open_browser, notebook, &bar).await;
    bar.finish();
    let started = result?;
    let entry = &started.entry;
    if json {
        let shown = serde_json::json!({
            "dir": address.to_string(),
            "host": address.host_label(),
            "url": entry.url(),
            "port": entry.local_port,
            "remote_port": entry.remote_port,
            "pid": entry.remote_pid,
            "started_at": entry.started_at,
            "log": entry.log,
            "reused": started.reused,
        });
        println!("{shown}");
    } else if started.reused {
        println!(
            "Already running on {}: {}",
            address.host_label(),
            entry.url()
        );
    } else {
        println!(
            "JupyterLab is running on {} (pid {} there): {}",
            address.host_label(),
            entry.remote_pid,
            entry.url()
        );
        println!(
            "Stop it with `darwinix stop {address}`; `darwinix open {address}` opens it again."
        );
    }
    crate::server::settle(started.opening).await;
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::print_stdout)]
pub async fn stop(address: &SshAddress) -> anyhow::Result<ExitCode> {
    let paths = AppPaths::from_env()?;
    if server::stop(&paths, address).await? {
        println!("Stopped the server of {address}.");
    } else {
        println!("No server is running for {address}.");
    }
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::print_stdout)]
pub async fn open(
    address: &SshAddress,
    notebook: Option<&str>,
    print_url: bool,
) -> anyhow::Result<ExitCode> {
    let paths = AppPaths::from_env()?;
    if print_url {
        let entry = darwinix_core::remote::RemoteRegistry::new(&paths)
            .get(address)
            .ok_or_else(|| darwinix_core::Error::NotRunning {
                dir: PathBuf::from(address.to_string()),
            })?;
        let entry = server::reconnect(&paths, entry).await?;
        println!(
            "{}",
            darwinix_core::jupyter::token::with_token(&entry.url(), &entry.token)
        );
        return Ok(ExitCode::SUCCESS);
    }
    let bar = Bar::new();
    let result = server::open(&paths, address, notebook, &bar).await;
    bar.finish();
    let opening = result?;
    println!("{}", opening.address);
    crate::server::settle(Some(opening)).await;
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::print_stdout)]
pub async fn setup(address: &SshAddress, json: bool) -> anyhow::Result<ExitCode> {
    let paths = AppPaths::from_env()?;
    if json {
        server::setup(&paths, address, &crate::setup::JsonLines).await?;
        return Ok(ExitCode::SUCCESS);
    }
    let bar = Bar::new();
    let result = server::setup(&paths, address, &bar).await;
    bar.finish();
    result?;
    println!("Ready: {address}");
    Ok(ExitCode::SUCCESS)
}

/// `logs` and `backend`: what Darwinix on the remote prints.
#[allow(clippy::print_stdout)]
pub async fn pass_through(address: &SshAddress, args: &[&str]) -> anyhow::Result<ExitCode> {
    let paths = AppPaths::from_env()?;
    print!("{}", server::command(&paths, address, args).await?);
    Ok(ExitCode::SUCCESS)
}

/// The remote servers, for `list`.
pub async fn listed(paths: &AppPaths) -> Vec<Status> {
    server::list(paths)
        .await
        .into_iter()
        .map(|(_, s)| s)
        .collect()
}

/// One remote server as `list` prints it.
pub fn describe(server: &Status) -> String {
    let state = match server.state {
        ServerState::Disconnected => format!(
            "connection lost (`darwinix open {}` makes it again)",
            server.dir.display()
        ),
        _ => "running".to_string(),
    };
    format!(
        "{}\n  {}  on {}  pid {} there  {state}",
        server.dir.display(),
        server.url,
        server.host.as_deref().unwrap_or(""),
        server.pid,
    )
}
