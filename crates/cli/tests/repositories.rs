//! Repositories as people have them (`tests/fixtures/`), started with one command: the setup
//! file chosen as Binder chooses it, what is not used said with why, and a real kernel that
//! imports what the chosen file lists. Real uv, real packages, the shared JupyterLab runtime.
#![cfg(target_os = "linux")]

use std::path::Path;
use std::time::Duration;

use darwinix_testkit::TestContext;

/// A context whose commands may install for up to ten minutes.
fn world() -> TestContext {
    TestContext::new().with_timeout(Duration::from_secs(600))
}

/// The lines `start` said about the setup files.
fn source_lines(said: &str) -> Vec<&str> {
    said.lines()
        .filter(|l| l.starts_with("==> Packages from") || l.starts_with("==> Python "))
        .collect()
}

#[test]
fn a_pyproject_of_tool_settings_does_not_hide_environment_yml() {
    let w = world();
    let dir = w.fixture("tools-pyproject-and-environment", "data course");
    let said = w.started(&dir);
    assert_eq!(
        source_lines(&said)[0],
        "==> Packages from environment.yml · pyproject.toml not used: it holds only tool settings ([tool.…]), no dependencies · requirements.txt not used: environment.yml comes first",
        "{said}"
    );
    w.kernel_imports(&dir, "six, idna");
    let described = w.described(&dir);
    assert_eq!(described["packages_from"], "environment.yml");
    assert_eq!(
        described["not_used"][1],
        serde_json::json!({"file": "requirements.txt", "why": "environment.yml comes first"})
    );
}

#[test]
fn a_binder_folder_is_the_only_place_read_and_a_pipfile_lock_comes_before_requirements() {
    let w = world();
    let binder = w.fixture("binder-folder", "binder course");
    let said = w.started(&binder);
    let line = source_lines(&said)[0];
    assert!(
        line.starts_with("==> Packages from binder/requirements.txt · requirements.txt not used: binder/ holds this project's setup files"),
        "{said}"
    );
    assert!(
        line.contains("binder/apt.txt not used: Darwinix does not install system packages"),
        "{line}"
    );
    w.kernel_imports(&binder, "six");
    let pipenv = w.fixture("pipfile-lock", "pipenv course");
    let said = w.started(&pipenv);
    assert!(
        said.contains(
            "==> Packages from Pipfile.lock · requirements.txt not used: Pipfile.lock comes first"
        ),
        "{said}"
    );
    let (_, versions, error) = w.run_in_kernel(
        &pipenv,
        "import six, idna; print(six.__version__, idna.__version__)",
    );
    assert_eq!(
        (versions.trim(), error),
        ("1.16.0 3.10", None),
        "the lock's versions, dev packages too"
    );
}

#[test]
fn a_setup_py_package_is_installed_with_its_dependencies() {
    let w = world();
    let dir = w.fixture("setup-py-package", "helpers course");
    // Its own setup.py runs while installing: Darwinix asks first (the trust prompt).
    let refused = w.start(&dir, &[]);
    assert!(!refused.status.success());
    let said = w.started_with(&dir, &["--trust"]);
    assert!(
        said.contains("==> Packages from the folder's own package (setup.py or pyproject.toml)"),
        "{said}"
    );
    let (_, out, error) = w.run_in_kernel(&dir, "import six, helpers; print(helpers.ANSWER)");
    assert_eq!((out.trim(), error), ("42", None));
}

#[test]
fn the_python_a_project_asks_for_is_named_and_the_one_here_used_when_it_cannot_be_had() {
    let w = world();
    let dir = w.fixture("runtime-txt", "old course");
    let said = w.started(&dir);
    assert!(
        source_lines(&said).contains(&"==> Python 3.9, as runtime.txt asks"),
        "{said}"
    );
    assert!(
        said.contains("The project asks for Python 3.9, which is not here"),
        "the mismatch is named: {said}"
    );
    let (_, version, error) = w.run_in_kernel(
        &dir,
        "import sys, six; print('%d.%d' % sys.version_info[:2])",
    );
    assert_eq!((version.trim(), error), ("3.11", None));
    // Asked once: the next start keeps the environment instead of trying again.
    w.stop(&dir);
    let said = w.started(&dir);
    assert!(!said.contains("making .venv again"), "{said}");
}

#[test]
fn a_poetry_projects_packages_are_requested_in_its_file_and_another_file_can_be_picked() {
    let w = world();
    let dir = w.fixture("poetry-project", "poetry course");
    w.started(&dir);
    w.kernel_imports(&dir, "six, idna");
    let out = w
        .cmd()
        .args(["packages", "--project"])
        .arg(&dir)
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(
        listed.starts_with("Packages from pyproject.toml"),
        "{listed}"
    );
    let six = listed.lines().find(|l| l.starts_with("six ")).unwrap();
    assert!(six.ends_with("requested in pyproject.toml"), "{listed}");
    assert!(!listed.contains("installed by hand"), "{listed}");
    // Another file, picked with --from and remembered; the project's files stay as they are.
    std::fs::write(dir.join("requirements-extra.txt"), "six\n").unwrap();
    w.stop(&dir);
    let out = w.start(&dir, &["--from", "requirements-extra.txt"]);
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("==> Packages from requirements-extra.txt (your choice) · pyproject.toml not used: you chose requirements-extra.txt in Project settings"),
        "{said}"
    );
    let out = w.start(&dir, &["--from", "nowhere.txt"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("nowhere.txt is not a file in"),
        "a file that is not there is refused"
    );
    assert!(
        !Path::new(&dir.join("requirements.txt")).exists(),
        "nothing written"
    );
}

#[test]
fn folders_that_cannot_be_set_up_say_why_before_anything_is_installed() {
    let w = world();
    let py2 = w.folder(
        "python 2 course",
        &[(
            "environment.yml",
            "dependencies:\n  - python=2.7\n  - numpy\n",
        )],
    );
    let out = w.start(&py2, &[]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        said.contains(
            "environment.yml asks for Python 2.7: notebooks written for Python 2 cannot run"
        ),
        "{said}"
    );
    assert!(!py2.join(".venv").exists(), "nothing installed");
    let both = w.folder(
        "two binders",
        &[
            ("binder/requirements.txt", "six\n"),
            (".binder/requirements.txt", "six\n"),
        ],
    );
    let out = w.start(&both, &[]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        said.contains("has both a binder/ and a .binder/ folder"),
        "{said}"
    );
    assert!(said.contains("--from"), "the flag that picks one: {said}");
    assert!(!both.join(".venv").exists());
}
