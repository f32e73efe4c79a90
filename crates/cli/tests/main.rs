//! The CLI's end-to-end tests in one test binary (`cargo test -p darwinix-cli --test cli`):
//! each file of this folder is a module here, so the tests link once instead of once per file,
//! and the slow ones (a real JupyterLab, uv, sshd) share the test threads instead of each file
//! waiting for the one before it (`./dev test` runs 4 at a time). Filter by file:
//! `cargo test -p darwinix-cli --test cli server::` (was `--test server`).
//!
//! A new test file goes in the list below (or in Cargo.toml as its own `[[test]]`):
//! `every_test_file_runs` fails for one that is in neither.

#[path = "browser.rs"]
mod browser;
#[path = "course.rs"]
mod course;
#[path = "disk.rs"]
mod disk;
#[path = "doctor.rs"]
mod doctor;
#[path = "gpu.rs"]
mod gpu;
#[path = "hub.rs"]
mod hub;
#[path = "nix.rs"]
mod nix;
#[path = "packages.rs"]
mod packages;
#[path = "remote.rs"]
mod remote;
#[path = "repositories.rs"]
mod repositories;
#[path = "server.rs"]
mod server;
#[path = "setup.rs"]
mod setup;
#[path = "share.rs"]
mod share;
#[path = "sources.rs"]
mod sources;
#[path = "target.rs"]
mod target;
#[path = "trust.rs"]
mod trust;
#[path = "wsl.rs"]
mod wsl;

/// Cargo finds no test files by itself here (`autotests = false`): one left out of this list and
/// of Cargo.toml's `[[test]]`s would never be compiled nor run.
#[test]
fn every_test_file_runs() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let this = include_str!("main.rs");
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(dir.join("tests")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !name.ends_with(".rs") || name == "main.rs" {
            continue;
        }
        let module = format!("#[path = \"{name}\"]");
        let target = format!("path = \"tests/{name}\"");
        if !this.contains(&module) && !manifest.contains(&target) {
            missing.push(name);
        }
    }
    assert!(
        missing.is_empty(),
        "no test binary compiles {missing:?} (tests/): declare each in tests/main.rs as a module"
    );
}
