//! Folders people actually have, started with one command: real uv, real packages from the
//! index, the shared JupyterLab runtime, and a real kernel that runs code over the server's API
//! (REST and websocket) — its `sys.prefix` is the project's `.venv` and its packages import.
#![cfg(target_os = "linux")]

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;
use std::time::Duration;

use darwinix_testkit::{cmdline, json, notebook, repo_path, shared_uv_dir, TestContext};

/// A context whose commands may install for up to ten minutes.
fn world() -> TestContext {
    TestContext::new().with_timeout(Duration::from_secs(600))
}

#[test]
fn requirements_without_jupyterlab_get_the_shared_one_and_a_kernel_in_their_venv() {
    let w = world();
    let dir = w.folder("Course ü/week 1", &[("requirements.txt", "six\n")]);
    w.started(&dir);
    w.kernel_imports(&dir, "six");
    assert!(
        !dir.join(".venv/bin/jupyter-lab").exists(),
        "JupyterLab is the runtime's"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("requirements.txt")).unwrap(),
        "six\n",
        "the user's file is untouched"
    );
    let described = w.described(&dir);
    assert_eq!(described["packages_from"], "requirements.txt");
    assert!(described["jupyterlab"]
        .as_str()
        .unwrap()
        .contains("shared by your projects"));
    assert_eq!(described["kernel_shared"], true);
}

/// `-r` and `-c` lines, as course repositories split their requirements: the included file's
/// packages are installed at the constrained version, and a change to an included file alone
/// is seen at the next start.
#[test]
fn included_and_constraint_files_are_followed_and_watched() {
    let w = world();
    let dir = w.folder(
        "split requirements",
        &[
            (
                "requirements.txt",
                "-r reqs/base.txt\n-c reqs/constraints.txt\n",
            ),
            ("reqs/base.txt", "six\n"),
            ("reqs/constraints.txt", "six==1.16.0\n"),
        ],
    );
    w.started(&dir);
    let out = w.kernel_imports(&dir, "six");
    let (_, version, error) = w.run_in_kernel(&dir, "import six; print(six.__version__)");
    assert_eq!((version.trim(), error), ("1.16.0", None), "{out}");
    w.stop(&dir);
    std::fs::write(dir.join("reqs/base.txt"), "six\nidna\n").unwrap();
    let said = w.started(&dir);
    assert!(!said.contains("nothing changed"), "{said}");
    w.kernel_imports(&dir, "six, idna");
    assert_eq!(
        std::fs::read_to_string(dir.join("requirements.txt")).unwrap(),
        "-r reqs/base.txt\n-c reqs/constraints.txt\n",
        "the user's files are untouched"
    );
}

#[test]
fn a_folder_of_notebooks_gets_a_requirements_file_from_its_imports() {
    let w = world();
    let dir = w.folder(
        "from a colleague",
        &[
            (
                "Analysis.ipynb",
                &notebook(&[
                    "import six\nfrom idna import encode\nimport os, json\n",
                    "%pip install -q packaging\nimport darwinix_no_such_module_4711\n",
                ]),
            ),
            ("helpers.py", "import sys\n"),
            ("broken.ipynb", "{ this is not json"),
            // The project's own modules, deeper down, imported from a notebook elsewhere.
            (
                "notebooks/week1/Week1.ipynb",
                &notebook(&["import functions\nfrom myModule import x\n"]),
            ),
            ("src/functions.py", "import six\n"),
            ("lib/myModule/__init__.py", "x = 1\n"),
        ],
    );
    let said = w.started(&dir);
    assert!(
        said.contains("Skipped") && said.contains("broken.ipynb"),
        "{said}"
    );
    // A name no package is known by is not installed, and said; the rest is installed.
    assert!(
        said.contains(
            "not installed: `darwinix_no_such_module_4711` — no package of that name is known"
        ),
        "{said}"
    );
    assert!(
        !said.contains("`functions`") && !said.contains("myModule"),
        "{said}"
    );
    let written = std::fs::read_to_string(dir.join("requirements.txt")).unwrap();
    assert!(
        written.starts_with("# Made by Darwinix from the imports"),
        "{written}"
    );
    assert!(written.ends_with("\nidna\npackaging\nsix\n"), "{written}");
    assert!(
        !written.contains("no-such") && !written.contains("functions"),
        "{written}"
    );
    w.kernel_imports(&dir, "six, idna, packaging");
}

#[test]
fn a_uv_project_is_synced_exactly_to_its_lock() {
    let w = world();
    let dir = w.folder(
        "uv project",
        &[(
            "pyproject.toml",
            "[project]\nname = \"analysis\"\nversion = \"0.1.0\"\nrequires-python = \">=3.9\"\ndependencies = [\"six==1.16.0\"]\n\n[dependency-groups]\nnotebook = [\"idna\"]\n",
        )],
    );
    // The lock the project ships, made by uv itself.
    let uv = shared_uv_dir().join("uv");
    let locked = StdCommand::new(uv)
        .arg("lock")
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(locked.status.success(), "{locked:?}");
    let lock = std::fs::read(dir.join("uv.lock")).unwrap();
    w.started(&dir);
    // `notebook`: the dependency group for the notebooks is synced too.
    w.kernel_imports(&dir, "six, idna");
    let (_, version, _) = w.run_in_kernel(&dir, "import six; print(six.__version__)");
    assert_eq!(version.trim(), "1.16.0");
    assert_eq!(
        std::fs::read(dir.join("uv.lock")).unwrap(),
        lock,
        "the lock is left as it is"
    );
    assert_eq!(
        w.described(&dir)["packages_from"],
        "pyproject.toml and uv.lock"
    );
}

#[test]
fn a_pyproject_package_is_installed_editable_with_its_dependencies() {
    let w = world();
    let dir = w.folder(
        "my package",
        &[
            (
                "pyproject.toml",
                "[build-system]\nrequires = [\"setuptools>=61\"]\nbuild-backend = \"setuptools.build_meta\"\n\n[project]\nname = \"mytools\"\nversion = \"0.1.0\"\ndependencies = [\"six\"]\n\n[dependency-groups]\ndev = [\"idna\"]\n",
            ),
            ("src/mytools/__init__.py", "ANSWER = 42\n"),
        ],
    );
    // Its own build runs while installing: the user's yes, as the trust prompt asks for.
    w.started_with(&dir, &["--trust"]);
    w.kernel_imports(&dir, "six, idna, mytools");
    // Editable: a change to the code is what the next kernel imports.
    std::fs::write(dir.join("src/mytools/__init__.py"), "ANSWER = 43\n").unwrap();
    let (_, out, error) = w.run_in_kernel(&dir, "import mytools; print(mytools.ANSWER)");
    assert_eq!((out.trim(), error), ("43", None));
}

#[test]
fn an_environment_yml_is_read_without_conda() {
    let w = world();
    let dir = w.folder(
        "course with conda",
        &[(
            "environment.yml",
            "name: course\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.11\n  - six=1.16\n  - nodejs\n  - pip\n  - pip:\n    - idna\n",
        )],
    );
    let said = w.started(&dir);
    assert!(said.contains("nodejs"), "named in a warning: {said}");
    w.kernel_imports(&dir, "six, idna");
    let (_, version, _) = w.run_in_kernel(&dir, "import six; print(six.__version__)");
    assert!(version.trim().starts_with("1.16."), "{version}");
    // Darwinix's kernel: a missing module gets the Install offer under its traceback.
    let offered = w.displays_in_kernel(&dir, "import sklearn");
    assert!(
        offered.contains(&"application/vnd.darwinix.install+json".to_string()),
        "{offered:?}"
    );
}

#[test]
fn a_project_that_lists_jupyterlab_keeps_its_own() {
    let w = world();
    let dir = w.folder("own lab", &[("requirements.txt", "jupyterlab\nsix\n")]);
    w.started(&dir);
    assert!(dir.join(".venv/bin/jupyter-lab").exists());
    let described = w.described(&dir);
    assert!(described["runtime"].is_null(), "{described}");
    let entry = w.server_of(&dir);
    let server = cmdline(entry["pid"].as_u64().unwrap() as u32);
    assert!(server.contains(".venv/bin/"), "{server}");
    let code = "import sys, six\nprint(sys.prefix)";
    let (_, out, error) = w.run_in_kernel(&dir, code);
    assert_eq!(error, None);
    assert_eq!(
        Path::new(out.trim()),
        std::fs::canonicalize(dir.join(".venv")).unwrap()
    );
    // The project's own kernel, not Darwinix's: a missing module gets its traceback and no
    // Install offer, and nothing breaks.
    assert_eq!(
        w.displays_in_kernel(&dir, "import sklearn"),
        Vec::<String>::new()
    );
}

#[test]
fn old_pins_are_named_and_current_versions_are_one_choice_away() {
    let w = world();
    let original = "# from a 2016 course\nsix==1.16.0\npandas==0.18.1\n";
    let dir = w.folder("course 2016", &[("requirements.txt", original)]);
    let out = w.start(&dir, &[]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("pandas==0.18.1"), "{said}");
    assert!(
        !said.contains("six==1.16.0"),
        "a pin that works is not blamed: {said}"
    );
    assert!(said.contains("--ignore-pins"), "{said}");
    let out = w.start(&dir, &["--ignore-pins"]);
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{said}");
    assert!(said.contains("Started with current versions"), "{said}");
    let (_, versions, error) = w.run_in_kernel(
        &dir,
        "import six, pandas; print(six.__version__, pandas.__version__)",
    );
    assert_eq!(error, None);
    let mut versions = versions.split_whitespace();
    assert_eq!(
        versions.next(),
        Some("1.16.0"),
        "the pin that works is kept"
    );
    assert!(!versions.next().unwrap().starts_with("0.18"));
    assert_eq!(
        std::fs::read_to_string(dir.join("requirements.txt")).unwrap(),
        original
    );
    // Remembered, and said again on the next start.
    w.stop(&dir);
    let said = w.started(&dir);
    assert!(said.contains("Started with current versions"), "{said}");
}

#[test]
fn offline_a_project_starts_on_the_environment_it_has() {
    let w = world();
    let dir = w.folder("offline", &[("requirements.txt", "six\n")]);
    w.started(&dir);
    w.stop(&dir);
    std::fs::write(dir.join("requirements.txt"), "six\nidna\n").unwrap();
    let out = w
        .cmd()
        .arg("start")
        .arg(&dir)
        .arg("--no-browser")
        .env("UV_INDEX_URL", "http://127.0.0.1:9/simple")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{said}");
    assert!(said.contains("could not be reached"), "{said}");
    assert!(said.contains("Not installed yet: idna"), "{said}");
    w.kernel_imports(&dir, "six");
    // With the index back, the next start installs what was missing.
    w.stop(&dir);
    w.started(&dir);
    w.kernel_imports(&dir, "six, idna");
}

#[test]
fn two_projects_make_the_runtime_once_and_an_interrupted_one_is_repaired() {
    let w = world();
    // This test's own runtimes folder: it watches the runtime being made.
    let runtimes = w.home().join("data/runtimes");
    std::fs::create_dir_all(&runtimes).unwrap();
    let a = w.folder("first", &[("requirements.txt", "six\n")]);
    let b = w.folder("second", &[("requirements.txt", "idna\n")]);
    // What an interrupted download leaves: the runtime's folder, half made, no marker.
    let runtime = PathBuf::from(w.described(&a)["runtime"].as_str().unwrap().to_string());
    assert!(runtime.starts_with(&runtimes));
    std::fs::create_dir_all(runtime.join("lib/python3/site-packages/half")).unwrap();
    std::fs::write(runtime.join("pyvenv.cfg"), "home = /nowhere\n").unwrap();
    fn start(dir: &Path) -> Vec<&std::ffi::OsStr> {
        vec!["start".as_ref(), dir.as_os_str(), "--no-browser".as_ref()]
    }
    let (one, two) = w.both_at_once(&start(&a), &start(&b));
    for out in [&one, &two] {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&one.stderr),
        String::from_utf8_lossy(&two.stderr)
    );
    assert_eq!(
        said.matches("waiting for it to finish").count(),
        1,
        "{said}"
    );
    // Made once: one `venv` command in the runtime's log.
    let log = std::fs::read_to_string(w.home().join("data/logs/runtime.setup.log")).unwrap();
    let made = log
        .lines()
        .filter(|l| l.starts_with("$ ") && l.contains(" venv "))
        .count();
    assert_eq!(made, 1, "{log}");
    assert!(runtime.join("darwinix-runtime.json").is_file());
    assert!(
        !runtime.join("lib/python3/site-packages/half").exists(),
        "repaired"
    );
    let made: Vec<_> = std::fs::read_dir(&runtimes)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir() && e.file_name().to_string_lossy().starts_with("jupyterlab-"))
        .collect();
    assert_eq!(made.len(), 1, "one runtime for both");
    let (kernels, out, error) = w.run_in_kernel(&b, "import idna; print('ok')");
    assert_eq!((kernels.len(), out.trim(), error), (1, "ok", None));
}

#[test]
fn a_pyproject_that_does_not_parse_is_named_with_its_line() {
    let w = world();
    let dir = w.folder(
        "broken project",
        &[(
            "pyproject.toml",
            "[project]\nname = \"x\"\ndependencies = [\"six\",\n",
        )],
    );
    let out = w.start(&dir, &[]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("pyproject.toml") && said.contains("line 4"),
        "{said}"
    );
    assert!(!dir.join(".venv").exists(), "nothing half made");
}

/// A project that lists its own old JupyterLab (jupyter_server 2.14.2, which reports port 0
/// when asked to pick its port: #1650) starts on the port Darwinix chose, and a kernel runs;
/// `--shared-jupyterlab` then runs the same packages in Darwinix's JupyterLab.
#[test]
fn an_old_own_jupyterlab_starts_and_the_shared_one_is_one_flag_away() {
    let w = world();
    let dir = w.fixture("old-jupyterlab", "old lab");
    w.started(&dir);
    let entry = w.server_of(&dir);
    let port = entry["port"].as_u64().unwrap();
    assert_ne!(port, 0);
    let server = cmdline(entry["pid"].as_u64().unwrap() as u32);
    assert!(
        server.contains(".venv/bin/"),
        "its own JupyterLab: {server}"
    );
    assert!(
        server.contains(&format!("--ServerApp.port={port}")),
        "{server}"
    );
    // The server's own runtime file: the old jupyter_server, on the chosen port.
    let runtime_dir = Path::new(entry["runtime_dir"].as_str().unwrap());
    let file = std::fs::read_dir(runtime_dir)
        .unwrap()
        .flatten()
        .find(|f| f.file_name().to_string_lossy().ends_with(".json"))
        .map(|f| json(&std::fs::read(f.path()).unwrap()))
        .expect("a jpserver file");
    assert_eq!(
        (file["version"].as_str(), file["port"].as_u64()),
        (Some("2.14.2"), Some(port))
    );
    w.kernel_imports(&dir, "six");
    w.stop(&dir);

    let out = w.start(&dir, &["--shared-jupyterlab"]);
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{said}");
    let server = cmdline(w.server_of(&dir)["pid"].as_u64().unwrap() as u32);
    assert!(
        !server.contains("old lab/.venv"),
        "Darwinix's JupyterLab: {server}"
    );
    assert!(w.described(&dir)["jupyterlab"]
        .as_str()
        .unwrap()
        .contains("shared by your projects"));
    w.kernel_imports(&dir, "six");
}

/// A package whose build runs SWIG, on a computer without SWIG (as `box2d-py` in a course's
/// requirements): the start names the package and the tool and offers `--without`, which
/// then starts with the rest installed, remembered and said on every start.
#[test]
fn a_package_that_needs_a_missing_build_tool_is_named_and_left_out_on_request() {
    let w = world();
    // A copy: the build writes into the package's folder.
    let package = w.root().join("needs-swig");
    let fixture = repo_path("tests/fixtures/needs-swig");
    std::fs::create_dir_all(&package).unwrap();
    for file in ["setup.py", "needs_swig.i"] {
        std::fs::copy(fixture.join(file), package.join(file)).unwrap();
    }
    let listed = format!("needs-swig @ file://{}\nsix\n", package.display());
    let dir = w.folder("course with swig", &[("requirements.txt", &listed)]);
    // Only the folders of PATH without a `swig` in them.
    let path = std::env::var_os("PATH").unwrap();
    let path =
        std::env::join_paths(std::env::split_paths(&path).filter(|d| !d.join("swig").exists()))
            .unwrap();
    let start = |extra: &[&str]| {
        w.cmd()
            .env("PATH", &path)
            .arg("start")
            .arg(&dir)
            .args(["--no-browser", "--trust"])
            .args(extra)
            .output()
            .unwrap()
    };
    let out = start(&[]);
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "{said}");
    assert!(
        said.contains(
            "needs-swig could not be built: it needs SWIG, which this computer does not have"
        ),
        "{said}"
    );
    assert!(
        said.contains("`darwinix start --without needs-swig`"),
        "{said}"
    );
    assert!(!said.contains("check the package names"), "{said}");

    let out = start(&["--without", "needs-swig"]);
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{said}");
    assert!(said.contains("Started without needs-swig"), "{said}");
    w.kernel_imports(&dir, "six");
    assert_eq!(
        std::fs::read_to_string(dir.join("requirements.txt")).unwrap(),
        listed,
        "the user's file is untouched"
    );
    // Remembered: the next start needs no flag, and says it again.
    w.stop(&dir);
    let out = start(&[]);
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{said}");
    assert!(said.contains("Started without needs-swig"), "{said}");
}
