//! What the process table says about a pid, from `sysinfo`: alive, started when, running what,
//! and its descendants (kernels run in their own session, so only parent links find them).

use std::collections::HashSet;

use sysinfo::{
    Pid, ProcessRefreshKind, ProcessStatus, ProcessesToUpdate, Signal, System, UpdateKind,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proc {
    pub pid: u32,
    /// Seconds since the Unix epoch.
    pub start_time: u64,
    pub cmdline: String,
    pub memory_bytes: u64,
}

/// A fresh view of every process.
pub fn table() -> System {
    refreshed(ProcessesToUpdate::All)
}

/// The live process `pid`, reading only that one (a whole table costs tens of milliseconds).
pub fn one(pid: u32) -> Option<Proc> {
    get(
        &refreshed(ProcessesToUpdate::Some(&[Pid::from_u32(pid)])),
        pid,
    )
}

fn refreshed(which: ProcessesToUpdate<'_>) -> System {
    let mut sys = System::new().unwrap_or_else(|_| {
        System::new_with_specifics(sysinfo::RefreshKind::nothing()).expect("empty system")
    });
    sys.refresh_processes_specifics(
        which,
        true,
        ProcessRefreshKind::nothing()
            .with_memory()
            .with_cmd(UpdateKind::Always),
    );
    sys
}

/// The live (not zombie) process `pid`.
pub fn get(sys: &System, pid: u32) -> Option<Proc> {
    let p = sys.process(Pid::from_u32(pid))?;
    if matches!(p.status(), ProcessStatus::Zombie | ProcessStatus::Dead) {
        return None;
    }
    let cmdline = p
        .cmd()
        .iter()
        .map(|a| a.to_string_lossy())
        .collect::<Vec<_>>()
        .join(" ");
    Some(Proc {
        pid,
        start_time: p.start_time(),
        cmdline,
        memory_bytes: p.memory(),
    })
}

/// Every live descendant of `root`, children before grandchildren.
pub fn descendants(sys: &System, root: u32) -> Vec<Proc> {
    let mut found: Vec<Proc> = Vec::new();
    let mut frontier = vec![Pid::from_u32(root)];
    let mut seen = HashSet::new();
    while let Some(parent) = frontier.pop() {
        let parent_start = sys.process(parent).map_or(0, |p| p.start_time());
        for (pid, p) in sys.processes() {
            // Threads appear in the table too, as children of their process: skip them. A
            // "child" older than its parent names a dead parent whose pid was reused (Windows
            // keeps stale parent pids): not ours.
            let child = p.parent() == Some(parent)
                && p.thread_kind().is_none()
                && p.start_time() >= parent_start;
            if child && seen.insert(*pid) {
                frontier.push(*pid);
                if let Some(info) = get(sys, pid.as_u32()) {
                    found.push(info);
                }
            }
        }
    }
    found
}

/// Signals `proc` only if the pid still belongs to the same process (same start time).
pub fn signal(proc: &Proc, hard: bool) {
    let sys = table();
    let Some(p) = sys.process(Pid::from_u32(proc.pid)) else {
        return;
    };
    if p.start_time() != proc.start_time {
        return;
    }
    let sent = if hard {
        p.kill_with(Signal::Kill)
    } else {
        p.kill_with(Signal::Term)
    };
    // Windows has no SIGTERM: a polite request there is the HTTP shutdown; then terminate.
    if sent.is_none() {
        p.kill();
    }
}

/// Whether `proc` (same pid, same start) is still alive.
pub fn is_alive(proc: &Proc) -> bool {
    let mut sys =
        System::new_with_specifics(sysinfo::RefreshKind::nothing()).expect("empty system");
    let pid = Pid::from_u32(proc.pid);
    sys.refresh_processes_specifics(
        ProcessesToUpdate::Some(&[pid]),
        true,
        ProcessRefreshKind::nothing(),
    );
    get(&sys, proc.pid).is_some_and(|p| p.start_time == proc.start_time)
}
