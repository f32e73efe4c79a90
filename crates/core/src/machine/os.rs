//! The operating system we run on, and the shells we may be inside of.

use serde::Serialize;

use super::wsl::{self, WslGuest};
use crate::env_vars::IN_NIX_SHELL;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct OsInfo {
    /// `linux`, `macos` or `windows`.
    pub family: String,
    /// e.g. "Debian GNU/Linux 12 (bookworm)", "macOS 15.1 Sequoia", "Windows 11 Pro".
    pub name: String,
    pub version: Option<String>,
    pub kernel: Option<String>,
    /// `x86_64`, `aarch64`, …
    pub arch: String,
    /// Set when this Linux runs inside WSL.
    pub wsl: Option<WslGuest>,
    /// `pure` or `impure` inside `nix develop` / `nix-shell`.
    pub nix_shell: Option<String>,
}

pub fn detect() -> OsInfo {
    let family = std::env::consts::OS.to_string();
    OsInfo {
        name: sysinfo::System::long_os_version().unwrap_or_else(|_| family.clone()),
        family,
        version: sysinfo::System::os_version().ok(),
        kernel: sysinfo::System::kernel_version().ok(),
        arch: std::env::consts::ARCH.to_string(),
        wsl: wsl::detect_guest(),
        nix_shell: std::env::var(IN_NIX_SHELL).ok().filter(|v| !v.is_empty()),
    }
}
