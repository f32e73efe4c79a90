//! The hints of every family, asked through the one [`hint`]: each error a user can meet has
//! one, or says why not, and none tells the window to type a command.

use crate::error::CourseError;
use std::path::PathBuf;
use std::{io, time::Duration};

use super::*;

/// One of every variant whose fix could name a command.
fn samples() -> Vec<Error> {
    let p = || PathBuf::from("/home/ann/notes");
    let io = || io::Error::other("x");
    vec![
        Error::Spawn {
            program: p(),
            source: io::Error::from(io::ErrorKind::NotFound),
        },
        Error::Timeout {
            program: p(),
            after: Duration::from_secs(1),
        },
        Error::CreateDir {
            path: p(),
            source: io(),
        },
        Error::WriteFile {
            path: p(),
            source: io(),
        },
        Error::NoHome,
        Error::Ssh {
            login: crate::remote::SshAddress::parse("ssh://me@lab/p")
                .unwrap()
                .login(),
            problem: crate::error::SshProblem::KeyRefused,
            detail: "x".into(),
        },
        Error::Remote {
            host: "lab".into(),
            detail: "x".into(),
            hint: None,
        },
        Error::ReadFile {
            path: p(),
            source: io(),
        },
        Error::CorruptFile {
            path: p(),
            source: serde_json::from_str::<u8>("x").unwrap_err(),
        },
        Error::ProjectMissing { path: p() },
        Error::NotAFolder { path: p() },
        Error::NotebookMissing { path: p() },
        Error::ReadOnly { path: p() },
        Error::NoRequirements { dir: p() },
        Error::NotAVenv { path: p() },
        Error::NoPython { min: "3.9".into() },
        Error::BadPython {
            path: p(),
            why: "x".into(),
        },
        Error::UvPython {
            min: "3.9".into(),
            version: "3.12".into(),
            detail: "x".into(),
        },
        Error::CreateVenv {
            path: p(),
            detail: "x".into(),
            apt_package: Some("python3.11-venv".into()),
            unreachable_index: None,
        },
        Error::CreateVenv {
            path: p(),
            detail: "x".into(),
            apt_package: None,
            unreachable_index: None,
        },
        Error::Install {
            dir: p(),
            installer: "uv".into(),
            detail: "x".into(),
            network: false,
            index: "i".into(),
            file: None,
        },
        Error::GetUv { detail: "x".into() },
        Error::Freeze {
            dir: p(),
            what: "x".into(),
            detail: "x".into(),
        },
        Error::NoJupyter { dir: p() },
        Error::DiskFull {
            path: p(),
            free: 1,
            needed: 2,
        },
        Error::BigInstall {
            dir: p(),
            bytes: 3 << 30,
            biggest: vec![("torch".into(), 2 << 30)],
        },
        Error::ControlCharacter {
            name: "numpy".into(),
            part: "version",
            character: "a line break (U+000A)".into(),
        },
        Error::NotAPackageName {
            text: "ñ".into(),
            why: "x".into(),
        },
        Error::IndexLookup {
            index: "https://pypi.org/simple".into(),
            detail: "x".into(),
        },
        Error::DanglingLink {
            path: p(),
            target: p(),
        },
        Error::NotTrusted {
            dir: p(),
            ask: crate::error::TrustAsk {
                reasons: vec!["it belongs to another account (bob)".into()],
                from_file: Some("requirements.txt".into()),
                installs: Vec::new(),
            },
        },
        Error::NoRoomForInstall {
            path: p(),
            download: 1,
            needed: 3,
            free: 2,
        },
        Error::OldPins {
            file: p(),
            pins: vec!["pandas==0.18.1".into()],
            detail: "x".into(),
            needs_python: None,
        },
        Error::BadProjectFile {
            path: p(),
            line: 3,
            message: "x".into(),
        },
        Error::Runtime {
            dir: p(),
            detail: "x".into(),
        },
        Error::ServerDied {
            log: p(),
            tail: "x".into(),
            own_jupyterlab: false,
        },
        Error::ServerDied {
            log: p(),
            tail: "x".into(),
            own_jupyterlab: true,
        },
        Error::ServerTimeout {
            seconds: 1,
            log: p(),
            tail: String::new(),
            own_jupyterlab: true,
        },
        Error::ServerPortZero {
            version: "2.14.2".into(),
            log: p(),
            own_jupyterlab: true,
        },
        Error::NotRunning { dir: p() },
        Error::CellsRunning {
            project: Some(p()),
            notebooks: vec!["analysis.ipynb".into()],
        },
        Error::CellsRunning {
            project: None,
            notebooks: vec!["a.ipynb in notes".into(), "b.ipynb in thesis".into()],
        },
        Error::NotResponding { dir: p(), pid: 1 },
        Error::ServerUnprotected { dir: p() },
        Error::NixDevShell {
            dir: p(),
            detail: "x".into(),
        },
        Error::Wsl {
            distro: "Ubuntu".into(),
            detail: "x".into(),
        },
        Error::WslPath {
            path: p(),
            distro: "Ubuntu".into(),
            why: "x".into(),
        },
        Error::WslNoPython {
            distro: "Ubuntu".into(),
            tried: "x".into(),
        },
        Error::UnsafeServerArg {
            arg: "--refused".into(),
            why: "x",
        },
        Error::PackageNotFound {
            name: "x".into(),
            index: "i".into(),
        },
        Error::NoSuchVersion {
            name: "x".into(),
            spec: "==9".into(),
            latest: Some("1".into()),
        },
        Error::IndexUnreachable {
            index: "i".into(),
            detail: "x".into(),
        },
        Error::CannotEdit {
            path: p(),
            why: "x".into(),
        },
        Error::NoPackageForImport {
            module: "helpers".into(),
            why: "`helpers` is a module of this project, not a package".into(),
        },
        Error::NotListed {
            name: "x".into(),
            file: p(),
        },
        Error::NotARequirement { text: "x".into() },
        Error::ChangeUndone {
            file: p(),
            source: Box::new(Error::NoJupyter { dir: p() }),
        },
    ]
    .into_iter()
    .chain(install_samples())
    .chain(hub_samples())
    .chain(storage_samples())
    .collect()
}

fn install_samples() -> Vec<Error> {
    let p = || PathBuf::from("/home/ann/notes");
    let cannot_build = |missing, ready_made: Option<&str>, needs_python: Option<&str>| {
        Error::CannotBuild(Box::new(crate::error::Unbuildable {
            dir: p(),
            package: "box2d-py".into(),
            version: Some("2.3.8".into()),
            needed_by: None,
            missing,
            ready_made: ready_made.map(String::from),
            needs_python: needs_python.map(String::from),
            detail: "x".into(),
        }))
    };
    use crate::error::Missing;
    vec![
        Error::Install {
            dir: p(),
            installer: "uv".into(),
            detail: "Because numpy==9 was not found in the package registry".into(),
            network: false,
            index: "i".into(),
            file: Some(p().join("requirements.txt").into()),
        },
        cannot_build(Some(Missing::Swig), None, None),
        cannot_build(None, Some("2.3.10"), Some("3.8")),
        Error::OldPins {
            file: p(),
            pins: vec!["django==6.0".into()],
            detail: "x".into(),
            needs_python: Some("3.12".into()),
        },
        Error::NothingRelaxed {
            source: Box::new(cannot_build(Some(Missing::Swig), None, None)),
        },
    ]
}

fn hub_samples() -> Vec<Error> {
    let url = || "https://hub.example.org/".to_string();
    let x = || "x".to_string();
    let p = || PathBuf::from("/home/ann/course");
    vec![
        Error::HubAddress {
            input: x(),
            why: x(),
        },
        Error::HubPlainHttp { url: url() },
        Error::Course(CourseError::LinkNotUnderstood {
            link: "file:///x".into(),
            why: x(),
        }),
        Error::Course(CourseError::RepositoryNotPublic { url: url() }),
        Error::Course(CourseError::NotARepository {
            url: url(),
            what: x(),
        }),
        Error::Course(CourseError::BranchMissing {
            url: url(),
            branch: "dev".into(),
            branches: vec!["main".into()],
        }),
        Error::Course(CourseError::RepositoryTooLarge {
            url: url(),
            bytes: 9,
            limit: 8,
        }),
        Error::Course(CourseError::CloneFailed {
            url: url(),
            why: x(),
        }),
        Error::Course(CourseError::NotebookDownload {
            url: url(),
            why: x(),
        }),
        Error::Course(CourseError::NotACourse { dir: p() }),
        Error::Course(CourseError::CourseDamaged { dir: p(), why: x() }),
        Error::Course(CourseError::ZipUnsafe {
            file: p(),
            entry: "../x".into(),
            why: x(),
        }),
        Error::Course(CourseError::ZipUnreadable {
            file: p(),
            why: x(),
        }),
        Error::Course(CourseError::ShareNeedsEnvironment { dir: p() }),
        Error::Course(CourseError::ShareLargeFiles {
            dir: p(),
            limit: 1,
            files: vec![("data.csv".into(), 2)],
        }),
        Error::Course(CourseError::ShareNoLink {
            dir: p(),
            why: None,
        }),
        Error::HubNoAnswer {
            url: url(),
            secs: 5,
        },
        Error::HubServerName { name: "..".into() },
        Error::HubUnreachable {
            url: url(),
            detail: x(),
        },
        Error::NotAHub {
            url: url(),
            detail: x(),
        },
        Error::HubTokenRefused { url: url() },
        Error::HubBadToken {
            url: url(),
            why: x(),
        },
        Error::HubScopes {
            url: url(),
            missing: x(),
        },
        Error::HubRefused {
            url: url(),
            status: 400,
            message: x(),
        },
        Error::HubServerFailed {
            url: url(),
            server: x(),
            action: "start",
            message: x(),
        },
        Error::HubNotAdded { url: url() },
        Error::HubCredentials {
            url: url(),
            what: "found",
            detail: x(),
        },
        Error::HubCredentials {
            url: url(),
            what: "kept",
            detail: x(),
        },
    ]
}

fn storage_samples() -> Vec<Error> {
    let p = || PathBuf::from("/home/ann/notes/.venv");
    vec![
        Error::Unreadable {
            path: p(),
            source: io::Error::other("x"),
        },
        Error::NotRemovable {
            path: p(),
            why: "x".into(),
        },
        Error::ServerRunning { dir: p() },
        Error::Remove {
            path: p(),
            source: io::Error::other("x"),
        },
        Error::UvCache {
            action: "prune",
            detail: "x".into(),
        },
    ]
}

#[test]
fn a_server_that_did_not_come_up_shows_its_last_lines_and_the_way_out() {
    let timed_out = |tail: &str, own_jupyterlab| Error::ServerTimeout {
        seconds: 90,
        log: PathBuf::from("/d/p.jupyter.log"),
        tail: tail.into(),
        own_jupyterlab,
    };
    let said = timed_out("[W] one\n[E] two", true);
    assert_eq!(
        said.to_string(),
        "JupyterLab did not become ready within 90 s; the end of its log:\n[W] one\n[E] two"
    );
    assert!(hint(&said)
        .unwrap()
        .contains("Use Darwinix's JupyterLab instead"));
    let bare = timed_out("", false);
    assert_eq!(
        bare.to_string(),
        "JupyterLab did not become ready within 90 s"
    );
    assert!(!hint(&bare).unwrap().contains("Darwinix's JupyterLab"));
}

/// Every variant is some family's: each of them must get a hint, or be one that has none.
#[test]
fn every_variant_has_a_hint_or_says_why_not() {
    let silent = |e: &Error| {
        matches!(
            e,
            Error::Spawn { .. } | Error::ReadOutput { .. } | Error::Random { .. }
        )
    };
    for err in samples() {
        assert!(hint(&err).is_some() || silent(&err), "{err:?} has no hint");
    }
}

#[test]
fn the_window_is_never_told_to_type_a_command() {
    let typed = [
        "darwinix ",
        "sudo ",
        "apt install",
        "brew ",
        "wsl ",
        "wsl.exe",
        "nix develop",
        "--",
        "DARWINIX_",
        "by hand",
        "settings.json",
    ];
    for err in samples() {
        let Some(said) = hint(&err) else {
            continue;
        };
        for word in typed {
            assert!(
                !said.contains(word),
                "{err:?}: the app's fix says {word:?}: {said}"
            );
        }
    }
}

/// The families' order does not matter: no error is answered by two of them.
#[test]
fn each_error_is_one_familys() {
    for err in samples() {
        let answering = FAMILIES.iter().filter(|f| f(&err).is_some()).count();
        assert!(
            answering <= 1,
            "{err:?} is answered by {answering} families"
        );
    }
}

/// An error wrapped by another (the command line's `anyhow` context, a cause kept in a box)
/// still gets the hint of the engine's error inside.
#[test]
fn the_hint_of_a_cause_is_found() {
    #[derive(Debug, thiserror::Error)]
    #[error("while opening")]
    struct Context(#[source] Error);
    let missing = Error::ProjectMissing {
        path: PathBuf::from("/p"),
    };
    let wanted = hint(&missing);
    assert!(wanted.is_some());
    assert_eq!(hint(&Context(missing)), wanted);
    let undone = Error::ChangeUndone {
        file: PathBuf::from("/p/requirements.txt"),
        source: Box::new(Error::Install {
            dir: PathBuf::from("/p"),
            installer: "uv".into(),
            detail: "x".into(),
            network: true,
            index: "https://pypi.org/simple".into(),
            file: None,
        }),
    };
    assert!(hint(&undone)
        .unwrap()
        .contains("could not reach the package index"));
    assert_eq!(hint(&std::io::Error::other("x")), None);
}
