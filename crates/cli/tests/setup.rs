//! `darwinix new`, `setup` and `lock` end to end, with real Pythons, real uv and pip, and real
//! (tiny) packages from the index.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use darwinix_testkit::{json_lines, real_python, script, shared_uv_dir, TestContext};
use serde_json::Value;

fn venv_python(dir: &Path) -> PathBuf {
    dir.join(".venv/bin/python")
}

/// Runs Python code in the project's environment.
fn run_in_venv(dir: &Path, code: &str) -> String {
    let out = StdCommand::new(venv_python(dir))
        .args(["-c", code])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn done(events: &[Value]) -> &Value {
    let last = events.last().expect("some events");
    assert_eq!(last["event"], "done", "{events:?}");
    &last["data"]
}

#[test]
fn setup_installs_then_skips_when_nothing_changed() {
    let w = TestContext::new();
    let dir = w.project("Mes carnets ü/projet un", "six\n");
    let (ok, events, err) = w.setup_json(&dir, &[]);
    assert!(ok, "{err}");
    let d = done(&events);
    assert_eq!(d["skipped"], false);
    assert_eq!(d["installer"], "uv");
    assert!(d["packages"].as_u64().unwrap() >= 1, "six at least: {d}");
    assert!(Path::new(d["log"].as_str().unwrap()).is_file());
    let steps: Vec<&str> = events
        .iter()
        .filter(|e| e["event"] == "step")
        .map(|e| e["data"]["step"].as_str().unwrap())
        .collect();
    assert_eq!(
        &steps[..2],
        ["checkingComputer", "creatingEnvironment"],
        "{steps:?}"
    );
    assert!(steps.contains(&"installing"), "{steps:?}");
    assert!(events.iter().any(|e| e["event"] == "progress"
        && e["data"]["step"] == "installing"
        && e["data"]["total"].is_u64()));

    assert_eq!(
        run_in_venv(&dir, "import six; print(six.__name__)"),
        "six\n"
    );
    // pip and the kernel come with the environment (linked from Darwinix's shared copy), so
    // `%pip install` works in a notebook — and installs into the project's own `.venv`.
    assert!(
        run_in_venv(&dir, "import pip, ipykernel; print(pip.__version__)")
            .trim()
            .contains('.')
    );
    let out = StdCommand::new(venv_python(&dir))
        .args(["-m", "pip", "install", "--no-index", "--dry-run", "six"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("already satisfied"),
        "{out:?}"
    );

    let (ok, events, _) = w.setup_json(&dir, &[]);
    assert!(ok);
    assert_eq!(
        events.len(),
        1,
        "an unchanged project does no work at all: {events:?}"
    );
    assert_eq!(done(&events)["skipped"], true);

    // A changed requirements.txt is noticed.
    std::fs::write(dir.join("requirements.txt"), "six\nidna\n").unwrap();
    let (ok, events, err) = w.setup_json(&dir, &[]);
    assert!(ok, "{err}");
    assert_eq!(done(&events)["skipped"], false);
    run_in_venv(&dir, "import idna");
}

#[test]
fn a_missing_package_is_named_and_the_working_environment_kept() {
    let w = TestContext::new();
    let dir = w.project("p", "six\n");
    assert!(w.setup_json(&dir, &[]).0);
    let stamp = std::fs::read(dir.join(".venv/darwinix-stamp.json")).unwrap();

    std::fs::write(
        dir.join("requirements.txt"),
        "six\ndarwinix-no-such-package-4711\n",
    )
    .unwrap();
    let out = w.cmd().arg("setup").arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("darwinix-no-such-package-4711"), "{err}");
    assert!(
        err.contains("your previous environment, if there was one, was kept"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(dir.join(".venv/darwinix-stamp.json")).unwrap(),
        stamp
    );
    run_in_venv(&dir, "import six");

    // JSON mode ends with an error event carrying the hint.
    let (ok, events, _) = w.setup_json(&dir, &[]);
    assert!(!ok);
    let last = events.last().unwrap();
    assert_eq!(last["event"], "error");
    assert!(last["data"]["message"]
        .as_str()
        .unwrap()
        .contains("darwinix-no-such-package-4711"));
}

#[test]
fn an_unreachable_index_fails_with_its_name() {
    let w = TestContext::new();
    let dir = w.project("p", "six\n");
    let out = w
        .cmd()
        .arg("setup")
        .arg(&dir)
        .args(["--index-url", "http://127.0.0.1:9/simple"])
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("could not reach the package index http://127.0.0.1:9/simple"),
        "{err}"
    );
}

#[test]
fn bad_folders_get_clear_errors_and_lose_nothing() {
    let w = TestContext::new();
    let missing = w.root().join("nowhere");
    let out = w.cmd().arg("setup").arg(&missing).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("does not exist") && err.contains("darwinix new"),
        "{err}"
    );
    assert!(!missing.exists());

    let file = w.root().join("a file");
    std::fs::write(&file, "x").unwrap();
    let err = String::from_utf8(w.cmd().arg("setup").arg(&file).output().unwrap().stderr).unwrap();
    assert!(err.contains("is a file, not a folder"), "{err}");

    // A folder with nothing in it gets Python and the kernel; nothing is written into it.
    let bare = w.root().join("empty");
    std::fs::create_dir_all(&bare).unwrap();
    let (ok, events, err) = w.setup_json(&bare, &[]);
    assert!(ok, "{err}");
    assert!(
        events.iter().any(|e| e["data"]["detail"]
            .as_str()
            .is_some_and(|d| d.contains("No packages found in your notebooks"))),
        "{events:?}"
    );
    let mut entries: Vec<String> = std::fs::read_dir(&bare)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    entries.sort();
    assert_eq!(entries, [".venv"]);

    // A `.venv` that is the user's own folder is never replaced or deleted.
    let dir = w.project("mine", "six\n");
    std::fs::create_dir_all(dir.join(".venv")).unwrap();
    std::fs::write(dir.join(".venv/notes.txt"), "precious").unwrap();
    let err = String::from_utf8(w.cmd().arg("setup").arg(&dir).output().unwrap().stderr).unwrap();
    assert!(err.contains("is not a Python environment"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.join(".venv/notes.txt")).unwrap(),
        "precious"
    );
}

#[test]
fn a_vanished_base_interpreter_is_rebuilt() {
    let w = TestContext::new();
    let dir = w.project("p", "six\n");
    assert!(w.setup_json(&dir, &[]).0);
    // What uninstalling the Python the environment was made from looks like.
    let venv = dir.join(".venv");
    std::fs::write(venv.join("pyvenv.cfg"), "home = /nonexistent/python/bin\n").unwrap();
    std::fs::remove_file(venv.join("bin/python")).unwrap();
    std::os::unix::fs::symlink("/nonexistent/python/bin/python3", venv.join("bin/python")).unwrap();

    let (ok, events, err) = w.setup_json(&dir, &[]);
    assert!(ok, "{err}");
    assert!(
        events.iter().any(|e| e["event"] == "warning"
            && e["data"]["message"]
                .as_str()
                .unwrap()
                .contains("rebuilding")),
        "{events:?}"
    );
    assert_eq!(done(&events)["skipped"], false);
    run_in_venv(&dir, "import six");
}

#[test]
fn two_setups_at_once_do_not_collide() {
    let w = TestContext::new();
    let dir = w.project("p", "six\nidna\n");
    let (a, b) = w.twice_at_once(&["setup".as_ref(), dir.as_os_str(), "--json".as_ref()]);
    assert!(
        a.status.success() && b.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&a.stderr),
        String::from_utf8_lossy(&b.stderr)
    );
    let skipped: Vec<bool> = [&a, &b]
        .iter()
        .map(|o| done(&json_lines(&o.stdout))["skipped"].as_bool().unwrap())
        .collect();
    assert_eq!(
        skipped.iter().filter(|s| **s).count(),
        1,
        "one builds, the other waits and finds nothing to do"
    );
    run_in_venv(&dir, "import six, idna");
}

#[test]
fn pip_installer_works_like_the_original_flake() {
    let w = TestContext::new();
    let dir = w.project("p", "six\n");
    let (ok, events, err) = w.setup_json(&dir, &["--installer", "pip"]);
    assert!(ok, "{err}");
    assert_eq!(done(&events)["installer"], "pip");
    run_in_venv(&dir, "import six, pip");
}

#[test]
fn a_python_without_ensurepip_gets_the_exact_fix_and_no_half_made_venv() {
    let w = TestContext::new();
    let dir = w.project("p", "six\n");
    // Debian's python3 without python3-venv: answers the probe, fails `-m venv` the Debian way.
    let fake = w.root().join("fakepy");
    std::fs::create_dir_all(&fake).unwrap();
    let probe_answer = r#"{"result": "success", "version": "3.11.2", "release_level": "final", "implementation": "cpython", "arch": "x86_64", "pointer_bits": 64, "executable": "/usr/bin/python3", "prefix": "/usr", "base_prefix": "/usr", "is_venv": false, "has_venv": true, "has_ensurepip": false, "has_pip": false, "externally_managed": true}"#;
    let body = format!(
        r#"if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
  mkdir -p "$3/bin" && echo 'home = /usr/bin' > "$3/pyvenv.cfg"
  echo "The virtual environment was not created successfully because ensurepip is not"
  echo "available.  On Debian/Ubuntu systems, you need to install the python3-venv"
  echo "package using the following command."
  echo ""
  echo "    apt install python3.11-venv"
  exit 1
fi
echo '{probe_answer}'"#
    );
    let python = script(&fake, "python3", &body);
    std::fs::write(dir.join("analysis.ipynb"), "{}").unwrap();
    let out = w
        .cmd()
        .arg("setup")
        .arg(&dir)
        .args(["--installer", "pip", "--python"])
        .arg(&python)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("sudo apt install python3.11-venv"), "{err}");
    assert!(
        !dir.join(".venv").exists(),
        "the half-made environment is removed"
    );
    assert!(
        dir.join("analysis.ipynb").exists() && dir.join("requirements.txt").exists(),
        "the user's files stay"
    );
}

#[test]
fn lock_freezes_exact_versions_and_setup_honours_them() {
    let w = TestContext::new();
    let dir = w.project("p", "six\n");
    assert!(w.setup_json(&dir, &[]).0);
    let out = w.cmd().arg("lock").arg(&dir).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lock = std::fs::read_to_string(dir.join("requirements.lock")).unwrap();
    let six = run_in_venv(&dir, "import six; print(six.__version__)");
    assert!(lock.contains(&format!("six=={}", six.trim())), "{lock}");

    // A lock is an input: setup runs again (and stays on the pinned version).
    let (ok, events, err) = w.setup_json(&dir, &[]);
    assert!(ok, "{err}");
    assert_eq!(done(&events)["skipped"], false);
    assert_eq!(run_in_venv(&dir, "import six; print(six.__version__)"), six);
}

#[test]
fn new_never_overwrites() {
    let w = TestContext::new();
    let dir = w.root().join("fresh");
    let out = w
        .cmd()
        .arg("new")
        .arg(&dir)
        .args(["--template", "minimal", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(std::fs::read_to_string(dir.join("requirements.txt"))
        .unwrap()
        .starts_with("# Packages for this project"));
    std::fs::write(dir.join("requirements.txt"), "mine\n").unwrap();
    let out = w
        .cmd()
        .arg("new")
        .arg(&dir)
        .args(["--template", "ai"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("kept"));
    assert_eq!(
        std::fs::read_to_string(dir.join("requirements.txt")).unwrap(),
        "mine\n"
    );
    let out = w
        .cmd()
        .arg("new")
        .arg(w.root().join("x"))
        .args(["--template", "cuda"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unknown template is a usage error"
    );
}

/// The one button's project: no folder given, the default project is created from the default
/// template; its `.venv` gets numpy, pandas and requests and the notebook kernel (linked from
/// Darwinix's shared copy), and JupyterLab comes from the shared runtime, compiled once.
#[test]
fn default_project_gets_its_packages_and_the_shared_jupyterlab() {
    let w = TestContext::new();
    let out = w
        .cmd()
        .args(["setup", "--json"])
        // Set on some machines (this one) for everything: the runtime is compiled anyway.
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .timeout(std::time::Duration::from_secs(600))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dir = w.home().join("projects/Darwinix");
    assert!(dir.join("Welcome.ipynb").is_file());
    assert!(done(&json_lines(&out.stdout))["packages"].as_u64().unwrap() >= 5);
    // The project's packages and the kernel import in its Python; JupyterLab is not in there.
    let found = run_in_venv(
        &dir,
        "import numpy, pandas, requests, ipykernel, importlib.util as u\nprint(ipykernel.__file__)\nprint(u.find_spec('jupyterlab') is None)",
    );
    let mut lines = found.lines();
    let kernel = lines.next().unwrap();
    assert!(kernel.contains("/data/runtimes/ipykernel-"), "{kernel}");
    assert_eq!(
        lines.next(),
        Some("True"),
        "JupyterLab is not in the project"
    );
    assert!(!dir.join(".venv/bin/jupyter-lab").exists());
    // The shared runtime: JupyterLab runs, its server modules compiled once.
    let runtime = std::fs::read_dir(w.home().join("data/runtimes"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("jupyterlab-")
                && p.join("darwinix-runtime.json").is_file()
        })
        .expect("a runtime");
    let version = StdCommand::new(runtime.join("bin/jupyter-lab"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(version.status.success());
    let lib = runtime
        .join("lib")
        .read_dir()
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    // Written once, by a background Python right after the runtime was made.
    let cache = lib.join("site-packages/jupyter_server/__pycache__");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while !cache.read_dir().is_ok_and(|mut d| {
        d.any(|f| f.is_ok_and(|f| f.file_name().to_string_lossy().starts_with("serverapp.")))
    }) {
        assert!(
            std::time::Instant::now() < deadline,
            "no bytecode in {}",
            cache.display()
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

/// A read-only project folder (a read-only bind mount: permission bits do not stop root, and
/// CI runs as root) is refused before anything is made.
#[cfg(target_os = "linux")]
#[test]
fn a_read_only_folder_is_refused_cleanly() {
    let w = TestContext::new();
    let src = w.project("source", "six\n");
    let mnt = w.root().join("read-only");
    let view = darwinix_testkit::ReadOnlyView::of(&src, &mnt);
    let out = w.cmd().arg("setup").arg(&mnt).output().unwrap();
    drop(view);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("is read-only") && err.contains("copy the project"),
        "{err}"
    );
    assert!(!src.join(".venv").exists());
}

#[test]
fn a_moved_project_is_rebuilt_and_a_repeated_python_choice_is_a_no_op() {
    let w = TestContext::new();
    let dir = w.project("before", "six\n");
    let python = w.pybin().join("python3");
    let python = python.to_str().unwrap();
    assert!(w.setup_json(&dir, &["--python", python]).0);
    let (ok, events, _) = w.setup_json(&dir, &["--python", python]);
    assert!(ok);
    assert_eq!(
        done(&events)["skipped"],
        true,
        "the same --python again changes nothing: {events:?}"
    );

    // venvs hold absolute paths: after a move the old one cannot run and is rebuilt.
    let moved = w.root().join("after");
    std::fs::rename(&dir, &moved).unwrap();
    let (ok, events, err) = w.setup_json(&moved, &[]);
    assert!(ok, "{err}");
    assert!(
        events
            .iter()
            .any(|e| e["event"] == "warning"
                && e["data"]["message"].as_str().unwrap().contains("moved")),
        "{events:?}"
    );
    run_in_venv(&moved, "import six");
}

/// A computer with no Python at all: the uv Darwinix finds (in the installers, the one shipped
/// beside it) installs one, and setup goes on with it. uv downloads Python from GitHub, which
/// this machine cannot reach, so a stand-in `uv` answers `python install` (the "installed"
/// Python is a link to a real one, and only exists after the install) and `python find`, and
/// hands every other command to the real uv. A failed install is an error naming uv's words.
#[test]
fn without_any_python_uv_installs_one_and_setup_goes_on() {
    let sandbox = TestContext::new();
    let tmp = sandbox.root().to_path_buf();
    // Its runtime is built from the stand-in Python below, which goes with this test.
    std::fs::create_dir_all(sandbox.home().join("data/runtimes")).unwrap();
    let managed = tmp.join("uv-managed/cpython-3.12/bin/python3.12");
    let calls = tmp.join("uv-calls.log");
    let bin = tmp.join("only uv");
    std::fs::create_dir_all(&bin).unwrap();
    let real_uv = shared_uv_dir().join("uv");
    script(
        &bin,
        "uv",
        &format!(
            r#"echo "$* downloads=$UV_PYTHON_DOWNLOADS" >> '{calls}'
if [ "$1 $2" = "python install" ]; then
  [ "$3" = 3.12 ] || exit 3
  [ -f '{fail}' ] && {{ echo "error: Failed to download https://github.com/astral-sh/python-build-standalone/...: dns error" >&2; exit 2; }}
  mkdir -p "$(dirname '{managed}')" && ln -sf '{real}' '{managed}' && echo "Installed Python 3.12" >&2
  exit 0
fi
if [ "$1 $2" = "python find" ]; then
  [ -e '{managed}' ] && echo '{managed}' && exit 0
  echo "error: No interpreter found" >&2; exit 2
fi
exec '{real_uv}' "$@""#,
            calls = calls.display(),
            fail = tmp.join("fail").display(),
            managed = managed.display(),
            real = real_python().display(),
            real_uv = real_uv.display(),
        ),
    );
    let sandbox = sandbox.with_search(&[&bin]);
    let setup = |project: &Path| {
        sandbox
            .cmd()
            .args(["setup", "--json"])
            .arg(project)
            .output()
            .unwrap()
    };

    // uv cannot download: the error says so, with uv's words, and nothing is half-made.
    std::fs::write(tmp.join("fail"), "").unwrap();
    let first = tmp.join("first");
    std::fs::create_dir_all(&first).unwrap();
    std::fs::write(first.join("requirements.txt"), "six\n").unwrap();
    let out = setup(&first);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("uv could not install Python 3.12") && stderr.contains("dns error"),
        "{stderr}"
    );
    assert!(!first.join(".venv").exists());

    std::fs::remove_file(tmp.join("fail")).unwrap();
    let out = setup(&first);
    let events = json_lines(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        events.iter().any(|e| e["data"]["detail"]
            .as_str()
            .is_some_and(|d| d.contains("uv installs Python 3.12"))),
        "{events:?}"
    );
    done(&events);
    assert_eq!(run_in_venv(&first, "import six; print('ok')").trim(), "ok");
    let cfg = std::fs::read_to_string(first.join(".venv/pyvenv.cfg")).unwrap();
    assert!(cfg.contains("uv-managed/cpython-3.12"), "{cfg}");
    let log = std::fs::read_to_string(&calls).unwrap();
    // Only the install may download a Python; every other uv command is told not to.
    for line in log.lines() {
        let allowed = if line.starts_with("python install") {
            "downloads=automatic"
        } else {
            "downloads=never"
        };
        assert!(line.ends_with(allowed), "{line}");
    }
    assert!(log.lines().any(|l| l.starts_with("venv ")), "{log}");
}

/// A small disk of its own (a tmpfs: mounting needs root, which CI has), unmounted at the end.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn new(at: PathBuf, megabytes: u32) -> Self {
        std::fs::create_dir_all(&at).unwrap();
        let out = StdCommand::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(&at)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "this test mounts a small tmpfs (as root): {out:?}"
        );
        Self(at)
    }
    fn free(&self) -> u64 {
        let out = StdCommand::new("df")
            .args(["--output=avail", "-B1"])
            .arg(&self.0)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .nth(1)
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = StdCommand::new("umount").arg("-l").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_is_said_and_what_the_install_added_is_taken_out() {
    let w = TestContext::new();
    // 25 MB: fonttools (6.5 MB to download, 29 MB unpacked) passes the check before the
    // download (3 × the download) and still fills the disk.
    let disk = SmallDisk::new(w.root().join("small disk"), 25);
    let dir = disk.0.join("project");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("requirements.txt"), "six\n").unwrap();
    let (ok, _, err) = w.setup_json(&dir, &[]);
    assert!(ok, "{err}");
    let free_before = disk.free();

    // fonttools does not fit: said as a full disk, with where and how much; the environment
    // works as before and the disk has its space back.
    std::fs::write(dir.join("requirements.txt"), "six\nfonttools\n").unwrap();
    let out = w.cmd().arg("setup").arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("is full"), "{said}");
    assert!(said.contains("small disk/project/.venv"), "{said}");
    assert!(said.contains("free") && said.contains("MB"), "{said}");
    // The error and its fix (the lines before say which file the packages come from).
    let error = said.split("darwinix: ").nth(1).unwrap_or_default();
    assert!(
        !error.contains("requirements.txt"),
        "not blamed on the list: {said}"
    );
    run_in_venv(&dir, "import six");
    assert!(
        disk.free() + (2 << 20) >= free_before,
        "space back: {} of {free_before}",
        disk.free()
    );

    // A new environment that does not fit is not left half-made.
    let fresh = disk.0.join("fresh");
    std::fs::create_dir_all(&fresh).unwrap();
    std::fs::write(fresh.join("requirements.txt"), "fonttools\n").unwrap();
    let out = w.cmd().arg("setup").arg(&fresh).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is full"));
    assert!(!fresh.join(".venv").exists(), "the half-made .venv is gone");
    assert!(
        fresh.join("requirements.txt").is_file(),
        "the user's file stays"
    );
}

#[test]
fn a_set_bigger_than_the_free_disk_stops_before_downloading() {
    let w = TestContext::new();
    let disk = SmallDisk::new(w.root().join("small disk"), 25);
    let dir = disk.0.join("project");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("requirements.txt"), "six\n").unwrap();
    let (ok, _, err) = w.setup_json(&dir, &[]);
    assert!(ok, "{err}");
    let free_before = disk.free();

    // numpy downloads 16 MB, about 48 MB unpacked: more than the disk has, known before the
    // download starts.
    std::fs::write(dir.join("requirements.txt"), "six\nnumpy\n").unwrap();
    let out = w.cmd().arg("setup").arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("nothing was downloaded"), "{said}");
    assert!(said.contains("small disk/project/.venv"), "{said}");
    assert!(said.contains("MB free"), "{said}");
    run_in_venv(&dir, "import six");
    assert!(!dir
        .join(".venv/lib/python3.11/site-packages/numpy")
        .exists());
    assert!(disk.free() + (1 << 20) >= free_before, "nothing written");

    // A new environment is not left behind.
    let fresh = disk.0.join("fresh");
    std::fs::create_dir_all(&fresh).unwrap();
    std::fs::write(fresh.join("requirements.txt"), "numpy\n").unwrap();
    let out = w.cmd().arg("setup").arg(&fresh).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing was downloaded"));
    assert!(!fresh.join(".venv").exists());
}

/// Over the big-install threshold (lowered by its setting: `six` is "big"), the command line
/// says the size and the biggest packages, and installs without asking.
#[test]
fn a_big_install_is_said_and_goes_on() {
    let w = TestContext::new();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/big-install");
    let requirements = std::fs::read_to_string(fixture.join("requirements.txt")).unwrap();
    let dir = w.project("big install", &requirements);
    let out = w
        .cmd()
        .arg("setup")
        .arg(&dir)
        .env("DARWINIX_BIG_INSTALL_BYTES", "1000")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("This install downloads ") && said.contains(" KB (six "),
        "{said}"
    );
    assert_eq!(run_in_venv(&dir, "import six; print('ok')").trim(), "ok");

    // Under the threshold nothing is said.
    let small = w.project("small install", &requirements);
    let out = w.cmd().arg("setup").arg(&small).output().unwrap();
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("This install downloads"));
}
