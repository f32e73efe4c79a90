use super::*;
use crate::error::CourseError;

fn repo(url: &str, branch: Option<&str>, path: Option<&str>) -> Link {
    Link::Repository {
        url: url.into(),
        branch: branch.map(String::from),
        path: path.map(String::from),
    }
}

#[test]
fn each_form_a_teacher_publishes_names_the_repository_branch_and_notebook() {
    let gh = "https://github.com/ann/course";
    for (link, want) in [
        ("https://github.com/ann/course", repo(gh, None, None)),
        ("https://github.com/ann/course/", repo(gh, None, None)),
        (
            "https://github.com/ann/course.git",
            repo("https://github.com/ann/course.git", None, None),
        ),
        ("https://github.com/ann/course#week2", repo(gh, Some("week2"), None)),
        ("https://github.com/ann/course?branch=week2", repo(gh, Some("week2"), None)),
        (
            "https://github.com/ann/course/blob/main/lessons/Intro%20%C3%A9t%C3%A9.ipynb#L3",
            repo(gh, Some("main"), Some("lessons/Intro été.ipynb")),
        ),
        (
            "https://github.com/ann/course/tree/2024/week1",
            repo(gh, Some("2024"), Some("week1")),
        ),
        (
            "https://colab.research.google.com/github/ann/course/blob/main/a.ipynb#scrollTo=x1",
            repo(gh, Some("main"), Some("a.ipynb")),
        ),
        (
            "https://gitlab.com/uni/physics/lab-1/-/blob/master/notes/one.ipynb",
            repo("https://gitlab.com/uni/physics/lab-1", Some("master"), Some("notes/one.ipynb")),
        ),
        (
            "https://gitlab.com/uni/physics/lab-1.git",
            repo("https://gitlab.com/uni/physics/lab-1.git", None, None),
        ),
        (
            "https://hub.uni.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fann%2Fcourse&branch=main&urlpath=lab%2Ftree%2Fcourse%2Fweek1%2Fa.ipynb",
            repo(gh, Some("main"), Some("week1/a.ipynb")),
        ),
        (
            "https://hub.uni.edu/hub/user-redirect/git-pull?repo=https://github.com/ann/course&urlpath=tree/course/a.ipynb",
            repo(gh, None, Some("a.ipynb")),
        ),
        (
            "https://hub.uni.edu/git-pull?repo=https://github.com/ann/course&branch=&targetPath=x",
            repo(gh, None, None),
        ),
        (
            "darwinix://open?repo=https%3A%2F%2Fgithub.com%2Fann%2Fcourse&branch=main&path=a.ipynb",
            repo(gh, Some("main"), Some("a.ipynb")),
        ),
        (
            "http://127.0.0.1:8123/course.git#dev",
            repo("http://127.0.0.1:8123/course.git", Some("dev"), None),
        ),
    ] {
        assert_eq!(parse(link).unwrap(), want, "{link}");
    }
}

#[test]
fn a_raw_notebook_is_downloaded_alone() {
    for (link, url, name) in [
        (
            "https://raw.githubusercontent.com/ann/course/main/a%20b.ipynb",
            "https://raw.githubusercontent.com/ann/course/main/a%20b.ipynb",
            "a b.ipynb",
        ),
        (
            "https://example.org/files/lesson.ipynb#top",
            "https://example.org/files/lesson.ipynb",
            "lesson.ipynb",
        ),
        (
            "darwinix://open?notebook=https://example.org/x.ipynb",
            "https://example.org/x.ipynb",
            "x.ipynb",
        ),
    ] {
        assert_eq!(
            parse(link).unwrap(),
            Link::Notebook {
                url: url.into(),
                name: name.into()
            },
            "{link}"
        );
    }
}

#[test]
fn what_could_reach_beyond_a_public_repository_is_refused_with_the_reason() {
    for (link, why) in [
        ("file:///etc/passwd", "a file on a computer"),
        ("ssh://git@github.com/ann/course", "only https://"),
        ("git@github.com:ann/course.git", "not a web address"),
        ("http://example.org/course.git", "plain http://"),
        ("https://ann:secret@github.com/ann/course", "password"),
        ("https://github.com", "web site"),
        ("darwinix://open?repo=file:///home/ann", "only https://"),
        (
            "darwinix://open?repo=https://github.com/a/b&exec=rm",
            "`exec`",
        ),
        (
            "darwinix://open?repo=https://github.com/a/b&repo=https://x.org/c",
            "twice",
        ),
        (
            "darwinix://run?repo=https://github.com/a/b",
            "darwinix://open?",
        ),
        ("darwinix://open?branch=main", "names no repository"),
        (
            "darwinix://open?repo=https://github.com/a/b&path=../../.ssh/id",
            "leads out",
        ),
        (
            "darwinix://open?repo=https://github.com/a/b&path=.git/config",
            "leads out",
        ),
        (
            "darwinix://open?repo=https://github.com/a/b&branch=--upload-pack=x",
            "branch",
        ),
        (
            "darwinix://open?notebook=https://example.org/x.txt",
            ".ipynb",
        ),
        ("https://github.com/a/b\u{1b}[2J", "control characters"),
        ("javascript:alert(1)", "`javascript:`"),
    ] {
        let err = parse(link).unwrap_err();
        let said = err.to_string();
        assert!(
            matches!(err, Error::Course(CourseError::LinkNotUnderstood { .. })),
            "{link}: {err:?}"
        );
        assert!(said.contains(why), "{link}: {said}");
    }
}

#[test]
fn a_course_keeps_its_repositorys_name_and_its_darwinix_link_opens_the_same() {
    for link in [
        "https://github.com/ann/Data-Course.git",
        "https://github.com/ann/course/blob/main/week%201/a.ipynb",
        "https://example.org/x/lesson%20one.ipynb",
    ] {
        let parsed = parse(link).unwrap();
        assert_eq!(parse(&parsed.to_darwinix()).unwrap(), parsed, "{link}");
    }
    assert_eq!(
        parse("https://github.com/ann/Data-Course.git")
            .unwrap()
            .folder_name(),
        "Data-Course"
    );
    assert_eq!(
        parse("https://example.org/x/lesson%20one.ipynb")
            .unwrap()
            .folder_name(),
        "lesson one"
    );
    // A name that is only dots would be a folder above: it gets a plain one.
    assert_eq!(
        parse("https://example.org/x/..ipynb")
            .unwrap()
            .folder_name(),
        "course"
    );
}
