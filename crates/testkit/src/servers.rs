//! Servers of the context's home: started and stopped with the CLI, read back from the
//! registry (`data/servers/*.json`, with the token the CLI never prints), and asked to run code
//! in a kernel.

use std::ffi::OsStr;
use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::{cmdline, descendants, http, json, repo_path, TestContext};

impl TestContext {
    /// `darwinix start DIR EXTRA…`; without a stand-in browser, with `--no-browser`.
    pub fn start(&self, dir: &Path, extra: &[&str]) -> Output {
        let mut cmd = self.cmd();
        cmd.arg("start").arg(dir);
        if self.browser_calls.is_none() {
            cmd.arg("--no-browser");
        }
        cmd.args(extra).output().unwrap()
    }

    /// `start`, which must succeed: what it said (standard error).
    pub fn started(&self, dir: &Path) -> String {
        self.started_with(dir, &[])
    }

    /// `start DIR EXTRA…`, which must succeed: what it said (standard error).
    pub fn started_with(&self, dir: &Path, extra: &[&str]) -> String {
        let out = self.start(dir, extra);
        let said = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{said}");
        said
    }

    /// `start --json`, which must succeed: the server it printed.
    pub fn start_json(&self, dir: &Path, extra: &[&str]) -> Value {
        let mut args = vec!["--json"];
        args.extend_from_slice(extra);
        let out = self.start(dir, &args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        json(&out.stdout)
    }

    /// `darwinix stop DIR`, whatever it answers.
    pub fn stop(&self, dir: &Path) {
        let _ = self.run([OsStr::new("stop"), dir.as_os_str()]);
    }

    /// `list --json`: the servers running under this home.
    pub fn servers(&self) -> Vec<Value> {
        let out = self.run(["list", "--json"]);
        json(&out.stdout).as_array().unwrap().clone()
    }

    /// The registry entries (with their tokens) of the servers under this home.
    pub fn server_entries(&self) -> Vec<Value> {
        let dir = self.home().join("data/servers");
        let Ok(files) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        files
            .flatten()
            .filter(|f| f.path().extension().is_some_and(|e| e == "json"))
            .map(|f| json(&std::fs::read(f.path()).unwrap()))
            .collect()
    }

    pub(crate) fn has_servers(&self) -> bool {
        std::fs::read_dir(self.home().join("data/servers")).is_ok_and(|files| {
            files
                .flatten()
                .any(|f| f.path().extension().is_some_and(|e| e == "json"))
        })
    }

    /// The registry entry of the one server this context runs.
    pub fn server_entry(&self) -> Value {
        self.server_entries()
            .into_iter()
            .next()
            .expect("a running server")
    }

    /// The registry entry of the project's server.
    pub fn server_of(&self, dir: &Path) -> Value {
        let dir = std::fs::canonicalize(dir).unwrap();
        self.server_entries()
            .into_iter()
            .find(|e| std::fs::canonicalize(e["dir"].as_str().unwrap()).unwrap() == dir)
            .expect("a server for the project")
    }

    /// How the project runs, as `doctor PROJECT --json` says.
    pub fn described(&self, dir: &Path) -> Value {
        let out = self.run([OsStr::new("doctor"), "--json".as_ref(), dir.as_os_str()]);
        json(&out.stdout)["project"].clone()
    }

    /// Runs `code` in a new kernel of the project's server; `(kernels offered, stdout, error)`.
    pub fn run_in_kernel(&self, dir: &Path, code: &str) -> (Vec<String>, String, Option<String>) {
        let said = self.kernel_answer(dir, code);
        let kernels = said["kernelspecs"]["kernelspecs"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        let error = said["error"].as_str().map(String::from);
        (kernels, said["stdout"].as_str().unwrap().to_string(), error)
    }

    /// Runs `code` in a new kernel of the project's server: the MIME types of every output it
    /// displayed (Darwinix's Install offer among them after a missing import).
    pub fn displays_in_kernel(&self, dir: &Path, code: &str) -> Vec<String> {
        let said = self.kernel_answer(dir, code);
        let displays = said["displays"].as_array().unwrap().iter();
        displays
            .flat_map(|d| d.as_array().unwrap().iter())
            .map(|m| m.as_str().unwrap().to_string())
            .collect()
    }

    /// What `tests/kernel/run_code.py` says of `code` run in a new kernel of the project's server.
    fn kernel_answer(&self, dir: &Path, code: &str) -> Value {
        let entry = self.server_of(dir);
        // tornado (for the websocket) is in every server's environment: the runtime's, or the
        // project's own when it runs its own JupyterLab.
        let python = match self.described(dir)["runtime"].as_str() {
            Some(runtime) => Path::new(runtime).join("bin/python"),
            None => dir.join(".venv/bin/python"),
        };
        let port = entry["port"].as_u64().unwrap() as u16;
        run_code(&python, port, entry["token"].as_str().unwrap(), code)
    }

    /// The kernel runs in the project's `.venv` and imports `modules`: what it printed.
    pub fn kernel_imports(&self, dir: &Path, modules: &str) -> String {
        let code = format!("import sys, {modules}\nprint(sys.prefix)");
        let (kernels, out, error) = self.run_in_kernel(dir, &code);
        assert_eq!(kernels, ["python3"], "exactly one kernel");
        assert_eq!(error, None, "{out}");
        let venv = std::fs::canonicalize(dir.join(".venv")).unwrap();
        assert_eq!(Path::new(out.trim()), venv, "the kernel's sys.prefix");
        out
    }
}

/// The token of a project's running server, from `darwinix open --print-url`.
pub fn server_token(cmd: &mut assert_cmd::Command, project: &Path) -> String {
    let out = cmd
        .args(["open", "--print-url"])
        .arg(project)
        .assert()
        .success();
    let url = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    url.trim()
        .split("token=")
        .nth(1)
        .expect("a token in the address")
        .to_string()
}

/// Starts a kernel on the server at `port` (through its REST API, with `token`) and returns that
/// kernel's environment (`NAME=value` lines), found among the descendants of `pid`.
pub fn kernel_environ(pid: u32, port: u16, token: &str) -> String {
    let url = format!("http://127.0.0.1:{port}/api/kernels");
    let auth = format!("token {token}");
    let made = http(&url, "POST", &[("Authorization", &auth)], "");
    assert_eq!(made.status, 201, "starting a kernel: {}", made.body);
    let deadline = Instant::now() + Duration::from_secs(60);
    let kernel = loop {
        if let Some(k) = descendants(pid)
            .into_iter()
            .find(|&p| cmdline(p).contains("ipykernel_launcher"))
        {
            break k;
        }
        assert!(Instant::now() < deadline, "no kernel process appeared");
        std::thread::sleep(Duration::from_millis(200));
    };
    let environ = std::fs::read(format!("/proc/{kernel}/environ")).unwrap();
    String::from_utf8_lossy(&environ).replace('\0', "\n")
}

/// Runs `code` in a new kernel of the server at `port` (`tests/kernel/run_code.py`, in `python`:
/// one with tornado, as every server's environment has): `{kernelspecs, kernel, stdout, error}`.
pub fn run_code(python: &Path, port: u16, token: &str, code: &str) -> Value {
    let ask = serde_json::json!({
        "url": format!("http://127.0.0.1:{port}"),
        "token": token,
        "code": code,
    });
    let mut child = std::process::Command::new(python)
        .arg(repo_path("tests/kernel/run_code.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The token on standard input, never the command line.
    child
        .stdin
        .take()
        .unwrap()
        .write_all(ask.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    json(&out.stdout)
}
