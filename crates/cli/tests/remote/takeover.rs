//! Another account of this computer takes the forward's port after the connection dropped,
//! and reads the browser's command line: it must get neither the token nor a sign-in link.

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use darwinix_testkit::{json, TestContext};

use super::sshd::*;

const ATTACKER: &str = "dxattacker";

/// A second local account (no home, no login: it only runs the listener).
fn attacker() {
    if !run("id", &["-u", ATTACKER]).status.success() {
        let made = run("useradd", &["-M", "-s", "/bin/sh", ATTACKER]);
        assert!(made.status.success(), "useradd: {made:?}");
    }
}

/// Listens on 127.0.0.1:`port` as the other account, answers every request with 200 (as a
/// server would, so that a client believes it), and records all it receives in `record`.
const LISTENER: &str = r#"
import socket, sys, threading
port, record = int(sys.argv[1]), sys.argv[2]
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port))
s.listen(16)
print("listening", flush=True)
def serve(c):
    c.settimeout(3)
    got = b""
    try:
        while b"\r\n\r\n" not in got:
            part = c.recv(65536)
            if not part:
                break
            got += part
        c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
    except OSError:
        pass
    with open(record, "ab") as f:
        f.write(b"--- connection\n" + got + b"\n")
    c.close()
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,)).start()
"#;

struct Listener {
    child: Child,
    record: PathBuf,
}

impl Listener {
    fn start(dir: &Path, port: u16) -> Self {
        let record = dir.join("received");
        std::fs::write(&record, "").unwrap();
        run("chown", &[ATTACKER, record.to_str().unwrap()]);
        // setpriv runs python itself (runuser would stay between): killing the child ends it.
        let mut child = StdCommand::new("setpriv")
            .args(["--reuid", ATTACKER, "--regid", ATTACKER, "--clear-groups"])
            .args(["/usr/bin/python3", "-c", LISTENER])
            .arg(port.to_string())
            .arg(&record)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert_eq!(
            line.trim(),
            "listening",
            "the other account holds port {port}"
        );
        Self { child, record }
    }

    fn received(&self) -> String {
        std::fs::read_to_string(&self.record).unwrap_or_default()
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A first browser window: records its address, then stays with the address on its command
/// line, as a browser does.
const STAYING_BROWSER: &str = r#"echo "$$ $1" >> "$DARWINIX_TEST_BROWSER_CALLS"
exec python3 -c 'import time; time.sleep(60)' "$1""#;

fn as_attacker(args: &[&str]) -> std::process::Output {
    let mut all = vec!["-u", ATTACKER, "--"];
    all.extend(args);
    run("runuser", &all)
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_dropped_connection_never_hands_the_token_or_a_sign_in_link_to_another_account() {
    let (_turn, sshd) = Sshd::start();
    attacker();
    let sandbox = TestContext::new().with_browser(STAYING_BROWSER);
    let (address, _) = remote_project("remote takeover", "tabulate\n");
    start_json(&sandbox, &sshd, &address);
    let entry = remote_entry(&sandbox);
    let token = entry["token"].as_str().unwrap().to_string();
    let old_port = entry["local_port"].as_u64().unwrap() as u16;
    assert_eq!(status(old_port, Some(&token)), Some(200));

    // The connection drops; another account takes the port the forward had.
    run("kill", &["-9", &master_pid(&sandbox, &sshd).to_string()]);
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", old_port)).is_ok() {
        assert!(Instant::now() < deadline, "the old forward did not go");
        std::thread::sleep(Duration::from_millis(50));
    }
    let spy_dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(spy_dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let spy = Listener::start(spy_dir.path(), old_port);

    // Listing asks nothing of that port (and so does not take it for the server).
    assert_eq!(listed_state(&sandbox, &sshd), "disconnected");
    assert_eq!(
        spy.received(),
        "",
        "list sent something to another account's port"
    );

    // Opening comes back on a port of Darwinix's own, and says which.
    let opened = darwinix(&sandbox, &sshd)
        .args(["open", &address])
        .output()
        .unwrap();
    assert!(
        opened.status.success(),
        "{}",
        String::from_utf8_lossy(&opened.stderr)
    );
    let entry = remote_entry(&sandbox);
    let new_port = entry["local_port"].as_u64().unwrap() as u16;
    assert_ne!(new_port, old_port, "the taken port is not used again");
    assert!(
        String::from_utf8_lossy(&opened.stdout).contains(&format!("127.0.0.1:{new_port}/")),
        "{}",
        String::from_utf8_lossy(&opened.stdout)
    );
    assert_eq!(status(new_port, Some(&token)), Some(200));

    // start finds it running there too.
    let again = darwinix(&sandbox, &sshd)
        .args(["start", "--no-browser", "--json", &address])
        .output()
        .unwrap();
    assert!(again.status.success());
    assert_eq!(json(&again.stdout)["reused"], true);
    let received = spy.received();
    assert!(
        !received.contains(&token),
        "the token reached the other account: {received}"
    );
    assert_eq!(
        received, "",
        "nothing at all went to the other account's port"
    );

    // The browser was given a private page, not the link: the other account reads the
    // browser's command line and finds no link in it, and cannot read the page.
    let calls = sandbox.browser_calls();
    let (browser_pid, given) = calls.last().cloned().expect("the browser was opened");
    assert!(!given.contains("/darwinix/login/"), "{given}");
    let seen = as_attacker(&["cat", &format!("/proc/{browser_pid}/cmdline")]);
    let seen = String::from_utf8_lossy(&seen.stdout).replace('\0', " ");
    assert!(
        seen.contains("file://") && !seen.contains("/darwinix/login/"),
        "{seen}"
    );
    let page = PathBuf::from(given.trim_start_matches("file://").replace("%20", " "));
    assert_eq!(mode(&page), 0o600, "{}", page.display());
    assert_eq!(mode(page.parent().unwrap()), 0o700);
    let read = as_attacker(&["cat", page.to_str().unwrap()]);
    assert!(!read.status.success(), "the other account read the page");

    // The page leads the user's browser to a link on Darwinix's port, which signs in once.
    let text = std::fs::read_to_string(&page).unwrap();
    let link = text
        .split("url=")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("{text}"));
    let prefix = format!("http://127.0.0.1:{new_port}/darwinix/login/");
    let path = link.strip_prefix(&prefix[..prefix.len() - "/darwinix/login/".len()]);
    let path = path.unwrap_or_else(|| panic!("{link}"));
    assert!(link.starts_with(&prefix), "{link}");
    assert_eq!(request(new_port, "GET", path, None), Some(302));
    assert_eq!(request(new_port, "GET", path, None), Some(403), "once only");

    darwinix_ok(&sandbox, &sshd, &["stop", &address]);
    assert_eq!(spy.received(), "");
    run("kill", &[&browser_pid.to_string()]);
}
