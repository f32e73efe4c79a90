//! Updates: every rule on real files, twice in a row, and the ways an update must change
//! nothing.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};

use darwinix_testkit::git_server::{git, Course};

use super::{kept, nb, outcomes, read, snapshot, student_git, World};
use crate::course::git::{start_over, update, FileOutcome};
use crate::error::CourseError;
use crate::error::Error;

/// The teacher's first version, cloned by the student, who then works on it.
fn first_version(w: &World) -> (Course, std::path::PathBuf) {
    let course = w.course("course");
    course
        .write("a.ipynb", &nb("a1"))
        .write("b.ipynb", &nb("b1"))
        .write("d.py", "print('d')\n")
        .write("e.txt", "e1")
        .write("g.txt", "g1")
        .write("h.txt", "h1")
        .write("sub/f.py", "f1")
        .commit("first");
    let (_, dir) = w.clone("course", "course");
    std::fs::write(dir.join("b.ipynb"), nb("b, the student's")).unwrap();
    std::fs::remove_file(dir.join("a.ipynb")).unwrap();
    std::fs::write(dir.join("own.ipynb"), nb("mine")).unwrap();
    std::fs::write(dir.join("c.ipynb"), nb("c, the student's own")).unwrap();
    std::fs::write(dir.join("g.txt"), "g, the student's").unwrap();
    std::fs::remove_file(dir.join("h.txt")).unwrap();
    (course, dir)
}

#[test]
fn every_rule_then_again() {
    let w = World::new();
    let (course, dir) = first_version(&w);
    course
        .write("a.ipynb", &nb("a2"))
        .write("b.ipynb", &nb("b2"))
        .write("c.ipynb", &nb("c2"))
        .remove("d.py")
        .remove("g.txt")
        .write("new/n.txt", "n2")
        .write("sub/f.py", "f2")
        .commit("second");
    let report = update(&dir, &|_| {}).unwrap();

    assert!(!report.already_current);
    assert_eq!(
        outcomes(&report),
        [
            ("a.ipynb", FileOutcome::Restored),
            ("b.ipynb", kept("b (teacher's version).ipynb")),
            ("c.ipynb", kept("c (teacher's version).ipynb")),
            ("d.py", FileOutcome::Removed),
            ("g.txt", FileOutcome::KeptYoursTeacherRemoved),
            ("h.txt", FileOutcome::Restored),
            ("new/n.txt", FileOutcome::Added),
            ("sub/f.py", FileOutcome::Updated),
        ]
    );
    assert!(
        report.files[2].words.contains("already had a file"),
        "{report:?}"
    );
    assert_eq!(
        report.after,
        course.git(&["rev-parse", "--short=7", "HEAD"]).trim()
    );
    on_disk_and_in_git(&course, &dir);
    second_update(&course, &dir);
}

/// The folder after the first update, and what the real git makes of it.
fn on_disk_and_in_git(course: &Course, dir: &std::path::Path) {
    let want = [
        ("a.ipynb", nb("a2")),
        ("b.ipynb", nb("b, the student's")),
        ("b (teacher's version).ipynb", nb("b2")),
        ("c.ipynb", nb("c, the student's own")),
        ("c (teacher's version).ipynb", nb("c2")),
        ("e.txt", "e1".into()),
        ("g.txt", "g, the student's".into()),
        ("h.txt", "h1".into()),
        ("new/n.txt", "n2".into()),
        ("own.ipynb", nb("mine")),
        ("sub/f.py", "f2".into()),
    ];
    assert_eq!(snapshot(dir), contents(&want));
    let head = course.git(&["rev-parse", "HEAD"]);
    assert_eq!(
        student_git(dir, &["rev-parse", "HEAD", "origin/main"]),
        format!("{0}\n{0}", head.trim())
    );
    let status = git(
        dir,
        &["status", "--porcelain", "--untracked-files=all"],
        None,
    );
    let status: Vec<&str> = status.lines().collect();
    assert_eq!(
        status,
        [
            " M b.ipynb",
            " M c.ipynb",
            "?? \"b (teacher's version).ipynb\"",
            "?? \"c (teacher's version).ipynb\"",
            "?? g.txt",
            "?? own.ipynb",
        ]
    );
    assert_eq!(student_git(dir, &["rev-list", "--count", "HEAD"]), "1");
}

/// A student's computer often has no git identity (the reflog wants one): the test above
/// again, in a process whose home has no git settings.
#[test]
fn works_without_a_git_identity() {
    let home = tempfile::tempdir().unwrap();
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "course::git::tests::update::every_rule_then_again",
        ])
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && said.contains("1 passed"), "{said}");
}

/// Another teacher commit, with the first update's copies present: an unchanged copy is
/// replaced, one the student edited is theirs and kept.
fn second_update(course: &Course, dir: &std::path::Path) {
    std::fs::write(dir.join("c (teacher's version).ipynb"), nb("c2, edited")).unwrap();
    course
        .write("a.ipynb", &nb("a3"))
        .write("b.ipynb", &nb("b3"))
        .write("c.ipynb", &nb("c3"))
        .commit("third");
    let report = update(dir, &|_| {}).unwrap();
    assert_eq!(
        outcomes(&report),
        [
            ("a.ipynb", FileOutcome::Updated),
            ("b.ipynb", kept("b (teacher's version).ipynb")),
            ("c.ipynb", kept("c (teacher's version 2).ipynb")),
        ]
    );
    assert_eq!(read(dir, "a.ipynb"), nb("a3"));
    assert_eq!(read(dir, "b.ipynb"), nb("b, the student's"));
    assert_eq!(read(dir, "b (teacher's version).ipynb"), nb("b3"));
    assert_eq!(read(dir, "c (teacher's version).ipynb"), nb("c2, edited"));
    assert_eq!(read(dir, "c (teacher's version 2).ipynb"), nb("c3"));
    assert_eq!(read(dir, "c.ipynb"), nb("c, the student's own"));
}

fn contents(files: &[(&str, String)]) -> BTreeMap<String, Vec<u8>> {
    files
        .iter()
        .map(|(p, t)| (p.to_string(), t.clone().into_bytes()))
        .collect()
}

#[test]
fn nothing_new_writes_nothing() {
    let w = World::new();
    let (_course, dir) = first_version(&w);
    let before = snapshot(&dir);
    let report = update(&dir, &|_| {}).unwrap();
    assert!(report.already_current);
    assert!(report.files.is_empty());
    assert_eq!(report.before, report.after);
    assert_eq!(
        snapshot(&dir),
        before,
        "a.ipynb was deleted and must stay so"
    );
}

#[test]
fn a_dropped_fetch_changes_nothing() {
    let w = World::new();
    let (course, dir) = first_version(&w);
    course
        .write("a.ipynb", &nb("a2"))
        .write_bytes("data.bin", &super::clone::noise(200_000))
        .commit("second");
    let head = student_git(&dir, &["rev-parse", "HEAD"]);
    let before = snapshot(&dir);
    student_git(
        &dir,
        &["remote", "set-url", "origin", &w.server.url("drop/course")],
    );
    let err = update(&dir, &|_| {}).unwrap_err();
    assert!(
        matches!(err, Error::Course(CourseError::CloneFailed { .. })),
        "{err:?}"
    );
    assert_eq!(snapshot(&dir), before);
    assert_eq!(student_git(&dir, &["rev-parse", "HEAD"]), head);

    student_git(
        &dir,
        &["remote", "set-url", "origin", &w.server.url("course")],
    );
    let report = update(&dir, &|_| {}).unwrap();
    assert_eq!(read(&dir, "a.ipynb"), nb("a2"));
    assert!(
        report.files.iter().any(|f| f.path == "data.bin"),
        "{report:?}"
    );
}

#[test]
fn not_a_course_nor_an_https_address() {
    let w = World::new();
    let err = update(&w.student, &|_| {}).unwrap_err();
    assert!(
        matches!(err, Error::Course(CourseError::NotACourse { .. })),
        "{err:?}"
    );

    let (course, dir) = first_version(&w);
    course.write("a.ipynb", &nb("a2")).commit("second");
    let local = format!("file://{}", course.bare.display());
    for url in [
        local.as_str(),
        "ssh://example.org/x.git",
        "http://example.org/x.git",
    ] {
        student_git(&dir, &["remote", "set-url", "origin", url]);
        let err = update(&dir, &|_| {}).unwrap_err();
        assert!(
            matches!(err, Error::Course(CourseError::LinkNotUnderstood { .. })),
            "{url}: {err:?}"
        );
        let dest = w.student.join("other");
        let err = crate::course::git::clone(url, None, &dest, None, &|_| {}).unwrap_err();
        assert!(
            matches!(err, Error::Course(CourseError::LinkNotUnderstood { .. })),
            "{url}: {err:?}"
        );
    }
    assert!(!dir.join("a.ipynb").exists());
}

#[test]
fn unsafe_paths_and_links_change_nothing() {
    let w = World::new();
    let (course, dir) = first_version(&w);
    std::os::unix::fs::symlink("/etc/passwd", course.work.join("link")).unwrap();
    course.write("a.ipynb", &nb("a2")).commit("a link");
    let report = update(&dir, &|_| {}).unwrap();
    assert!(outcomes(&report).contains(&("link", FileOutcome::SkippedLink)));
    assert!(
        dir.join("link").symlink_metadata().is_err(),
        "the link was made"
    );

    let before = snapshot(&dir);
    let teachers = student_git(&dir, &["rev-parse", "origin/main"]);
    commit_tree(&course, &[("a.ipynb", "a3"), ("..", "outside")]);
    let err = update(&dir, &|_| {}).unwrap_err();
    assert!(
        matches!(err, Error::Course(CourseError::CourseDamaged { .. })),
        "{err:?}"
    );
    assert_eq!(snapshot(&dir), before);
    // Fetched but not applied: the next update starts from the same base.
    assert_eq!(student_git(&dir, &["rev-parse", "origin/main"]), teachers);
}

#[test]
fn the_students_own_commits_are_their_changes() {
    let w = World::new();
    let (course, dir) = first_version(&w);
    student_git(&dir, &["commit", "-q", "-am", "my work"]);
    course
        .write("b.ipynb", &nb("b2"))
        .write("e.txt", "e2")
        .commit("second");
    let report = update(&dir, &|_| {}).unwrap();
    assert!(outcomes(&report).contains(&("b.ipynb", kept("b (teacher's version).ipynb"))));
    assert_eq!(read(&dir, "b.ipynb"), nb("b, the student's"));
    assert_eq!(read(&dir, "e.txt"), "e2");
}

#[test]
fn a_deleted_branch_is_named() {
    let w = World::new();
    let course = w.course("course");
    course.write("a.txt", "a").commit("one");
    course.branch("week2").write("a.txt", "two").commit("two");
    let dest = w.student.join("week2");
    let url = w.server.url("course");
    crate::course::git::clone(&url, Some("week2"), &dest, None, &|_| {}).unwrap();
    course.git(&["push", "-q", course.bare.to_str().unwrap(), ":week2"]);
    let err = update(&dest, &|_| {}).unwrap_err();
    let Error::Course(CourseError::BranchMissing {
        branch, branches, ..
    }) = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(
        (branch.as_str(), branches.as_slice()),
        ("week2", &["main".to_string()][..])
    );
    assert_eq!(read(&dest, "a.txt"), "two");
}

#[test]
fn start_over_keeps_a_dated_copy() {
    let w = World::new();
    let (course, dir) = first_version(&w);
    course.write("e.txt", "e2").commit("second");
    let mine = snapshot(&dir);
    let kept = start_over(&dir, &|_| {}).unwrap();
    let name = kept.file_name().unwrap().to_string_lossy().to_string();
    assert!(name.starts_with("course (my copy 20"), "{name}");
    assert_eq!(snapshot(&kept), mine);
    assert_eq!(read(&dir, "e.txt"), "e2");
    assert_eq!(read(&dir, "b.ipynb"), nb("b1"));
    assert!(!dir.join("own.ipynb").exists());
    let again = start_over(&dir, &|_| {}).unwrap();
    assert_eq!(
        again.file_name().unwrap().to_string_lossy(),
        format!("{name} 2")
    );

    // A start over that cannot download puts the student's folder back.
    std::fs::write(dir.join("own.ipynb"), nb("mine again")).unwrap();
    student_git(
        &dir,
        &["remote", "set-url", "origin", &w.server.url("drop/course")],
    );
    let mine = snapshot(&dir);
    let err = start_over(&dir, &|_| {}).unwrap_err();
    assert!(
        matches!(err, Error::Course(CourseError::CloneFailed { .. })),
        "{err:?}"
    );
    assert_eq!(snapshot(&dir), mine);
    assert!(!dir.with_file_name(format!("{name} 3")).exists());
}

/// Pushes a commit on `main` whose tree is exactly `files` (path, content), built with git's
/// plumbing, which takes names that `git add` refuses.
pub(super) fn commit_tree(course: &Course, files: &[(&str, &str)]) {
    let tree = tree(course, files);
    let commit = plumbing(
        course,
        &["commit-tree", &tree, "-p", "HEAD", "-m", "odd"],
        "",
    );
    let bare = course.bare.to_str().unwrap();
    course.git(&["push", "-q", bare, &format!("{commit}:refs/heads/main")]);
}

fn tree(course: &Course, files: &[(&str, &str)]) -> String {
    let mut lines = String::new();
    let mut folders: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for (path, text) in files {
        match path.split_once('/') {
            Some((folder, rest)) => folders.entry(folder).or_default().push((rest, *text)),
            None => {
                let id = plumbing(course, &["hash-object", "-w", "--stdin"], text);
                lines.push_str(&format!("100644 blob {id}\t{path}\n"));
            }
        }
    }
    for (folder, inner) in folders {
        let id = tree(course, &inner);
        lines.push_str(&format!("040000 tree {id}\t{folder}\n"));
    }
    plumbing(course, &["mktree"], &lines)
}

/// `git ARGS` in the teacher's checkout with `input`; its output, trimmed.
fn plumbing(course: &Course, args: &[&str], input: &str) -> String {
    let mut child = Command::new("git")
        .args(["-c", "user.name=Teacher", "-c", "user.email=t@example.org"])
        .args(args)
        .current_dir(&course.work)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "git {args:?} failed");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn the_teachers_new_list_replaces_the_one_darwinix_made_which_is_kept_beside() {
    use crate::project::requirements::FROM_IMPORTS;
    let w = World::new();
    let course = w.course("course");
    course.write("a.ipynb", &nb("import numpy")).commit("first");
    let (_, dir) = w.clone("course", "course");
    // A course without a list: Darwinix wrote one from the imports; the student added a line.
    let made = format!("{FROM_IMPORTS}\nnumpy\nseaborn\n");
    std::fs::write(dir.join("requirements.txt"), &made).unwrap();
    course
        .write("requirements.txt", "numpy==2.1\nmatplotlib\n")
        .commit("the list");
    let report = update(&dir, &|_| {}).unwrap();
    let read = |p: &str| std::fs::read_to_string(dir.join(p)).unwrap();
    assert_eq!(read("requirements.txt"), "numpy==2.1\nmatplotlib\n");
    assert_eq!(read("requirements (from your notebooks).txt"), made);
    let outcomes: Vec<(&str, &FileOutcome)> = report
        .files
        .iter()
        .map(|f| (f.path.as_str(), &f.outcome))
        .collect();
    assert_eq!(
        outcomes,
        [
            (
                "requirements (from your notebooks).txt",
                &FileOutcome::MovedAside {
                    from: "requirements.txt".into()
                }
            ),
            ("requirements.txt", &FileOutcome::Added),
        ]
    );

    // A requirements.txt the student wrote by hand is theirs: the teacher's goes beside it.
    let w = World::new();
    let course = w.course("course");
    course.write("a.ipynb", &nb("x")).commit("first");
    let (_, dir) = w.clone("course", "course");
    std::fs::write(dir.join("requirements.txt"), "pandas\n").unwrap();
    course
        .write("requirements.txt", "numpy\n")
        .commit("the list");
    update(&dir, &|_| {}).unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.join("requirements.txt")).unwrap(),
        "pandas\n"
    );
    assert!(dir.join("requirements (teacher's version).txt").is_file());
}
