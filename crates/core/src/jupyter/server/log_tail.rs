//! A server's log: where it is, its last lines, and the last lines a server wrote in this start,
//! for the error when it does not come up (the project's log holds every start, and an earlier
//! one's lines would mislead).

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::paths::AppPaths;
use crate::project::Project;

/// How each start begins in the log (`launch::open_log` writes it).
pub(super) const START_MARK: &str = "--- darwinix ";

/// Lines shown under a server that did not come up: enough for a traceback's end.
pub(super) const LINES: usize = 15;

/// The end of a log is all that is read: a server that loops on a warning writes megabytes.
const READ_AT_MOST: u64 = 64 * 1024;

/// A line longer than this is cut (a minified page, a long path list).
const LINE_AT_MOST: usize = 400;

/// The last [`LINES`] lines written after the last start mark, with `token` blanked out
/// (jupyter_server hides a token it did not make, but a project's configuration may print it).
pub(super) fn this_start(log: &Path, token: &str) -> String {
    let text = read_end(log).unwrap_or_default();
    last_lines(&text, token)
}

fn read_end(log: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(log)?;
    let len = file.metadata()?.len();
    file.seek(SeekFrom::Start(len.saturating_sub(READ_AT_MOST)))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn last_lines(text: &str, token: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .rposition(|l| l.starts_with(START_MARK))
        .map_or(0, |i| i + 1);
    let ours = &lines[start..];
    let shown = ours[ours.len().saturating_sub(LINES)..]
        .iter()
        .map(|l| cut(l.trim_end()))
        .map(|l| match token.is_empty() {
            true => l,
            false => l.replace(token, "…"),
        });
    shown.collect::<Vec<_>>().join("\n")
}

fn cut(line: &str) -> String {
    match line.char_indices().nth(LINE_AT_MOST) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line.to_string(),
    }
}

/// Where a project's JupyterLab writes its output (kept after it stops, for `logs`).
pub fn log_path(paths: &AppPaths, project: &Project) -> PathBuf {
    paths.log(&format!("{}.jupyter.log", project.key()))
}

/// The last `lines` lines of a log file.
pub fn tail(path: &Path, lines: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_starts_last_lines_are_shown() {
        let mut log = String::from("--- darwinix 1.0: starting JupyterLab in /p\nold failure\n");
        log.push_str("--- darwinix 1.0: starting JupyterLab in /p\n");
        for i in 1..=20 {
            log.push_str(&format!("line {i}\n"));
        }
        let shown = last_lines(&log, "s3cret");
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines.len(), LINES);
        assert_eq!(lines[0], "line 6");
        assert_eq!(lines[LINES - 1], "line 20");
        assert!(!shown.contains("old failure"));
    }

    #[test]
    fn a_start_that_wrote_nothing_shows_nothing_and_secrets_are_blanked() {
        let log = "--- darwinix 1.0: starting\nearlier\n--- darwinix 1.0: starting\n";
        assert_eq!(last_lines(log, "x"), "");
        let said = last_lines("http://127.0.0.1:8888/lab?token=s3cret\n", "s3cret");
        assert_eq!(said, "http://127.0.0.1:8888/lab?token=…");
        let long = "é".repeat(LINE_AT_MOST + 10);
        assert_eq!(last_lines(&long, "").chars().count(), LINE_AT_MOST + 1);
    }

    #[test]
    fn the_end_of_a_long_log_file_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("p.jupyter.log");
        assert_eq!(this_start(&log, "s3cret"), "", "no log yet");
        let mut text = "noise\n".repeat(20_000);
        text.push_str("--- darwinix 1.0: starting\nTraceback (most recent call last):\n");
        std::fs::write(&log, text).unwrap();
        assert_eq!(
            this_start(&log, "s3cret"),
            "Traceback (most recent call last):"
        );
    }
}
