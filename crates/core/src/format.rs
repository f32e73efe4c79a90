//! Numbers and lists written for people: the pure formatting that error messages and reports
//! share (the ground floor: it knows nothing of the engine's parts).

use std::time::Duration;

/// `1.5 GB`-style sizes for people (powers of 1024, as file managers show them).
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// " (torch 2.4 GB, nvidia-cudnn-cu12 664.8 MB, …)": `…` when other packages add to `total`.
pub fn biggest_said(biggest: &[(String, u64)], total: u64) -> String {
    if biggest.is_empty() {
        return String::new();
    }
    let mut named: Vec<String> = biggest
        .iter()
        .map(|(name, bytes)| format!("{name} {}", human_bytes(*bytes)))
        .collect();
    if biggest.iter().map(|(_, b)| b).sum::<u64>() < total {
        named.push("…".into());
    }
    format!(" ({})", named.join(", "))
}

/// A duration as people say it: "15 minutes", "40 s".
pub fn spoken(d: Duration) -> String {
    match d.as_secs() {
        s if s >= 120 => format!("{} minutes", s / 60),
        s => format!("{:.0} s", d.as_secs_f32().max(s as f32)),
    }
}

/// The end of a server's log under its error, when it wrote anything.
pub fn log_end(tail: &str) -> String {
    match tail.trim() {
        "" => String::new(),
        tail => format!("; the end of its log:\n{tail}"),
    }
}

/// ": it has main, dev and gh-pages" (at most five named).
pub fn spoken_branches(branches: &[String]) -> String {
    match branches {
        [] => String::new(),
        [..] => {
            let named: Vec<&str> = branches.iter().take(5).map(String::as_str).collect();
            let more = branches.len().saturating_sub(5);
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            format!(": it has {}{more}", named.join(", "))
        }
    }
}

/// `stem + suffix`, then `stem 2 + suffix`, `stem 3 + suffix`, …: the names tried, in order, for
/// something new that must not take the place of what is there (`course 2`,
/// `a (teacher's version 2).ipynb`). Without end: the caller takes the first that is free.
pub fn numbered(stem: String, suffix: String) -> impl Iterator<Item = String> {
    (1u32..).map(move |n| match n {
        1 => format!("{stem}{suffix}"),
        n => format!("{stem} {n}{suffix}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_for_people() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(1536 * 1024 * 1024), "1.5 GB");
    }
}
