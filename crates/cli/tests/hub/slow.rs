//! A hub that is slow the way real ones are: its spawner takes 15 s, longer than the 10 s
//! JupyterHub holds a start request open (its default `slow_spawn_timeout`). And server names
//! an address would read as folders.

use std::time::Duration;

use tempfile::TempDir;

use super::fixtures::{Hub, Setup};
use super::user::User;

#[test]
fn a_spawn_slower_than_the_hubs_hold_is_waited_for() {
    let hub = Hub::start_with(Setup {
        spawn_delay: Some(Duration::from_secs(15)),
        ..Setup::default()
    });
    let url = hub.url();
    let tmp = TempDir::new().unwrap();
    let user = User::new(tmp.path(), "slow", None);
    let (_, token) = hub.new_token("alice");
    user.run_with_stdin(&["add", &url], Some(&token), &token)
        .success();

    dot_names_are_refused_before_any_request(&hub, &user, &url, &token);

    let run = user.run(&["start", &url], &token).success();
    assert!(
        run.stdout.contains(&format!("Ready: {url}user/alice/")),
        "{}\n{}",
        run.stdout,
        run.stderr
    );
    assert!(run.took >= Duration::from_secs(15), "took {:?}", run.took);
    assert!(!run.stderr.contains("could not reach"), "{}", run.stderr);
    user.run(&["stop", &url], &token).success();
}

/// `.` and `..` as server names: refused, and nothing reaches the hub (unescaped, `servers/..`
/// is a request for the user itself; `%2E%2E` reads the same).
fn dot_names_are_refused_before_any_request(hub: &Hub, user: &User, url: &str, token: &str) {
    let mark = hub.mark();
    for name in [".", ".."] {
        for action in ["start", "stop"] {
            let run = user.run(&[action, url, "--server", name], token).failure();
            assert!(
                run.stderr
                    .contains(&format!("`{name}` cannot be a server's name")),
                "{action} {name}: {}",
                run.stderr
            );
        }
        let run = user
            .run(&["open", url, "--server", name, "--print-url"], token)
            .failure();
        assert!(
            run.stderr.contains("cannot be a server's name"),
            "{}",
            run.stderr
        );
    }
    assert_eq!(hub.api_requests_since(&mark), Vec::<String>::new());
}
