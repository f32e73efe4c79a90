//! The trust question, performed as the attacks it stops: a second account's folder in a
//! world-writable directory (its requirements.txt would be installed by a double-click), and a
//! folder of the user's own whose first setup reaches beyond the package index. Real `darwinix`,
//! real uv, a real second account (`useradd`), and the question answered on a real
//! pseudo-terminal (`script`). Needs root, as `./dev test` is.
#![cfg(target_os = "linux")]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use darwinix_testkit::TestContext;

const OTHER: &str = "dxtrustother";

fn other_uid() -> u32 {
    static UID: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *UID.get_or_init(|| {
        let id = || Command::new("id").args(["-u", OTHER]).output().unwrap();
        if !id().status.success() {
            let made = Command::new("useradd")
                .args(["-M", "-s", "/usr/sbin/nologin", OTHER])
                .output()
                .unwrap();
            // 9: made meanwhile by another test binary (the app's e2e test uses it too).
            assert!(
                made.status.success() || made.status.code() == Some(9),
                "useradd: {made:?}"
            );
        }
        String::from_utf8_lossy(&id().stdout)
            .trim()
            .parse()
            .unwrap()
    })
}

/// A world-writable, sticky folder like /tmp (the test's own), holding `name`: a folder the
/// second account owns, with `requirements`.
fn shared_folder(name: &str, requirements: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let shared = tempfile::Builder::new()
        .prefix("darwinix-shared-")
        .tempdir_in("/tmp")
        .unwrap();
    std::fs::set_permissions(shared.path(), std::fs::Permissions::from_mode(0o1777)).unwrap();
    let dir = shared.path().join(name);
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("requirements.txt"), requirements).unwrap();
    let uid = other_uid();
    for path in [dir.join("requirements.txt"), dir.clone()] {
        std::os::unix::fs::chown(&path, Some(uid), Some(uid)).unwrap();
    }
    (shared, dir)
}

/// `darwinix ARGS` on a pseudo-terminal, `typed` on its keyboard.
fn on_terminal(w: &TestContext, args: &[&str], typed: &str) -> Output {
    let std = w.std_cmd();
    let mut line = format!("exec '{}'", std.get_program().to_string_lossy());
    for arg in args {
        line.push_str(&format!(" '{}'", arg.replace('\'', "'\\''")));
    }
    let mut script = Command::new("script");
    script.args(["-qec", &line, "/dev/null"]);
    for (k, v) in std.get_envs() {
        match v {
            Some(v) => script.env(k, v),
            None => script.env_remove(k),
        };
    }
    let mut child = script
        .current_dir(w.cwd())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(typed.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn has_venv(dir: &Path) -> bool {
    dir.join(".venv").exists()
}

#[test]
fn another_accounts_folder_is_never_set_up_without_a_yes() {
    let w = TestContext::new();
    let (_shared, dir) = shared_folder("course", "six\n");
    let d = dir.to_str().unwrap();

    // A script (no terminal): refused before anything is made, with the flag that says yes.
    let out = w.run(["setup", d]);
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(
        said.contains(&format!("it belongs to another account ({OTHER})")),
        "{said}"
    );
    assert!(said.contains("--trust"), "{said}");
    assert!(!has_venv(&dir), "nothing may be made before the yes");

    // On a terminal: the question shows what would come from where; Cancel makes nothing.
    let out = on_terminal(&w, &["setup", d], "c\n");
    let said = text(&out);
    assert!(
        said.contains("Darwinix asks before installing the packages of"),
        "{said}"
    );
    assert!(said.contains("six") && said.contains("from PyPI"), "{said}");
    assert!(!out.status.success(), "{said}");
    assert!(!has_venv(&dir));
    assert!(w.ok(["trust"]).stdout.starts_with(b"No answers"));

    // Trust and start: installed, remembered, and the next start asks nothing.
    let out = on_terminal(&w, &["setup", d], "t\n");
    assert!(out.status.success(), "{}", text(&out));
    assert!(dir.join(".venv/lib").exists(), "{}", text(&out));
    let listed = String::from_utf8(w.ok(["trust"]).stdout).unwrap();
    assert!(listed.contains("trusted") && listed.contains(d), "{listed}");
    w.ok(["setup", d]);

    // Forgotten: asked again.
    w.ok(["trust", "forget", d]);
    assert!(!w.run(["setup", d]).status.success());
}

#[test]
fn start_without_installing_gives_python_alone_and_trust_flag_says_yes() {
    let w = TestContext::new();
    let (_shared, dir) = shared_folder("workshop", "six\n");
    let d = dir.to_str().unwrap();
    let out = on_terminal(&w, &["setup", d], "s\n");
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("packages are not installed, as you chose"),
        "{said}"
    );
    let six = Command::new(dir.join(".venv/bin/python"))
        .args(["-c", "import six"])
        .output()
        .unwrap();
    assert!(!six.status.success(), "six must not be installed");

    let (_shared2, other) = shared_folder("lab", "six\n");
    let o = other.to_str().unwrap();
    w.ok(["setup", o, "--trust"]);
    let six = Command::new(other.join(".venv/bin/python"))
        .args(["-c", "import six"])
        .output()
        .unwrap();
    assert!(six.status.success(), "--trust installs");
}

#[test]
fn the_users_own_folder_asks_only_for_what_goes_beyond_the_index() {
    let w = TestContext::new();
    // The one click stays: the user's own folder with index packages.
    let plain = w.project("plain", "six\n");
    w.ok(["setup", plain.to_str().unwrap()]);

    // A git requirement and an extra index, before the first setup: asked, nothing fetched.
    let reaching = w.project(
        "reaching",
        "six\ngit+https://127.0.0.1:9/ann/tools.git\n--extra-index-url http://127.0.0.1:9/simple\n",
    );
    let out = w.run(["setup", reaching.to_str().unwrap()]);
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(
        said.contains("requirements.txt installs from beyond the package index: a git repository at 127.0.0.1"),
        "{said}"
    );
    assert!(!has_venv(&reaching));
}
