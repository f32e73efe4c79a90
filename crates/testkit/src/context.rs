//! `TestContext`: one test's world. A temporary folder holding DARWINIX_HOME, a folder with a
//! link to the real Python, and the projects the test makes; `darwinix` run in it with the
//! context's environment, from a chosen folder (never the repository's: commands without a
//! folder act on the project of the folder they run in).

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::sync::Mutex;
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

use crate::{json, shared};

pub struct TestContext {
    /// Removed when the context goes, after its servers are stopped.
    _tmp: TempDir,
    root: PathBuf,
    pybin: PathBuf,
    pub(crate) search: Option<Vec<PathBuf>>,
    pub(crate) own_runtimes: bool,
    pub(crate) cwd: PathBuf,
    pub(crate) envs: Vec<(OsString, OsString)>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) browser_calls: Option<PathBuf>,
    /// The folders made with `folder`, `project` and `fixture` (`[PROJECT]` in the filters).
    /// A mutex, not a cell: tests catch panics with the context borrowed.
    pub(crate) projects: Mutex<Vec<PathBuf>>,
}

impl Default for TestContext {
    fn default() -> Self {
        Self::new()
    }
}

impl TestContext {
    /// A new temporary world: Python is searched only in a folder linking the real one, and in
    /// the shared uv's folder; the runtimes are the shared ones; commands run in `root()`.
    pub fn new() -> Self {
        let tmp = TempDir::new().unwrap();
        // Canonical, so that the paths Darwinix prints (it resolves links) are the test's.
        let root = tmp.path().canonicalize().unwrap();
        let pybin = shared::dir_with_real_python(&root);
        Self {
            cwd: root.clone(),
            _tmp: tmp,
            root,
            pybin,
            search: None,
            own_runtimes: false,
            envs: Vec::new(),
            timeout: None,
            browser_calls: None,
            projects: Mutex::new(Vec::new()),
        }
    }

    /// `NAME=value` for every command of this context.
    pub fn with_env(mut self, name: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Self {
        let name = name.as_ref().to_os_string();
        self.envs.retain(|(n, _)| *n != name);
        self.envs.push((name, value.as_ref().to_os_string()));
        self
    }

    /// Commands fail after `limit` instead of hanging the test run.
    pub fn with_timeout(mut self, limit: Duration) -> Self {
        self.timeout = Some(limit);
        self
    }

    /// Commands run in `dir` (the project commands without a folder act on).
    pub fn with_cwd(mut self, dir: &Path) -> Self {
        self.cwd = dir.to_path_buf();
        self
    }

    /// Python is searched only in `dirs` (not even the shared uv's folder).
    pub fn with_search(mut self, dirs: &[&Path]) -> Self {
        self.search = Some(dirs.iter().map(|d| d.to_path_buf()).collect());
        self
    }

    /// The home makes its own runtimes instead of linking the shared ones.
    pub fn with_own_runtimes(mut self) -> Self {
        self.own_runtimes = true;
        self
    }

    /// The temporary folder everything of this context is in.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// DARWINIX_HOME (made by the first command).
    pub fn home(&self) -> PathBuf {
        self.root.join("home")
    }

    /// The folder with a link to the real Python (`python3`).
    pub fn pybin(&self) -> &Path {
        &self.pybin
    }

    /// The folder commands run in.
    pub fn cwd(&self) -> &Path {
        &self.cwd
    }

    fn search_path(&self) -> Vec<PathBuf> {
        self.search
            .clone()
            .unwrap_or_else(|| vec![self.pybin.clone(), shared::shared_uv_dir().to_path_buf()])
    }

    /// `darwinix` as a plain process, for running several at once.
    pub fn std_cmd(&self) -> std::process::Command {
        let mut cmd = shared::darwinix(&self.home(), &self.search_path(), self.own_runtimes);
        cmd.current_dir(&self.cwd).envs(self.envs.iter().cloned());
        cmd
    }

    /// `darwinix` in this context.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::from_std(self.std_cmd());
        if let Some(limit) = self.timeout {
            cmd.timeout(limit);
        }
        cmd
    }

    /// `darwinix ARGS`, whatever it answers.
    pub fn run<S: AsRef<OsStr>>(&self, args: impl IntoIterator<Item = S>) -> Output {
        self.cmd().args(args).output().unwrap()
    }

    /// `darwinix ARGS`, which must succeed.
    pub fn ok<S: AsRef<OsStr>>(&self, args: impl IntoIterator<Item = S>) -> Output {
        let args: Vec<OsString> = args.into_iter().map(|a| a.as_ref().into()).collect();
        let out = self.run(&args);
        assert!(
            out.status.success(),
            "darwinix {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// `darwinix ARGS`, which must succeed: its standard output as JSON.
    pub fn ok_json<S: AsRef<OsStr>>(&self, args: impl IntoIterator<Item = S>) -> Value {
        json(&self.ok(args).stdout)
    }

    /// Runs `darwinix ARGS` twice at the same time (for the one-at-a-time locks).
    pub fn twice_at_once(&self, args: &[&OsStr]) -> (Output, Output) {
        self.both_at_once(args, args)
    }

    /// Runs `darwinix A` and `darwinix B` at the same time.
    pub fn both_at_once(&self, a: &[&OsStr], b: &[&OsStr]) -> (Output, Output) {
        let spawn = |args: &[&OsStr]| {
            self.std_cmd()
                .args(args)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn(a), spawn(b));
        (a.wait_with_output().unwrap(), b.wait_with_output().unwrap())
    }
}

impl Drop for TestContext {
    fn drop(&mut self) {
        // A test that fails half way leaves no server running (or its home would stay busy).
        if self.has_servers() {
            let _ = self.run(["stop", "--all"]);
        }
        self.kill_browsers();
    }
}
