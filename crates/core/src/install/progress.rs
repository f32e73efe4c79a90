//! Turns installer output, line by line, into typed progress events. Pure: fed fixture lines in
//! tests, live lines in `setup`.

use crate::reporter::{SetupEvent, SetupStep};
use crate::settings::Installer;

/// How many lines of the installer's own complaint to keep for the error message.
const ERROR_LINES: usize = 15;

#[derive(Debug)]
pub struct ProgressParser {
    installer: Installer,
    step: Option<SetupStep>,
    resolved: u32,
    total: Option<u32>,
    downloads: u32,
    downloads_total: u32,
    installed: u32,
    /// uv's ` + name==version` lines seen.
    plus_lines: u32,
    /// The installer's own words (not debug chatter), for the error message.
    said: Vec<String>,
    pub network_error: bool,
    /// uv's verbose output is not a stable interface: from a uv whose version Darwinix does
    /// not know, only the plain step is shown (and its words kept for errors).
    plain: bool,
}

impl ProgressParser {
    pub fn new(installer: Installer) -> Self {
        Self {
            installer,
            step: None,
            resolved: 0,
            total: None,
            downloads: 0,
            downloads_total: 0,
            installed: 0,
            plus_lines: 0,
            said: vec![],
            network_error: false,
            plain: false,
        }
    }

    /// A parser that reads no progress from the output: one "Installing packages" step.
    pub fn plain(installer: Installer) -> Self {
        Self {
            plain: true,
            ..Self::new(installer)
        }
    }

    /// Packages installed or changed by this run.
    pub fn installed(&self) -> u32 {
        self.installed
    }

    /// Everything the installer said in its own words (no debug chatter): where a failed
    /// build names its package and the tool it lacked, lines apart.
    pub fn said(&self) -> &[String] {
        &self.said
    }

    /// What the installer said that matters, for an error message.
    /// From the installer's last `error:` line on (where it states its conclusion), without
    /// the repeats that retries print; its last lines when it never said `error`.
    pub fn summary(&self) -> String {
        let is_error = |l: &&String| {
            let t = l.trim_start();
            t.starts_with("error:") || t.starts_with("ERROR:") || t.starts_with('×')
        };
        let from = match self.said.iter().rposition(|l| is_error(&l)) {
            // pip states each problem on its own ERROR line: keep the whole run of them.
            Some(last) => (0..=last)
                .rev()
                .take_while(|&i| is_error(&&self.said[i]))
                .last()
                .unwrap_or(last),
            None => self.said.len().saturating_sub(ERROR_LINES),
        };
        let mut seen = std::collections::HashSet::new();
        let lines: Vec<&str> = self.said[from..]
            .iter()
            .map(String::as_str)
            .filter(|l| seen.insert(*l))
            .collect();
        lines[..lines.len().min(ERROR_LINES)].join("\n")
    }

    /// The events one line of output means (often none).
    pub fn feed(&mut self, line: &str) -> Vec<SetupEvent> {
        let mut events = Vec::new();
        if is_network_failure(line) {
            self.network_error = true;
        }
        match self.installer {
            _ if self.plain => self.feed_plain(line, &mut events),
            Installer::Uv => self.feed_uv(line, &mut events),
            Installer::Pip => self.feed_pip(line, &mut events),
        }
        events
    }

    fn feed_plain(&mut self, line: &str, events: &mut Vec<SetupEvent>) {
        self.enter(SetupStep::Installing, "Installing packages".into(), events);
        let debug = line.starts_with("DEBUG ") || line.starts_with("TRACE ");
        if !debug && !line.trim().is_empty() {
            self.said.push(line.to_string());
        }
    }

    fn enter(&mut self, step: SetupStep, detail: String, events: &mut Vec<SetupEvent>) {
        if self.step != Some(step) {
            self.step = Some(step);
            events.push(SetupEvent::Step { step, detail });
        }
    }

    fn progress(
        &self,
        step: SetupStep,
        done: u32,
        total: Option<u32>,
        item: Option<&str>,
    ) -> SetupEvent {
        SetupEvent::Progress {
            step,
            done,
            total,
            item: item.map(str::to_string),
        }
    }

    fn feed_uv(&mut self, line: &str, events: &mut Vec<SetupEvent>) {
        if let Some(rest) = line.strip_prefix("DEBUG ") {
            return self.feed_uv_debug(rest, events);
        }
        if line.starts_with("TRACE ") || line.trim().is_empty() {
            return;
        }
        self.feed_uv_said(line, events);
    }

    /// uv's `-v` lines: which version it settled on, what it downloads.
    fn feed_uv_debug(&mut self, rest: &str, events: &mut Vec<SetupEvent>) {
        if let Some(sel) = rest.strip_prefix("Selecting: ") {
            self.enter(
                SetupStep::Resolving,
                "Working out which versions fit together".into(),
                events,
            );
            self.resolved += 1;
            let name = sel.split("==").next().unwrap_or(sel);
            events.push(self.progress(SetupStep::Resolving, self.resolved, None, Some(name)));
        } else if rest.starts_with("Identified uncached distribution: ") {
            self.downloads_total += 1;
        } else if let Some(url) = rest.strip_prefix("Sending fresh GET request for: ") {
            if self.total.is_some() && is_distribution_url(url) {
                let total = self.downloads_total.max(self.downloads + 1);
                self.enter(
                    SetupStep::Downloading,
                    format!("Downloading {}", packages(total)),
                    events,
                );
                self.downloads += 1;
                let file = url.rsplit('/').next().unwrap_or(url);
                let name = file.split('-').next().unwrap_or(file);
                events.push(self.progress(
                    SetupStep::Downloading,
                    self.downloads,
                    Some(total),
                    Some(name),
                ));
            }
        }
    }

    /// uv's summary lines (`Resolved`, `Prepared`, `Installed`, ` + name`) and its own words.
    fn feed_uv_said(&mut self, line: &str, events: &mut Vec<SetupEvent>) {
        if let Some(n) = count_after(line, "Resolved ") {
            self.total = Some(n);
            self.enter(
                SetupStep::Resolving,
                "Working out which versions fit together".into(),
                events,
            );
            events.push(self.progress(SetupStep::Resolving, n, Some(n), None));
        } else if let Some(n) = count_after(line, "Prepared ") {
            self.enter(
                SetupStep::Downloading,
                format!("Downloading {}", packages(n)),
                events,
            );
            events.push(self.progress(SetupStep::Downloading, n, Some(n), None));
        } else if let Some(n) = count_after(line, "Installed ") {
            self.enter(
                SetupStep::Installing,
                format!("Installing {}", packages(n)),
                events,
            );
            self.installed = n;
        } else if let Some(pkg) = line.strip_prefix(" + ") {
            self.enter(SetupStep::Installing, "Installing packages".into(), events);
            self.plus_lines += 1;
            let done = self.plus_lines;
            let name = pkg.split("==").next().unwrap_or(pkg);
            events.push(self.progress(
                SetupStep::Installing,
                done,
                Some(self.installed.max(done)),
                Some(name),
            ));
        } else if !line.starts_with(" - ")
            && !line.starts_with("Uninstalled ")
            && !line.starts_with("Audited ")
            && !line.starts_with("Checked ")
        {
            self.said.push(line.to_string());
        }
    }

    fn feed_pip(&mut self, line: &str, events: &mut Vec<SetupEvent>) {
        let trimmed = line.trim_start();
        if let Some(req) = trimmed.strip_prefix("Collecting ") {
            let name = req
                .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_' || c == '.'))
                .next()
                .unwrap_or(req);
            self.resolved += 1;
            // pip resolves and downloads in turns; once downloading began, stay in that step.
            if self.step == Some(SetupStep::Downloading) {
                events.push(self.progress(
                    SetupStep::Downloading,
                    self.downloads,
                    None,
                    Some(name),
                ));
            } else {
                self.enter(
                    SetupStep::Resolving,
                    "Working out which versions fit together".into(),
                    events,
                );
                events.push(self.progress(SetupStep::Resolving, self.resolved, None, Some(name)));
            }
        } else if let Some(file) = trimmed
            .strip_prefix("Downloading ")
            .filter(|f| !f.contains(".metadata "))
        {
            self.enter(
                SetupStep::Downloading,
                "Downloading packages".into(),
                events,
            );
            self.downloads += 1;
            let name = file.split('-').next().unwrap_or(file);
            events.push(self.progress(SetupStep::Downloading, self.downloads, None, Some(name)));
        } else if let Some(list) = trimmed.strip_prefix("Installing collected packages: ") {
            let n = list.split(',').filter(|p| !p.trim().is_empty()).count() as u32;
            self.total = Some(n);
            self.enter(
                SetupStep::Installing,
                format!("Installing {}", packages(n)),
                events,
            );
            events.push(self.progress(SetupStep::Installing, 0, Some(n), None));
        } else if let Some(list) = trimmed.strip_prefix("Successfully installed ") {
            let n = list.split_whitespace().count() as u32;
            self.installed = n;
            events.push(self.progress(SetupStep::Installing, n, Some(n), None));
        } else if !trimmed.starts_with("Requirement already satisfied")
            && !trimmed.starts_with("Using cached")
            && !trimmed.starts_with("Obtaining")
            && !trimmed.is_empty()
        {
            self.said.push(line.to_string());
        }
    }
}

/// "1 package", "3 packages".
pub fn packages(n: u32) -> String {
    if n == 1 {
        "1 package".into()
    } else {
        format!("{n} packages")
    }
}

/// `Resolved 93 packages in 1.2s` → 93 (also "1 package").
fn count_after(line: &str, prefix: &str) -> Option<u32> {
    let rest = line.strip_prefix(prefix)?;
    let (n, rest) = rest.split_once(' ')?;
    rest.starts_with("package")
        .then(|| n.parse().ok())
        .flatten()
}

fn is_distribution_url(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    [".whl", ".tar.gz", ".zip"]
        .iter()
        .any(|ext| path.ends_with(ext))
}

/// Words uv and pip use when the index cannot be reached at all.
pub fn is_network_failure(line: &str) -> bool {
    const SIGNS: [&str; 10] = [
        "Connection refused",
        "dns error",
        "failed to lookup address",
        "Temporary failure in name resolution",
        "Network is unreachable",
        "operation timed out",
        "Read timed out",
        "NewConnectionError",
        "Max retries exceeded",
        "error sending request",
    ];
    SIGNS.iter().any(|s| line.contains(s))
}

#[cfg(test)]
#[path = "progress_tests.rs"]
mod tests;
