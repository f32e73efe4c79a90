//! Clones: what lands on disk, and each way a clone fails leaving nothing behind.

use std::os::unix::fs::PermissionsExt;

use super::{named, nb, read, student_git, Seen, World};
use crate::course::git::{branch, clone, remote_url};
use crate::error::CourseError;
use crate::error::Error;

#[test]
fn clones_the_default_branch_shallow() {
    let w = World::new();
    let course = w.course("course");
    course.write("intro.ipynb", &nb("first")).commit("one");
    course
        .write("intro.ipynb", &nb("second"))
        .write("tools/run.sh", "#!/bin/sh\necho hi\n")
        .commit("two");
    std::fs::set_permissions(
        course.work.join("tools/run.sh"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    course.commit("executable");
    let seen = Seen::default();
    let dest = w.student.join("course");
    let cloned = clone(&w.server.url("course"), None, &dest, None, &|p| seen.add(p)).unwrap();

    assert_eq!(cloned.branch, "main");
    assert_eq!(cloned.commit, course.git(&["rev-parse", "HEAD"]).trim());
    assert_eq!(read(&dest, "intro.ipynb"), nb("second"));
    let mode = std::fs::metadata(dest.join("tools/run.sh"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o111, 0o111, "run.sh lost its executable bit");
    assert_eq!(student_git(&dest, &["rev-list", "--count", "HEAD"]), "1");
    assert_eq!(student_git(&dest, &["status", "--porcelain"]), "");
    assert_eq!(
        remote_url(&dest).as_deref(),
        Some(w.server.url("course").as_str())
    );
    assert_eq!(branch(&dest).as_deref(), Some("main"));
    let last = seen.last().expect("progress was reported");
    assert!(last.bytes > 0, "{last:?}");
    assert_eq!(Some(last.received), last.total, "{last:?}");
    assert!(
        last.received >= 5,
        "two files, two trees, a commit: {last:?}"
    );
}

#[test]
fn clones_a_named_branch() {
    let w = World::new();
    let course = w.course("course");
    course.write("a.txt", "main").commit("main");
    course
        .branch("week2")
        .write("a.txt", "week two")
        .commit("week 2");
    let dest = w.student.join("w2");
    let cloned = clone(&w.server.url("course"), Some("week2"), &dest, None, &|_| {}).unwrap();
    assert_eq!(cloned.branch, "week2");
    assert_eq!(read(&dest, "a.txt"), "week two");
    assert_eq!(branch(&dest).as_deref(), Some("week2"));
}

/// `clone` into `student/dest` fails, and leaves neither `dest` nor a partial download.
fn fails(w: &World, repo: &str, branch: Option<&str>, max: Option<u64>) -> Error {
    let dest = w.student.join("dest");
    let err = clone(&w.server.url(repo), branch, &dest, max, &|_| {}).unwrap_err();
    assert!(!dest.exists(), "{repo}: {err}");
    assert_eq!(
        named(&w.student, ".dest"),
        Vec::<String>::new(),
        "{repo}: {err}"
    );
    err
}

#[test]
fn a_missing_branch_names_the_others() {
    let w = World::new();
    let course = w.course("course");
    course.write("a.txt", "a").commit("one");
    course.branch("solutions").commit("two");
    let err = fails(&w, "course", Some("week9"), None);
    let Error::Course(CourseError::BranchMissing {
        branch, branches, ..
    }) = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(branch, "week9");
    assert_eq!(branches, &["main", "solutions"]);
    assert!(err.to_string().ends_with("it has main, solutions"), "{err}");
}

#[test]
fn unreadable_repositories() {
    let w = World::new();
    w.course("course").write("a.txt", "a").commit("one");
    for repo in ["nothing-here", "private/course"] {
        let err = fails(&w, repo, None, None);
        assert!(
            matches!(err, Error::Course(CourseError::RepositoryNotPublic { .. })),
            "{repo}: {err:?}"
        );
    }
    let err = fails(&w, "html/course", None, None);
    assert!(
        matches!(err, Error::Course(CourseError::NotARepository { .. })),
        "{err:?}"
    );
    w.course("empty");
    let err = fails(&w, "empty", None, None);
    assert!(err.to_string().contains("empty"), "{err}");
}

#[test]
fn a_dropped_connection_leaves_nothing() {
    let w = World::new();
    let course = w.course("course");
    course
        .write_bytes("data.bin", &noise(200_000))
        .commit("data");
    let err = fails(&w, "drop/course", None, None);
    let Error::Course(CourseError::CloneFailed { why, .. }) = &err else {
        panic!("{err:?}")
    };
    assert!(why.contains("connection broke"), "{why}");
}

#[test]
fn the_size_limit_stops_the_download() {
    let w = World::new();
    w.course("big")
        .write_bytes("data.bin", &noise(400_000))
        .commit("data");
    let err = fails(&w, "big", None, Some(100_000));
    let Error::Course(CourseError::RepositoryTooLarge { bytes, limit, .. }) = err else {
        panic!("{err:?}")
    };
    assert_eq!(limit, 100_000);
    assert!(bytes > limit, "{bytes}");
    // Over a slow network the download stops soon after the limit, not at the end.
    let err = fails(&w, "slow/big", None, Some(100_000));
    let Error::Course(CourseError::RepositoryTooLarge { bytes, .. }) = err else {
        panic!("{err:?}")
    };
    assert!((100_000..250_000).contains(&bytes), "{bytes}");
    // The same repository under a limit it fits.
    let dest = w.student.join("fits");
    clone(&w.server.url("big"), None, &dest, Some(1_000_000), &|_| {}).unwrap();
    assert_eq!(
        std::fs::metadata(dest.join("data.bin")).unwrap().len(),
        400_000
    );
}

#[test]
fn a_stale_partial_download_is_removed_and_dest_must_be_new() {
    let w = World::new();
    w.course("course").write("a.txt", "a").commit("one");
    let stale = w.student.join(".course.darwinix-partial-0badc0de");
    std::fs::create_dir_all(stale.join(".git")).unwrap();
    let (_, dest) = w.clone("course", "course");
    assert!(!stale.exists());
    assert_eq!(read(&dest, "a.txt"), "a");
    let again = clone(&w.server.url("course"), None, &dest, None, &|_| {}).unwrap_err();
    assert!(matches!(again, Error::CreateDir { .. }), "{again:?}");
    assert_eq!(read(&dest, "a.txt"), "a");
}

#[test]
fn links_and_unsafe_paths() {
    let w = World::new();
    let course = w.course("course");
    course.write("a.txt", "a").commit("one");
    std::os::unix::fs::symlink("/etc/passwd", course.work.join("secret")).unwrap();
    course.commit("a link");
    let (_, dest) = w.clone("course", "course");
    assert!(
        dest.join("secret").symlink_metadata().is_err(),
        "the link was made"
    );
    assert_eq!(read(&dest, "a.txt"), "a");

    let evil = w.course("evil");
    evil.write("a.txt", "a").commit("one");
    super::update::commit_tree(&evil, &[("ok.txt", "fine"), ("sub/.GIT", "hook")]);
    let err = fails(&w, "evil", None, None);
    let Error::Course(CourseError::CourseDamaged { dir, why }) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(dir, &w.student.join("dest"));
    assert!(why.contains("`sub/.GIT`"), "{why}");
}

/// Bytes that do not compress.
pub(super) fn noise(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}
