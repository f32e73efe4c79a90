//! Keeps the window and the tray in step with the user's JupyterHubs: asked every little while
//! (a hub is another computer: not every few seconds), and at once after a start or stop. A hub
//! that does not answer is published as unreachable and holds up nothing else.

use std::sync::Arc;
use std::time::Duration;

use darwinix_core::hub::{self, HubServer, HubState, HubStatus};
use tauri::{AppHandle, Manager};
use tokio::sync::watch;

use crate::state::AppState;

const POLL: Duration = Duration::from_secs(20);

/// The hubs as last published (shared: a hub's status holds its error, which is not Clone).
pub type HubList = Arc<Vec<HubStatus>>;

pub fn channel() -> watch::Sender<HubList> {
    watch::channel(HubList::default()).0
}

pub fn subscribe(app: &AppHandle) -> watch::Receiver<HubList> {
    app.state::<AppState>().hubs.subscribe()
}

/// What the window and the tray show of a hub: a change of anything else is not one.
#[derive(PartialEq, Eq)]
struct Shown<'a> {
    url: &'a str,
    state: HubState,
    servers: &'a [HubServer],
    problem: Option<&'a str>,
}

fn shown(hubs: &[HubStatus]) -> Vec<Shown<'_>> {
    hubs.iter()
        .map(|h| Shown {
            url: &h.url,
            state: h.state,
            servers: &h.servers,
            problem: h.problem.as_deref(),
        })
        .collect()
}

/// Asks every hub now and publishes the answer when it changed what is shown.
pub async fn refresh(app: &AppHandle) -> HubList {
    let state = app.state::<AppState>();
    let hubs: HubList = Arc::new(hub::list(&state.paths).await.unwrap_or_default());
    state.hubs.send_if_modified(|current| {
        let changed = shown(current) != shown(&hubs);
        if changed {
            *current = hubs.clone();
        }
        changed
    });
    hubs
}

/// Polls for the app's whole life (nothing to ask while no hub was added).
pub fn watch(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        loop {
            refresh(&app).await;
            tokio::time::sleep(POLL).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use darwinix_core::hub::{HubServerState, TokenStorage};

    fn hub(state: HubState, servers: Vec<HubServer>) -> HubStatus {
        HubStatus {
            url: "https://hub.example.org/".into(),
            user: "ada".into(),
            storage: TokenStorage::System,
            kept_in: "the system keyring".into(),
            state,
            servers,
            problem: None,
            hint: None,
            error: None,
        }
    }

    fn server(state: HubServerState) -> HubServer {
        HubServer {
            name: String::new(),
            state,
            url: "https://hub.example.org/user/ada/".into(),
        }
    }

    #[test]
    fn a_server_that_starts_or_a_hub_that_goes_away_is_a_change() {
        let before = [hub(HubState::Online, vec![server(HubServerState::Stopped)])];
        let same = [hub(HubState::Online, vec![server(HubServerState::Stopped)])];
        assert!(shown(&before) == shown(&same));
        let started = [hub(HubState::Online, vec![server(HubServerState::Ready)])];
        assert!(shown(&before) != shown(&started));
        let gone = [hub(HubState::Unreachable, vec![])];
        assert!(shown(&before) != shown(&gone));
    }
}
