//! An address of this computer that is not a loopback one, for a hub that Darwinix must treat
//! as another computer's: the first global IPv4 address (a container's `eth0`), or else one
//! added to `lo` for the test (root with CAP_NET_ADMIN), taken away again when dropped.

use std::net::IpAddr;
use std::process::Command;

/// An address from TEST-NET-2 (RFC 5737, documentation only): never anyone's real address.
const ADDED: &str = "198.51.100.77";

pub struct NonLoopback {
    pub ip: IpAddr,
    added: bool,
}

impl NonLoopback {
    /// `None` (after saying why on standard error) only when this computer has no such address
    /// and cannot be given one.
    #[allow(clippy::print_stderr)]
    pub fn find_or_add() -> Option<Self> {
        if let Some(ip) = global_ipv4() {
            return Some(Self { ip, added: false });
        }
        let added = ip(&["addr", "add", &format!("{ADDED}/32"), "dev", "lo"]);
        if let Err(why) = added {
            eprintln!(
                "SKIPPED: this computer has no address other than loopback, and one could not be added ({why}); run as root with CAP_NET_ADMIN, or with a network"
            );
            return None;
        }
        Some(Self {
            ip: ADDED.parse().unwrap(),
            added: true,
        })
    }
}

impl Drop for NonLoopback {
    fn drop(&mut self) {
        if self.added {
            let _ = ip(&["addr", "del", &format!("{ADDED}/32"), "dev", "lo"]);
        }
    }
}

/// The first address `ip -4 -o addr show scope global` lists.
fn global_ipv4() -> Option<IpAddr> {
    let out = ip(&["-4", "-o", "addr", "show", "scope", "global"]).ok()?;
    // `2: eth0    inet 192.0.2.2/24 brd … scope global eth0`
    out.lines().find_map(|line| {
        let mut words = line.split_whitespace();
        words.find(|w| *w == "inet")?;
        let ip: IpAddr = words.next()?.split('/').next()?.parse().ok()?;
        (!ip.is_loopback()).then_some(ip)
    })
}

fn ip(args: &[&str]) -> Result<String, String> {
    let out = Command::new("ip")
        .args(args)
        .output()
        .map_err(|e| format!("`ip` (iproute2) could not run: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}
