//! `darwinix share` end to end, with a real uv, pip and index: the file holds exactly the
//! project's own files and a lock with hashes; an offline file, opened on "another computer"
//! (a fresh home, an empty uv cache, uv forbidden the network), installs its packages.
#![cfg(unix)]

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use darwinix_core::paths::AppPaths;
use darwinix_testkit::{json, notebook, real_python, TestContext};
use serde_json::Value;

/// Every entry of a zip, with the text of its `.txt` and `.json` files (Python's zipfile reads
/// it: an unzip other than Darwinix's own).
fn entries(zip: &Path) -> serde_json::Map<String, Value> {
    let code = "import json, sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nprint(json.dumps({n: z.read(n).decode() if n.endswith(('.txt', '.json')) else None for n in z.namelist()}))";
    let out = StdCommand::new(real_python())
        .args(["-c", code])
        .arg(zip)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    json(&out.stdout).as_object().unwrap().clone()
}

fn run_in_venv(dir: &Path, code: &str) -> String {
    let out = StdCommand::new(dir.join(".venv/bin/python"))
        .args(["-c", code])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn shared_file(shared: &Value) -> PathBuf {
    PathBuf::from(shared["file"].as_str().unwrap())
}

/// Nothing decided about the big file: nothing written, and the way on said.
fn refused_until_big_files_are_decided(w: &TestContext, dir: &Path) {
    let out = w.run([
        OsStr::new("share"),
        dir.as_os_str(),
        OsStr::new("--max-file-size"),
        OsStr::new("1"),
    ]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        said.contains("data/big.bin") && said.contains("--include-large"),
        "{said}"
    );
    assert!(!w.root().join("Course ü.darwinix.zip").exists());
}

#[test]
fn share_holds_the_projects_files_and_a_lock_with_hashes() {
    let w = TestContext::new();
    let intro = notebook(&["import six"]);
    let dir = w.folder(
        "Course ü",
        &[
            ("requirements.txt", "six\n"),
            ("intro.ipynb", &intro),
            ("data/small.csv", "a,b\n1,2\n"),
            (".env", "SECRET=1\n"),
            ("helpers/__pycache__/x.cpython-311.pyc", "x"),
            (".ipynb_checkpoints/intro-checkpoint.ipynb", "{}"),
        ],
    );
    std::fs::write(dir.join("data/big.bin"), vec![0u8; 2 << 20]).unwrap();
    let (ok, _, err) = w.setup_json(&dir, &[]);
    assert!(ok, "{err}");

    refused_until_big_files_are_decided(&w, &dir);

    let args = |dir: &Path| {
        let mut a = vec!["share".into(), dir.as_os_str().to_owned()];
        a.extend(["--max-file-size", "1", "--leave-out-large", "--json"].map(Into::into));
        a
    };
    let shared = w.ok_json(args(&dir));
    let file = shared_file(&shared);
    assert_eq!(file, w.root().join("Course ü.darwinix.zip"));
    assert_eq!(shared["leftOut"][0]["path"], "data/big.bin");
    assert_eq!(shared["wheels"], 0);
    let inside = entries(&file);
    let mut names: Vec<&str> = inside.keys().map(String::as_str).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "Course ü/.darwinix/requirements.lock.txt",
            "Course ü/.darwinix/share.json",
            "Course ü/data/small.csv",
            "Course ü/intro.ipynb",
            "Course ü/requirements.txt",
        ]
    );
    let lock = inside["Course ü/.darwinix/requirements.lock.txt"]
        .as_str()
        .unwrap();
    let six = run_in_venv(&dir, "import six; print(six.__version__)");
    let line = lock.lines().find(|l| l.starts_with("six==")).expect(lock);
    assert!(line.starts_with(&format!("six=={six} ")), "{lock}");
    assert!(line.contains("--hash=sha256:"), "{lock}");
    assert!(!lock.contains("--no-index"), "{lock}");
    let meta = json(
        inside["Course ü/.darwinix/share.json"]
            .as_str()
            .unwrap()
            .as_bytes(),
    );
    let python = run_in_venv(&dir, "import sys; print('%d.%d' % sys.version_info[:2])");
    assert_eq!(meta["python"], python.as_str());
    assert_eq!(meta["setupFile"], "requirements.txt");
    assert_eq!(meta["offline"], false);

    // A second share never replaces the first.
    let again = w.ok_json(args(&dir));
    assert_eq!(
        shared_file(&again),
        w.root().join("Course ü 2.darwinix.zip")
    );
    assert!(file.is_file());
}

#[test]
fn an_offline_file_installs_with_no_network_and_an_empty_cache() {
    let w = TestContext::new();
    let intro = notebook(&["import six"]);
    let dir = w.folder(
        "Offline course",
        &[("requirements.txt", "six\n"), ("intro.ipynb", &intro)],
    );
    let (ok, _, err) = w.setup_json(&dir, &[]);
    assert!(ok, "{err}");
    let shared = w.ok_json([
        OsStr::new("share"),
        dir.as_os_str(),
        OsStr::new("--offline"),
        OsStr::new("--json"),
    ]);
    assert!(shared["wheels"].as_u64().unwrap() >= 1, "{shared}");
    let lock = entries(&shared_file(&shared))["Offline course/.darwinix/requirements.lock.txt"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(lock.contains("--no-index\n--find-links wheels\n"), "{lock}");

    // Another computer: its own home, a uv cache with nothing in it, and no network for uv.
    let cache = w.root().join("empty uv cache");
    std::fs::create_dir_all(&cache).unwrap();
    let there = TestContext::new()
        .with_env("UV_CACHE_DIR", &cache)
        .with_env("UV_OFFLINE", "1");
    let zip = there.root().join("Offline course.darwinix.zip");
    std::fs::copy(shared_file(&shared), &zip).unwrap();
    // Double-clicked (`darwinix start FILE`): foreign, so asked about before anything is installed.
    let start = |extra: &[&str]| {
        let mut args = vec![OsStr::new("start"), zip.as_os_str()];
        args.extend([OsStr::new("--json"), OsStr::new("--no-browser")]);
        args.extend(extra.iter().map(OsStr::new));
        there.run(args)
    };
    let refused = start(&[]);
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success());
    assert!(err.contains("Offline course.darwinix.zip"), "{err}");
    let started = start(&["--trust"]);
    let err = String::from_utf8_lossy(&started.stderr);
    assert!(started.status.success(), "{err}");
    let server = darwinix_testkit::json(&started.stdout);
    let dir = std::path::PathBuf::from(server["dir"].as_str().unwrap());
    assert_eq!(dir, there.home().join("courses/Offline course"));
    assert!(
        server["notebook_url"]
            .as_str()
            .unwrap()
            .ends_with("/intro.ipynb"),
        "{server}"
    );
    assert_eq!(run_in_venv(&dir, "import six; print('ok')"), "ok");
    // Double-clicked again: the same project, not a second copy.
    let again = start(&[]);
    assert!(again.status.success());
    assert_eq!(darwinix_testkit::json(&again.stdout)["dir"], server["dir"]);
    there.ok(["stop", "--all"]);

    let paths = AppPaths::under(&there.home());
    // The control: without its wheels, the same file cannot install here.
    let again = darwinix_core::share::import(&paths, &zip, &there.root().join("Courses")).unwrap();
    let wheels = again.dir.join(".darwinix/wheels");
    std::fs::remove_dir_all(&wheels).unwrap();
    std::fs::create_dir(&wheels).unwrap();
    let (ok, _, err) = there.setup_json(&again.dir, &["--trust"]);
    assert!(!ok, "installed with no wheels and no network: {err}");
    assert!(err.contains("six"), "{err}");
}
