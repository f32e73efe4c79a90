//! What all tests of one run share, made once: a uv fetched by Darwinix itself, the JupyterLab
//! runtime, and a project with JupyterLab installed. They live in the target folder's `tmp/`,
//! so a later run finds them made.

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use crate::env;

/// `<target>/tmp`, as Cargo's `CARGO_TARGET_TMPDIR` (which only integration tests get): a test
/// binary runs from `<target>/<profile>/deps/`.
pub fn target_tmp() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let target = exe
        .ancestors()
        .nth(3)
        .expect("a binary in <target>/<profile>/deps");
    target.join("tmp")
}

/// A file of the repository (`tests/fixtures/...`, `tests/kernel/...`).
pub fn repo_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative)
}

/// The built `darwinix` with DARWINIX_HOME `home` and Python searched only in `search`; its
/// runtimes are the shared ones unless `own_runtimes`.
pub(crate) fn darwinix(home: &Path, search: &[PathBuf], own_runtimes: bool) -> Command {
    if !own_runtimes {
        link_shared_runtimes(home, shared_runtimes());
    }
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("darwinix"));
    let joined = std::env::join_paths(search).expect("search folders without ':'");
    cmd.env(env::HOME, home).env(env::SEARCH_PATH, joined);
    cmd
}

fn shared_runtimes_dir() -> PathBuf {
    target_tmp().join("shared-runtimes")
}

/// The home's `data/runtimes` as a link to `shared`, unless the home has its own already.
fn link_shared_runtimes(home: &Path, shared: &Path) {
    let runtimes = home.join("data/runtimes");
    if std::fs::symlink_metadata(&runtimes).is_err() {
        std::fs::create_dir_all(home.join("data")).unwrap();
        let _ = symlink(shared, &runtimes);
    }
}

/// A folder of `root` holding only a link to the real Python, made once: a runtime built from
/// it must outlive every test's own temporary folder.
fn lasting_python_dir(root: &Path) -> PathBuf {
    let pybin = root.join("pybin");
    if !pybin.exists() {
        std::fs::create_dir_all(&pybin).unwrap();
        symlink(real_python(), pybin.join("python3")).unwrap();
    }
    pybin
}

/// `darwinix setup` of an empty project under `root`, with its own runtimes folder `shared`.
fn bootstrap(root: &Path, search: &[PathBuf], timeout: Option<Duration>) {
    let project = root.join("bootstrap-project");
    let home = root.join("home");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::create_dir_all(shared_runtimes_dir()).unwrap();
    std::fs::write(project.join("requirements.txt"), "# nothing\n").unwrap();
    link_shared_runtimes(&home, &shared_runtimes_dir());
    let mut cmd = assert_cmd::Command::from_std(darwinix(&home, search, true));
    if let Some(limit) = timeout {
        cmd.timeout(limit);
    }
    cmd.arg("setup").arg(&project).assert().success();
}

/// The runtimes folder all tests share, with the runtime made once (see `bootstrap`).
pub fn shared_runtimes() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let root = target_tmp().join("shared-runtime");
        let search = [lasting_python_dir(&root), shared_uv_dir().to_path_buf()];
        bootstrap(&root, &search, Some(Duration::from_secs(900)));
        shared_runtimes_dir()
    })
}

/// A folder with a uv that Darwinix itself fetched from PyPI, once per test run: this is the
/// real bootstrap path, and the other tests then need no network for uv.
pub fn shared_uv_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let root = target_tmp().join("shared-uv");
        let uv_bin = root.join("home/data/tools/uv/bin");
        if !uv_bin.join("uv").is_file() {
            // Its setup makes the shared runtime too, from this folder's lasting Python.
            bootstrap(&root, &[lasting_python_dir(&root)], None);
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
    SHARED_PROJECT.get_or_init(|| {
        let root = target_tmp().join("shared-jupyter");
        let project = root.join("Notebooks ü");
        let home = root.join("home");
        std::fs::create_dir_all(&root).unwrap();
        let search = [lasting_python_dir(&root), shared_uv_dir().to_path_buf()];
        let run = |args: &[&str]| {
            assert_cmd::Command::from_std(darwinix(&home, &search, false))
                .args(args)
                .arg(&project)
                .assert()
                .success();
        };
        run(&["new", "--template", "minimal"]);
        run(&["setup"]);
        project
    })
}

static SHARED_PROJECT: OnceLock<PathBuf> = OnceLock::new();

/// The shared JupyterLab project, if a test of this run has made it (for the filters).
pub(crate) fn shared_jupyter_project_if_made() -> Option<&'static Path> {
    SHARED_PROJECT.get().map(PathBuf::as_path)
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

/// A folder of `parent` holding only a link to the real Python (a non-ASCII name on purpose).
pub fn dir_with_real_python(parent: &Path) -> PathBuf {
    let dir = parent.join("real bin ünïcode");
    std::fs::create_dir_all(&dir).unwrap();
    symlink(real_python(), dir.join("python3")).unwrap();
    dir
}
