//! Helpers shared by the CLI's end-to-end tests: real interpreters, hermetic environments.
#![allow(dead_code)]

pub mod world;

use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use std::ffi::OsStr;
use std::process::{Output, Stdio};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// `darwinix` with its own DARWINIX_HOME and Python searched only in `search`. The shared
/// JupyterLab runtime (and kernel) is made once per test run, not once per test: the home's
/// `data/runtimes` is a link to one folder for all tests (see `darwinix_own_runtimes` for the
/// tests of making it).
pub fn darwinix(home: &Path, search: &[&Path]) -> Command {
    link_shared_runtimes(home, shared_runtimes());
    darwinix_own_runtimes(home, search)
}

fn shared_runtimes_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("shared-runtimes")
}

fn link_shared_runtimes(home: &Path, shared: &Path) {
    let runtimes = home.join("data/runtimes");
    if std::fs::symlink_metadata(&runtimes).is_err() {
        std::fs::create_dir_all(home.join("data")).unwrap();
        let _ = symlink(shared, &runtimes);
    }
}

/// The runtimes folder all tests share, with the runtime made once from a Python that stays
/// (a test's own Python link goes with its temporary folder, and a runtime built from it
/// would break for the others).
pub fn shared_runtimes() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("shared-runtime");
        let shared = shared_runtimes_dir();
        let home = root.join("home");
        let project = root.join("bootstrap-project");
        let pybin = root.join("pybin");
        std::fs::create_dir_all(&shared).unwrap();
        std::fs::create_dir_all(&project).unwrap();
        if !pybin.exists() {
            std::fs::create_dir_all(&pybin).unwrap();
            symlink(real_python(), pybin.join("python3")).unwrap();
        }
        std::fs::write(project.join("requirements.txt"), "# nothing\n").unwrap();
        link_shared_runtimes(&home, &shared);
        darwinix_own_runtimes(&home, &[&pybin, shared_uv_dir()])
            .arg("setup")
            .arg(&project)
            .timeout(std::time::Duration::from_secs(900))
            .assert()
            .success();
        shared
    })
}

/// `darwinix` whose home makes its own runtimes (unless something is already there).
pub fn darwinix_own_runtimes(home: &Path, search: &[&Path]) -> Command {
    let mut cmd = Command::cargo_bin("darwinix").unwrap();
    let joined = std::env::join_paths(search).unwrap();
    cmd.env("DARWINIX_HOME", home)
        .env("DARWINIX_PYTHON_SEARCH_PATH", joined);
    cmd
}

pub fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(out)))
}

/// Every line of `out` as a JSON event.
pub fn json_lines(out: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(out)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| json(l.as_bytes()))
        .collect()
}

pub fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// A real Python 3 on this machine, resolved to its file.
pub fn real_python() -> PathBuf {
    let path = std::env::var_os("PATH").unwrap();
    std::env::split_paths(&path)
        .filter(|d| !d.ends_with("shims"))
        .map(|d| d.join("python3"))
        .find(|p| p.is_file())
        .expect("the tests need a python3 on PATH")
        .canonicalize()
        .unwrap()
}

/// A folder holding only a link to the real Python.
pub fn dir_with_real_python(parent: &Path) -> PathBuf {
    let dir = parent.join("real bin ünïcode");
    std::fs::create_dir_all(&dir).unwrap();
    symlink(real_python(), dir.join("python3")).unwrap();
    dir
}

/// A folder with a uv that Darwinix itself fetched from PyPI, once per test run: this is the
/// real bootstrap path, and the other tests then need no network for uv.
pub fn shared_uv_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("shared-uv");
        let home = root.join("home");
        let uv_bin = home.join("data/tools/uv/bin");
        if !uv_bin.join("uv").is_file() {
            let project = root.join("bootstrap-project");
            std::fs::create_dir_all(&project).unwrap();
            std::fs::write(project.join("requirements.txt"), "# nothing\n").unwrap();
            let pybin = root.join("pybin");
            if !pybin.exists() {
                std::fs::create_dir_all(&pybin).unwrap();
                symlink(real_python(), pybin.join("python3")).unwrap();
            }
            // Its setup makes the shared runtime too, from this folder's lasting Python.
            std::fs::create_dir_all(shared_runtimes_dir()).unwrap();
            link_shared_runtimes(&home, &shared_runtimes_dir());
            darwinix_own_runtimes(&home, &[&pybin])
                .arg("setup")
                .arg(&project)
                .assert()
                .success();
        }
        assert!(
            uv_bin.join("uv").is_file(),
            "bootstrap left no uv in {}",
            uv_bin.display()
        );
        uv_bin
    })
}

/// A project with JupyterLab installed (minimal template), set up once per test run with the
/// shared uv. Servers for it are told apart by each test's own DARWINIX_HOME.
pub fn shared_jupyter_project() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("shared-jupyter");
        let project = root.join("Notebooks ü");
        let home = root.join("home");
        std::fs::create_dir_all(&root).unwrap();
        let pybin = root.join("pybin");
        if !pybin.exists() {
            std::fs::create_dir_all(&pybin).unwrap();
            symlink(real_python(), pybin.join("python3")).unwrap();
        }
        darwinix(&home, &[&pybin, shared_uv_dir()])
            .arg("new")
            .arg(&project)
            .args(["--template", "minimal"])
            .assert()
            .success();
        darwinix(&home, &[&pybin, shared_uv_dir()])
            .arg("setup")
            .arg(&project)
            .assert()
            .success();
        project
    })
}

/// A test's own world: a temp folder holding DARWINIX_HOME, with a real Python and the shared
/// uv as the only places to search.
pub struct Sandbox {
    pub tmp: TempDir,
    pub pybin: PathBuf,
}

impl Sandbox {
    pub fn new() -> Self {
        let tmp = TempDir::new().unwrap();
        let pybin = dir_with_real_python(tmp.path());
        Self { tmp, pybin }
    }

    pub fn home(&self) -> PathBuf {
        self.tmp.path().join("home")
    }

    pub fn cmd(&self) -> Command {
        darwinix(&self.home(), &[&self.pybin, shared_uv_dir()])
    }

    /// Runs `darwinix ARGS` twice at the same time (for the one-at-a-time locks).
    pub fn twice_at_once(&self, args: &[&OsStr]) -> (Output, Output) {
        self.both_at_once(args, args)
    }

    /// Runs `darwinix A` and `darwinix B` at the same time.
    pub fn both_at_once(&self, a: &[&OsStr], b: &[&OsStr]) -> (Output, Output) {
        let spawn = |args: &[&OsStr]| {
            let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("darwinix"));
            let search = std::env::join_paths([self.pybin.as_path(), shared_uv_dir()]).unwrap();
            cmd.env("DARWINIX_HOME", self.home())
                .env("DARWINIX_PYTHON_SEARCH_PATH", search)
                .args(args);
            cmd.stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn(a), spawn(b));
        (a.wait_with_output().unwrap(), b.wait_with_output().unwrap())
    }
}

/// Processes below `root` (by parent links in /proc).
pub fn descendants(root: u32) -> Vec<u32> {
    let parent_of = |pid: u32| -> Option<u32> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        stat.rsplit_once(')')?
            .1
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()
    };
    let all: Vec<u32> = std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .collect();
    all.into_iter()
        .filter(|&pid| {
            let mut p = pid;
            for _ in 0..32 {
                match parent_of(p) {
                    Some(parent) if parent == root => return true,
                    Some(parent) if parent > 1 => p = parent,
                    _ => return false,
                }
            }
            false
        })
        .collect()
}

/// A live process: a zombie (waiting for a parent that is not this test) counts as dead.
pub fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        // The state is the first field after the command's `(name)`.
        stat.rsplit(')')
            .next()
            .and_then(|r| r.split_whitespace().next())
            != Some("Z")
    })
}

pub fn cmdline(pid: u32) -> String {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .map(|b| String::from_utf8_lossy(&b).replace('\0', " "))
        .unwrap_or_default()
}

/// Starts a kernel on the server at `port` (through its REST API, with `token`) and returns that
/// kernel's environment (`NAME=value` lines), found among the descendants of `pid`.
pub fn kernel_environ(pid: u32, port: u16, token: &str) -> String {
    use std::time::{Duration, Instant};
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let code = runtime
        .block_on(darwinix_core::jupyter::http::status(
            port,
            "POST",
            "/api/kernels",
            Some(token),
            Duration::from_secs(30),
        ))
        .unwrap();
    assert_eq!(code, 201, "starting a kernel");
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
pub fn run_code(python: &Path, port: u16, token: &str, code: &str) -> serde_json::Value {
    use std::io::Write;
    let ask = serde_json::json!({
        "url": format!("http://127.0.0.1:{port}"),
        "token": token,
        "code": code,
    });
    let mut child = std::process::Command::new(python)
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/kernel/run_code.py"))
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

/// `platform.python_version()` of an interpreter.
pub fn python_version(python: &Path) -> String {
    let out = std::process::Command::new(python)
        .args(["-c", "import platform; print(platform.python_version())"])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The token of a project's running server, from `darwinix open --print-url`.
pub fn server_token(cmd: &mut Command, project: &Path) -> String {
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

/// The registry entry (with the token) of the one server running under DARWINIX_HOME `home`.
pub fn server_entry(home: &Path) -> Value {
    let dir = home.join("data/servers");
    let file = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .find(|f| f.path().extension().is_some_and(|e| e == "json"))
        .unwrap();
    json(&std::fs::read(file.path()).unwrap())
}

/// `src` seen read-only at `dst` (a read-only bind mount: permission bits do not stop root, and
/// CI runs as root), for as long as the value lives. Where bind mounts are not allowed the
/// test fails and says why: a skipped check would look like a passed one.
pub struct ReadOnlyView(PathBuf);

impl ReadOnlyView {
    pub fn of(src: &Path, dst: &Path) -> Self {
        std::fs::create_dir_all(dst).unwrap();
        let run = |args: &[&OsStr]| {
            std::process::Command::new("mount")
                .args(args)
                .status()
                .is_ok_and(|s| s.success())
        };
        assert!(
            run(&["--bind".as_ref(), src.as_os_str(), dst.as_os_str()]),
            "this test needs a read-only bind mount: run the tests as root, as `./dev test` in CI does"
        );
        let view = Self(dst.to_path_buf());
        let ro = run(&["-o".as_ref(), "remount,bind,ro".as_ref(), dst.as_os_str()]);
        assert!(ro, "could not make the bind mount read-only");
        view
    }
}

impl Drop for ReadOnlyView {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}
