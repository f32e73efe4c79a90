//! `darwinix doctor` end to end: the real binary, real interpreters, a temporary DARWINIX_HOME.
#![cfg(unix)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use darwinix_testkit::{json, real_python, script, TestContext};
use tempfile::TempDir;

/// `doctor --json` in `w` (a hermetic run: Python searched only where `w` says).
fn doctor(w: &TestContext) -> Command {
    let mut cmd = w.cmd();
    cmd.args(["doctor", "--json"]);
    cmd
}

/// A context, and a folder `name` in it.
fn world_with(name: &str) -> (TestContext, PathBuf) {
    let w = TestContext::new();
    let dir = w.root().join(name);
    std::fs::create_dir_all(&dir).unwrap();
    (w, dir)
}

#[test]
fn garbage_python_is_skipped_and_reported_not_fatal() {
    let (w, fake) = world_with("fake");
    script(&fake, "python3", "echo 'I am not python at all'");
    script(&fake, "python", "echo 'Unknown option: -I' >&2; exit 2");
    let real = w.pybin().to_path_buf();
    let w = w.with_search(&[&fake, &real]);

    let out = doctor(&w).assert().success().get_output().stdout.clone();
    let report = json(&out);
    let skipped = report["python"]["skipped"].as_array().unwrap();
    let kinds: Vec<(&str, &str)> = skipped
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap(),
                s["reason"]["kind"].as_str().unwrap(),
            )
        })
        .collect();
    let garbage = fake.join("python3");
    let py2 = fake.join("python");
    assert!(
        kinds.contains(&(garbage.to_str().unwrap(), "not_python")),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&(py2.to_str().unwrap(), "too_old")),
        "{kinds:?}"
    );
    let findings = report["findings"].as_array().unwrap();
    assert!(findings.iter().any(|f| f["code"] == "skipped-interpreter"
        && f["message"]
            .as_str()
            .unwrap()
            .contains("I am not python at all")));

    let interpreters = report["python"]["interpreters"].as_array().unwrap();
    assert_eq!(interpreters.len(), 1);
    assert_eq!(interpreters[0]["source"], "search_path");
    assert_eq!(
        report["python"]["chosen"]["path"],
        real.join("python3").to_str().unwrap()
    );
    assert_eq!(report["ready"], true);
}

#[test]
fn hanging_python_is_skipped_after_the_timeout_and_not_cached() {
    let (w, hang) = world_with("hang");
    script(&hang, "python3", "sleep 60");
    let real = w.pybin().to_path_buf();
    let w = w.with_search(&[&hang, &real]);
    let home = w.home();
    let out = doctor(&w)
        .arg("--probe-timeout=0.5")
        .timeout(std::time::Duration::from_secs(30))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let report = json(&out);
    assert_eq!(report["python"]["skipped"][0]["reason"]["kind"], "timeout");
    assert_eq!(
        report["python"]["skipped"][0]["why"],
        "did not answer within 0.5 s"
    );
    assert_eq!(report["ready"], true);
    // A hang may be a slow disk that recovers: it is not remembered.
    let cache = std::fs::read_to_string(home.join("cache/interpreters.json")).unwrap();
    assert!(!cache.contains(hang.to_str().unwrap()), "{cache}");
}

#[test]
fn probe_timeout_is_validated() {
    let mut cmd = Command::cargo_bin("darwinix").unwrap();
    let out = cmd
        .args(["doctor", "--probe-timeout", "soon"])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8_lossy(&out).contains("is not a number of seconds"));
}

#[test]
fn no_python_exits_non_zero_with_the_reason() {
    let (w, empty) = world_with("empty");
    let w = w.with_search(&[&empty]);
    let assert = doctor(&w).assert().code(1);
    let out = assert.get_output();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no Python 3.9 or newer"),
        "{:?}",
        out
    );
    let report = json(&out.stdout);
    assert_eq!(report["ready"], false);
    assert_eq!(report["findings"][0]["code"], "no-python");
    assert_eq!(report["findings"][0]["severity"], "error");

    // The human report says the same in words, with the fix.
    let out = w
        .cmd()
        .arg("doctor")
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("error  No Python 3.9+ with the venv module was found"),
        "{text}"
    );
    assert!(text.contains("fix: install Python"), "{text}");
}

#[test]
fn uv_is_a_way_to_get_python() {
    let (w, dir) = world_with("bin");
    script(&dir, "uv", "echo uv 0.13.0");
    let w = w.with_search(&[&dir]);
    let report = json(&doctor(&w).assert().success().get_output().stdout);
    assert_eq!(report["python"]["uv"], dir.join("uv").to_str().unwrap());
    assert_eq!(report["findings"][0]["severity"], "warn");
}

#[test]
fn probes_are_cached_by_path_and_mtime() {
    let (w, dir) = world_with("bin");
    let counter = w.root().join("runs");
    // A "Python" that counts how often it is run and answers like Python 2.
    let body = format!(
        "echo run >> '{}'; echo 'Unknown option: -I' >&2; exit 2",
        counter.display()
    );
    let fake = script(&dir, "python3", &body);
    let w = w.with_search(&[&dir]);
    let home = w.home();
    let runs = || {
        std::fs::read_to_string(&counter)
            .unwrap_or_default()
            .lines()
            .count()
    };

    doctor(&w).assert().code(1);
    doctor(&w).assert().code(1);
    assert_eq!(runs(), 1, "the second doctor must answer from the cache");
    assert!(home.join("cache/interpreters.json").is_file());

    // Touching the file (a new mtime) means a new interpreter: probe again.
    script(&dir, "python3", &format!("{body} # changed"));
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(2);
    std::fs::File::options()
        .write(true)
        .open(dir.join("python3"))
        .unwrap()
        .set_modified(later)
        .unwrap();
    assert_eq!(fake, dir.join("python3"));
    doctor(&w).assert().code(1);
    assert_eq!(runs(), 2);

    // A corrupt cache is ignored, not fatal.
    std::fs::write(home.join("cache/interpreters.json"), "{{{{ garbage").unwrap();
    doctor(&w).assert().code(1);
    assert_eq!(runs(), 3);
}

/// The machine's own interpreters, found the way a user's doctor finds them (no search override).
#[test]
fn real_machine_interpreters_are_listed() {
    let tmp = TempDir::new().unwrap();
    let mut cmd = Command::cargo_bin("darwinix").unwrap();
    cmd.env("DARWINIX_HOME", tmp.path())
        .env_remove("DARWINIX_PYTHON_SEARCH_PATH")
        .args(["doctor", "--json"]);
    let report = json(&cmd.assert().success().get_output().stdout);
    let interpreters = report["python"]["interpreters"].as_array().unwrap();
    assert!(!interpreters.is_empty());
    for i in interpreters {
        assert!(i["version"].as_str().unwrap().starts_with('3'), "{i}");
        assert!(Path::new(i["path"].as_str().unwrap()).is_file());
    }
    let real = real_python();
    assert!(
        interpreters
            .iter()
            .any(|i| Path::new(i["path"].as_str().unwrap())
                .canonicalize()
                .unwrap()
                == real),
        "{} is on PATH but not listed",
        real.display()
    );
    // Debian's own Python is listed and marked as system-managed (PEP 668) exactly when its
    // standard library carries the marker.
    if Path::new("/usr/bin/python3").is_file() {
        let debian = interpreters
            .iter()
            .find(|i| i["path"] == "/usr/bin/python3")
            .expect("/usr/bin/python3 listed");
        let version: Vec<&str> = debian["version"].as_str().unwrap().split('.').collect();
        let stdlib = Path::new("/usr/lib").join(format!("python{}.{}", version[0], version[1]));
        assert_eq!(
            debian["externally_managed"],
            stdlib.join("EXTERNALLY-MANAGED").is_file()
        );
    }
    // Every pyenv version is either listed or skipped with a reason (Python 2 is skipped).
    let pyenv = std::env::var_os("PYENV_ROOT")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".pyenv")));
    let skipped = report["python"]["skipped"].as_array().unwrap();
    let reported: Vec<PathBuf> = interpreters
        .iter()
        .chain(skipped)
        .map(|i| {
            Path::new(i["path"].as_str().unwrap())
                .canonicalize()
                .unwrap()
        })
        .collect();
    if let Some(Ok(versions)) = pyenv.map(|p| std::fs::read_dir(p.join("versions"))) {
        for v in versions.flatten() {
            let names = ["python3", "python"].map(|n| v.path().join("bin").join(n));
            if let Some(python) = names.iter().find(|p| p.is_file()) {
                let real = python.canonicalize().unwrap();
                assert!(
                    reported.contains(&real),
                    "{} is not in the report",
                    python.display()
                );
            }
        }
    }
    // No NVIDIA library on a machine without a GPU: an answer with a reason, never an error.
    if report["gpu"]["devices"].as_array().unwrap().is_empty() {
        assert!(!report["gpu"]["absent_reason"].as_str().unwrap().is_empty());
    }
    // CI installs Debian's nix-bin (Nix 2.8, flakes off by default).
    if Path::new("/usr/bin/nix").is_file() {
        let nix = &report["nix"];
        assert_eq!(nix["status"], "present", "{nix}");
        assert_eq!(nix["flavour"], "Nix");
        assert!(nix["version"].as_str().unwrap().starts_with("2."), "{nix}");
        assert!(nix["flakes"].is_boolean(), "{nix}");
    }
    assert!(report["os"]["arch"].is_string());
    assert!(report["resources"]["memory_total_bytes"].as_u64().unwrap() > 0);
    assert!(report["resources"]["disk"]["available_bytes"].is_u64());
}

#[test]
fn version_and_help() {
    let out = Command::cargo_bin("darwinix")
        .unwrap()
        .arg("--version")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        format!("darwinix {}\n", env!("CARGO_PKG_VERSION"))
    );
    let out = Command::cargo_bin("darwinix")
        .unwrap()
        .arg("--help")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let help = String::from_utf8(out).unwrap();
    assert!(
        help.contains("doctor") && help.contains("DARWINIX_HOME"),
        "{help}"
    );
}
