//! WSL, from both sides: on Windows, which Linux distros `wsl.exe` has; on Linux, whether we
//! run inside one (WSL1 or WSL2).
//!
//! `wsl.exe -l -v` writes UTF-16LE (sometimes with a BOM, lines ending CR CR LF), or UTF-8 when
//! `WSL_UTF8=1` is honoured, and its header is translated: the parsers below work on bytes and by
//! column position, never on header words.

use serde::Serialize;

/// Which WSL generation a distro (or this Linux) runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub enum WslVersion {
    #[serde(rename = "1")]
    Wsl1,
    #[serde(rename = "2")]
    Wsl2,
}

impl std::fmt::Display for WslVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            WslVersion::Wsl1 => "WSL1",
            WslVersion::Wsl2 => "WSL2",
        })
    }
}

/// We are a Linux program running inside WSL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct WslGuest {
    pub version: WslVersion,
    pub distro: Option<String>,
}

/// One line of `wsl.exe -l -v`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct WslDistro {
    pub name: String,
    /// As `wsl.exe` prints it (`Running`, `Stopped`, … possibly translated).
    pub state: String,
    pub version: WslVersion,
    pub default: bool,
}

/// What the Windows side has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum WslHost {
    NotInstalled,
    NoDistros,
    Installed { distros: Vec<WslDistro> },
}

/// Reads the kernel release (`/proc/sys/kernel/osrelease`) or `/proc/version`: WSL1 kernels say
/// `Microsoft` (e.g. `4.4.0-19041-Microsoft`), WSL2 kernels `microsoft-standard-WSL2` (older
/// ones `microsoft-standard`).
pub fn guest_version_from_kernel(release: &str) -> Option<WslVersion> {
    let lower = release.to_ascii_lowercase();
    if !lower.contains("microsoft") {
        return None;
    }
    if lower.contains("wsl2") || lower.contains("microsoft-standard") {
        Some(WslVersion::Wsl2)
    } else {
        Some(WslVersion::Wsl1)
    }
}

/// Whether this Linux runs inside WSL, and which. Other systems: never.
#[cfg(target_os = "linux")]
pub fn detect_guest() -> Option<WslGuest> {
    let release = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .or_else(|_| std::fs::read_to_string("/proc/version"))
        .ok()?;
    let version = guest_version_from_kernel(&release)?;
    let distro = std::env::var(crate::env_vars::WSL_DISTRO_NAME)
        .ok()
        .filter(|d| !d.is_empty());
    Some(WslGuest { version, distro })
}

// Only a Linux kernel can be a WSL guest.
#[cfg(not(target_os = "linux"))]
pub fn detect_guest() -> Option<WslGuest> {
    None
}

/// Decodes `wsl.exe` output: UTF-16LE with or without BOM, or UTF-8 (with or without BOM).
pub fn decode_output(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return decode_utf16le(rest);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    // Without a BOM, UTF-16LE of mostly-ASCII text has a zero in most odd positions.
    let odd = bytes.iter().skip(1).step_by(2);
    let zeros = odd.clone().filter(|b| **b == 0).count();
    if bytes.len() >= 2 && zeros * 2 >= odd.count() {
        decode_utf16le(bytes)
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    }
}

fn decode_utf16le(bytes: &[u8]) -> String {
    let units = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]));
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// Parses the text of `wsl.exe -l -v`. The first non-empty line is the (translated) header; each
/// later line is `[*] NAME STATE VERSION`, the `*` marking the default.
pub fn parse_list(text: &str) -> Vec<WslDistro> {
    text.split('\n')
        .map(|l| l.trim_matches(|c: char| c == '\r' || c == '\0' || c.is_whitespace()))
        .filter(|l| !l.is_empty())
        .skip(1)
        .filter_map(parse_line)
        .collect()
}

fn parse_line(line: &str) -> Option<WslDistro> {
    let (default, rest) = match line.strip_prefix('*') {
        Some(rest) => (true, rest),
        None => (false, line),
    };
    // Distro names cannot contain spaces, but translated states can ("Wird ausgeführt").
    let tokens: Vec<&str> = rest.split_whitespace().collect();
    let [name, state @ .., version] = tokens.as_slice() else {
        return None;
    };
    let version = match *version {
        "1" => WslVersion::Wsl1,
        "2" => WslVersion::Wsl2,
        _ => return None,
    };
    if state.is_empty() {
        return None;
    }
    Some(WslDistro {
        name: name.to_string(),
        state: state.join(" "),
        version,
        default,
    })
}

/// Interprets a finished `wsl.exe -l -v`. With no distro, wsl.exe fails and names
/// `WSL_E_DEFAULT_DISTRO_NOT_FOUND`; without the WSL component it fails with install help.
pub fn interpret_list(exit_code: Option<i32>, stdout: &[u8]) -> WslHost {
    let text = decode_output(stdout);
    let distros = parse_list(&text);
    if !distros.is_empty() {
        return WslHost::Installed { distros };
    }
    if text.contains("WSL_E_DEFAULT_DISTRO_NOT_FOUND") || exit_code == Some(0) {
        WslHost::NoDistros
    } else {
        WslHost::NotInstalled
    }
}

/// Asks `wsl.exe` which distros exist.
#[cfg(windows)]
pub async fn detect_host() -> WslHost {
    use std::time::Duration;
    let mut cmd = crate::process::command("wsl.exe");
    cmd.args(["-l", "-v"]);
    match crate::process::output(cmd, Duration::from_secs(10)).await {
        Ok(out) => interpret_list(out.code, &out.stdout),
        Err(_) => WslHost::NotInstalled,
    }
}

// WSL is a Windows feature; elsewhere there is no host side to ask.
#[cfg(not(windows))]
pub async fn detect_host() -> WslHost {
    WslHost::NotInstalled
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(text: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom { vec![0xFF, 0xFE] } else { vec![] };
        for unit in text.encode_utf16() {
            out.extend_from_slice(&unit.to_le_bytes());
        }
        out
    }

    const ENGLISH: &str = "  NAME                   STATE           VERSION\r\r\n\
                           * Ubuntu-22.04           Running         2\r\r\n\
                           \x20 Debian                 Stopped         1\r\r\n\
                           \x20 docker-desktop         Stopped         2\r\r\n";

    fn expected() -> Vec<WslDistro> {
        let d = |name: &str, state: &str, version, default| WslDistro {
            name: name.into(),
            state: state.into(),
            version,
            default,
        };
        vec![
            d("Ubuntu-22.04", "Running", WslVersion::Wsl2, true),
            d("Debian", "Stopped", WslVersion::Wsl1, false),
            d("docker-desktop", "Stopped", WslVersion::Wsl2, false),
        ]
    }

    #[test]
    fn utf16le_with_bom_and_cr_cr_lf() {
        let host = interpret_list(Some(0), &utf16le(ENGLISH, true));
        assert_eq!(
            host,
            WslHost::Installed {
                distros: expected()
            }
        );
    }

    #[test]
    fn utf16le_without_bom() {
        assert_eq!(
            parse_list(&decode_output(&utf16le(ENGLISH, false))),
            expected()
        );
    }

    #[test]
    fn utf8_from_wsl_utf8() {
        assert_eq!(parse_list(&decode_output(ENGLISH.as_bytes())), expected());
    }

    #[test]
    fn translated_header_is_not_matched() {
        let german = "  NAME            STATUS          VERSION\r\r\n\
                      * Ubuntu          Wird ausgeführt 2\r\r\n";
        let distros = parse_list(&decode_output(&utf16le(german, true)));
        assert_eq!(distros.len(), 1);
        assert_eq!(distros[0].name, "Ubuntu");
        assert_eq!(distros[0].state, "Wird ausgeführt");
        let french = "  NOM             ÉTAT            VERSION\r\r\n  Alpine  Arrêté  2\r\r\n";
        let distros = parse_list(&decode_output(&utf16le(french, false)));
        assert_eq!(distros[0].name, "Alpine");
        assert_eq!(distros[0].state, "Arrêté");
        assert!(!distros[0].default);
    }

    #[test]
    fn no_distros() {
        let msg = "Windows Subsystem for Linux has no installed distributions.\r\r\n\
                   Use 'wsl.exe --list --online' to list available distributions\r\r\n\
                   Error code: Wsl/WSL_E_DEFAULT_DISTRO_NOT_FOUND\r\r\n";
        assert_eq!(
            interpret_list(Some(-1), &utf16le(msg, false)),
            WslHost::NoDistros
        );
    }

    #[test]
    fn component_missing_is_not_installed() {
        let msg = "The Windows Subsystem for Linux is not installed.\r\r\n";
        assert_eq!(
            interpret_list(Some(50), &utf16le(msg, true)),
            WslHost::NotInstalled
        );
        assert_eq!(interpret_list(Some(1), b""), WslHost::NotInstalled);
    }

    #[test]
    fn kernel_strings() {
        assert_eq!(
            guest_version_from_kernel("4.4.0-19041-Microsoft"),
            Some(WslVersion::Wsl1)
        );
        assert_eq!(
            guest_version_from_kernel("Linux version 4.4.0-22621-Microsoft (Microsoft@Microsoft.com) (gcc version 5.4.0 (GCC) ) #2506-Microsoft"),
            Some(WslVersion::Wsl1)
        );
        assert_eq!(
            guest_version_from_kernel("5.15.153.1-microsoft-standard-WSL2\n"),
            Some(WslVersion::Wsl2)
        );
        assert_eq!(
            guest_version_from_kernel("4.19.104-microsoft-standard"),
            Some(WslVersion::Wsl2)
        );
        assert_eq!(guest_version_from_kernel("6.1.0-18-amd64"), None);
    }
}
