//! `darwinix-tray`: the light tray. When the app's window closes, the app becomes this program
//! (same process, see `handoff`): the tray icon with the same menu, but no web view.

// Linux only, where the hand-off exists (see lib.rs); elsewhere the app keeps its own tray and
// never starts this program.
#[cfg(target_os = "linux")]
mod light;

#[cfg(target_os = "linux")]
fn main() {
    std::process::exit(light::run());
}

#[cfg(not(target_os = "linux"))]
#[allow(clippy::print_stderr)]
fn main() {
    eprintln!(
        "darwinix-tray is Linux's light tray; on this system Darwinix keeps its tray in the app."
    );
    std::process::exit(2);
}
