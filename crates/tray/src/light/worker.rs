//! The light tray's work away from GTK's thread: reading the registries, asking the hubs, and
//! what the menu's items do. Results go back to GTK's thread through its main context.

use std::sync::Arc;

use darwinix_core::hub::{self, HubStatus};
use darwinix_core::jupyter::Status;
use darwinix_core::paths::AppPaths;
use darwinix_tray::actions::{self, Opened};
use darwinix_tray::inherited::Inherited;
use darwinix_tray::listing::{self, HUBS_POLL, SERVERS_POLL};
use darwinix_tray::menu::MenuId;
use gtk::glib::MainContext;
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};

/// What GTK's thread asks of the worker.
pub enum Job {
    Item(MenuId),
    Quit,
}

/// What the menu shows.
pub struct Lists {
    pub servers: Vec<Status>,
    pub hubs: Arc<Vec<HubStatus>>,
}

/// Where the worker's results go, on GTK's thread.
#[derive(Clone, Copy)]
pub struct Replies {
    pub lists: fn(Lists),
    /// A browser could not be opened: the project and why.
    pub browser_failed: fn(String, String),
    /// The servers are seen to; the tray may end.
    pub quit: fn(),
}

/// Starts the worker on a thread of its own; it ends when the sender is dropped or after Quit.
pub fn start(
    paths: AppPaths,
    inherited: Inherited,
    replies: Replies,
) -> std::io::Result<UnboundedSender<Job>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (jobs, receiver) = unbounded_channel();
    std::thread::Builder::new()
        .name("darwinix-tray-worker".into())
        .spawn(move || runtime.block_on(work(paths, inherited, receiver, replies)))?;
    Ok(jobs)
}

async fn work(
    paths: AppPaths,
    mut inherited: Inherited,
    mut jobs: UnboundedReceiver<Job>,
    replies: Replies,
) {
    let main = MainContext::default();
    let (mut servers_tick, mut hubs_tick) = (
        tokio::time::interval(SERVERS_POLL),
        tokio::time::interval(HUBS_POLL),
    );
    let (mut servers, mut hubs) = (Vec::new(), Arc::default());
    loop {
        tokio::select! {
            _ = servers_tick.tick() => {
                inherited.reap();
                servers = list_servers(&paths).await;
            }
            _ = hubs_tick.tick() => hubs = Arc::new(hub::list(&paths).await.unwrap_or_default()),
            job = jobs.recv() => match job {
                None => return,
                Some(Job::Quit) => {
                    actions::quit(&paths).await;
                    main.invoke(replies.quit);
                    return;
                }
                Some(Job::Item(id)) => {
                    if let Some(opened) = actions::run(&paths, &id).await {
                        tokio::spawn(watch(opened, replies.browser_failed));
                    }
                    servers = list_servers(&paths).await;
                    if matches!(id, MenuId::HubOpen(_) | MenuId::HubStop(_)) {
                        hubs = Arc::new(hub::list(&paths).await.unwrap_or_default());
                    }
                }
            },
        }
        let lists = Lists {
            servers: servers.clone(),
            hubs: hubs.clone(),
        };
        let publish = replies.lists;
        main.invoke(move || publish(lists));
    }
}

/// The servers, making dropped remote connections again in the background.
async fn list_servers(paths: &AppPaths) -> Vec<Status> {
    let listing = listing::servers(paths).await;
    for entry in listing.disconnected {
        let paths = paths.clone();
        tokio::spawn(async move { listing::reconnect(&paths, entry).await });
    }
    listing.servers
}

/// Tells GTK's thread when the browser could not be opened.
async fn watch(opened: Opened, failed: fn(String, String)) {
    if let Err(why) = opened.opening.settled().await {
        let project = opened.dir.display().to_string();
        MainContext::default().invoke(move || failed(project, why));
    }
}
