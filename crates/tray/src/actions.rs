//! What the tray's server items do, the same in both trays.

use std::path::PathBuf;

use darwinix_core::hub;
use darwinix_core::jupyter::{self, busy, Opening, Registry};
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

/// A stop from the tray that the window asks about first, since a cell still runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AskFirst {
    /// Stop of the server of this project folder.
    Server(PathBuf),
    /// Stop all.
    All,
    /// Quit, with the settings saying that quitting stops the servers.
    Quit,
}

/// The window's argument that carries the question over from the light tray.
pub const ASK_STOP_ARG: &str = "--ask-stop=";

impl AskFirst {
    /// As the light tray hands it to the window: `--ask-stop=all`, `--ask-stop=server:DIR`.
    pub fn to_arg(&self) -> String {
        let what = match self {
            AskFirst::Server(dir) => format!("server:{}", dir.display()),
            AskFirst::All => "all".into(),
            AskFirst::Quit => "quit".into(),
        };
        format!("{ASK_STOP_ARG}{what}")
    }

    /// The question among the window's launch arguments, if one is there.
    pub fn from_args(args: &[String]) -> Option<Self> {
        let what = args.iter().find_map(|a| a.strip_prefix(ASK_STOP_ARG))?;
        match what {
            "all" => Some(AskFirst::All),
            "quit" => Some(AskFirst::Quit),
            _ => Some(AskFirst::Server(what.strip_prefix("server:")?.into())),
        }
    }

    /// The notebooks still running a cell on the servers this stop would stop.
    pub async fn running(&self, paths: &AppPaths) -> Vec<String> {
        match self {
            AskFirst::Server(dir) => busy::in_project(paths, dir).await,
            AskFirst::All | AskFirst::Quit => busy::in_all(paths).await,
        }
    }
}

/// Whether tray item `id` (Stop, Stop all, Quit) must first be asked about in the window, and
/// the notebooks that make it so. A remote server's Darwinix asks there.
pub async fn ask_first(paths: &AppPaths, id: &MenuId) -> Option<(AskFirst, Vec<String>)> {
    let ask = match id {
        MenuId::Stop(server) => AskFirst::Server(Registry::new(paths).get(server)?.dir),
        MenuId::StopAll => AskFirst::All,
        MenuId::Quit => {
            let on_quit = Settings::load(paths).map(|s| s.on_quit).unwrap_or_default();
            if on_quit != OnQuit::StopServers {
                return None;
            }
            AskFirst::Quit
        }
        _ => return None,
    };
    let running = ask.running(paths).await;
    (!running.is_empty()).then_some((ask, running))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_question_travels_as_one_argument() {
        for ask in [
            AskFirst::All,
            AskFirst::Quit,
            AskFirst::Server("/home/ann/My course: 2".into()),
        ] {
            let args = vec!["darwinix-app".to_string(), ask.to_arg()];
            assert!(args[1].starts_with('-'), "never taken for a path to open");
            assert_eq!(AskFirst::from_args(&args), Some(ask));
        }
        assert_eq!(AskFirst::from_args(&["darwinix-app".into()]), None);
        assert_eq!(
            AskFirst::from_args(&["x".into(), "--ask-stop=what".into()]),
            None
        );
    }
}
