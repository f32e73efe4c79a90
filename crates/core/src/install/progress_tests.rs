use super::*;

#[test]
fn an_unknown_uv_gets_the_plain_step_and_its_error_kept() {
    let text = "DEBUG Selecting: six==1.16.0\nResolved 1 package in 3ms\n + six==1.16.0\nerror: no space\n";
    let mut p = ProgressParser::plain(Installer::Uv);
    let events: Vec<_> = text.lines().flat_map(|l| p.feed(l)).collect();
    assert_eq!(events.len(), 1, "{events:?}");
    assert!(matches!(
        &events[0],
        SetupEvent::Step {
            step: SetupStep::Installing,
            ..
        }
    ));
    assert!(p.summary().contains("error: no space"));
    assert!(!p.summary().contains("DEBUG"));
}

fn run(installer: Installer, text: &str) -> (ProgressParser, Vec<SetupEvent>) {
    let mut p = ProgressParser::new(installer);
    let events = text.lines().flat_map(|l| p.feed(l)).collect();
    (p, events)
}

fn steps(events: &[SetupEvent]) -> Vec<SetupStep> {
    events
        .iter()
        .filter_map(|e| match e {
            SetupEvent::Step { step, .. } => Some(*step),
            _ => None,
        })
        .collect()
}

fn last_progress(events: &[SetupEvent], want: SetupStep) -> Option<(u32, Option<u32>)> {
    events.iter().rev().find_map(|e| match e {
        SetupEvent::Progress {
            step, done, total, ..
        } if *step == want => Some((*done, *total)),
        _ => None,
    })
}

const UV: &str = "DEBUG uv 0.13.9 (x86_64-unknown-linux-gnu)
DEBUG Adding direct dependency: requests*
DEBUG Sending fresh HEAD request for: https://files.pythonhosted.org/packages/a/requests-2.34.2-py3-none-any.whl
DEBUG Selecting: requests==2.34.2 [compatible] (requests-2.34.2-py3-none-any.whl)
DEBUG Selecting: idna==3.20 [compatible] (idna-3.20-py3-none-any.whl)
Resolved 2 packages in 532ms
DEBUG Identified uncached distribution: requests==2.34.2
DEBUG Identified uncached distribution: idna==3.20
DEBUG Sending fresh GET request for: https://files.pythonhosted.org/packages/a/requests-2.34.2-py3-none-any.whl
DEBUG Sending fresh GET request for: https://files.pythonhosted.org/packages/b/idna-3.20-py3-none-any.whl
Prepared 2 packages in 89ms
Installed 2 packages in 5ms
 + idna==3.20
 + requests==2.34.2
";

#[test]
fn uv_install() {
    let (p, events) = run(Installer::Uv, UV);
    assert_eq!(
        steps(&events),
        [
            SetupStep::Resolving,
            SetupStep::Downloading,
            SetupStep::Installing
        ]
    );
    assert_eq!(
        last_progress(&events, SetupStep::Resolving),
        Some((2, Some(2)))
    );
    assert_eq!(
        last_progress(&events, SetupStep::Downloading),
        Some((2, Some(2)))
    );
    assert_eq!(
        last_progress(&events, SetupStep::Installing),
        Some((2, Some(2)))
    );
    assert!(events.contains(&SetupEvent::Progress {
        step: SetupStep::Downloading,
        done: 1,
        total: Some(2),
        item: Some("requests".into())
    }));
    assert_eq!(p.installed(), 2);
    assert_eq!(p.summary(), "");
    assert!(!p.network_error);
}

#[test]
fn uv_missing_package_is_named() {
    let text = "DEBUG Searching for a compatible version of darwinix-no-such-package (*)
  × No solution found when resolving dependencies:
  ╰─▶ Because darwinix-no-such-package was not found in the package registry and you require darwinix-no-such-package, we can conclude that your requirements are unsatisfiable.
";
    let (p, _) = run(Installer::Uv, text);
    assert!(
        p.summary()
            .contains("darwinix-no-such-package was not found"),
        "{}",
        p.summary()
    );
    assert!(!p.summary().contains("DEBUG"));
    assert!(!p.network_error);
}

#[test]
fn uv_unreachable_index() {
    let text = "error: Request failed after 3 retries
  Caused by: Failed to fetch: `http://127.0.0.1:9/simple/six/`
  Caused by: error sending request for url (http://127.0.0.1:9/simple/six/)
  Caused by: client error (Connect)
  Caused by: tcp connect error: Connection refused (os error 111)
";
    let retries =
        "  Caused by: tcp connect error\n  Caused by: Connection refused (os error 111)\n"
            .repeat(3);
    let (p, _) = run(Installer::Uv, &format!("{retries}{text}"));
    assert!(p.network_error);
    assert!(
        p.summary()
            .starts_with("error: Request failed after 3 retries"),
        "{}",
        p.summary()
    );
    assert!(p.summary().contains("127.0.0.1:9"));
    assert_eq!(
        p.summary().matches("Connection refused").count(),
        1,
        "retries are not repeated"
    );
}

#[test]
fn pip_install() {
    let text = "Collecting six (from -r requirements.txt (line 1))
  Downloading six-1.17.0-py2.py3-none-any.whl.metadata (1.7 kB)
Collecting idna
  Using cached idna-3.20-py3-none-any.whl (70 kB)
  Downloading six-1.17.0-py2.py3-none-any.whl (11 kB)
Installing collected packages: six, idna
Successfully installed idna-3.20 six-1.17.0
";
    let (p, events) = run(Installer::Pip, text);
    assert_eq!(
        steps(&events),
        [
            SetupStep::Resolving,
            SetupStep::Downloading,
            SetupStep::Installing
        ]
    );
    assert!(events.contains(&SetupEvent::Progress {
        step: SetupStep::Resolving,
        done: 1,
        total: None,
        item: Some("six".into())
    }));
    assert_eq!(
        last_progress(&events, SetupStep::Installing),
        Some((2, Some(2)))
    );
    assert_eq!(p.installed(), 2);
}

#[test]
fn pip_errors_are_kept() {
    let text = "ERROR: Could not find a version that satisfies the requirement darwinix-no-such-package (from versions: none)
ERROR: No matching distribution found for darwinix-no-such-package
";
    let (p, _) = run(Installer::Pip, text);
    assert!(
        p.summary().starts_with("ERROR: Could not find a version"),
        "{}",
        p.summary()
    );
    assert!(p
        .summary()
        .contains("No matching distribution found for darwinix-no-such-package"));
}

#[test]
fn counts() {
    assert_eq!(
        count_after("Resolved 93 packages in 1.2s", "Resolved "),
        Some(93)
    );
    assert_eq!(
        count_after("Resolved 1 package in 3ms", "Resolved "),
        Some(1)
    );
    assert_eq!(count_after("Resolved everything", "Resolved "), None);
}
