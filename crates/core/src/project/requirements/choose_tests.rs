use super::*;

fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// What was used (as described) and what was not, with why.
fn chosen(files: &[(&str, &str)]) -> (Option<String>, Vec<(String, String)>) {
    let dir = folder(files);
    let choice = choose(dir.path(), None).unwrap();
    described(choice)
}

fn described(choice: Choice) -> (Option<String>, Vec<(String, String)>) {
    let ignored = choice
        .ignored
        .into_iter()
        .map(|i| (i.file, i.why))
        .collect();
    (choice.source.map(|s| s.describe()), ignored)
}

fn pair(file: &str, why: &str) -> (String, String) {
    (file.into(), why.into())
}

const TOOLS_ONLY: &str = "[tool.black]\nline-length = 100\n[tool.ruff]\nselect = [\"E\"]\n";
const ENV: &str = "name: course\ndependencies:\n  - python=3.9\n  - numpy\n";

#[test]
fn a_pyproject_of_tool_settings_does_not_hide_environment_yml() {
    let (used, ignored) = chosen(&[
        ("pyproject.toml", TOOLS_ONLY),
        ("environment.yml", ENV),
        ("requirements.txt", "six\n"),
    ]);
    assert_eq!(used.as_deref(), Some("environment.yml"));
    assert_eq!(
        ignored,
        [
            pair(
                "pyproject.toml",
                "it holds only tool settings ([tool.…]), no dependencies"
            ),
            pair("requirements.txt", "environment.yml comes first"),
        ]
    );
    let (used, ignored) = chosen(&[
        ("pyproject.toml", TOOLS_ONLY),
        ("requirements.txt", "six\n"),
    ]);
    assert_eq!(used.as_deref(), Some("requirements.txt"));
    assert_eq!(ignored.len(), 1, "{ignored:?}");
}

#[test]
fn binders_order_decides_between_the_files() {
    let pyproject = "[project]\nname='p'\ndependencies=['pandas']\n";
    let pipfile = "[packages]\nsix = \"*\"\n";
    let all = [
        ("environment.yml", ENV),
        ("Pipfile", pipfile),
        ("pyproject.toml", pyproject),
        ("requirements.txt", "six\n"),
    ];
    for (n, expected) in [
        (0, "environment.yml"),
        (1, "Pipfile"),
        (2, "pyproject.toml"),
        (3, "requirements.txt"),
    ] {
        let (used, ignored) = chosen(&all[n..]);
        assert_eq!(used.as_deref(), Some(expected));
        let later: Vec<_> = all[n + 1..]
            .iter()
            .map(|(f, _)| pair(f, &format!("{expected} comes first")))
            .collect();
        assert_eq!(ignored, later);
    }
    let (used, ignored) = chosen(&[("Pipfile.lock", "{\"default\": {}}"), ("Pipfile", pipfile)]);
    assert_eq!(used.as_deref(), Some("Pipfile.lock"));
    assert!(ignored.is_empty(), "the lock stands for its Pipfile");
    let (used, _) = chosen(&[("pyproject.toml", pyproject), ("uv.lock", "version = 1\n")]);
    assert_eq!(used.as_deref(), Some("pyproject.toml and uv.lock"));
}

#[test]
fn the_folders_own_package_is_installed_after_its_requirements() {
    let (used, ignored) = chosen(&[("setup.py", "from setuptools import setup\nsetup()\n")]);
    assert_eq!(
        used.as_deref(),
        Some("the folder's own package (setup.py or pyproject.toml)")
    );
    assert!(ignored.is_empty());
    let (used, ignored) = chosen(&[
        ("setup.py", "from setuptools import setup\nsetup()\n"),
        ("requirements.txt", "six\n"),
    ]);
    assert_eq!(
        used.as_deref(),
        Some("requirements.txt and the folder's own package")
    );
    assert!(ignored.is_empty(), "{ignored:?}");
    let package = "[build-system]\nrequires=['hatchling']\n[project]\nname='p'\nversion='1'\n";
    let dir = folder(&[("pyproject.toml", package)]);
    assert_eq!(
        choose(dir.path(), None).unwrap().source,
        Some(Source::Package),
        "[project] and [build-system] without dependencies: `pip install .`"
    );
}

#[test]
fn a_binder_folder_is_the_only_place_read() {
    let (used, ignored) = chosen(&[
        ("binder/requirements.txt", "six\n"),
        ("binder/apt.txt", "swig\n"),
        ("requirements.txt", "numpy\n"),
        ("environment.yml", ENV),
        ("setup.py", "from setuptools import setup\nsetup()\n"),
    ]);
    assert_eq!(used.as_deref(), Some("binder/requirements.txt"));
    let why = "binder/ holds this project's setup files (Binder reads only there)";
    assert_eq!(
        ignored,
        [
            pair("environment.yml", why),
            pair("requirements.txt", why),
            pair("setup.py", why),
            pair(
                "binder/apt.txt",
                "Darwinix does not install system packages"
            ),
        ]
    );
    let (used, _) = chosen(&[
        (".binder/environment.yml", ENV),
        ("requirements.txt", "six\n"),
    ]);
    assert_eq!(used.as_deref(), Some(".binder/environment.yml"));
}

#[test]
fn two_binder_folders_are_an_error_naming_them() {
    let dir = folder(&[
        ("binder/requirements.txt", "six\n"),
        (".binder/requirements.txt", "six\n"),
    ]);
    let e = choose(dir.path(), None).unwrap_err();
    assert!(matches!(e, Error::TwoBinderFolders { .. }), "{e}");
    assert!(e.to_string().contains("binder/"), "{e}");
    assert!(crate::hints::hint(&e).unwrap().contains("Project settings"));
}

#[test]
fn a_broken_first_file_is_an_error_a_broken_later_one_is_not_read() {
    let broken = "[project\nname = 'p'\n";
    let dir = folder(&[("pyproject.toml", broken), ("requirements.txt", "six\n")]);
    assert!(matches!(
        choose(dir.path(), None),
        Err(Error::BadProjectFile { line: 1, .. })
    ));
    let (used, ignored) = chosen(&[("environment.yml", ENV), ("pyproject.toml", broken)]);
    assert_eq!(used.as_deref(), Some("environment.yml"));
    assert_eq!(
        ignored,
        [pair("pyproject.toml", "environment.yml comes first")]
    );
}

#[test]
fn the_users_pick_wins_and_a_vanished_pick_is_said() {
    let dir = folder(&[
        ("environment.yml", ENV),
        ("requirements.txt", "six\n"),
        ("requirements-dev.txt", "pytest\n"),
    ]);
    let choice = choose(dir.path(), Some("requirements-dev.txt")).unwrap();
    assert!(choice.picked);
    let (used, ignored) = described(choice);
    assert_eq!(used.as_deref(), Some("requirements-dev.txt"));
    let why = "you chose requirements-dev.txt in Project settings";
    assert_eq!(
        ignored,
        [pair("environment.yml", why), pair("requirements.txt", why)]
    );
    let gone = choose(dir.path(), Some("gone.txt")).unwrap();
    assert!(!gone.picked);
    assert!(gone.notice.unwrap().contains("gone.txt"));
    assert_eq!(
        pickable(dir.path()),
        [
            "environment.yml",
            "requirements-dev.txt",
            "requirements.txt"
        ]
    );
}

#[test]
fn a_folder_without_setup_files_reads_its_imports() {
    let (used, ignored) = chosen(&[("notes.ipynb", "{}"), ("Dockerfile", "FROM x\n")]);
    assert_eq!(used, None);
    assert_eq!(
        ignored,
        [pair("Dockerfile", "Darwinix does not build Docker images")]
    );
}
