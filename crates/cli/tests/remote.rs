//! Remote projects over SSH, against a real OpenSSH server (Debian's `openssh-server`) that the
//! test starts on 127.0.0.1 with its own host key, config and client key, for a separate user
//! with a home of their own. Needs root (to run sshd and make that user): `./dev test` is.
#![cfg(target_os = "linux")]

use std::time::{Duration, Instant};

use darwinix_testkit::{alive, json, json_lines, TestContext};

#[path = "remote/sshd.rs"]
mod sshd;
#[path = "remote/takeover.rs"]
mod takeover;

use sshd::*;

#[test]
fn a_remote_project_starts_survives_a_lost_connection_and_stops_leaving_nothing() {
    let (_turn, sshd) = Sshd::start();
    let sandbox = TestContext::new();
    let (uid, _) = remote_user();
    let (address, dir) = remote_project("remote project ü", "tabulate\n");

    // Setup runs there, with its progress streamed back.
    let out = darwinix_ok(&sandbox, &sshd, &["setup", "--json", &address]);
    let events = json_lines(&out.stdout);
    assert!(events.iter().any(|e| e["event"] == "step"), "{events:?}");
    assert!(
        dir.join(".venv").is_dir(),
        "the project's environment is made on the remote"
    );

    let started = start_json(&sandbox, &sshd, &address);
    assert_eq!(started["host"], "dxtest");
    let entry = remote_entry(&sandbox);
    let token = entry["token"].as_str().unwrap().to_string();
    let local = entry["local_port"].as_u64().unwrap() as u16;
    let remote_pid = entry["remote_pid"].as_u64().unwrap() as u32;
    assert_eq!(
        status(local, Some(&token)),
        Some(200),
        "the forward answers with the token"
    );
    assert_eq!(status(local, None), Some(403), "and only with it");
    assert!(
        !started.to_string().contains(&token),
        "the printed server has no token"
    );
    no_cmdline_has(&token);
    let servers = remote_processes(uid);
    assert!(servers.iter().any(|(p, _)| *p == remote_pid), "{servers:?}");
    assert_eq!(listed_state(&sandbox, &sshd), "running");

    // The forward taken away: the next open makes it again, on the same port.
    let forward = format!("127.0.0.1:{local}:127.0.0.1:{}", entry["remote_port"]);
    let cancelled = ssh_control(&sandbox, &sshd, &["-O", "cancel", "-L", &forward]);
    assert!(cancelled.status.success(), "{cancelled:?}");
    assert_eq!(status(local, Some(&token)), None, "the forward is gone");
    let url = darwinix(&sandbox, &sshd)
        .args(["open", "--print-url", &address])
        .output()
        .unwrap();
    assert!(
        url.status.success(),
        "{}",
        String::from_utf8_lossy(&url.stderr)
    );
    assert_eq!(status(local, Some(&token)), Some(200), "open restores it");

    // The master connection killed (a network change, sleep): the server there lives on, and
    // open connects again.
    let check = ssh_control(&sandbox, &sshd, &["-O", "check"]);
    let said = String::from_utf8_lossy(&check.stderr).to_string();
    let master: u32 = said
        .split("pid=")
        .nth(1)
        .and_then(|s| s.trim_end_matches([')', '\r', '\n']).parse().ok())
        .unwrap_or_else(|| panic!("{said}"));
    run("kill", &["-9", &master.to_string()]);
    let deadline = Instant::now() + Duration::from_secs(10);
    while status(local, Some(&token)).is_some() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(status(local, Some(&token)), None);
    assert!(alive(remote_pid), "the server survives its connection");
    assert_eq!(listed_state(&sandbox, &sshd), "disconnected");
    let again = darwinix(&sandbox, &sshd)
        .args(["start", "--no-browser", "--json", &address])
        .output()
        .unwrap();
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(json(&again.stdout)["reused"], true);
    assert_eq!(status(local, Some(&token)), Some(200));

    // A kernel there, started through the forward (it runs in the project's .venv).
    let before = remote_processes(uid).len();
    assert_eq!(
        request(local, "POST", "/api/kernels", Some(&token)),
        Some(201)
    );
    assert!(remote_processes(uid).len() > before, "a kernel runs there");

    // The notebook's Install button there: its click (the same POST) installs on the remote,
    // with the remote's Darwinix, and the remote project's requirements.txt gains the line.
    let (code, said) = send(
        local,
        "POST",
        "/darwinix/install",
        Some(&token),
        r#"{"module": "six"}"#,
    )
    .unwrap();
    assert_eq!(code, 200, "{said}");
    assert!(said.contains(r#""ok": true"#), "{said}");
    let file = std::fs::read_to_string(dir.join("requirements.txt")).unwrap();
    assert!(file.lines().any(|l| l == "six"), "{file}");
    assert!(
        std::fs::read_dir(dir.join(".venv/lib/python3.11/site-packages"))
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("six-")),
        "six is in the remote project's .venv"
    );

    // Stop: nothing of ours is left there (the kernel neither), and the connection is closed.
    darwinix_ok(&sandbox, &sshd, &["stop", &address]);
    let deadline = Instant::now() + Duration::from_secs(10);
    while !remote_processes(uid).is_empty() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(remote_processes(uid), vec![], "nothing left on the remote");
    assert_eq!(status(local, None), None, "the forward is closed");
    assert!(
        !ssh_control(&sandbox, &sshd, &["-O", "check"])
            .status
            .success(),
        "the master is closed"
    );
    assert!(
        std::fs::read_dir(sandbox.home().join("data/remote-servers"))
            .unwrap()
            .next()
            .is_none()
    );
}

#[test]
fn an_unknown_host_key_and_a_refused_key_say_how_to_fix_them() {
    let (_turn, sshd) = Sshd::start();
    let sandbox = TestContext::new();
    let (address, _) = remote_project("remote errors", "# nothing\n");
    let path = address.trim_start_matches("ssh://dxtest");
    for (host, fix) in [
        ("dxunknown", "`ssh dxunknown true` once"),
        ("dxrefused", "`ssh-copy-id dxrefused`"),
    ] {
        let out = darwinix(&sandbox, &sshd)
            .args(["start", "--no-browser", &format!("ssh://{host}{path}")])
            .output()
            .unwrap();
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(fix), "{host}: {err}");
    }
    let _ = sshd.port;
}

#[test]
fn a_data_folder_with_a_space_and_a_percent_holds_the_connection() {
    let (_turn, sshd) = Sshd::start();
    let sandbox = TestContext::new();
    // ssh reads `%` in ControlPath and in a socket forward's path as the start of a token.
    let home = sandbox.root().join("my data%C");
    let sandbox = sandbox.with_env("DARWINIX_HOME", &home);
    let (address, _) = remote_project("remote odd home", "tabulate\n");
    start_json(&sandbox, &sshd, &address);
    let sockets: Vec<String> = std::fs::read_dir(home.join("data/ssh"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        sockets.iter().any(|s| s.len() == 40) && sockets.iter().any(|s| s.starts_with("fwd-")),
        "the master's and the forward's sockets are in the data folder: {sockets:?}"
    );
    assert_eq!(listed_state(&sandbox, &sshd), "running");
    darwinix_ok(&sandbox, &sshd, &["stop", &address]);
}
