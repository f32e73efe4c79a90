//! Packages without a terminal, end to end: real uv and a real package index this test serves
//! itself on 127.0.0.1 (PEP 503, with wheels and a source package whose build fails, made by
//! `tests/packages/make_index.py`) for every case, and PyPI for one small real package with a
//! running JupyterLab.
#![cfg(target_os = "linux")]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Command as StdCommand;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use darwinix_testkit::{json, json_lines, shared_uv_dir, ReadOnlyView, TestContext};
use serde_json::Value;
use tempfile::TempDir;

/// A package index on 127.0.0.1, served from a folder made by `make_index.py`.
struct Index {
    url: String,
    stop: Arc<AtomicBool>,
    _dir: TempDir,
}

impl Index {
    fn start() -> Self {
        let dir = TempDir::new().unwrap();
        let script =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/packages/make_index.py");
        let made = StdCommand::new("python3")
            .arg(script)
            .arg(dir.path())
            .status()
            .unwrap();
        assert!(made.success());
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}/simple", listener.local_addr().unwrap());
        let stop = Arc::new(AtomicBool::new(false));
        let (root, stopped) = (dir.path().to_path_buf(), stop.clone());
        std::thread::spawn(move || {
            while !stopped.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => serve(stream, &root),
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        Self {
            url,
            stop,
            _dir: dir,
        }
    }
}

impl Drop for Index {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// One GET: `/simple/NAME/` is that page, `/files/F` that file, anything else 404.
fn serve(mut stream: TcpStream, root: &Path) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    let text = String::from_utf8_lossy(&request);
    let path = text.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split('?').next().unwrap_or("/");
    let file = match path.trim_start_matches('/').split('/').collect::<Vec<_>>()[..] {
        ["simple", name, ..] => root.join("simple").join(name).join("index.html"),
        ["files", name] => root.join("files").join(name),
        _ => root.join("none"),
    };
    let answer = match std::fs::read(&file) {
        Ok(body) => {
            let kind = if file.extension().is_some_and(|e| e == "html") {
                "text/html"
            } else {
                "application/octet-stream"
            };
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            [head.into_bytes(), body].concat()
        }
        Err(_) => {
            b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec()
        }
    };
    let _ = stream.write_all(&answer);
}

const FILE: &str = "# Course packages\n\n# always\ndarwinix-demo-c  # small\n";

/// A project set up from this test's own index, as the folder commands run in; the index lives
/// as long as the value.
fn world() -> (TestContext, Index) {
    let index = Index::start();
    let w = TestContext::new();
    let project = w.project("cours é", FILE);
    let w = w.with_cwd(&project);
    use_index(&w, &index.url);
    w.ok(["setup", project.to_str().unwrap()]);
    (w, index)
}

/// Settings → Package index.
fn use_index(w: &TestContext, url: &str) {
    let config = w.home().join("config");
    std::fs::create_dir_all(&config).unwrap();
    let settings = serde_json::json!({ "index_url": url });
    std::fs::write(config.join("settings.json"), settings.to_string()).unwrap();
}

/// A change that must work: its `changed` event.
fn change(w: &TestContext, args: &[&str]) -> Value {
    let out = w.cmd().args(args).arg("--json").output().unwrap();
    let events = json_lines(&out.stdout);
    assert!(out.status.success(), "{args:?}: {events:?}");
    let last = events.last().unwrap().clone();
    assert_eq!(last["event"], "changed", "{events:?}");
    last["data"].clone()
}

/// A change that must be refused: what it said.
fn refused(w: &TestContext, args: &[&str]) -> String {
    let out = w.run(args);
    assert_eq!(out.status.code(), Some(1), "{args:?} was not refused");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The project's requirements.txt.
fn file(w: &TestContext) -> String {
    std::fs::read_to_string(w.cwd().join("requirements.txt")).unwrap()
}

/// `name version kind` of every installed package.
fn installed(w: &TestContext) -> Vec<(String, String, String)> {
    json(&w.ok(["packages", "--json"]).stdout)["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let s = |k: &str| p[k].as_str().unwrap().to_string();
            (s("name"), s("version"), s("kind"))
        })
        .collect()
}

fn has(w: &TestContext, name: &str, version: &str, kind: &str) -> bool {
    installed(w)
        .iter()
        .any(|(n, v, k)| n == name && v == version && k == kind)
}

fn p(name: &str, version: &str, kind: &str) -> (String, String, String) {
    (name.into(), version.into(), kind.into())
}

#[test]
fn packages_are_added_updated_and_removed_in_the_file_and_the_environment() {
    let (w, index) = world();
    let changed = change(&w, &["add", "darwinix-demo-a==1.0"]);
    assert_eq!(changed["file_changed"], true);
    assert_eq!(changed["restart_kernels"], false);
    assert_eq!(file(&w), format!("{FILE}darwinix-demo-a==1.0\n"));
    assert_eq!(
        installed(&w),
        [
            p("darwinix-demo-a", "1.0", "requested"),
            p("darwinix-demo-b", "1.0", "pulled_in"),
            p("darwinix-demo-c", "1.0", "requested"),
        ]
    );

    // An exact pin is rewritten to the newest version.
    change(&w, &["update", "darwinix-demo-a"]);
    assert_eq!(file(&w), format!("{FILE}darwinix-demo-a==2.0\n"));
    assert!(has(&w, "darwinix-demo-a", "2.0", "requested"));

    // What only it needed goes with it; the file is as it was, comments and all.
    change(&w, &["remove", "darwinix-demo-a"]);
    assert_eq!(file(&w), FILE);
    assert_eq!(installed(&w), [p("darwinix-demo-c", "1.0", "requested")]);

    // Installed behind Darwinix's back: shown as such; `add` keeps it, `remove` takes it out.
    let python = w.cwd().join(".venv/bin/python");
    let by_hand = StdCommand::new(shared_uv_dir().join("uv"))
        .args(["pip", "install", "--python"])
        .arg(&python)
        .args(["--index-url", &index.url, "darwinix-demo-a==1.0"])
        .status()
        .unwrap();
    assert!(by_hand.success());
    assert!(has(&w, "darwinix-demo-a", "1.0", "not_in_project"));
    assert!(has(&w, "darwinix-demo-b", "1.0", "pulled_in"));
    change(&w, &["remove", "darwinix-demo-a"]);
    assert_eq!(
        file(&w),
        FILE,
        "a package installed by hand is not in the file"
    );
    assert_eq!(installed(&w), [p("darwinix-demo-c", "1.0", "requested")]);

    // A package the others need stays installed when it leaves the file, and that is said.
    change(&w, &["add", "darwinix-demo-b", "darwinix-demo-a"]);
    let out = w.run(["remove", "darwinix-demo-b"]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(
        said.contains("darwinix-demo-b stays installed: darwinix-demo-a needs it"),
        "{said}"
    );
    assert_eq!(file(&w), format!("{FILE}darwinix-demo-a\n"));
    assert!(has(&w, "darwinix-demo-b", "1.0", "pulled_in"));

    let found = w.run(["search", "darwinix-demo-a", "--json"]);
    let found = json(&found.stdout);
    assert_eq!(found["latest"], "2.0");
    assert_eq!(found["versions"], serde_json::json!(["1.0", "2.0"]));
}

#[test]
fn what_cannot_be_done_is_said_and_nothing_changes() {
    let (w, index) = world();
    let before = installed(&w);
    let unchanged = |said: &str| {
        assert_eq!(file(&w), FILE, "the file changed: {said}");
        assert_eq!(installed(&w), before, "the environment changed: {said}");
    };
    let said = refused(&w, &["add", "darwinix-no-such-package"]);
    assert!(
        said.contains("no package called `darwinix-no-such-package`"),
        "{said}"
    );
    unchanged(&said);
    let said = refused(&w, &["add", "darwinix-demo-a==9.0"]);
    assert!(
        said.contains("has no version ==9.0 (the newest is 2.0)"),
        "{said}"
    );
    unchanged(&said);
    let said = refused(&w, &["add", "darwinix-demo-a>>2"]);
    assert!(said.contains("not a package name"), "{said}");
    unchanged(&said);
    let said = refused(&w, &["remove", "numpy"]);
    assert!(said.contains("not one of the packages"), "{said}");
    unchanged(&said);

    // The build fails: the file and the environment are put back as they were.
    let said = refused(&w, &["add", "darwinix-broken", "darwinix-demo-a"]);
    assert!(said.contains("does not build, on purpose"), "{said}");
    assert!(said.contains("were put back as they were"), "{said}");
    unchanged(&said);

    // The index cannot be reached (a port nothing listens on).
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    use_index(&w, &format!("http://{closed}/simple"));
    let said = refused(&w, &["add", "darwinix-demo-a"]);
    assert!(said.contains("could not be reached"), "{said}");
    use_index(&w, &index.url);
    unchanged(&said);

    // A file Darwinix cannot edit safely is left alone.
    let hashed = "darwinix-demo-c==1.0 \\\n    --hash=sha256:0000000000000000000000000000000000000000000000000000000000000000\n";
    std::fs::write(w.cwd().join("requirements.txt"), hashed).unwrap();
    let said = refused(&w, &["add", "darwinix-demo-a"]);
    assert!(
        said.contains("cannot change") && said.contains("--hash"),
        "{said}"
    );
    assert_eq!(file(&w), hashed);
}

#[test]
fn two_changes_at_once_both_land() {
    let (w, _index) = world();
    let dir = w.cwd().as_os_str();
    let (one, two) = w.both_at_once(
        &[
            "add".as_ref(),
            "darwinix-demo-a".as_ref(),
            "--project".as_ref(),
            dir,
        ],
        &[
            "add".as_ref(),
            "darwinix-demo-b".as_ref(),
            "--project".as_ref(),
            dir,
        ],
    );
    assert!(one.status.success() && two.status.success());
    let file = file(&w);
    assert!(
        file.starts_with(FILE)
            && file.contains("\ndarwinix-demo-a\n")
            && file.contains("\ndarwinix-demo-b\n"),
        "{file}"
    );
    assert!(has(&w, "darwinix-demo-a", "2.0", "requested"));
}

/// A read-only project folder (a read-only bind mount: CI runs as root) is refused first.
#[test]
fn a_read_only_project_is_refused_before_anything_changes() {
    let (w, _index) = world();
    let mnt = w.root().join("read-only");
    let view = ReadOnlyView::of(w.cwd(), &mnt);
    let out = w
        .cmd()
        .args(["add", "darwinix-demo-a", "--project"])
        .arg(&mnt)
        .output()
        .unwrap();
    drop(view);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("is read-only"), "{said}");
    assert_eq!(file(&w), FILE);
}

/// PyTorch built for CUDA on a computer without an NVIDIA GPU (a stand-in wheel: see
/// make_index.py): after the install the check says so, on the command and on the project.
#[test]
fn a_gpu_framework_is_checked_after_the_install() {
    let (w, _index) = world();
    let out = w.run(["add", "torch"]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        said.contains("GPU: PyTorch was built for CUDA 12.4 but this computer has no NVIDIA GPU"),
        "{said}"
    );
    assert!(said.contains("Make GPU-ready"), "{said}");
    let doctor = w.run(["doctor", "--json", w.cwd().to_str().unwrap()]);
    let gpu = &json(&doctor.stdout)["project"]["gpu"][0];
    assert_eq!(gpu["built_for"], "CUDA 12.4");
    assert_eq!(gpu["usable"], false);
    // Without it, nothing is said or kept.
    change(&w, &["remove", "torch"]);
    let doctor = w.run(["doctor", "--json", w.cwd().to_str().unwrap()]);
    assert_eq!(
        json(&doctor.stdout)["project"]["gpu"],
        serde_json::json!([])
    );
}

/// A `pyproject.toml` project: its `[project] dependencies` change in place (comments kept);
/// a uv project changes through uv itself (`uv add`, `uv remove`), its lock made again.
#[test]
fn pyproject_projects_change_their_dependencies() {
    let (w, index) = world();
    let plain = w.root().join("plain");
    std::fs::create_dir_all(&plain).unwrap();
    let text = "[project]\nname = \"plain\"\nversion = \"0.1\"\ndependencies = [\n    \"darwinix-demo-c\",  # always\n]\n";
    std::fs::write(plain.join("pyproject.toml"), text).unwrap();
    let at = |dir: &Path, args: &[&str]| {
        let out = w
            .cmd()
            .args(args)
            .arg("--project")
            .arg(dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    at(&plain, &["add", "darwinix-demo-a==1.0"]);
    let now = std::fs::read_to_string(plain.join("pyproject.toml")).unwrap();
    assert_eq!(
        now,
        text.replace(
            "  # always\n",
            "  # always\n    \"darwinix-demo-a==1.0\",\n"
        )
    );
    assert!(plain.join(".venv").exists());
    at(&plain, &["remove", "darwinix-demo-a"]);
    assert_eq!(
        std::fs::read_to_string(plain.join("pyproject.toml")).unwrap(),
        text
    );

    let uv_project = w.root().join("uv project");
    std::fs::create_dir_all(&uv_project).unwrap();
    std::fs::write(
        uv_project.join("pyproject.toml"),
        "[project]\nname = \"uvp\"\nversion = \"0.1\"\nrequires-python = \">=3.9\"\ndependencies = [\"darwinix-demo-c\"]\n",
    )
    .unwrap();
    let locked = StdCommand::new(shared_uv_dir().join("uv"))
        .args(["lock", "--index-url", &index.url])
        .current_dir(&uv_project)
        .status()
        .unwrap();
    assert!(locked.success());
    at(&uv_project, &["add", "darwinix-demo-a"]);
    let project = std::fs::read_to_string(uv_project.join("pyproject.toml")).unwrap();
    let lock = std::fs::read_to_string(uv_project.join("uv.lock")).unwrap();
    assert!(project.contains("darwinix-demo-a"), "{project}");
    assert!(
        lock.contains("name = \"darwinix-demo-b\""),
        "uv locked what it needs: {lock}"
    );
    let listed = w
        .cmd()
        .args(["packages", "--json", "--project"])
        .arg(&uv_project)
        .output()
        .unwrap();
    let kinds: Vec<(String, String)> = json(&listed.stdout)["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().into(),
                p["kind"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(
        kinds.contains(&("darwinix-demo-a".into(), "requested".into())),
        "{kinds:?}"
    );
    // Updating goes through uv's lock too.
    at(&uv_project, &["update"]);
    at(&uv_project, &["remove", "darwinix-demo-a"]);
    let lock = std::fs::read_to_string(uv_project.join("uv.lock")).unwrap();
    assert!(!lock.contains("darwinix-demo-a"), "{lock}");
    let site = std::fs::read_dir(uv_project.join(".venv/lib"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    assert!(!site.join("site-packages/darwinix_demo_a").exists());
}

/// With the project's JupyterLab running, a change says its kernels need a restart, and the
/// server's API restarts them (what the app's Restart kernel button does).
#[test]
fn a_running_kernel_is_restarted_through_the_server() {
    let (w, _index) = world();
    let started = w.run(["start", "--no-browser", w.cwd().to_str().unwrap()]);
    assert!(
        started.status.success(),
        "{}",
        String::from_utf8_lossy(&started.stderr)
    );
    let result = std::panic::catch_unwind(|| {
        let entry = w.server_entry();
        let entry: darwinix_core::jupyter::Entry = serde_json::from_value(entry).unwrap();
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let made = runtime.block_on(darwinix_core::http::local::status(
            entry.port,
            "POST",
            "/api/kernels",
            Some(&entry.token),
            Duration::from_secs(60),
        ));
        assert_eq!(made.unwrap(), 201);
        let changed = change(&w, &["add", "darwinix-demo-c==1.0"]);
        assert_eq!(changed["restart_kernels"], true);
        let restarted = runtime
            .block_on(darwinix_core::jupyter::kernel::restart_all(&entry))
            .unwrap();
        assert_eq!(restarted, 1);
    });
    w.run(["stop", "--all"]);
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}

/// A listener on 127.0.0.1 that answers nothing and counts who connects: a host that must not
/// be asked.
struct Counter {
    at: std::net::SocketAddr,
    count: Arc<std::sync::atomic::AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl Counter {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let at = listener.local_addr().unwrap();
        let count = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (counted, stopped) = (count.clone(), stop.clone());
        std::thread::spawn(move || {
            while !stopped.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok(_) => _ = counted.fetch_add(1, Ordering::SeqCst),
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        Self { at, count, stop }
    }

    fn connections(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }
}

impl Drop for Counter {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// A version, extras list or marker holding a line break once wrote a line of its own into
/// requirements.txt (`--extra-index-url http://…/`, `-e .`) that uv then obeyed; a tab or an
/// escape is no part of a requirement either. `add` refuses each, naming the part and the
/// character (never printing it), before any host is asked: requirements.txt stays byte for
/// byte as it was, and neither the index nor the address in the text gets a connection.
#[test]
fn a_requirement_holding_a_control_character_is_refused_before_anything() {
    let (w, _index) = world();
    let counter = Counter::start();
    use_index(&w, &format!("http://{}/simple", counter.at));
    let path = w.cwd().join("requirements.txt");
    let before = std::fs::read(&path).unwrap();
    let injected = format!("numpy\n--extra-index-url http://{}/", counter.at);
    let cases = [
        (
            injected.as_str(),
            "the version of `numpy` holds a line break (U+000A)",
        ),
        (
            "numpy[a\nb]",
            "the extras list of `numpy` holds a line break (U+000A)",
        ),
        (
            "numpy; python_version>'3'\n-e .",
            "the marker of `numpy` holds a line break (U+000A)",
        ),
        ("numpy\t==2", "the version of `numpy` holds a tab (U+0009)"),
        (
            "numpy==2\u{1b}[8m",
            "the version of `numpy` holds an escape character (U+001B)",
        ),
    ];
    for (requirement, want) in cases {
        let said = refused(&w, &["add", "darwinix-demo-a", requirement]);
        assert!(said.contains(want), "{requirement:?}: {said}");
        assert!(!said.contains('\u{1b}'), "{said:?}");
        assert!(said.contains("on one line"), "the fix is said: {said}");
        assert_eq!(std::fs::read(&path).unwrap(), before, "{requirement:?}");
    }
    let out = w.cmd().args(["add", &injected, "--json"]).output().unwrap();
    let events = json_lines(&out.stdout);
    let last = events.last().unwrap();
    assert_eq!(last["event"], "error", "{events:?}");
    assert_eq!(
        last["data"]["message"],
        "the version of `numpy` holds a line break (U+000A); nothing was changed"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(counter.connections(), 0, "a refused change asked a host");
}

/// `search` with an address reached any host, `search ''` answered, and `search ñ` ended in a
/// traceback called "could not be reached". Only a project name is searched now: anything else
/// is refused with what is wrong with it and no host gets a connection — the listener named in
/// the text and the index alike — while a name still reaches the index and is found.
#[test]
fn only_a_package_name_is_searched_and_nothing_else_is_asked() {
    let (w, index) = world();
    let counter = Counter::start();
    use_index(&w, &format!("http://{}/simple", counter.at));
    let letters = "names use only unaccented letters (a–z), digits, `.`, `-` and `_`";
    let not_a_name = |text: &str| format!("`{text}` is not a package name: {letters}");
    // The look-up once joined the text to the index's address, so a host without dots
    // (`localhost`, unlike `127.0.0.1`, whose dots became dashes) was asked instead of it.
    let to_counter = format!("http://localhost:{}/x", counter.at.port());
    let cases = [
        ("", "no package name was given".to_string()),
        ("ñ", not_a_name("ñ")),
        (to_counter.as_str(), not_a_name(&to_counter)),
        ("http://127.0.0.1:9/x", not_a_name("http://127.0.0.1:9/x")),
        ("../x", not_a_name("../x")),
        ("a b", not_a_name("a b")),
    ];
    for (text, want) in &cases {
        let said = refused(&w, &["search", text]);
        assert!(said.contains(want.as_str()), "{text:?}: {said}");
        assert!(
            !said.contains("reached") && !said.contains("Traceback"),
            "{said}"
        );
    }
    assert_eq!(counter.connections(), 0, "a refused search asked a host");

    // The listener does count: a name is asked of the index, which hangs up.
    let said = refused(&w, &["search", "darwinix-demo-a"]);
    assert!(said.contains("could not be reached"), "{said}");
    assert!(counter.connections() >= 1);
    use_index(&w, &index.url);
    let found = json(&w.ok(["search", "darwinix-demo-a", "--json"]).stdout);
    assert_eq!(found["latest"], "2.0");
}

/// The Install button's command: the package from the import table, the same editor and the
/// same undo as `add`; the project's own module and an unreachable index change nothing.
#[test]
fn a_missing_import_is_added_by_its_package_or_said_why_not() {
    let (w, _index) = world();
    std::fs::write(w.cwd().join("helpers.py"), "x = 1\n").unwrap();
    let offer = json(
        &w.ok(["package-for", "sklearn.linear_model", "--json"])
            .stdout,
    );
    assert_eq!(offer["module"], "sklearn");
    assert_eq!(offer["package"], "scikit-learn");
    assert_eq!(offer["file"], "requirements.txt");
    let offer = json(&w.ok(["package-for", "helpers", "--json"]).stdout);
    assert_eq!(offer["package"], Value::Null);
    let said = refused(&w, &["add", "--for-import", "helpers"]);
    assert!(said.contains("is a module of this project"), "{said}");
    assert_eq!(file(&w), FILE);

    // The index cannot be reached: said in words, the file as it was.
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    use_index(&w, &format!("http://{closed}/simple"));
    let out = w
        .cmd()
        .args(["add", "--for-import", "yaml", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let last = json_lines(&out.stdout).last().unwrap().clone();
    assert_eq!(last["event"], "error", "{last}");
    let message = last["data"]["message"].as_str().unwrap();
    assert!(message.contains("could not be reached"), "{message}");
    assert_eq!(file(&w), FILE);
}
