//! Linux: after an `exec` the new program inherits the old one's children (the servers it
//! started, a browser launcher still settling). Nobody else waits for them, so when they end
//! they would stay as zombies, and a zombie server looks alive to the registry.

/// The children this program found when it started.
// Linux only: only there does a program take over another's process (the app and the light tray,
// see `handoff`).
#[cfg(target_os = "linux")]
pub struct Inherited(Vec<rustix::process::Pid>);

// Elsewhere a program is always its own process: nothing is inherited.
#[cfg(not(target_os = "linux"))]
pub struct Inherited;

#[cfg(target_os = "linux")]
impl Inherited {
    /// Notes the current children; call it first thing, before this program starts any of its
    /// own (those are waited for by whoever started them).
    pub fn capture() -> Self {
        use rustix::process::Pid;
        // Each thread's children are listed under it (children of a thread that ended belong
        // to the others).
        let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
            return Self(Vec::new());
        };
        let mut pids: Vec<Pid> = tasks
            .flatten()
            .filter_map(|t| std::fs::read_to_string(t.path().join("children")).ok())
            .flat_map(|list| {
                list.split_whitespace()
                    .filter_map(|p| p.parse::<i32>().ok())
                    .filter_map(Pid::from_raw)
                    .collect::<Vec<_>>()
            })
            .collect();
        pids.sort_unstable_by_key(|p| p.as_raw_nonzero());
        pids.dedup();
        Self(pids)
    }

    /// Collects those that have ended since; the rest are kept for the next call.
    pub fn reap(&mut self) {
        use rustix::process::{waitpid, WaitOptions};
        self.0
            .retain(|pid| matches!(waitpid(Some(*pid), WaitOptions::NOHANG), Ok(None)));
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

#[cfg(not(target_os = "linux"))]
impl Inherited {
    pub fn capture() -> Self {
        Self
    }

    pub fn reap(&mut self) {}

    pub fn len(&self) -> usize {
        0
    }
}

impl Inherited {
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
