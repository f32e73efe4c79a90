//! Course links end to end: a real git server on 127.0.0.1 (`git http-backend` over smart
//! HTTP, the code path of https), a teacher who commits with the real `git`, and a student who
//! opens the link with the real `darwinix` — every link form, the teacher's updates with the
//! student's work kept, and the links that cannot be opened.
#![cfg(target_os = "linux")]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use darwinix_testkit::git_server::{Course, GitServer};
use darwinix_testkit::{json, notebook, TestContext};
use serde_json::Value;

fn world() -> TestContext {
    TestContext::new().with_timeout(Duration::from_secs(300))
}

/// A course on the server: a notebook in a folder, a data file, and a requirements.txt that
/// installs nothing (the link is what is tested, not the packages).
fn course(root: &Path) -> Course {
    let course = Course::new(root, "course");
    course
        .write("week1/intro.ipynb", &notebook(&["print('week 1')"]))
        .write("data.csv", "a,b\n1,2\n")
        .write("requirements.txt", "# nothing to install\n")
        .commit("Week 1");
    course
}

/// `start LINK --json --no-browser EXTRA…`: the server it printed, or what it said.
fn open(w: &TestContext, link: &str, extra: &[&str]) -> Result<Value, String> {
    let mut args = vec!["start", link, "--json", "--no-browser"];
    args.extend_from_slice(extra);
    let out = w.run(&args);
    match out.status.success() {
        true => Ok(json(&out.stdout)),
        false => Err(String::from_utf8_lossy(&out.stderr).into_owned()),
    }
}

fn notebook_of(server: &Value) -> &str {
    server["notebook_url"].as_str().unwrap_or_default()
}

fn courses(w: &TestContext) -> PathBuf {
    w.home().join("courses")
}

/// `python3 -m http.server` on 127.0.0.1 serving `dir`: a raw notebook's host.
struct FileServer(Child, u16);

impl FileServer {
    fn start(dir: &Path) -> FileServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("python3")
            .args([
                "-m",
                "http.server",
                "--bind",
                "127.0.0.1",
                &port.to_string(),
            ])
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        FileServer(child, port)
    }
}

impl Drop for FileServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn each_link_form_opens_its_notebook_and_a_second_click_reuses_the_course() {
    let w = world();
    let repos = w.root().join("server");
    std::fs::create_dir_all(&repos).unwrap();
    let teacher = course(&repos);
    teacher
        .branch("dev")
        .write("dev.ipynb", &notebook(&["print('dev')"]))
        .commit("Dev");
    let server = GitServer::start(&repos);
    let url = server.url("course");

    // A folder of the course's name holding the student's own thesis is never used.
    let thesis = courses(&w).join("course");
    std::fs::create_dir_all(&thesis).unwrap();
    std::fs::write(thesis.join("thesis.ipynb"), "mine").unwrap();
    let dir = courses(&w).join("course 2");

    // Foreign by definition: a script gets the question as an error, the clone stays.
    let refused = open(&w, &format!("{url}#main"), &[]).unwrap_err();
    assert!(refused.contains("it was downloaded from"), "{refused}");
    assert!(refused.contains("--trust"), "{refused}");
    assert!(dir.join("week1/intro.ipynb").is_file());
    assert_eq!(
        std::fs::read_to_string(thesis.join("thesis.ipynb")).unwrap(),
        "mine"
    );

    let started = open(&w, &format!("{url}#main"), &["--trust"]).unwrap();
    assert_eq!(Path::new(started["dir"].as_str().unwrap()), dir);

    let encoded = url.replace(':', "%3A").replace('/', "%2F");
    for link in [
        format!("darwinix://open?repo={encoded}&branch=main&path=week1%2Fintro.ipynb"),
        format!("https://hub.example.org/hub/user-redirect/git-pull?repo={encoded}&branch=main&urlpath=lab%2Ftree%2Fcourse%2Fweek1%2Fintro.ipynb"),
        format!("{url}?branch=main&path=ignored#x"),
    ] {
        let server = open(&w, &link, &[]).unwrap_or_else(|e| panic!("{link}: {e}"));
        assert_eq!(server["dir"], started["dir"], "{link}: the same course");
        if !link.contains("ignored") {
            assert!(
                notebook_of(&server).ends_with("/week1/intro.ipynb"),
                "{link}: {server}"
            );
        }
    }
    assert!(!courses(&w).join("course 3").exists(), "no second copy");

    // Share as a link, both ways: the course's own link opens the same course.
    let shared = w.ok(["share", "--link", dir.to_str().unwrap()]);
    let shared = String::from_utf8_lossy(&shared.stdout).trim().to_string();
    assert!(shared.starts_with("darwinix://open?repo="), "{shared}");
    assert!(shared.ends_with("&branch=main"), "{shared}");
    let again = open(&w, &shared, &[]).unwrap();
    assert_eq!(again["dir"], started["dir"]);
    let plain = w.folder("plain", &[("requirements.txt", "")]);
    let refused = w.run(["share", "--link", plain.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("share it as a file instead"));

    // Another branch is another course, asked about again.
    let dev = open(
        &w,
        &format!("darwinix://open?repo={encoded}&branch=dev&path=dev.ipynb"),
        &["--trust"],
    )
    .unwrap();
    assert_eq!(
        Path::new(dev["dir"].as_str().unwrap()),
        courses(&w).join("course 3")
    );
    assert!(notebook_of(&dev).ends_with("/dev.ipynb"), "{dev}");

    // A raw notebook is downloaded alone into a folder of its name.
    let site = w.root().join("site");
    std::fs::create_dir_all(site.join("files")).unwrap();
    std::fs::write(site.join("files/lesson one.ipynb"), notebook(&["print(1)"])).unwrap();
    let files = FileServer::start(&site);
    let raw = open(
        &w,
        &format!("http://127.0.0.1:{}/files/lesson%20one.ipynb", files.1),
        &["--trust"],
    )
    .unwrap();
    let lesson = courses(&w).join("lesson one");
    assert_eq!(Path::new(raw["dir"].as_str().unwrap()), lesson);
    assert!(lesson.join("lesson one.ipynb").is_file());
    assert!(
        notebook_of(&raw).ends_with("/lesson%20one.ipynb")
            || notebook_of(&raw).ends_with("/lesson one.ipynb"),
        "{raw}"
    );

    let listed = w.ok(["course", "list", "--json"]);
    let listed = json(&listed.stdout);
    assert_eq!(listed.as_array().unwrap().len(), 3, "{listed}");
    w.ok(["stop", "--all"]);
}

#[test]
fn the_teachers_updates_keep_every_change_the_student_made() {
    let w = world();
    let repos = w.root().join("server");
    std::fs::create_dir_all(&repos).unwrap();
    let teacher = course(&repos);
    teacher
        .write("week1/exercise.ipynb", &notebook(&["# exercise"]))
        .write("old.py", "x = 1\n")
        .write("gone.py", "y = 1\n")
        .commit("More");
    let server = GitServer::start(&repos);
    let link = format!("{}#main", server.url("course"));
    let opened = open(&w, &link, &["--trust"]).unwrap();
    let dir = PathBuf::from(opened["dir"].as_str().unwrap());
    w.ok(["stop", "--all"]);

    // The student: answers the exercise, deletes the intro, writes their own notebook.
    std::fs::write(dir.join("week1/exercise.ipynb"), "my answer").unwrap();
    std::fs::remove_file(dir.join("week1/intro.ipynb")).unwrap();
    std::fs::write(dir.join("mine.ipynb"), "my own").unwrap();
    // The teacher: changes both notebooks and the data, adds week 2, deletes two files.
    teacher
        .write("week1/intro.ipynb", &notebook(&["print('week 1, fixed')"]))
        .write("week1/exercise.ipynb", &notebook(&["# exercise, clearer"]))
        .write("data.csv", "a,b\n1,2\n3,4\n")
        .write("week2/next.ipynb", &notebook(&["print('week 2')"]))
        .remove("old.py")
        .commit("Week 2");
    std::fs::write(dir.join("gone.py"), "y = 2  # the student's fix\n").unwrap();
    teacher.remove("gone.py").commit("Drop gone.py");

    let out = w.run(["start", &link, "--no-browser"]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    let read = |p: &str| std::fs::read_to_string(dir.join(p)).unwrap();
    assert_eq!(read("week1/exercise.ipynb"), "my answer");
    assert!(read("week1/exercise (teacher's version).ipynb").contains("clearer"));
    assert!(
        read("week1/intro.ipynb").contains("fixed"),
        "deleted: it is back"
    );
    assert!(read("data.csv").contains("3,4"));
    assert!(read("week2/next.ipynb").contains("week 2"));
    assert!(
        !dir.join("old.py").exists(),
        "unchanged and removed by the teacher"
    );
    assert!(read("gone.py").contains("student's fix"), "changed: kept");
    assert_eq!(read("mine.ipynb"), "my own");
    // Said file by file.
    for file in [
        "week1/exercise.ipynb",
        "week1/intro.ipynb",
        "data.csv",
        "week2/next.ipynb",
        "old.py",
        "gone.py",
    ] {
        assert!(said.contains(&format!("  {file}: ")), "{file} in:\n{said}");
    }
    assert!(!said.contains("mine.ipynb"), "{said}");
    w.ok(["stop", "--all"]);

    // Nothing new: said so, nothing written.
    let again = w.ok(["course", "update", dir.to_str().unwrap(), "--json"]);
    assert_eq!(json(&again.stdout)["alreadyCurrent"], true);

    // Start over: the student's copy moves to a dated folder, the teacher's version arrives.
    let out = w.ok(["course", "start-over", dir.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&out.stdout);
    let kept: Vec<PathBuf> = std::fs::read_dir(dir.parent().unwrap())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains("(my copy "))
        .collect();
    assert_eq!(kept.len(), 1, "{said}");
    assert_eq!(
        std::fs::read_to_string(kept[0].join("week1/exercise.ipynb")).unwrap(),
        "my answer"
    );
    assert_eq!(
        std::fs::read_to_string(kept[0].join("mine.ipynb")).unwrap(),
        "my own"
    );
    assert!(read("week1/exercise.ipynb").contains("clearer"));
    assert!(!dir.join("mine.ipynb").exists());
}

#[test]
fn a_link_that_cannot_be_opened_says_why_and_leaves_nothing() {
    let w = world();
    let repos = w.root().join("server");
    std::fs::create_dir_all(&repos).unwrap();
    let _teacher = course(&repos);
    let server = GitServer::start(&repos);
    for (link, said) in [
        ("file:///etc".to_string(), "a file on a computer"),
        (
            "darwinix://open?repo=ssh://git@example.org/course.git".to_string(),
            "only https://",
        ),
        ("http://example.org/course.git".to_string(), "plain http://"),
        (
            server.url("private/course"),
            "private, or it does not exist",
        ),
        (server.url("missing"), "private, or it does not exist"),
        (server.url("html/course"), "is not a git repository"),
        (
            format!("{}#week9", server.url("course")),
            "no branch `week9`: it has main",
        ),
        (server.url("drop/course"), "could not download"),
        (
            format!("darwinix://open?repo={}&run=x", server.url("course")),
            "`run`",
        ),
    ] {
        let err = open(&w, &link, &["--trust"]).unwrap_err();
        assert!(err.contains(said), "{link}: {err}");
        assert!(err.contains("fix: "), "{link}: {err}");
        assert!(
            std::fs::read_dir(courses(&w)).map_or(true, |d| d.count() == 0),
            "{link}: left {:?}",
            std::fs::read_dir(courses(&w))
                .unwrap()
                .flatten()
                .map(|e| e.path())
                .collect::<Vec<_>>()
        );
    }
    let plain = w.folder("plain", &[("requirements.txt", "")]);
    let update = w.run(["course", "update", plain.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&update.stderr).contains("not opened from a course link"));
}
