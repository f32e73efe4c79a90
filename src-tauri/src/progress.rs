//! Long work's progress (setup, start, package changes, a hub's spawn), sent to the window as
//! it happens over the command's channel.

use darwinix_core::reporter::SetupEvent;
use tauri::ipc::Channel;

/// The engine's reporter for a command that was given `channel`.
pub fn forward(channel: Channel<SetupEvent>) -> impl Fn(SetupEvent) + Send + Sync {
    move |event| {
        // The window may have been closed meanwhile; the work goes on regardless.
        let _ = channel.send(event);
    }
}
