//! The browser hand-off end to end, against a real JupyterLab: a stand-in browser that behaves
//! like a confined one (snap/Flatpak: no files in hidden folders of $HOME, in /tmp or outside
//! $HOME) and whose first window stays in the foreground; sign-in links used, expired and
//! unknown; notebooks opened by path; the token on no command line during the whole flow.
//! (Loading the links in real Chromium is tests/browser/handoff.test.mjs.)
#![cfg(target_os = "linux")]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use darwinix_testkit::{
    alive, http, json, kernel_environ, shared_jupyter_project, Reply, TestContext,
    CONFINED_BROWSER, RECORDING_BROWSER,
};
use serde_json::Value;

/// A context whose browser runs `body`.
fn world(body: &str) -> TestContext {
    TestContext::new()
        .with_browser(body)
        .with_timeout(Duration::from_secs(300))
}

/// Whether a reply sets JupyterLab's login cookie (`username-…`; `_xsrf` may come with any page).
fn logs_in(reply: &Reply) -> bool {
    reply
        .headers
        .iter()
        .any(|(k, v)| k == "set-cookie" && v.starts_with("username-"))
}

/// `name=value` of the login cookie (`username-…`) a reply sets.
fn cookie(reply: &Reply) -> String {
    let set = reply
        .headers
        .iter()
        .filter(|(k, _)| k == "set-cookie")
        .map(|(_, v)| v)
        .find(|v| v.starts_with("username-"))
        .expect("a login cookie is set");
    set.split(';').next().unwrap().to_string()
}

/// Every command line seen while it runs, sampled every few milliseconds.
struct CmdlineWatch {
    stop: Arc<AtomicBool>,
    seen: Arc<Mutex<BTreeSet<String>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl CmdlineWatch {
    fn start() -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let seen = Arc::new(Mutex::new(BTreeSet::new()));
        let (s, seen2) = (stop.clone(), seen.clone());
        let thread = std::thread::spawn(move || {
            while !s.load(Ordering::SeqCst) {
                for e in std::fs::read_dir("/proc").unwrap().flatten() {
                    if let Ok(c) = std::fs::read(e.path().join("cmdline")) {
                        seen2
                            .lock()
                            .unwrap()
                            .insert(String::from_utf8_lossy(&c).replace('\0', " "));
                    }
                }
                std::thread::sleep(Duration::from_millis(5));
            }
        });
        Self {
            stop,
            seen,
            thread: Some(thread),
        }
    }
    fn finish(mut self) -> BTreeSet<String> {
        self.stop.store(true, Ordering::SeqCst);
        self.thread.take().unwrap().join().unwrap();
        std::mem::take(&mut *self.seen.lock().unwrap())
    }
}

#[test]
fn a_confined_foreground_browser_gets_a_sign_in_link_and_is_left_running() {
    let w = world(CONFINED_BROWSER);
    let watch = CmdlineWatch::start();
    let project = shared_jupyter_project().as_os_str();
    w.ok(["start".as_ref(), project, "--no-browser".as_ref()]);
    // The server runs; opening it must not wait for the browser, which stays in the foreground.
    let before = Instant::now();
    let out = w.ok(["open".as_ref(), project]);
    let took = before.elapsed();
    let seen = watch.finish();
    assert!(
        took < Duration::from_secs(10),
        "`open` waited {took:?} for a browser that stays open"
    );
    let calls = w.browser_calls();
    assert_eq!(calls.len(), 1, "{calls:?}");
    let (browser_pid, link) = &calls[0];
    assert!(alive(*browser_pid), "the user's browser was closed");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("/lab"), "{stdout}");

    // What it was handed is an address on the server, not a file, and carries no token.
    let entry = w.server_entry();
    let (port, token) = (
        entry["port"].as_u64().unwrap(),
        entry["token"].as_str().unwrap(),
    );
    let prefix = format!("http://127.0.0.1:{port}/darwinix/login/");
    assert!(link.starts_with(&prefix), "{link}");
    assert!(!link.contains(token));
    let leaked: Vec<_> = seen.iter().filter(|c| c.contains(token)).collect();
    assert!(
        leaked.is_empty(),
        "the token was on a command line: {leaked:?}"
    );

    // The link logs in once: JupyterLab's cookie, then JupyterLab.
    let first = http(link, "GET", &[], "");
    assert_eq!(first.status, 302, "{}", first.body);
    assert_eq!(first.header("location"), Some("/lab"));
    let cookie = cookie(&first);
    let api = format!("http://127.0.0.1:{port}/api/contents");
    assert_eq!(http(&api, "GET", &[("Cookie", &cookie)], "").status, 200);
    assert_eq!(
        http(&api, "GET", &[], "").status,
        403,
        "the cookie is what logs in"
    );
    let lab = http(
        &format!("http://127.0.0.1:{port}/lab"),
        "GET",
        &[("Cookie", &cookie)],
        "",
    );
    assert_eq!(lab.status, 200, "JupyterLab itself, not a token prompt");

    // Used: a page that says so, not a login.
    let again = http(link, "GET", &[], "");
    assert_eq!(again.status, 403);
    assert!(again.body.contains("already been used"), "{}", again.body);
    assert!(!logs_in(&again));
    assert!(
        !again.body.contains("token"),
        "no token prompt: {}",
        again.body
    );
    // The same link in the browser that used it just leads on.
    let logged_in = http(link, "GET", &[("Cookie", &cookie)], "");
    assert_eq!(
        (logged_in.status, logged_in.header("location")),
        (302, Some("/lab"))
    );

    // The ordinary token address still works (Copy link, `open --print-url`).
    let printed = w.ok(["open".as_ref(), "--print-url".as_ref(), project]);
    let url = String::from_utf8_lossy(&printed.stdout).trim().to_string();
    assert_eq!(url, format!("http://127.0.0.1:{port}/lab?token={token}"));
    assert_eq!(http(&url, "GET", &[], "").status, 200);
}

#[test]
fn expired_unknown_and_foreign_links_are_refused_with_a_page() {
    let w = world(RECORDING_BROWSER);
    let project = shared_jupyter_project().as_os_str();
    // The user's own Jupyter configuration path is kept for them.
    let out = w
        .cmd()
        .env("JUPYTER_CONFIG_PATH", "/nonexistent/my-jupyter-config")
        .args(["start".as_ref(), project, "--no-browser".as_ref()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let entry = w.server_entry();
    let (port, token) = (
        entry["port"].as_u64().unwrap(),
        entry["token"].as_str().unwrap(),
    );
    let base = format!("http://127.0.0.1:{port}");
    let auth = format!("token {token}");
    let ask = |body: &str, auth: Option<&str>| {
        let mut headers = vec![("Content-Type", "application/json")];
        if let Some(a) = auth {
            headers.push(("Authorization", a));
        }
        http(
            &format!("{base}/darwinix/login-links"),
            "POST",
            &headers,
            body,
        )
    };
    let new_link = || {
        let answer: Value = serde_json::from_str(&ask("{}", Some(&auth)).body).unwrap();
        format!("{base}{}", answer["path"].as_str().unwrap())
    };

    // Only whoever holds the token gets links.
    assert_eq!(ask("{}", None).status, 403);
    // A link that outlives its life (asked for with one second; Darwinix's own last a minute).
    let short = ask(r#"{"lifetime": 1}"#, Some(&auth));
    assert_eq!(short.status, 200, "{}", short.body);
    let answer: Value = serde_json::from_str(&short.body).unwrap();
    assert_eq!(answer["expires_in"], 1);
    let normal: Value =
        serde_json::from_str(&ask(r#"{"lifetime": 3600}"#, Some(&auth)).body).unwrap();
    assert_eq!(normal["expires_in"], 60.0, "never longer than a minute");
    // Nothing to poll for: asking for the link would use it up (it logs in once). Its life
    // is over after the second it was given.
    std::thread::sleep(Duration::from_millis(1500));
    let late = http(
        &format!("{base}{}", answer["path"].as_str().unwrap()),
        "GET",
        &[],
        "",
    );
    assert_eq!(late.status, 403);
    assert!(late.body.contains("expired"), "{}", late.body);
    assert!(!logs_in(&late));
    // One that never was (or from before a restart).
    let unknown = http(&format!("{base}/darwinix/login/0123abcd"), "GET", &[], "");
    assert_eq!(unknown.status, 403);
    assert!(unknown.body.contains("not valid"), "{}", unknown.body);
    assert!(
        unknown.body.contains("Open in browser"),
        "it says what to click"
    );
    // Links lead only inside the server's root.
    assert_eq!(ask(r#"{"path": "../etc/passwd"}"#, Some(&auth)).status, 400);
    assert_eq!(ask(r#"{"path": "/etc/passwd"}"#, Some(&auth)).status, 400);
    assert_eq!(ask(r#"{"path": "..notes.ipynb"}"#, Some(&auth)).status, 200);
    // A page of another site (DNS rebinding: another Host) gets nothing.
    let link = new_link();
    let rebound = http(&link, "GET", &[("Host", "evil.example")], "");
    assert_eq!(rebound.status, 403);
    assert!(!logs_in(&rebound));
    let login = http(&link, "GET", &[], "");
    assert_eq!(
        login.status, 302,
        "the refused request did not spend the link"
    );
    // A logged-in browser's cookie does not let another site ask for links.
    let foreign = http(
        &format!("{base}/darwinix/login-links"),
        "POST",
        &[
            ("Cookie", &cookie(&login)),
            ("Origin", "http://evil.example"),
        ],
        "{}",
    );
    assert!(matches!(foreign.status, 403 | 404), "{}", foreign.status);

    // Another account on this computer can read the browser's command line: the link is
    // refused to its connections, and stays good for the user's browser.
    if nobody_can_run() {
        let link = new_link();
        let theirs = std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .args(["/usr/bin/python3", "-c"])
            .arg("import sys, urllib.request as u\ntry:\n  u.urlopen(sys.argv[1])\nexcept u.HTTPError as e:\n  print(e.code, e.read().decode())")
            .arg(&link)
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&theirs.stdout);
        let err = String::from_utf8_lossy(&theirs.stderr);
        assert!(said.starts_with("403"), "{said}{err}");
        assert!(said.contains("another user"), "{said}");
        assert_eq!(http(&link, "GET", &[], "").status, 302);
    }

    // Kernels get the user's configuration path back, not Darwinix's folder.
    let pid = entry["pid"].as_u64().unwrap() as u32;
    let environ = kernel_environ(pid, port as u16, token);
    let config: Vec<&str> = environ
        .lines()
        .filter(|l| l.starts_with("JUPYTER_CONFIG_PATH="))
        .collect();
    assert_eq!(
        config,
        ["JUPYTER_CONFIG_PATH=/nonexistent/my-jupyter-config"]
    );
}

/// Whether this test may act as another user (`nobody`): it runs as root with `setpriv`.
#[allow(clippy::print_stderr)]
fn nobody_can_run() -> bool {
    let root = std::fs::metadata("/proc/self").is_ok_and(|m| {
        use std::os::unix::fs::MetadataExt;
        m.uid() == 0
    });
    let ok = root
        && std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "true"])
            .status()
            .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("not root (or no setpriv): the other-account check is left out");
    }
    ok
}

/// A notebook with a space and a non-ASCII letter in its folder, inside the shared project.
fn notebook_in(project: &Path) -> PathBuf {
    let dir = project.join("my notes ü");
    std::fs::create_dir_all(&dir).unwrap();
    let nb = dir.join("analysis.ipynb");
    std::fs::write(
        &nb,
        r#"{"cells": [{"cell_type": "code", "execution_count": null, "id": "a1", "metadata": {}, "outputs": [], "source": ["print(6 * 7)"]}], "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}, "nbformat": 4, "nbformat_minor": 5}"#,
    )
    .unwrap();
    nb
}

#[test]
fn start_with_a_notebook_opens_that_notebook() {
    let w = world(RECORDING_BROWSER);
    let nb = notebook_in(shared_jupyter_project());
    let out = w.ok(["start".as_ref(), nb.as_os_str(), "--json".as_ref()]);
    let server = json(&out.stdout);
    let port = server["port"].as_u64().unwrap();
    let expected = format!("http://127.0.0.1:{port}/lab/tree/my%20notes%20%C3%BC/analysis.ipynb");
    assert_eq!(server["notebook_url"], expected.as_str());
    assert_eq!(
        Path::new(server["dir"].as_str().unwrap()),
        shared_jupyter_project().canonicalize().unwrap(),
        "the project is the folder above with requirements.txt"
    );
    let calls = w.browser_calls();
    assert_eq!(calls.len(), 1);
    let login = http(&calls[0].1, "GET", &[], "");
    assert_eq!(login.status, 302);
    assert_eq!(
        login.header("location"),
        Some("/lab/tree/my%20notes%20%C3%BC/analysis.ipynb")
    );
    // The server serves that file to whoever logged in with the link.
    let contents =
        format!("http://127.0.0.1:{port}/api/contents/my%20notes%20%C3%BC/analysis.ipynb");
    let file = http(&contents, "GET", &[("Cookie", &cookie(&login))], "");
    assert_eq!(file.status, 200);
    assert!(file.body.contains("print(6 * 7)"));

    // `open NOTEBOOK` on the running server, and the recent notebooks remember it.
    w.ok(["open".as_ref(), nb.as_os_str()]);
    assert_eq!(w.browser_calls().len(), 2);
    let recent = std::fs::read_to_string(w.home().join("config/recent.json")).unwrap();
    assert!(recent.contains("analysis.ipynb"), "{recent}");
    // Not a notebook, not there: clear errors.
    let txt = shared_jupyter_project().join("requirements.txt");
    let bad = w.cmd().arg("start").arg(&txt).output().unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("a folder or a notebook"));
}

#[test]
fn a_browser_that_cannot_start_is_reported_with_the_link_not_the_token() {
    let w = world("echo 'no display here' >&2; exit 3");
    let project = shared_jupyter_project().as_os_str();
    let out = w.ok(["start".as_ref(), project]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let token = w.server_entry()["token"].as_str().unwrap().to_string();
    assert!(stderr.contains("could not open a browser"), "{stderr}");
    assert!(
        stderr.contains("exited with 3") && stderr.contains("no display here"),
        "{stderr}"
    );
    assert!(
        stderr.contains("/darwinix/login/"),
        "the sign-in link is printed: {stderr}"
    );
    // Quoted for the shell: the folder's name has a space.
    let again = format!(
        "`darwinix open '{}'` makes a new one",
        shared_jupyter_project().display()
    );
    assert!(
        stderr.contains(&again),
        "the command to try again names the project, so it works from anywhere: {stderr}"
    );
    let all = format!("{stderr}{}", String::from_utf8_lossy(&out.stdout));
    assert!(
        !all.contains(&token),
        "the token is printed only when asked for"
    );
    // A missing browser program is the same kind of answer, at once.
    let w2 = world("true");
    let out = w2
        .cmd()
        .env("DARWINIX_BROWSER", "/nonexistent/browser")
        .args(["start".as_ref(), project])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/browser"));
}
