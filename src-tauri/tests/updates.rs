//! The updater against a local HTTP server: manifests and packages signed here with a throwaway
//! minisign key, checked by the real updater plugin inside a mock-runtime app (tauri's `test`
//! feature) configured the way tauri.conf.json configures the real one. The server counts the
//! requests, so "checks off" is checked as "nothing was asked".

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use base64::Engine;
use darwinix_app::updates::check::{self, Checked};
use darwinix_app::updates::source::Overrides;
use darwinix_app::updates::{self, policy, UpdateState};
use darwinix_core::env_vars::DARWINIX_NO_UPDATE_CHECK;
use darwinix_core::paths::AppPaths;
use darwinix_core::settings::Settings;
use minisign::{KeyPair, PublicKey, SecretKey};
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::AppHandle;

/// The tests share the process environment (`DARWINIX_NO_UPDATE_CHECK`): one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

fn b64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// A throwaway key pair; the public half as tauri.conf.json's `pubkey` takes it.
struct Key {
    pk: PublicKey,
    sk: SecretKey,
}

impl Key {
    fn new() -> Self {
        let KeyPair { pk, sk } = KeyPair::generate_unencrypted_keypair().unwrap();
        Self { pk, sk }
    }

    fn pubkey(&self) -> String {
        b64(&self.pk.to_box().unwrap().into_string())
    }

    /// A `.sig` file's text, base64: what `tauri signer sign --app-version` writes.
    fn sign(&self, bytes: &[u8], version: &str) -> String {
        let comment = format!("timestamp:1700000000\tfile:Darwinix.deb\tversion:{version}");
        let sig = minisign::sign(Some(&self.pk), &self.sk, bytes, Some(&comment), None).unwrap();
        b64(&sig.into_string())
    }
}

/// A tiny HTTP server: path → body, every request counted.
struct Server {
    url: String,
    files: Arc<Mutex<HashMap<String, Vec<u8>>>>,
    requests: Arc<AtomicUsize>,
}

impl Server {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let files: Arc<Mutex<HashMap<String, Vec<u8>>>> = Arc::default();
        let requests: Arc<AtomicUsize> = Arc::default();
        let (f, r) = (files.clone(), requests.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                r.fetch_add(1, Ordering::SeqCst);
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                let _ = reader.read_line(&mut line);
                let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
                // The headers, up to the blank line.
                let mut header = String::new();
                while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                    header.clear();
                }
                let body = f.lock().unwrap().get(&path).cloned();
                let mut stream = stream;
                let (status, body) = match body {
                    Some(b) => ("200 OK", b),
                    None => ("404 Not Found", b"not here".to_vec()),
                };
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream
                    .write_all(head.as_bytes())
                    .and_then(|_| stream.write_all(&body));
            }
        });
        Self {
            url,
            files,
            requests,
        }
    }

    fn put(&self, path: &str, body: Vec<u8>) {
        self.files.lock().unwrap().insert(path.into(), body);
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    /// A manifest offering `version`, its package at `/pkg` signed with `signature`, under
    /// the platform key this app reads (or `platform`).
    fn offer(&self, version: &str, signature: &str, platform: Option<&str>) {
        let target = this_target();
        let platform = platform.unwrap_or(&target);
        let manifest = serde_json::json!({
            "version": version,
            "notes": "Faster starts.\nA bug fixed.",
            "pub_date": "2026-11-30T12:00:00Z",
            "platforms": { platform: { "url": format!("{}/pkg", self.url), "signature": signature } }
        });
        self.put("/latest.json", manifest.to_string().into_bytes());
    }
}

/// The manifest key the app looks up here (Linux: the .deb's).
fn this_target() -> String {
    policy::manifest_target(check::this_os(), std::env::consts::ARCH)
        .unwrap_or_else(|| tauri_plugin_updater::target().unwrap())
}

const PACKAGE: &[u8] = b"!<arch>\ndebian-binary   a throwaway package for the updater tests";

/// The app at version 0.1.0 (the mock context's), its updater configured like tauri.conf.json
/// does: this server's manifest, this key, signed versions required.
fn app(server: &str, pubkey: &str) -> AppHandle<MockRuntime> {
    let mut context = mock_context(noop_assets());
    let config = serde_json::json!({
        "pubkey": pubkey,
        "endpoints": [format!("{server}/latest.json")],
        "requireSignedVersion": true,
    });
    context
        .config_mut()
        .plugins
        .0
        .insert("updater".into(), config);
    let app = mock_builder()
        .plugin(updates::plugin())
        .manage(updates::State::default())
        .build(context)
        .unwrap();
    app.handle().clone()
}

fn checked(app: &AppHandle<MockRuntime>) -> Result<Checked, check::Problem> {
    tauri::async_runtime::block_on(check::check(app, &Overrides::default()))
}

fn found(app: &AppHandle<MockRuntime>) -> Box<tauri_plugin_updater::Update> {
    match checked(app) {
        Ok(Checked::Found(update)) => update,
        Ok(Checked::UpToDate) => panic!("no update found"),
        Err(p) => panic!("check failed: {p:?}"),
    }
}

#[test]
fn an_update_is_found_downloaded_and_verified() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let (server, key) = (Server::start(), Key::new());
    server.offer("0.2.0", &key.sign(PACKAGE, "0.2.0"), None);
    server.put("/pkg", PACKAGE.to_vec());
    let app = app(&server.url, &key.pubkey());
    let update = found(&app);
    assert_eq!(update.version, "0.2.0");
    assert_eq!(update.body.as_deref(), Some("Faster starts.\nA bug fixed."));
    let bytes = tauri::async_runtime::block_on(check::download(&update)).unwrap();
    assert_eq!(bytes, PACKAGE);
    assert_eq!(server.requests(), 2, "the manifest, then the package");
}

#[test]
fn a_tampered_package_is_refused() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let (server, key) = (Server::start(), Key::new());
    server.offer("0.2.0", &key.sign(PACKAGE, "0.2.0"), None);
    let mut tampered = PACKAGE.to_vec();
    tampered[10] ^= 1;
    server.put("/pkg", tampered);
    let update = found(&app(&server.url, &key.pubkey()));
    let problem = tauri::async_runtime::block_on(check::download(&update)).unwrap_err();
    assert!(problem.refused, "{problem:?}");
    assert!(problem.message.contains("signature"), "{problem:?}");
    assert!(problem.hint.contains("Nothing was changed"), "{problem:?}");
}

#[test]
fn a_package_signed_with_another_key_is_refused() {
    let (server, ours, theirs) = (Server::start(), Key::new(), Key::new());
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    server.offer("0.2.0", &theirs.sign(PACKAGE, "0.2.0"), None);
    server.put("/pkg", PACKAGE.to_vec());
    let update = found(&app(&server.url, &ours.pubkey()));
    let problem = tauri::async_runtime::block_on(check::download(&update)).unwrap_err();
    assert!(
        problem.refused && problem.message.contains("signature"),
        "{problem:?}"
    );
}

#[test]
fn a_package_signed_for_another_version_is_refused() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let (server, key) = (Server::start(), Key::new());
    // A genuine old package announced as a new version (a tampered manifest).
    server.offer("0.3.0", &key.sign(PACKAGE, "0.0.5"), None);
    server.put("/pkg", PACKAGE.to_vec());
    let update = found(&app(&server.url, &key.pubkey()));
    let problem = tauri::async_runtime::block_on(check::download(&update)).unwrap_err();
    assert!(
        problem.refused && problem.details.contains("0.0.5"),
        "{problem:?}"
    );
}

#[test]
fn a_downgrade_is_refused_before_anything_is_downloaded() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let (server, key) = (Server::start(), Key::new());
    server.offer("0.0.9", &key.sign(PACKAGE, "0.0.9"), None);
    server.put("/pkg", PACKAGE.to_vec());
    let problem = checked(&app(&server.url, &key.pubkey()))
        .err()
        .expect("refused");
    assert!(problem.refused, "{problem:?}");
    assert!(
        problem.message.contains("0.0.9") && problem.message.contains("older"),
        "{problem:?}"
    );
    assert_eq!(server.requests(), 1, "only the manifest");
}

#[test]
fn the_same_version_is_up_to_date_and_another_platform_is_refused() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let (server, key) = (Server::start(), Key::new());
    let app = app(&server.url, &key.pubkey());
    server.offer("0.1.0", &key.sign(PACKAGE, "0.1.0"), None);
    assert!(matches!(checked(&app), Ok(Checked::UpToDate)));
    server.offer("0.2.0", &key.sign(PACKAGE, "0.2.0"), Some("plan9-mips"));
    let problem = checked(&app).err().expect("refused");
    assert!(
        problem.refused && problem.message.contains("no package for this computer"),
        "{problem:?}"
    );
}

#[test]
fn debug_overrides_replace_the_endpoint_and_the_key() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let (server, key, other) = (Server::start(), Key::new(), Key::new());
    server.offer("0.2.0", &key.sign(PACKAGE, "0.2.0"), None);
    server.put("/pkg", PACKAGE.to_vec());
    // Configured with another key and a server that does not exist.
    let app = app("http://127.0.0.1:9", &other.pubkey());
    let overrides = Overrides::parse(
        Some(format!("{}/latest.json", server.url)),
        Some(key.pubkey()),
    );
    let Ok(Checked::Found(update)) = tauri::async_runtime::block_on(check::check(&app, &overrides))
    else {
        panic!("the override endpoint was not used");
    };
    tauri::async_runtime::block_on(check::download(&update))
        .expect("verified with the override key");
}

#[test]
fn checks_off_ask_nothing() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let (server, key) = (Server::start(), Key::new());
    server.offer("0.2.0", &key.sign(PACKAGE, "0.2.0"), None);
    let app = app(&server.url, &key.pubkey());
    let home = tempfile::tempdir().unwrap();
    let paths = AppPaths::under(home.path());
    let due = |app| tauri::async_runtime::block_on(updates::check_if_due(app, &paths));
    let now = |app| tauri::async_runtime::block_on(updates::check_now(app, &paths));

    // Off in Settings: neither the daily check nor Check now asks.
    let off = Settings {
        update_checks: false,
        ..Settings::default()
    };
    off.save(&paths).unwrap();
    assert!(!due(&app));
    assert!(now(&app).unwrap_err().message.contains("turned off"));
    // On in Settings, off in the environment (a managed install): the same.
    Settings::default().save(&paths).unwrap();
    std::env::set_var(DARWINIX_NO_UPDATE_CHECK, "1");
    assert!(!due(&app));
    let err = now(&app).unwrap_err();
    std::env::remove_var(DARWINIX_NO_UPDATE_CHECK);
    assert!(err.message.contains("DARWINIX_NO_UPDATE_CHECK"), "{err:?}");
    assert_eq!(server.requests(), 0, "checks off: nothing asked");

    // On: the first check is due and asks; the next one is not due for a day; Check now asks.
    assert!(due(&app));
    assert_eq!(server.requests(), 1);
    let status = updates::status(&app, &paths);
    assert!(
        matches!(&status.state, UpdateState::Available(a) if a.version == "0.2.0"),
        "{status:?}"
    );
    assert!(status.last_checked.is_some());
    assert!(!due(&app));
    assert_eq!(server.requests(), 1, "at most daily");
    now(&app).unwrap();
    assert_eq!(server.requests(), 2, "Check now always asks");
}
