use super::*;

fn project(dir: &Path) -> Project {
    Project {
        dir: dir.to_path_buf(),
    }
}

fn requirements(dir: &Path, text: &str) -> Source {
    std::fs::write(dir.join("requirements.txt"), text).unwrap();
    Source::Requirements {
        file: dir.join("requirements.txt"),
        package: false,
    }
}

fn setup<'a>(project: &'a Project, source: Option<&'a Source>, first: bool) -> Setup<'a> {
    Setup {
        project,
        source,
        index: "PyPI",
        first,
        origin: None,
    }
}

fn private_dir() -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

#[test]
fn the_users_own_folder_with_index_packages_is_not_asked_about() {
    let dir = private_dir();
    let p = project(dir.path());
    let source = requirements(dir.path(), "numpy\npandas>=2\n");
    assert_eq!(ask(&setup(&p, Some(&source), true)), None);
    assert_eq!(ask(&setup(&p, None, true)), None);
}

#[test]
fn a_git_requirement_is_asked_about_before_the_first_setup_only() {
    let dir = private_dir();
    let p = project(dir.path());
    let source = requirements(
        dir.path(),
        "numpy\ngit+https://github.com/ann/tools.git\n--extra-index-url https://evil.example/simple\n",
    );
    let asked = ask(&setup(&p, Some(&source), true)).expect("asked");
    assert_eq!(asked.from_file.as_deref(), Some("requirements.txt"));
    assert_eq!(
        asked.reasons,
        ["requirements.txt installs from beyond the package index: a git repository at github.com (and 1 more)"]
    );
    assert_eq!(asked.installs.len(), 3);
    assert_eq!(asked.installs[0].from, "PyPI");
    assert_eq!(ask(&setup(&p, Some(&source), false)), None);
}

#[test]
fn a_folder_others_may_write_to_is_asked_about_every_time() {
    use std::os::unix::fs::PermissionsExt;
    let dir = private_dir();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let p = project(dir.path());
    let source = requirements(dir.path(), "numpy\n");
    for first in [true, false] {
        let asked = ask(&setup(&p, Some(&source), first)).expect("asked");
        assert_eq!(
            asked.reasons,
            ["other accounts on this computer may change its files"]
        );
    }
}

/// Root can hand a folder to another account (`nobody`), as a shared drive or a second user's
/// folder in /tmp would be.
#[test]
#[allow(clippy::print_stderr)]
fn another_accounts_folder_is_asked_about_and_its_owner_named() {
    let dir = private_dir();
    let source = requirements(dir.path(), "numpy\n");
    if std::os::unix::fs::chown(dir.path(), Some(65534), None).is_err() {
        eprintln!("skipped: only root can give a folder to another account");
        return;
    }
    let p = project(dir.path());
    let asked = ask(&setup(&p, Some(&source), false)).expect("asked");
    assert!(
        asked.reasons[0].starts_with("it belongs to another account ("),
        "{:?}",
        asked.reasons
    );
}

#[test]
fn the_remembered_answer_decides_and_a_new_question_names_the_folder() {
    use std::os::unix::fs::PermissionsExt;
    let home = tempfile::tempdir().unwrap();
    let paths = AppPaths::under(home.path());
    let dir = private_dir();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let p = project(dir.path());
    let source = requirements(dir.path(), "numpy\n");
    let s = setup(&p, Some(&source), true);
    match gate(&paths, &s) {
        Err(Error::NotTrusted { dir: asked, .. }) => assert_eq!(asked, dir.path()),
        other => panic!("{other:?}"),
    }
    store::remember(&paths, dir.path(), Choice::WithoutInstalling).unwrap();
    assert_eq!(gate(&paths, &s).unwrap(), Gate::WithoutInstalling);
    store::remember(&paths, dir.path(), Choice::Trusted).unwrap();
    assert_eq!(gate(&paths, &s).unwrap(), Gate::Install);
}

#[test]
fn started_without_installing_a_folder_that_lists_jupyterlab_is_served_by_darwinix() {
    let home = tempfile::tempdir().unwrap();
    let paths = AppPaths::under(home.path());
    let dir = private_dir();
    requirements(dir.path(), "jupyterlab==4.2.5\n");
    let p = project(dir.path());
    assert!(!crate::install::uses_runtime(&paths, &p).unwrap());
    store::remember(&paths, dir.path(), Choice::WithoutInstalling).unwrap();
    assert!(crate::install::uses_runtime(&paths, &p).unwrap());
}

#[test]
fn a_folder_from_a_link_is_asked_about_even_with_index_packages_alone() {
    let dir = private_dir();
    let p = project(dir.path());
    let source = requirements(dir.path(), "six\n");
    let mut from_link = setup(&p, Some(&source), false);
    assert!(
        ask(&from_link).is_none(),
        "the user's own folder keeps its one click"
    );
    from_link.origin = Some("https://github.com/ann/course".into());
    let asked = ask(&from_link).expect("a course from a link is asked about");
    assert_eq!(
        asked.reasons,
        ["it was downloaded from https://github.com/ann/course"]
    );
    assert_eq!(asked.installs[0].what, "six");
}
