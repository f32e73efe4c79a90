//! Processes as /proc shows them (Linux): what the tests check about servers, kernels and
//! browsers from the outside.

/// The parent of `pid`, from `/proc/PID/stat` (the field after the state).
fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(')')?
        .1
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn all_pids() -> Vec<u32> {
    std::fs::read_dir("/proc")
        .map(|dir| {
            dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

/// Processes below `root` (by parent links in /proc).
pub fn descendants(root: u32) -> Vec<u32> {
    let below = |pid: u32| {
        let mut p = pid;
        for _ in 0..32 {
            match parent_of(p) {
                Some(parent) if parent == root => return true,
                Some(parent) if parent > 1 => p = parent,
                _ => return false,
            }
        }
        false
    };
    all_pids().into_iter().filter(|&pid| below(pid)).collect()
}

/// A live process: a zombie (waiting for a parent that is not this test) counts as dead.
pub fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        // The state is the first field after the command's `(name)`.
        stat.rsplit(')')
            .next()
            .and_then(|r| r.split_whitespace().next())
            != Some("Z")
    })
}

/// The command line of `pid`, its arguments joined by spaces ("" once it is gone).
pub fn cmdline(pid: u32) -> String {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .map(|b| String::from_utf8_lossy(&b).replace('\0', " "))
        .unwrap_or_default()
}

/// Every live pid whose command line contains `needle`.
pub fn pids_with(needle: &str) -> Vec<u32> {
    all_pids()
        .into_iter()
        .filter(|&pid| cmdline(pid).contains(needle) && alive(pid))
        .collect()
}
