//! Output filters: what changes from run to run (temporary paths, times, ports, pids, tokens)
//! becomes a placeholder, so that a test can compare printed output as a whole.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use regex::Regex;

use crate::{shared, TestContext};

/// Paths to replace, each with its placeholder; the longest is replaced first, so that a
/// project inside the temporary folder is `[PROJECT]`, not `[TEMP]/name`.
#[derive(Default)]
pub struct Filters {
    paths: Vec<(String, String)>,
}

impl Filters {
    /// `path` (as given, and resolved) becomes `placeholder`.
    pub fn path(mut self, path: &Path, placeholder: &str) -> Self {
        let resolved = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        for p in [path.to_path_buf(), resolved] {
            let text = p.to_string_lossy().into_owned();
            if !text.is_empty() && !self.paths.iter().any(|(t, _)| *t == text) {
                self.paths.push((text, placeholder.to_string()));
            }
        }
        self
    }

    /// `text` with the paths, then times, durations, ports, pids and tokens, replaced.
    pub fn apply(&self, text: &str) -> String {
        let mut paths: Vec<&(String, String)> = self.paths.iter().collect();
        paths.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
        let mut out = text.to_string();
        for (path, placeholder) in paths {
            out = out.replace(path.as_str(), placeholder);
        }
        for (pattern, replacement) in patterns() {
            out = pattern.replace_all(&out, *replacement).into_owned();
        }
        out
    }
}

/// The patterns, in order: a timestamp before the clock time inside it, a port before a
/// duration-looking number.
fn patterns() -> &'static [(Regex, &'static str)] {
    static PATTERNS: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        [
            (
                r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?",
                "[TIME]",
            ),
            (r"\b\d{1,2}:\d{2}:\d{2}(\.\d+)?\b", "[TIME]"),
            (r"\b(127\.0\.0\.1|localhost|\[::1\]):\d+", "$1:[PORT]"),
            (r#"(?i)\b(port"?\s*[:= ]\s*)\d+"#, "${1}[PORT]"),
            (r#"(?i)\b(pid"?\s*[:= ]\s*)\d+"#, "${1}[PID]"),
            (r"\b(jpserver|kernel)-\d+", "$1-[PID]"),
            (r"\b(token[= ])[0-9a-fA-F]{16,}", "${1}[TOKEN]"),
            (r"(/darwinix/login/)[0-9A-Za-z_-]+", "${1}[LINK]"),
            (r"\b\d+(\.\d+)?\s?(ms|s|min)\b", "[TIME]"),
        ]
        .into_iter()
        .map(|(p, r)| (Regex::new(p).unwrap(), r))
        .collect()
    })
}

impl TestContext {
    /// The filters of this context: its projects `[PROJECT]` (the shared JupyterLab project
    /// too), DARWINIX_HOME `[HOME]`, the Python folder `[PYTHON]`, the folder of what all tests
    /// share (uv, runtimes) `[SHARED]`, the temporary folder `[TEMP]`.
    pub fn filters(&self) -> Filters {
        let mut filters = Filters::default();
        let projects: Vec<PathBuf> = self.projects.lock().unwrap().clone();
        for project in projects
            .iter()
            .map(PathBuf::as_path)
            .chain(shared::shared_jupyter_project_if_made())
        {
            filters = filters.path(project, "[PROJECT]");
        }
        filters
            .path(&self.home(), "[HOME]")
            .path(self.pybin(), "[PYTHON]")
            .path(&shared::target_tmp(), "[SHARED]")
            .path(self.root(), "[TEMP]")
    }

    /// `text` as the filters make it (see `filters`).
    pub fn filter(&self, text: impl AsRef<str>) -> String {
        self.filters().apply(text.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filters() -> Filters {
        Filters::default()
            .path(Path::new("/tmp/.tmpAb12/home"), "[HOME]")
            .path(Path::new("/tmp/.tmpAb12/course 1"), "[PROJECT]")
            .path(Path::new("/tmp/.tmpAb12"), "[TEMP]")
    }

    #[test]
    fn paths_become_placeholders_the_longest_first() {
        let said =
            "made /tmp/.tmpAb12/course 1/.venv with /tmp/.tmpAb12/home/data and /tmp/.tmpAb12/x";
        assert_eq!(
            filters().apply(said),
            "made [PROJECT]/.venv with [HOME]/data and [TEMP]/x"
        );
    }

    #[test]
    fn times_ports_pids_and_tokens_become_placeholders() {
        let said = "==> Ready in 2.4 s (setup 350ms) at 12:03:44, 2026-11-25T12:03:44.123Z\n\
                    http://127.0.0.1:8891/lab?token=0123456789abcdef0123 pid 4711, \"pid\": 88, port=9001\n\
                    http://127.0.0.1:8891/darwinix/login/Zx9_-a jpserver-4711.json";
        assert_eq!(
            filters().apply(said),
            "==> Ready in [TIME] (setup [TIME]) at [TIME], [TIME]\n\
             http://127.0.0.1:[PORT]/lab?token=[TOKEN] pid [PID], \"pid\": [PID], port=[PORT]\n\
             http://127.0.0.1:[PORT]/darwinix/login/[LINK] jpserver-[PID].json"
        );
    }

    #[test]
    fn versions_and_sizes_are_left_alone() {
        let said = "Python 3.11.7, six==1.16.0, 93 packages, 1.5 GB";
        assert_eq!(filters().apply(said), said);
    }
}
