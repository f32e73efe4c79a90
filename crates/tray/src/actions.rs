//! What the tray's server items do, the same in both trays.

use std::path::PathBuf;

use darwinix_core::hub;
use darwinix_core::jupyter::{self, Opening, Registry};
use darwinix_core::paths::AppPaths;
use darwinix_core::remote::{self, RemoteRegistry};
use darwinix_core::reporter::Silent;
use darwinix_core::settings::{OnQuit, Settings};

use crate::menu::MenuId;

/// A browser on its way to a project's server: the tray watches it, and says where to go
/// when it could not be opened.
pub struct Opened {
    pub dir: PathBuf,
    pub opening: Opening,
}

/// Does what `id` asks of the servers (Open, Stop, their hub forms, Stop all); the items that
/// concern the app itself (Show, Quit) do nothing here. Errors are left to the next listing,
/// which shows the server as it really is.
pub async fn run(paths: &AppPaths, id: &MenuId) -> Option<Opened> {
    match id {
        MenuId::Open(server) => return server_item(paths, server, true).await,
        MenuId::Stop(server) => {
            server_item(paths, server, false).await;
        }
        MenuId::HubOpen(key) => hub_item(paths, key, true).await,
        MenuId::HubStop(key) => hub_item(paths, key, false).await,
        MenuId::StopAll => {
            let _ = darwinix_core::target::stop_all(paths).await;
        }
        MenuId::NoServers | MenuId::Show | MenuId::Quit => {}
    }
    None
}

/// Opens (`open`) or stops one server of this computer or of a remote project.
async fn server_item(paths: &AppPaths, server: &str, open: bool) -> Option<Opened> {
    if let Some(entry) = Registry::new(paths).get(server) {
        if open {
            let opening = jupyter::open(paths, &entry, None, &Silent).await;
            return Some(Opened {
                dir: entry.dir,
                opening,
            });
        }
        let _ = jupyter::stop(paths, &entry).await;
        return None;
    }
    let address = RemoteRegistry::new(paths).by_id(server)?.address;
    if open {
        let opening = remote::server::open(paths, &address, None, &Silent).await;
        return opening.ok().map(|opening| Opened {
            dir: address.to_string().into(),
            opening,
        });
    }
    let _ = remote::server::stop(paths, &address).await;
    None
}

/// Opens or stops a hub's server (`URL#NAME`).
async fn hub_item(paths: &AppPaths, key: &str, open: bool) {
    let Some((url, name)) = key.rsplit_once('#') else {
        return;
    };
    let server = (!name.is_empty()).then_some(name);
    if open {
        if let Ok(opening) = hub::open(paths, url, server, &Silent).await {
            let _ = opening.settled().await;
        }
    } else {
        let _ = hub::stop(paths, url, server, &Silent).await;
    }
}

/// What quitting Darwinix does to the servers: stops them, unless the settings say to leave
/// them running; the ones kept ready for an instant start were never asked for and always go.
pub async fn quit(paths: &AppPaths) {
    let on_quit = Settings::load(paths).map(|s| s.on_quit).unwrap_or_default();
    if on_quit == OnQuit::StopServers {
        let _ = jupyter::stop_all(paths).await;
    } else {
        let _ = jupyter::spare::stop_spares(paths, None).await;
    }
}
