//! The real sshd the remote tests log in to, and what the tests ask of it and of Darwinix.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command as StdCommand};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use darwinix_testkit::{alive, cmdline, json, TestContext};
use serde_json::Value;
use tempfile::TempDir;

pub(crate) const USER: &str = "dxremote";
pub(crate) const SSHD: &str = "/usr/sbin/sshd";

pub(crate) fn run(program: &str, args: &[&str]) -> std::process::Output {
    StdCommand::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"))
}

/// The remote account: made once (a locked password would make sshd refuse it, so `*`).
pub(crate) fn remote_user() -> (u32, PathBuf) {
    static USER_INFO: OnceLock<(u32, PathBuf)> = OnceLock::new();
    USER_INFO
        .get_or_init(|| {
            if !run("id", &["-u", USER]).status.success() {
                let made = run("useradd", &["-m", "-p", "*", "-s", "/bin/sh", USER]);
                assert!(made.status.success(), "useradd: {made:?}");
            }
            let uid: u32 = String::from_utf8_lossy(&run("id", &["-u", USER]).stdout)
                .trim()
                .parse()
                .unwrap();
            (uid, PathBuf::from(format!("/home/{USER}")))
        })
        .clone()
}

pub(crate) fn keygen(path: &Path) {
    let out = run(
        "ssh-keygen",
        &[
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-f",
            path.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "ssh-keygen: {out:?}");
}

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A real sshd on 127.0.0.1, and a client config with three host names: `dxtest` (known host
/// key, authorized client key), `dxunknown` (host key not known here) and `dxrefused` (a key
/// the server does not accept).
pub(crate) struct Sshd {
    dir: TempDir,
    child: Child,
    pub(crate) port: u16,
}

impl Sshd {
    /// One at a time: both tests log in as the same remote user, and the end of one kills
    /// whatever that user still runs.
    /// The turn comes first so that it is dropped last, after this server's cleanup.
    pub(crate) fn start() -> (std::sync::MutexGuard<'static, ()>, Self) {
        static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
        (turn, Self::new())
    }

    fn new() -> Self {
        assert!(
            Path::new(SSHD).is_file(),
            "these tests need Debian's openssh-server (`./dev test` installs it)"
        );
        assert_eq!(
            my_uid(),
            0,
            "these tests run sshd and make a user: run them as root"
        );
        let (_, home) = remote_user();
        let dir = TempDir::new().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let d = dir.path();
        keygen(&d.join("host_key"));
        keygen(&d.join("client_key"));
        keygen(&d.join("other_key"));
        std::fs::copy(d.join("client_key.pub"), d.join("authorized_keys")).unwrap();
        std::fs::set_permissions(
            d.join("authorized_keys"),
            std::fs::Permissions::from_mode(0o644),
        )
        .unwrap();
        // The remote user's uv cache outlives one run (as a real remote's would).
        let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("remote-uv-cache");
        std::fs::create_dir_all(&cache).unwrap();
        run("chown", &["-R", USER, cache.to_str().unwrap()]);
        let port = free_port();
        std::fs::write(
            d.join("sshd_config"),
            format!(
                "Port {port}\nListenAddress 127.0.0.1\nHostKey {d}/host_key\nPidFile {d}/sshd.pid\n\
                 AuthorizedKeysFile {d}/authorized_keys\nStrictModes no\nUsePAM no\n\
                 PasswordAuthentication no\nKbdInteractiveAuthentication no\nPermitRootLogin no\n\
                 AllowUsers {USER}\nAllowTcpForwarding local\nX11Forwarding no\nMaxSessions 30\n\
                 SetEnv UV_CACHE_DIR={cache}{network}\nLogLevel VERBOSE\n",
                d = d.display(),
                cache = cache.display(),
                network = network_env(),
            ),
        )
        .unwrap();
        std::fs::create_dir_all("/run/sshd").unwrap();
        std::fs::set_permissions("/run/sshd", std::fs::Permissions::from_mode(0o755)).unwrap();
        let log = std::fs::File::create(d.join("sshd.log")).unwrap();
        let child = StdCommand::new(SSHD)
            .args(["-D", "-e", "-f"])
            .arg(d.join("sshd_config"))
            .stderr(log)
            .spawn()
            .unwrap();
        let host_pub = std::fs::read_to_string(d.join("host_key.pub")).unwrap();
        let key_only: Vec<&str> = host_pub.split_whitespace().take(2).collect();
        std::fs::write(
            d.join("known_hosts"),
            format!("[127.0.0.1]:{port} {}\n", key_only.join(" ")),
        )
        .unwrap();
        std::fs::write(d.join("empty_known_hosts"), "").unwrap();
        let host = |name: &str, key: &str, known: &str| {
            format!(
                "Host {name}\n  HostName 127.0.0.1\n  Port {port}\n  User {USER}\n  IdentityFile {d}/{key}\n  IdentitiesOnly yes\n  IdentityAgent none\n  UserKnownHostsFile {d}/{known}\n  StrictHostKeyChecking yes\n",
                d = d.display()
            )
        };
        std::fs::write(
            d.join("ssh_config"),
            [
                host("dxtest", "client_key", "known_hosts"),
                host("dxunknown", "client_key", "empty_known_hosts"),
                host("dxrefused", "other_key", "known_hosts"),
            ]
            .concat(),
        )
        .unwrap();
        for key in ["client_key", "other_key"] {
            std::fs::set_permissions(d.join(key), std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "sshd did not listen"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = home;
        Self { dir, child, port }
    }

    pub(crate) fn config(&self) -> PathBuf {
        self.dir.path().join("ssh_config")
    }

    pub(crate) fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("sshd.log")).unwrap_or_default()
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // Whatever the tests left running as the remote user (nothing, when they pass).
        let _ = run("pkill", &["-KILL", "-u", USER]);
    }
}

/// The remote is this machine: it reaches the package index the way this machine does (a
/// proxy, or a certificate authority of its network), which the test's own environment says.
pub(crate) fn network_env() -> String {
    [
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
        "HTTPS_PROXY",
        "https_proxy",
        "UV_INDEX_URL",
        "PIP_INDEX_URL",
    ]
    .iter()
    .filter_map(|name| Some(format!(" \"{name}={}\"", std::env::var(name).ok()?)))
    .collect()
}

pub(crate) fn my_uid() -> u32 {
    String::from_utf8_lossy(&run("id", &["-u"]).stdout)
        .trim()
        .parse()
        .unwrap()
}

/// A project folder in the remote user's home, owned by them.
pub(crate) fn remote_project(name: &str, requirements: &str) -> (String, PathBuf) {
    let (_, home) = remote_user();
    let dir = home.join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("requirements.txt"), requirements).unwrap();
    std::fs::write(
        dir.join("analysis.ipynb"),
        r#"{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"#,
    )
    .unwrap();
    run("chown", &["-R", USER, dir.to_str().unwrap()]);
    (format!("ssh://dxtest{}", dir.display()), dir)
}

pub(crate) fn darwinix(sandbox: &TestContext, sshd: &Sshd) -> assert_cmd::Command {
    let mut cmd = sandbox.cmd();
    cmd.env("DARWINIX_SSH_CONFIG", sshd.config())
        .timeout(Duration::from_secs(600));
    cmd
}

/// `darwinix ARGS` against this sshd, which must succeed (its errors and sshd's log said).
pub(crate) fn darwinix_ok(
    sandbox: &TestContext,
    sshd: &Sshd,
    args: &[&str],
) -> std::process::Output {
    let out = darwinix(sandbox, sshd).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "darwinix {args:?}: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        sshd.log()
    );
    out
}

/// `darwinix start --no-browser --json ADDRESS`, which must succeed: the server it printed.
pub(crate) fn start_json(sandbox: &TestContext, sshd: &Sshd, address: &str) -> Value {
    let out = darwinix_ok(sandbox, sshd, &["start", "--no-browser", "--json", address]);
    darwinix_testkit::json(&out.stdout)
}

pub(crate) fn remote_entry(sandbox: &TestContext) -> Value {
    let dir = sandbox.home().join("data/remote-servers");
    let file = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .find(|f| f.path().extension().is_some_and(|e| e == "json"))
        .expect("a remote server record");
    json(&std::fs::read(file.path()).unwrap())
}

pub(crate) fn status(port: u16, token: Option<&str>) -> Option<u16> {
    request(port, "GET", "/api/status", token)
}

/// One request to the forwarded server: its status code (`None`: nothing answered).
pub(crate) fn request(port: u16, method: &str, path: &str, token: Option<&str>) -> Option<u16> {
    let body = if method == "POST" { "{}" } else { "" };
    send(port, method, path, token, body).map(|(code, _)| code)
}

/// One request with a body to the forwarded server: its status code and whole answer.
pub(crate) fn send(
    port: u16,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &str,
) -> Option<(u16, String)> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .ok()?;
    let auth = token
        .map(|t| format!("Authorization: token {t}\r\n"))
        .unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).ok()?;
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    let code = answer.split_whitespace().nth(1)?.parse().ok()?;
    Some((code, answer))
}

/// Every process of the remote user, with its command line.
pub(crate) fn remote_processes(uid: u32) -> Vec<(u32, String)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| {
            let pid: u32 = e.file_name().to_str()?.parse().ok()?;
            (std::fs::metadata(e.path()).ok()?.uid() == uid && alive(pid))
                .then(|| (pid, cmdline(pid)))
        })
        .collect()
}

pub(crate) fn no_cmdline_has(token: &str) {
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        if let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() {
            let line = cmdline(pid);
            assert!(
                !line.contains(token),
                "the token is on the command line of {pid}: {line}"
            );
        }
    }
}

/// How `list --json` shows the remote server on `dxtest`.
pub(crate) fn listed_state(sandbox: &TestContext, sshd: &Sshd) -> String {
    let out = darwinix(sandbox, sshd)
        .args(["list", "--json"])
        .output()
        .unwrap();
    let listed = json(&out.stdout);
    let remote = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["host"] == "dxtest")
        .unwrap_or_else(|| panic!("not listed: {listed}"));
    remote["state"].as_str().unwrap().to_string()
}

/// ssh's own control command on our master (what a user's `ssh -O` would do).
pub(crate) fn ssh_control(
    sandbox: &TestContext,
    sshd: &Sshd,
    args: &[&str],
) -> std::process::Output {
    let control = format!(
        "ControlPath={}/%C",
        sandbox.home().join("data/ssh").display()
    );
    StdCommand::new("ssh")
        .arg("-F")
        .arg(sshd.config())
        .args(["-o", &control])
        .args(args)
        .arg("dxtest")
        .output()
        .unwrap()
}

/// The pid of our master connection, as ssh itself reports it.
pub(crate) fn master_pid(sandbox: &TestContext, sshd: &Sshd) -> u32 {
    let check = ssh_control(sandbox, sshd, &["-O", "check"]);
    let said = String::from_utf8_lossy(&check.stderr).to_string();
    said.split("pid=")
        .nth(1)
        .and_then(|s| s.trim_end_matches([')', '\r', '\n']).parse().ok())
        .unwrap_or_else(|| panic!("{said}"))
}
