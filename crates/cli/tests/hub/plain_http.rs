//! Plain `http://` to a hub on another computer (here: this computer's own non-loopback
//! address, which Darwinix cannot tell from another's): nothing is sent until the user
//! confirms, and the confirmation is kept with the hub.

use serde_json::Value;
use tempfile::TempDir;

use super::address::NonLoopback;
use super::fixtures::{Hub, Setup};
use super::user::{assert_no_file_holds, User};

/// When the hub last saw `token` (by its id): `Null` when never.
fn last_used(hub: &Hub, token_id: &str) -> Value {
    let (status, token) = hub.admin("GET", &format!("users/alice/tokens/{token_id}"), None);
    assert_eq!(status, 200, "{token}");
    token["last_activity"].clone()
}

#[test]
fn plain_http_to_another_computer_sends_nothing_until_confirmed() {
    let Some(address) = NonLoopback::find_or_add() else {
        return;
    };
    let hub = Hub::start_with(Setup {
        ip: Some(address.ip),
        ..Setup::default()
    });
    let url = hub.url();
    assert!(url.starts_with(&format!("http://{}:", address.ip)), "{url}");
    let tmp = TempDir::new().unwrap();
    let user = User::new(tmp.path(), "plain", None);
    let (token_id, token) = hub.new_token("alice");

    // Not confirmed: refused with the way to confirm, and the hub saw nothing at all.
    let mark = hub.mark();
    let run = user
        .run_with_stdin(&["add", &url], Some(&token), &token)
        .failure();
    assert!(
        run.stderr.contains("plain http://")
            && run.stderr.contains("nothing was sent")
            && run.stderr.contains("--allow-insecure-http"),
        "{}",
        run.stderr
    );
    assert_eq!(hub.api_requests_since(&mark), Vec::<String>::new());
    assert_eq!(last_used(&hub, &token_id), Value::Null);
    assert!(!user.home.join("config/hubs.json").exists());
    assert_no_file_holds(&user.home, &token);

    // Confirmed: added with a warning, and remembered for what follows.
    let run = user
        .run_with_stdin(
            &["add", &url, "--allow-insecure-http"],
            Some(&token),
            &token,
        )
        .success();
    assert!(
        run.stdout.contains(&format!("Added {url} for alice"))
            && run.stderr.contains("crosses the network unencrypted"),
        "{}\n{}",
        run.stdout,
        run.stderr
    );
    assert!(last_used(&hub, &token_id).is_string());
    assert_eq!(user.list(&token)[0]["state"], "online");

    // A plain-http hub kept without the confirmation (a file from before it was asked) is
    // sent nothing either: not its start, not the list's question.
    let hubs_file = user.home.join("config/hubs.json");
    let kept = std::fs::read_to_string(&hubs_file).unwrap();
    assert!(kept.contains("\"plain_http_confirmed\": true"), "{kept}");
    std::fs::write(
        &hubs_file,
        kept.replace(
            "\"plain_http_confirmed\": true",
            "\"plain_http_confirmed\": false",
        ),
    )
    .unwrap();
    let mark = hub.mark();
    let run = user.run(&["start", &url], &token).failure();
    assert!(run.stderr.contains("nothing was sent"), "{}", run.stderr);
    let list = user.list(&token);
    assert_eq!(list[0]["state"], "failed", "{list:?}");
    assert!(
        list[0]["problem"]
            .as_str()
            .unwrap()
            .contains("plain http://"),
        "{list:?}"
    );
    assert_eq!(hub.api_requests_since(&mark), Vec::<String>::new());
}
