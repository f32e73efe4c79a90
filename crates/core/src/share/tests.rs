//! Opening shared files: the unsafe ones refused before anything is written, the good ones
//! unpacked under a new name, set up to install from their lock.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;
use zip::ZipWriter;

use super::check::{self, Limits};
use super::meta::{self, ShareMeta};
use super::*;
use crate::course::record;
use crate::error::CourseError;
use crate::project::config;

enum E<'a> {
    File(&'a str, &'a [u8]),
    Link(&'a str, &'a str),
}

fn share_json(platform: &str, offline: bool, format: u32) -> Vec<u8> {
    let mut share = ShareMeta::new("Course", "3.11", Some("requirements.txt".into()), offline);
    share.platform = platform.to_string();
    share.format = format;
    serde_json::to_vec(&share).unwrap()
}

/// A shared file's entries (`Course/…`), then `extra`.
fn good<'a>(extra: Vec<E<'a>>, meta_json: &'a [u8]) -> Vec<E<'a>> {
    let mut entries = vec![
        E::File("Course/.darwinix/share.json", meta_json),
        E::File(
            "Course/.darwinix/requirements.lock.txt",
            b"--no-index\n--find-links wheels\nsix==1.17.0 --hash=sha256:4721\n",
        ),
        E::File("Course/intro.ipynb", b"{}"),
        E::File("Course/data/more/deep.ipynb", b"{}"),
    ];
    entries.extend(extra);
    entries
}

fn zip_file(dir: &Path, entries: &[E<'_>]) -> PathBuf {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for entry in entries {
        match entry {
            E::File(name, bytes) => {
                zip.start_file(*name, SimpleFileOptions::default()).unwrap();
                zip.write_all(bytes).unwrap();
            }
            E::Link(name, target) => zip
                .add_symlink(*name, *target, SimpleFileOptions::default())
                .unwrap(),
        }
    }
    let bytes = zip.finish().unwrap().into_inner();
    let file = dir.join("Course.darwinix.zip");
    std::fs::write(&file, bytes).unwrap();
    file
}

struct World {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    paths: AppPaths,
    parent: PathBuf,
}

fn world() -> World {
    let tmp = tempfile::tempdir().unwrap();
    let root = dunce::canonicalize(tmp.path()).unwrap();
    let parent = root.join("Courses");
    std::fs::create_dir_all(&parent).unwrap();
    World {
        paths: AppPaths::under(&root.join("home")),
        root,
        parent,
        _tmp: tmp,
    }
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn unsafe_files_are_refused_before_anything_is_written() {
    let w = world();
    let json = share_json(&meta::platform(), true, meta::FORMAT);
    let cases: Vec<(Vec<E<'_>>, &str)> = vec![
        (vec![E::File("../evil.py", b"x")], "leads out"),
        (vec![E::File("Course/../../evil.py", b"x")], "leads out"),
        (vec![E::File("/tmp/evil.py", b"x")], "absolute"),
        (vec![E::File("C:/evil.py", b"x")], "drive letter"),
        (vec![E::File("Course\\..\\..\\evil.py", b"x")], "backslash"),
        (vec![E::Link("Course/passwd", "/etc/passwd")], "link"),
        (vec![E::File("Other/evil.py", b"x")], "outside"),
        (vec![E::File("evil.py", b"x")], "outside"),
        (vec![E::File("Course/Intro.ipynb", b"x")], "twice"),
    ];
    for (extra, why) in cases {
        let file = zip_file(&w.root, &good(extra, &json));
        let err = import(&w.paths, &file, &w.parent).unwrap_err();
        match &err {
            Error::Course(CourseError::ZipUnsafe { why: said, .. }) => {
                assert!(said.contains(why), "{why}: {err}")
            }
            other => panic!("{why}: {other:?}"),
        }
        assert!(names_in(&w.parent).is_empty(), "{why}: nothing written");
        assert!(!w.paths.courses_file().exists());
    }
}

#[test]
fn a_bomb_is_refused_by_its_size() {
    let w = world();
    let zeros = vec![0u8; 64 << 10];
    let json = share_json(&meta::platform(), false, meta::FORMAT);
    let file = zip_file(
        &w.root,
        &good(vec![E::File("Course/zeros.bin", &zeros)], &json),
    );
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&file).unwrap()).unwrap();
    let weight = std::fs::metadata(&file).unwrap().len();
    let small = Limits {
        total: 1 << 30,
        ratio: 10,
        small: 16 << 10,
        entries: 100,
    };
    let err = check::check(&mut archive, &file, weight, small).unwrap_err();
    assert!(
        err.to_string().contains("far more than the file weighs"),
        "{err}"
    );
    let few = Limits {
        entries: 3,
        ..small
    };
    assert!(check::check(&mut archive, &file, weight, few).is_err());
}

#[test]
fn a_file_darwinix_did_not_make_is_said_to_be_none_of_its_own() {
    let w = world();
    let file = zip_file(&w.root, &[E::File("Course/intro.ipynb", b"{}")]);
    let err = import(&w.paths, &file, &w.parent).unwrap_err();
    assert!(
        matches!(err, Error::Course(CourseError::ZipUnreadable { .. })),
        "{err:?}"
    );
    let newer = share_json(&meta::platform(), false, meta::FORMAT + 1);
    let file = zip_file(&w.root, &good(vec![], &newer));
    let err = import(&w.paths, &file, &w.parent).unwrap_err();
    assert!(err.to_string().contains("newer Darwinix"), "{err}");
    let text = w.root.join("notes.darwinix.zip");
    std::fs::write(&text, "not a zip").unwrap();
    let err = import(&w.paths, &text, &w.parent).unwrap_err();
    assert!(
        matches!(err, Error::Course(CourseError::ZipUnreadable { .. })),
        "{err:?}"
    );
    assert!(names_in(&w.parent).is_empty());
}

#[test]
fn a_folder_of_that_name_is_never_touched() {
    let w = world();
    let mine = w.parent.join("Course");
    std::fs::create_dir_all(&mine).unwrap();
    std::fs::write(mine.join("intro.ipynb"), "my own").unwrap();
    let json = share_json(&meta::platform(), true, meta::FORMAT);
    let file = zip_file(&w.root, &good(vec![], &json));
    let first = import(&w.paths, &file, &w.parent).unwrap();
    let second = import(&w.paths, &file, &w.parent).unwrap();
    assert_eq!(first.dir, w.parent.join("Course 2"));
    assert_eq!(second.dir, w.parent.join("Course 3"));
    assert_eq!(
        std::fs::read_to_string(mine.join("intro.ipynb")).unwrap(),
        "my own"
    );
    assert_eq!(
        names_in(&w.parent),
        ["Course", "Course 2", "Course 3"],
        "no leftovers"
    );
    assert_eq!(first.notebook, Some(first.dir.join("intro.ipynb")));
    assert!(first.offline);
    assert!(first.dir.join("data/more/deep.ipynb").is_file());
}

#[test]
fn an_opened_file_installs_from_its_lock_and_is_foreign() {
    let w = world();
    let json = share_json(&meta::platform(), true, meta::FORMAT);
    let file = zip_file(&w.root, &good(vec![], &json));
    let opened = import(&w.paths, &file, &w.parent).unwrap();
    let project = crate::project::Project::open(&opened.dir).unwrap();
    let settings = config::load(&w.paths, &project).unwrap();
    assert_eq!(
        settings.source.as_deref(),
        Some(".darwinix/requirements.lock.txt")
    );
    assert_eq!(settings.python.as_deref(), Some("3.11"));
    let source = crate::project::requirements::Source::of(&opened.dir, settings.source.as_deref())
        .unwrap()
        .unwrap();
    assert!(source
        .requirements(&opened.dir)
        .contains(&"--no-index".to_string()));
    let from = record::of(&w.paths, &project.dir).unwrap();
    assert_eq!(from.from, record::From::SharedFile { file });
}

#[test]
fn offline_wheels_of_another_system_do_not_keep_the_index_out() {
    let w = world();
    let json = share_json("plan9-mips", true, meta::FORMAT);
    let file = zip_file(&w.root, &good(vec![], &json));
    let opened = import(&w.paths, &file, &w.parent).unwrap();
    let lock = std::fs::read_to_string(opened.dir.join(".darwinix/requirements.lock.txt")).unwrap();
    assert_eq!(
        lock,
        "--find-links wheels\nsix==1.17.0 --hash=sha256:4721\n"
    );
}

#[test]
fn what_is_packed_opens_again_and_no_file_is_replaced() {
    let w = world();
    let project = w.root.join("My course");
    std::fs::create_dir_all(project.join("data")).unwrap();
    std::fs::write(project.join("intro.ipynb"), "{\"cells\": []}").unwrap();
    std::fs::write(project.join("data/a.csv"), "a,b\n1,2\n").unwrap();
    let wheel = w.root.join("six-1.17.0-py2.py3-none-any.whl");
    std::fs::write(&wheel, "wheel").unwrap();
    let share = ShareMeta::new("My course", "3.11", None, true);
    let contents = pack::Contents {
        project_dir: project.clone(),
        top: "My course".into(),
        files: vec!["data/a.csv".into(), "intro.ipynb".into()],
        meta: serde_json::to_vec(&share).unwrap(),
        lock: "--no-index\n--find-links wheels\n".into(),
        wheels: vec![wheel],
    };
    let wanted = w.root.join("My course.darwinix.zip");
    std::fs::write(&wanted, "someone's file").unwrap();
    let (file, bytes) = pack::write(&contents, &wanted).unwrap();
    assert_eq!(file, w.root.join("My course 2.darwinix.zip"));
    assert_eq!(std::fs::read_to_string(&wanted).unwrap(), "someone's file");
    assert_eq!(bytes, std::fs::metadata(&file).unwrap().len());
    let opened = import(&w.paths, &file, &w.parent).unwrap();
    assert_eq!(opened.dir, w.parent.join("My course"));
    let read = |p: &str| std::fs::read_to_string(opened.dir.join(p)).unwrap();
    assert_eq!(read("data/a.csv"), "a,b\n1,2\n");
    assert_eq!(
        read(".darwinix/wheels/six-1.17.0-py2.py3-none-any.whl"),
        "wheel"
    );
    assert_eq!(
        names_in(&w.root)
            .iter()
            .filter(|n| n.starts_with('.'))
            .count(),
        0
    );
}

#[test]
fn a_folder_name_another_computer_cannot_hold_is_made_portable() {
    assert_eq!(portable("Cours: été\n2"), "Cours_ été_2");
    assert_eq!(portable(".."), "Project");
    assert_eq!(portable("Course ü"), "Course ü");
}
