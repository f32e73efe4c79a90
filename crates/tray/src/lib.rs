//! Darwinix's tray, shared by the two programs that show it: the app (with its window) and, on
//! Linux, the light tray that takes over when the window closes (see `handoff`). What the menu
//! shows, what its items do and the watcher that feeds it live here once; each program only draws
//! them.

pub mod actions;
pub mod inherited;
pub mod listing;
pub mod menu;
pub mod notice;
pub mod shown;
pub mod watcher;

// Linux only: the light tray exists to save memory where the app's web view is the bulk of
// it, and it relies on `exec` (one pid across the hand-off) and on the single-instance plugin's
// D-Bus name; macOS and Windows keep the tray in the app (see main.rs).
#[cfg(target_os = "linux")]
pub mod handoff;
