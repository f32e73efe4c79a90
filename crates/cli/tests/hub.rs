//! JupyterHub, for real: PyPI's `jupyterhub` (with JupyterLab for the single-user servers) and
//! npm's `configurable-http-proxy`, installed once under the target folder and started by the
//! test on 127.0.0.1 with the dummy authenticator and the local-process spawner. Tokens are kept
//! in a real Secret Service (gnome-keyring in a D-Bus session of the test's own) and, with no
//! session bus, in Darwinix's private file.
//!
//! Needs `gnome-keyring` and `dbus` (Debian; `./dev test` installs them), node with npm, and the
//! network the first time (PyPI, npm).
#![cfg(target_os = "linux")]

#[path = "hub/access_log.rs"]
mod access_log;
#[path = "hub/address.rs"]
mod address;
#[path = "hub/fixtures.rs"]
mod fixtures;
#[path = "hub/plain_http.rs"]
mod plain_http;
#[path = "hub/slow.rs"]
mod slow;
#[path = "hub/user.rs"]
mod user;

use std::path::Path;
use std::time::Duration;

use darwinix_testkit::json;
use fixtures::{http, Hub, Relay, SecretService};
use serde_json::Value;
use tempfile::TempDir;
use user::{assert_no_file_holds, User};

fn server<'a>(hub: &'a Value, name: &str) -> &'a Value {
    hub["servers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no server {name:?} in {hub}"))
}

fn hub_at<'a>(list: &'a [Value], url: &str) -> &'a Value {
    list.iter()
        .find(|h| h["url"] == url)
        .unwrap_or_else(|| panic!("no hub {url} in {list:?}"))
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// One hub for the whole flow (it takes seconds to start): add with the Secret Service and
/// with the file, start the default and a named server with the hub's progress, open, stop,
/// list, a hub that stops answering, a revoked token, remove.
#[test]
fn a_real_jupyterhub_from_add_to_remove() {
    let hub = Hub::start();
    let keyring = SecretService::start();
    let tmp = TempDir::new().unwrap();
    let (token_id, token) = hub.new_token("alice");
    let with_keyring = User::new(tmp.path(), "keyring", Some(&keyring.address));
    let without_bus = User::new(tmp.path(), "file", None);
    let url = hub.url();

    adding_keeps_the_token_in_the_secret_service(&with_keyring, &keyring, &url, &token);
    adding_without_a_keyring_uses_a_private_file(&without_bus, &url, &token);
    starting_shows_the_hubs_progress(&with_keyring, &url, &token);
    opening_goes_through_the_hubs_sign_in(&with_keyring, &url, &token);
    stopping_and_listing(&with_keyring, &url, &token);
    a_silent_hub_holds_up_no_other(&with_keyring, &hub, &keyring, &url, &token);

    // Revoked on the hub: the list says so, a start fails with the way to a new token.
    let (revoked, _) = hub.admin("DELETE", &format!("users/alice/tokens/{token_id}"), None);
    assert_eq!(revoked, 204);
    let list = without_bus.list(&token);
    assert_eq!(hub_at(&list, &url)["state"], "tokenRefused", "{list:?}");
    let run = without_bus.run(&["start", &url], &token).failure();
    assert!(
        run.stderr.contains("refused the token")
            && run.stderr.contains(&format!("{url}hub/token"))
            && run.stderr.contains(&format!("`darwinix hub add {url}`")),
        "{}",
        run.stderr
    );

    removing_deletes_the_token_everywhere(&with_keyring, &without_bus, &keyring, &url, &token);
    assert_no_file_holds(&with_keyring.home, &token);
    assert_no_file_holds(&without_bus.home, &token);
}

fn adding_keeps_the_token_in_the_secret_service(
    user: &User,
    keyring: &SecretService,
    url: &str,
    token: &str,
) {
    // Any page of the hub will do; the token is one line on standard input.
    let page = format!("{url}hub/home");
    let run = user
        .run_with_stdin(&["add", &page], Some(&format!("{token}\n")), token)
        .success();
    assert!(
        run.stdout.contains(&format!("Added {url} for alice"))
            && run.stdout.contains("kept in the Secret Service keyring"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains(token) && !run.stderr.contains(token));
    assert_eq!(keyring.darwinix_items(), 1);
    assert!(!user.home.join("config/private/hub-tokens.json").exists());
    assert_no_file_holds(&user.home, token);

    // The file when asked for, though a keyring is there; adding again moves the token back.
    let file = user.home.join("config/private/hub-tokens.json");
    let run = user
        .run_forcing("file", &["add", url], token, token)
        .success();
    assert!(
        run.stdout.contains("readable only by you"),
        "{}",
        run.stdout
    );
    assert!(std::fs::read_to_string(&file).unwrap().contains(token));
    user.run_with_stdin(&["add", url], Some(token), token)
        .success();
    assert!(!file.exists(), "the file copy goes when the keyring has it");
    assert_eq!(keyring.darwinix_items(), 1);
}

fn adding_without_a_keyring_uses_a_private_file(user: &User, url: &str, token: &str) {
    let run = user
        .run_with_stdin(&["add", url], Some(token), token)
        .success();
    let file = user.home.join("config/private/hub-tokens.json");
    assert!(
        run.stdout.contains("No system keychain was available")
            && run.stdout.contains(&file.display().to_string())
            && run.stdout.contains("readable only by you"),
        "{}",
        run.stdout
    );
    assert_eq!(mode(&file), 0o600);
    assert_eq!(mode(file.parent().unwrap()), 0o700);
    assert!(!std::fs::read_to_string(user.home.join("config/hubs.json"))
        .unwrap()
        .contains(token));
    let list = user.list(token);
    assert_eq!(list[0]["storage"], "file");
    assert_eq!(list[0]["state"], "online");

    // Asked for the system store where there is none: said, with the way out.
    let run = user
        .run_forcing("system", &["add", url], token, token)
        .failure();
    assert!(
        run.stderr
            .contains("Secret Service keyring is not available")
            && run.stderr.contains("DARWINIX_CREDENTIALS=file"),
        "{}",
        run.stderr
    );

    // A token the hub does not know is refused at once, and nothing is kept.
    let run = user
        .run_with_stdin(&["add", url], Some("not-a-real-token\n"), token)
        .failure();
    assert!(run.stderr.contains("refused the token"), "{}", run.stderr);
}

fn starting_shows_the_hubs_progress(user: &User, url: &str, token: &str) {
    let run = user.run(&["start", url], token).success();
    assert!(
        run.stderr.contains("Starting the default server")
            && run.stderr.contains("[  0%] Server requested")
            && run.stderr.contains("[100%] Server ready at /user/alice/"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains(&format!("Ready: {url}user/alice/")),
        "{}",
        run.stdout
    );
    let run = user
        .run(&["start", url, "--server", "analysis"], token)
        .success();
    assert!(
        run.stderr.contains("Server ready at /user/alice/analysis/"),
        "{}",
        run.stderr
    );
    // Starting what runs already is no error.
    user.run(&["start", url], token).success();
    let list = user.list(token);
    assert_eq!(server(&list[0], "")["state"], "ready");
    assert_eq!(server(&list[0], "analysis")["state"], "ready");
    assert_eq!(
        server(&list[0], "analysis")["url"],
        format!("{url}user/alice/analysis/")
    );
    assert_eq!(list[0]["storage"], "system");
}

fn opening_goes_through_the_hubs_sign_in(user: &User, url: &str, token: &str) {
    let run = user.run(&["open", url], token).success();
    let default = format!("{url}hub/user-redirect/lab");
    assert_eq!(run.stdout.trim(), default);
    user.run(&["open", url, "--server", "analysis"], token)
        .success();
    assert_eq!(
        user.opened(),
        [default.clone(), format!("{url}user/alice/analysis/lab")]
    );
    for address in user.opened() {
        assert!(
            !address.contains(token) && !address.contains("token"),
            "{address}"
        );
    }
    // Without a session the hub sends the browser to its own login page.
    let (status, _, location) = http("GET", &default, None, None);
    assert_eq!(status, 302);
    assert!(location.contains("/hub/login"), "{location}");
}

fn stopping_and_listing(user: &User, url: &str, token: &str) {
    let run = user
        .run(&["stop", url, "--server", "analysis"], token)
        .success();
    assert!(
        run.stdout.contains("Stopped the server analysis"),
        "{}",
        run.stdout
    );
    user.run(&["stop", url], token).success();
    let list = user.list(token);
    assert_eq!(server(&list[0], "")["state"], "stopped");
    assert_eq!(server(&list[0], "analysis")["state"], "stopped");
    let text = user.run(&["list"], token).success().stdout;
    assert!(
        text.contains("online") && text.contains("token kept in the Secret Service keyring"),
        "{text}"
    );
}

fn a_silent_hub_holds_up_no_other(
    user: &User,
    hub: &Hub,
    keyring: &SecretService,
    url: &str,
    token: &str,
) {
    let relay = Relay::to(hub.port);
    let (_, second) = hub.new_token("alice");
    user.run_with_stdin(&["add", &relay.url()], Some(&second), &second)
        .success();
    assert_eq!(keyring.darwinix_items(), 2);
    relay.go_silent();
    let run = user.run(&["list", "--json"], token).success();
    let list = json(run.stdout.as_bytes());
    let list = list.as_array().unwrap();
    assert!(run.took < Duration::from_secs(12), "took {:?}", run.took);
    assert_eq!(hub_at(list, url)["state"], "online");
    let silent = hub_at(list, &relay.url());
    assert_eq!(silent["state"], "unreachable", "{silent}");
    // It took the connection: slow, not unreachable, and said so.
    let problem = silent["problem"].as_str().unwrap();
    assert_eq!(
        problem,
        format!("the hub at {} did not answer within 5 s", relay.url())
    );
    // While the user waits on this one hub, it gets as long as a hub gives a new server.
    let run = user.run(&["start", &relay.url()], token).failure();
    assert!(
        run.stderr.contains("did not answer within 30 s")
            && !run.stderr.contains("could not reach")
            && run.stderr.contains("fix:"),
        "{}",
        run.stderr
    );
    assert!(run.took >= Duration::from_secs(30), "took {:?}", run.took);
    user.run(&["remove", &relay.url()], token).success();
    assert_eq!(keyring.darwinix_items(), 1);
}

fn removing_deletes_the_token_everywhere(
    with_keyring: &User,
    without_bus: &User,
    keyring: &SecretService,
    url: &str,
    token: &str,
) {
    let run = with_keyring.run(&["remove", url], token).success();
    assert!(
        run.stdout.contains("Secret Service keyring"),
        "{}",
        run.stdout
    );
    assert_eq!(keyring.darwinix_items(), 0);
    let run = with_keyring.run(&["start", url], token).failure();
    assert!(
        run.stderr.contains("has not been added")
            && run.stderr.contains(&format!("`darwinix hub add {url}`")),
        "{}",
        run.stderr
    );
    without_bus.run(&["remove", url], token).success();
    assert!(!without_bus
        .home
        .join("config/private/hub-tokens.json")
        .exists());
    assert!(without_bus.list(token).is_empty());
}
