//! `darwinix disk`, `clean` and `uninstall --purge` on one real project (a real `.venv` made by
//! uv, the real shared runtime copied in with hard links), each figure checked against `du`,
//! and every file of the temporary world listed before and after each removal. Linux: it uses
//! GNU `du`, `cp -al` and /proc.
#![cfg(target_os = "linux")]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use darwinix_testkit::{alive, json, shared_runtimes, TestContext};
use serde_json::Value;

/// `du -sk PATH…` with `--exclude` patterns: the total in KiB.
fn du(paths: &[&Path], exclude: &[&Path]) -> u64 {
    let mut cmd = Command::new("du");
    cmd.arg("-sck");
    for e in exclude {
        cmd.arg(format!("--exclude={}", e.display()));
    }
    let out = cmd.args(paths).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let total = text.lines().last().expect("du prints a total");
    total.split_whitespace().next().unwrap().parse().unwrap()
}

/// `bytes` agrees with `du`'s KiB for `roots` folders (each may round up by one).
fn agrees(bytes: u64, du_k: u64, roots: u64, what: &str) {
    let ours = bytes.div_ceil(1024);
    assert!(
        ours <= du_k && du_k <= ours + roots,
        "{what}: darwinix says {bytes} bytes ({ours} KiB), du says {du_k} KiB"
    );
}

/// Every path under `root` with its size (folders as 0), links not followed.
fn listing(root: &Path) -> BTreeMap<PathBuf, u64> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(p) = stack.pop() {
        let Ok(meta) = std::fs::symlink_metadata(&p) else {
            continue;
        };
        out.insert(p.clone(), if meta.is_file() { meta.len() } else { 0 });
        if meta.is_dir() {
            stack.extend(std::fs::read_dir(&p).unwrap().flatten().map(|e| e.path()));
        }
    }
    out
}

fn gone(before: &BTreeMap<PathBuf, u64>, after: &BTreeMap<PathBuf, u64>) -> Vec<PathBuf> {
    before
        .keys()
        .filter(|p| !after.contains_key(*p))
        .cloned()
        .collect()
}

fn added(before: &BTreeMap<PathBuf, u64>, after: &BTreeMap<PathBuf, u64>) -> Vec<PathBuf> {
    after
        .keys()
        .filter(|p| !before.contains_key(*p))
        .cloned()
        .collect()
}

/// The project this test's world is made around.
fn project(w: &TestContext) -> PathBuf {
    w.root().join("My project ü")
}

fn uv_cache(w: &TestContext) -> PathBuf {
    w.root().join("uv cache")
}

fn user_home(w: &TestContext) -> PathBuf {
    w.root().join("user")
}

/// `darwinix` in this world: its own uv cache and user home (autostart, keyring file). The
/// world is made with the user's uv cache (`w.cmd()`): a cold one would download everything.
fn cmd(w: &TestContext) -> assert_cmd::Command {
    let mut c = w.cmd();
    let h = user_home(w);
    c.env("UV_CACHE_DIR", uv_cache(w))
        .env("HOME", &h)
        .env("XDG_CONFIG_HOME", h.join(".config"))
        .env("XDG_DATA_HOME", h.join(".local/share"))
        .env("XDG_CACHE_HOME", h.join(".cache"))
        .env("DARWINIX_CREDENTIALS", "file")
        .env("DARWINIX_BROWSER", "true")
        .timeout(Duration::from_secs(300));
    c
}

fn run_json(w: &TestContext, args: &[&str]) -> Value {
    let out = cmd(w).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "darwinix {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    json(&out.stdout)
}

/// `disk --json` once `du` of the project's `.venv` is steady (a bytecode warm-up may still be
/// writing into it right after a setup).
fn disk(w: &TestContext) -> Value {
    let venv = project(w).join(".venv");
    for _ in 0..20 {
        let before = du(&[&venv], &[]);
        let report = run_json(w, &["disk", "--json"]);
        if du(&[&venv], &[]) == before {
            return report;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    panic!(".venv kept changing");
}

/// One real project set up in a world whose runtimes folder is a real folder: hard-linked
/// copies of the shared runtime (current version), and a runtime of an "earlier release".
fn world() -> TestContext {
    let w = TestContext::new();
    let (project, uv_cache) = (project(&w), uv_cache(&w));
    std::fs::create_dir_all(user_home(&w)).unwrap();
    w.cmd()
        .arg("new")
        .arg(&project)
        .args(["--template", "minimal"])
        .assert()
        .success();
    w.cmd().arg("setup").arg(&project).assert().success();
    let runtimes = w.home().join("data/runtimes");
    std::fs::remove_file(&runtimes).expect("the shared runtimes' link");
    std::fs::create_dir(&runtimes).unwrap();
    for e in std::fs::read_dir(shared_runtimes()).unwrap().flatten() {
        if e.file_type().unwrap().is_dir() {
            let ok = Command::new("cp")
                .arg("-al")
                .arg(e.path())
                .arg(&runtimes)
                .status()
                .unwrap();
            assert!(ok.success());
        }
    }
    let old = runtimes.join("jupyterlab-0000000000-00000000");
    std::fs::create_dir_all(old.join("lib")).unwrap();
    std::fs::write(old.join("lib/big"), vec![3u8; 200_000]).unwrap();
    std::fs::write(runtimes.join("jupyterlab-0000000000-00000000.lock"), "").unwrap();
    // An old cache bucket, which `uv cache prune` removes.
    std::fs::create_dir_all(uv_cache.join("wheels-v0/x")).unwrap();
    std::fs::write(uv_cache.join("wheels-v0/x/old.whl"), vec![5u8; 300_000]).unwrap();
    // The app opened the project (what its recent list says).
    let recent = serde_json::json!({ "projects": [project], "notebooks": [] });
    std::fs::create_dir_all(w.home().join("config")).unwrap();
    std::fs::write(
        w.home().join("config/recent.json"),
        serde_json::to_vec(&recent).unwrap(),
    )
    .unwrap();
    w
}

fn bytes(v: &Value) -> u64 {
    v["bytes"].as_u64().unwrap()
}

fn check_figures(w: &TestContext, report: &Value) {
    let runtimes = report["runtimes"].as_array().unwrap();
    assert!(runtimes.len() >= 3, "{runtimes:?}");
    for r in runtimes {
        let path = PathBuf::from(r["path"].as_str().unwrap());
        agrees(bytes(r), du(&[&path], &[]), 1, &path.display().to_string());
        assert!(r["problems"].as_array().unwrap().is_empty());
    }
    let old: Vec<_> = runtimes.iter().filter(|r| r["current"] == false).collect();
    assert_eq!(old.len(), 1, "only the made-up one is old: {runtimes:?}");
    assert_eq!(old[0]["inUse"], false);
    assert!(runtimes
        .iter()
        .any(|r| r["kind"] == "jupyterlab" && r["current"] == true));
    assert!(bytes(&runtimes[0]) > 0);
    let cache = &report["uvCache"];
    assert_eq!(w.filter(cache["path"].as_str().unwrap()), "[TEMP]/uv cache");
    agrees(bytes(cache), du(&[&uv_cache(w)], &[]), 1, "uv cache");
    let home = w.home();
    let roots = ["data", "config", "cache"].map(|r| home.join(r));
    let roots: Vec<&Path> = roots.iter().map(PathBuf::as_path).collect();
    let own = du(&roots, &[&home.join("data/runtimes")]);
    agrees(bytes(&report["own"]), own, 3, "own data");
    let projects = report["projects"].as_array().unwrap();
    assert_eq!(projects.len(), 1, "{projects:?}");
    let p = &projects[0];
    assert_eq!(w.filter(p["dir"].as_str().unwrap()), "[TEMP]/My project ü");
    agrees(bytes(p), du(&[&project(w).join(".venv")], &[]), 1, ".venv");
    assert!(bytes(p) > 20_000, "a real environment: {}", bytes(p));
}

/// Sets the project's last opening back 100 days: its logs, its stamp, the app's record.
fn age(w: &TestContext, days: u64) {
    let at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        - days * 86_400;
    let stamp = project(w).join(".venv/darwinix-stamp.json");
    let logs: Vec<PathBuf> = std::fs::read_dir(w.home().join("data/logs"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    for f in logs.iter().chain([&stamp]) {
        let ok = Command::new("touch")
            .arg("-m")
            .arg("-d")
            .arg(format!("@{at}"))
            .arg(f)
            .status()
            .unwrap();
        assert!(ok.success());
    }
}

#[test]
fn disk_clean_and_purge_on_a_real_project() {
    let w = world();
    let report = disk(&w);
    check_figures(&w, &report);
    assert_eq!(report["projects"][0]["stale"], false);

    age(&w, 100);
    let aged = run_json(&w, &["disk", "--json"]);
    assert_eq!(aged["projects"][0]["stale"], true, "{}", aged["projects"]);
    let table = cmd(&w).arg("disk").output().unwrap();
    let table = String::from_utf8_lossy(&table.stdout).into_owned();
    assert!(table.contains("not opened for 90 days"), "{table}");
    assert!(
        table.contains("My project ü") && table.contains("uv cache"),
        "{table}"
    );

    clean_removes_what_it_says(&w, &aged);
    rebuilt_then_purged(&w);
}

fn clean_removes_what_it_says(w: &TestContext, report: &Value) {
    let (project, uv_cache) = (project(w), uv_cache(w));
    let offer = cmd(w).arg("clean").output().unwrap();
    let offer = String::from_utf8_lossy(&offer.stdout).into_owned();
    assert!(
        offer.contains("--runtimes") && offer.contains("--stale-venvs"),
        "{offer}"
    );

    let root = w.root();
    let before = listing(root);
    let old = w
        .home()
        .join("data/runtimes/jupyterlab-0000000000-00000000");
    let venv = project.join(".venv");
    let cleaned = run_json(
        w,
        &[
            "clean",
            "--runtimes",
            "--uv-cache",
            "--stale-venvs",
            "--json",
        ],
    );
    let after = listing(root);
    let mut expected: Vec<PathBuf> = before
        .keys()
        .filter(|p| {
            p.starts_with(&old) || p.starts_with(&venv) || p.starts_with(uv_cache.join("wheels-v0"))
        })
        .cloned()
        .collect();
    expected.push(old.with_extension("lock"));
    expected.sort();
    assert_eq!(gone(&before, &after), expected, "exactly what it said");
    let new = added(&before, &after);
    assert!(
        new.iter().all(|p| p.starts_with(&uv_cache)),
        "nothing new outside uv's own cache files: {new:?}"
    );
    for (path, size) in before.iter().filter(|(p, _)| p.starts_with(&project)) {
        if !path.starts_with(&venv) {
            assert_eq!(
                after.get(path),
                Some(size),
                "{} is untouched",
                path.display()
            );
        }
    }
    let removed = cleaned["removed"].as_array().unwrap();
    assert_eq!(removed.len(), 3, "{removed:?}");
    let freed = |part: &str| {
        let r = removed
            .iter()
            .find(|r| r["path"].as_str().unwrap().contains(part));
        bytes(r.unwrap_or_else(|| panic!("{part} in {removed:?}")))
    };
    assert_eq!(freed(".venv"), bytes(&report["projects"][0]));
    assert!(freed("jupyterlab-0000000000") >= 200_000);
    assert!(freed("uv cache") >= 300_000);
    assert_eq!(
        cleaned["freed"].as_u64().unwrap(),
        removed.iter().map(bytes).sum::<u64>()
    );
}

/// The `.venv` is made again by the next setup; a running server's `.venv` is refused; the
/// purge stops that server, removes every folder of Darwinix's, the autostart entry and the
/// hub tokens, and leaves the project with its `.venv`.
fn rebuilt_then_purged(w: &TestContext) {
    let project = project(w);
    // Setup and start with the user's uv cache, as the world was made.
    w.cmd().arg("setup").arg(&project).assert().success();
    assert!(project.join(".venv/pyvenv.cfg").is_file(), "made again");
    let started = w
        .cmd()
        .arg("start")
        .arg(&project)
        .args(["--no-browser", "--json"])
        .timeout(Duration::from_secs(300))
        .output()
        .unwrap();
    assert!(
        started.status.success(),
        "{}",
        String::from_utf8_lossy(&started.stderr)
    );
    let pid = w.server_entry()["pid"].as_u64().unwrap() as u32;
    let refused = cmd(w)
        .args(["clean", "--venv"])
        .arg(&project)
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("darwinix stop"));
    assert!(project.join(".venv/pyvenv.cfg").is_file());

    let autostart = user_home(w).join(".config/autostart/Darwinix.desktop");
    std::fs::create_dir_all(autostart.parent().unwrap()).unwrap();
    std::fs::write(&autostart, "[Desktop Entry]\nName=Darwinix\n").unwrap();
    let hub = serde_json::json!({"hubs": [{"url": "https://hub.example.org/", "user": "ann", "storage": "file"}]});
    std::fs::write(w.home().join("config/hubs.json"), hub.to_string()).unwrap();
    std::fs::create_dir_all(w.home().join("config/private")).unwrap();
    std::fs::write(
        w.home().join("config/private/hub-tokens.json"),
        r#"{"https://hub.example.org/": "secret"}"#,
    )
    .unwrap();

    let before = listing(w.root());
    let preview = cmd(w).arg("uninstall").output().unwrap();
    assert!(String::from_utf8_lossy(&preview.stdout).contains("Nothing was removed"));
    let unconfirmed = cmd(w)
        .args(["uninstall", "--purge"])
        .write_stdin("")
        .output()
        .unwrap();
    assert!(!unconfirmed.status.success());
    assert!(String::from_utf8_lossy(&unconfirmed.stderr).contains("--yes"));
    assert_eq!(gone(&before, &listing(w.root())), Vec::<PathBuf>::new());

    let venv_k = du(&[&project.join(".venv")], &[]);
    let purged = run_json(w, &["uninstall", "--purge", "--yes", "--json"]);
    assert_eq!(purged["servers"], 1);
    assert!(!alive(pid), "the server was stopped: {purged}");
    let after = listing(w.root());
    let home = w.home();
    let mut expected: Vec<PathBuf> = before
        .keys()
        .filter(|p| {
            ["data", "config", "cache"]
                .iter()
                .any(|r| p.starts_with(home.join(r)))
                || **p == autostart
        })
        .cloned()
        .collect();
    expected.sort();
    assert_eq!(gone(&before, &after), expected, "exactly Darwinix's files");
    assert!(added(&before, &after).is_empty());
    let removed = purged["removed"].as_array().unwrap();
    assert!(removed
        .iter()
        .any(|r| r["path"] == autostart.to_str().unwrap()));
    let left = &purged["left"];
    agrees(
        left["venvsBytes"].as_u64().unwrap(),
        venv_k,
        1,
        "the .venv left",
    );
    assert_eq!(
        w.filter(left["projects"][0]["dir"].as_str().unwrap()),
        "[TEMP]/My project ü"
    );
    assert!(project.join(".venv/pyvenv.cfg").is_file());
}
