//! What the hub test runs against: the hub's tools (installed once), a real JupyterHub, a real
//! Secret Service and a relay that can go silent.

use std::io::{BufRead, BufReader};
use std::net::{IpAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command as StdCommand, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

use darwinix_testkit::{descendants, real_python, shared_uv_dir};

const JUPYTERHUB: &str = "jupyterhub==6.1.1";
/// The version the shared runtime installs: uv's cache already has it.
const JUPYTERLAB: &str = "jupyterlab==4.6.6";
const PROXY: &str = "configurable-http-proxy@5.3.0";

/// The hub's venv and the proxy, made once and kept across runs (a marker names the versions).
struct Tools {
    venv_bin: PathBuf,
    proxy: PathBuf,
}

fn tools() -> &'static Tools {
    static TOOLS: OnceLock<Tools> = OnceLock::new();
    TOOLS.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hub-tools");
        let tools = Tools {
            venv_bin: root.join("venv/bin"),
            proxy: root.join("chp/node_modules/.bin/configurable-http-proxy"),
        };
        let marker = root.join(format!("ready {JUPYTERHUB} {JUPYTERLAB} {PROXY}"));
        if marker.is_file() {
            return tools;
        }
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        let uv = shared_uv_dir().join("uv");
        let venv = root.join("venv");
        let python = real_python();
        let python = python.to_str().unwrap();
        run_ok(
            StdCommand::new(&uv)
                .args(["venv", "-q", "--python", python])
                .arg(&venv),
        );
        run_ok(
            StdCommand::new(&uv)
                .args(["pip", "install", "-q", "--python"])
                .arg(venv.join("bin/python"))
                .args([JUPYTERHUB, JUPYTERLAB]),
        );
        run_ok(
            StdCommand::new("npm")
                .args([
                    "install",
                    "--no-audit",
                    "--no-fund",
                    "--loglevel=error",
                    "--prefix",
                ])
                .arg(root.join("chp"))
                .arg(PROXY),
        );
        assert!(tools.proxy.is_file(), "npm left no configurable-http-proxy");
        std::fs::write(&marker, "").unwrap();
        tools
    })
}

fn run_ok(cmd: &mut StdCommand) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The hub's config, shared with the app's end-to-end test.
const HUB_CONFIG: &str = include_str!("../../../../tests/support/jupyterhub_config.py");

/// How a test hub differs from the plain one.
#[derive(Default)]
pub struct Setup {
    /// The address its proxy listens on (default 127.0.0.1).
    pub ip: Option<IpAddr>,
    /// Every spawn first waits this long, with JupyterHub's own default timeouts.
    pub spawn_delay: Option<Duration>,
}

/// A JupyterHub on 127.0.0.1 (or [`Setup::ip`]) with free ports, stopped (with its servers) when
/// dropped.
pub struct Hub {
    dir: TempDir,
    child: Child,
    pub port: u16,
    ip: IpAddr,
    admin: String,
}

impl Hub {
    pub fn start() -> Self {
        Self::start_with(Setup::default())
    }

    pub fn start_with(setup: Setup) -> Self {
        let tools = tools();
        let ip = setup.ip.unwrap_or(IpAddr::from([127, 0, 0, 1]));
        let delay = setup.spawn_delay.map_or(0, |d| d.as_secs());
        let dir = TempDir::new().unwrap();
        let config = dir.path().join("jupyterhub_config.py");
        std::fs::write(&config, HUB_CONFIG).unwrap();
        let port = free_port();
        let admin = format!("admin-{}", random_hex());
        let log = std::fs::File::create(dir.path().join("hub.log")).unwrap();
        // Secrets in the environment, never on a command line.
        let child = StdCommand::new(tools.venv_bin.join("jupyterhub"))
            .arg("-f")
            .arg(&config)
            .current_dir(dir.path())
            .env("HUB_DIR", dir.path())
            .env("HUB_IP", ip.to_string())
            .env("HUB_SPAWN_DELAY", delay.to_string())
            .env("HUB_PORT", port.to_string())
            .env("HUB_API_PORT", free_port().to_string())
            .env("PROXY_API_PORT", free_port().to_string())
            .env("CHP", &tools.proxy)
            .env("ADMIN_TOKEN", &admin)
            .env_remove("JUPYTERHUB_API_TOKEN")
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        let mut hub = Self {
            dir,
            child,
            port,
            ip,
            admin,
        };
        hub.wait_ready();
        hub
    }

    fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if http("GET", &format!("{}hub/api/", self.url()), None, None).0 == 200 {
                return;
            }
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("the hub exited ({status}):\n{}", self.log());
            }
            assert!(
                Instant::now() < deadline,
                "the hub did not answer:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}:{}/", self.ip, self.port)
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("hub.log")).unwrap_or_default()
    }

    /// An admin API call: (status, JSON body).
    pub fn admin(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let url = format!("{}hub/api/{path}", self.url());
        let (status, text, _) = http(method, &url, Some(&self.admin), body);
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// A new token for `user` (made first): (its id, the token).
    pub fn new_token(&self, user: &str) -> (String, String) {
        let (made, _) = self.admin("POST", &format!("users/{user}"), None);
        assert!(made == 201 || made == 409, "making {user}: {made}");
        let body = serde_json::json!({"note": "darwinix test", "expires_in": 3600});
        let (status, token) = self.admin("POST", &format!("users/{user}/tokens"), Some(body));
        assert_eq!(status, 201, "{token}");
        (
            token["id"].as_str().unwrap().to_string(),
            token["token"].as_str().unwrap().to_string(),
        )
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        // Its servers run in sessions of their own: found by parent links before the hub goes.
        let below = descendants(self.child.id());
        signal("TERM", self.child.id());
        let deadline = Instant::now() + Duration::from_secs(15);
        while self.child.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        for pid in below {
            signal("KILL", pid);
        }
    }
}

fn signal(name: &str, pid: u32) {
    let _ = StdCommand::new("kill")
        .args([format!("-{name}"), pid.to_string()])
        .stderr(Stdio::null())
        .status();
}

fn random_hex() -> String {
    let bytes = std::fs::read("/proc/sys/kernel/random/uuid").unwrap();
    String::from_utf8_lossy(&bytes).trim().replace('-', "")
}

/// One HTTP request from the test itself: (status, body, Location).
pub fn http(
    method: &str,
    url: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, String, String) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap();
        let mut request = client.request(method.parse().unwrap(), url);
        if let Some(token) = token {
            request = request.header("Authorization", format!("token {token}"));
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        match request.send().await {
            Ok(reply) => {
                let status = reply.status().as_u16();
                let location = reply
                    .headers()
                    .get("location")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string();
                (status, reply.text().await.unwrap_or_default(), location)
            }
            Err(_) => (0, String::new(), String::new()),
        }
    })
}

/// A real Secret Service: gnome-keyring, unlocked with a password on its standard input, in a
/// D-Bus session bus of its own (`dbus-run-session`), with its own home and runtime folders.
/// The session ends when its standard input closes.
pub struct SecretService {
    _dir: TempDir,
    child: Child,
    stdin: Option<ChildStdin>,
    pub address: String,
}

impl SecretService {
    pub fn start() -> Self {
        let dir = TempDir::new().unwrap();
        let run = dir.path().join("run");
        std::fs::create_dir_all(&run).unwrap();
        let script = "printf 'test-password' | gnome-keyring-daemon --components=secrets --daemonize --unlock >/dev/null || exit 1\n\
                      echo \"$DBUS_SESSION_BUS_ADDRESS\"\nexec cat >/dev/null";
        let mut child = StdCommand::new("dbus-run-session")
            .args(["--", "sh", "-c", script])
            .env("HOME", dir.path())
            .env("XDG_DATA_HOME", dir.path().join("share"))
            .env("XDG_RUNTIME_DIR", &run)
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("these tests need dbus-run-session (Debian's dbus; `./dev test` installs it)");
        let mut address = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut address)
            .unwrap();
        assert!(
            address.starts_with("unix:"),
            "no session bus; is gnome-keyring installed? got {address:?}"
        );
        Self {
            _dir: dir,
            stdin: child.stdin.take(),
            child,
            address: address.trim().to_string(),
        }
    }

    /// How many items Darwinix keeps there (`service` = org.darwinix.hub), asked over D-Bus.
    pub fn darwinix_items(&self) -> usize {
        let out = StdCommand::new("dbus-send")
            .args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.secrets",
                "/org/freedesktop/secrets",
                "org.freedesktop.Secret.Service.SearchItems",
                "dict:string:string:service,org.darwinix.hub",
            ])
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stdout)
            .matches("object path")
            .count()
    }
}

impl Drop for SecretService {
    fn drop(&mut self) {
        // `cat` ends, dbus-run-session ends the bus, and gnome-keyring leaves with it.
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.child.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A TCP relay to the hub: a second address for it that can go silent (accepts, never answers),
/// as a hub behind a dead VPN or a hung machine does.
pub struct Relay {
    port: u16,
    silent: Arc<AtomicBool>,
}

impl Relay {
    pub fn to(target: u16) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let silent = Arc::new(AtomicBool::new(false));
        let quiet = silent.clone();
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for conn in listener.incoming().flatten() {
                if quiet.load(Ordering::SeqCst) {
                    held.push(conn);
                } else if let Ok(up) = TcpStream::connect(("127.0.0.1", target)) {
                    pipe(conn.try_clone().unwrap(), up.try_clone().unwrap());
                    pipe(up, conn);
                }
            }
        });
        Self { port, silent }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    pub fn go_silent(&self) {
        self.silent.store(true, Ordering::SeqCst);
    }
}

fn pipe(mut from: TcpStream, mut to: TcpStream) {
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut from, &mut to);
        let _ = to.shutdown(std::net::Shutdown::Write);
    });
}
