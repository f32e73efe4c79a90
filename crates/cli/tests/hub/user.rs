//! One user's `darwinix hub` commands, with every process's command line watched for the token
//! while each runs.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;

use darwinix_testkit::{json, script};

/// One user's Darwinix: its own home, a browser stand-in that writes down the address it is
/// given, the Secret Service's bus or no session bus at all.
pub struct User {
    pub home: PathBuf,
    browser_log: PathBuf,
    bus: Option<String>,
    runtime_dir: PathBuf,
}

impl User {
    pub fn new(root: &Path, name: &str, bus: Option<&str>) -> Self {
        let home = root.join(name);
        let runtime_dir = root.join(format!("{name}-run"));
        std::fs::create_dir_all(&runtime_dir).unwrap();
        Self {
            browser_log: root.join(format!("{name}-browser.txt")),
            home,
            bus: bus.map(str::to_string),
            runtime_dir,
        }
    }

    fn cmd(&self) -> StdCommand {
        let mut cmd = StdCommand::new(assert_cmd::cargo::cargo_bin("darwinix"));
        let browser = script(
            self.runtime_dir.as_path(),
            "browser",
            &format!("echo \"$1\" >> '{}'", self.browser_log.display()),
        );
        cmd.arg("hub")
            .env("DARWINIX_HOME", &self.home)
            .env("DARWINIX_BROWSER", browser)
            // No session bus unless given: `$XDG_RUNTIME_DIR/bus` is where zbus looks next.
            .env("XDG_RUNTIME_DIR", &self.runtime_dir)
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env_remove("DARWINIX_CREDENTIALS")
            .stdin(Stdio::null());
        // The test's hubs are this computer's own: a proxy from the environment would only
        // stand between (and see plain-HTTP requests the tests count on the hub).
        for name in ["http_proxy", "https_proxy", "all_proxy"] {
            cmd.env_remove(name).env_remove(name.to_uppercase());
        }
        if let Some(bus) = &self.bus {
            cmd.env("DBUS_SESSION_BUS_ADDRESS", bus);
        }
        cmd
    }

    /// `darwinix hub ARGS`, watching every process's command line for `secret` while it runs.
    pub fn run(&self, args: &[&str], secret: &str) -> Run {
        self.run_with_stdin(args, None, secret)
    }

    pub fn run_with_stdin(&self, args: &[&str], stdin: Option<&str>, secret: &str) -> Run {
        run_watching(self.cmd(), args, stdin, secret)
    }

    /// Like [`User::run_with_stdin`], with `DARWINIX_CREDENTIALS=choice`.
    pub fn run_forcing(&self, choice: &str, args: &[&str], stdin: &str, secret: &str) -> Run {
        let mut cmd = self.cmd();
        cmd.env("DARWINIX_CREDENTIALS", choice);
        run_watching(cmd, args, Some(stdin), secret)
    }

    pub fn list(&self, secret: &str) -> Vec<Value> {
        let run = self.run(&["list", "--json"], secret).success();
        json(run.stdout.as_bytes()).as_array().unwrap().clone()
    }

    pub fn opened(&self) -> Vec<String> {
        std::fs::read_to_string(&self.browser_log)
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }
}

pub struct Run {
    ok: bool,
    pub stdout: String,
    pub stderr: String,
    pub took: Duration,
}

impl Run {
    pub fn success(self) -> Self {
        assert!(self.ok, "failed:\n{}\n{}", self.stdout, self.stderr);
        self
    }

    pub fn failure(self) -> Self {
        assert!(!self.ok, "succeeded:\n{}\n{}", self.stdout, self.stderr);
        self
    }
}

fn assert_no_command_line_holds(secret: &str) {
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(bytes) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        let line = String::from_utf8_lossy(&bytes);
        assert!(
            !line.contains(secret),
            "a token is on the command line of {}: {}",
            entry.path().display(),
            line.replace('\0', " ")
        );
    }
}

/// No file under `dir` holds `secret`.
pub fn assert_no_file_holds(dir: &Path, secret: &str) {
    for entry in walk(dir) {
        let text = std::fs::read(&entry).unwrap_or_default();
        assert!(
            !String::from_utf8_lossy(&text).contains(secret),
            "{} holds the token",
            entry.display()
        );
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// Runs `cmd ARGS`, watching every process's command line for `secret` while it runs.
fn run_watching(mut cmd: StdCommand, args: &[&str], stdin: Option<&str>, secret: &str) -> Run {
    cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
    if stdin.is_some() {
        cmd.stdin(Stdio::piped());
    }
    let started = Instant::now();
    let mut child = cmd.spawn().unwrap();
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    let watcher = {
        let secret = secret.to_string();
        let done = Arc::new(AtomicBool::new(false));
        let stop = done.clone();
        let handle = std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                assert_no_command_line_holds(&secret);
                std::thread::sleep(Duration::from_millis(50));
            }
        });
        (done, handle)
    };
    let out = child.wait_with_output().unwrap();
    watcher.0.store(true, Ordering::SeqCst);
    watcher.1.join().expect("a token was on a command line");
    Run {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        took: started.elapsed(),
    }
}
