//! The light tray's work away from GTK's thread: the registry watcher (the same one the app
//! runs), and what the menu's items do. Results go back to GTK's thread through its main context.

use std::sync::Arc;

use darwinix_core::paths::AppPaths;
use darwinix_tray::actions::{self, Opened};
use darwinix_tray::inherited::Inherited;
use darwinix_tray::menu::MenuId;
use darwinix_tray::watcher::{self, Lists, Watcher};
use gtk::glib::MainContext;
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};

/// What GTK's thread asks of the worker.
pub enum Job {
    Item(MenuId),
    Quit,
}

/// Where the worker's results go, on GTK's thread.
#[derive(Clone, Copy)]
pub struct Replies {
    /// What the menu shows, whenever it changed.
    pub lists: fn(Lists),
    /// A browser could not be opened: the project and why.
    pub browser_failed: fn(String, String),
    /// The servers are seen to; the tray may end.
    pub quit: fn(),
    /// A stop to ask about first, since a cell still runs: the window asks (this argument).
    pub ask_in_window: fn(String),
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
    inherited: Inherited,
    mut jobs: UnboundedReceiver<Job>,
    replies: Replies,
) {
    let main = MainContext::default();
    let watcher = Arc::new(Watcher::new(paths.clone(), inherited));
    let publish = replies.lists;
    tokio::spawn(watcher::follow(watcher.subscribe(), move |lists| {
        let lists = lists.clone();
        MainContext::default().invoke(move || publish(lists));
    }));
    let polling = watcher.clone();
    tokio::spawn(async move { polling.run().await });
    while let Some(job) = jobs.recv().await {
        let id = match &job {
            Job::Quit => MenuId::Quit,
            Job::Item(id) => id.clone(),
        };
        if let Some((ask, _)) = actions::ask_first(&paths, &id).await {
            let (ask_in_window, arg) = (replies.ask_in_window, ask.to_arg());
            main.invoke(move || ask_in_window(arg));
            continue;
        }
        match job {
            Job::Quit => {
                actions::quit(&paths).await;
                main.invoke(replies.quit);
                return;
            }
            Job::Item(id) => {
                if let Some(opened) = actions::run(&paths, &id).await {
                    tokio::spawn(watch(opened, replies.browser_failed));
                }
                // Show the outcome at once rather than at the watcher's next read.
                watcher.refresh_servers().await;
                if matches!(id, MenuId::HubOpen(_) | MenuId::HubStop(_)) {
                    watcher.refresh_hubs().await;
                }
            }
        }
    }
}

/// Tells GTK's thread when the browser could not be opened.
async fn watch(opened: Opened, failed: fn(String, String)) {
    if let Err(why) = opened.opening.settled().await {
        let project = opened.dir.display().to_string();
        MainContext::default().invoke(move || failed(project, why));
    }
}
