//! The size of an install, known before anything is downloaded: `uv pip compile --format
//! pylock.toml` resolves the same request the install will make and records each file's size.
//! A big install (over [`threshold`]) is said — and, in the app, asked first; one that cannot
//! fit on the `.venv`'s disk stops before it starts.
//!
//! Only with uv: pip has no resolution that reports sizes without downloading. A measurement
//! that fails (no network, a set that does not resolve) never blocks the install: the
//! install's own error is the one worth reporting, so it is logged and the setup goes on.

use std::collections::HashSet;
use std::ffi::OsStr;
use std::path::Path;
use std::time::{Duration, Instant};

use serde::Deserialize;

use super::log::SetupLog;
use super::packages::{relaxed_pins, request_args};
use super::run::{Plan, Run};
use super::tool::{installer_env, Tool};
use super::{disk, pins};
use crate::env_vars::{DARWINIX_BIG_INSTALL_BYTES, UV_HTTP_RETRIES};
use crate::error::{Error, Result};
use crate::format::{biggest_said, human_bytes};
use crate::process;
use crate::project::config::ProjectConfig;
use crate::project::requirements::{name_of, Source};
use crate::reporter::SetupEvent;

/// Above this many bytes to download an install is a big one (1 GiB: "1.0 GB" in the units
/// the window and `doctor` show); [`DARWINIX_BIG_INSTALL_BYTES`] changes it.
pub const DEFAULT_THRESHOLD: u64 = 1 << 30;

/// Disk an install takes per byte downloaded. Wheels are zip archives: numpy, pandas, scipy
/// and matplotlib with their dependencies download 91 MB and take 300 MB in site-packages
/// (3.3×, measured here). uv unpacks into its cache and hard-links into `.venv`, so on one disk
/// the unpacked files count once. Rounded down: a check that stops an install that would have
/// fitted is worse than a full disk, which `setup` already cleans up after.
pub const UNPACKED: u64 = 3;

/// How many of the biggest packages are named.
const BIGGEST: usize = 5;

/// A resolution that takes longer is given up (the install then resolves on its own).
const TIMEOUT: Duration = Duration::from_secs(60);

/// What an install will download.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Download {
    pub bytes: u64,
    /// The biggest packages and their download sizes, biggest first.
    pub biggest: Vec<(String, u64)>,
}

impl Download {
    /// "This install downloads 3.5 GB (torch 2.4 GB, …)".
    pub fn sentence(&self) -> String {
        format!(
            "This install downloads {}{}",
            human_bytes(self.bytes),
            biggest_said(&self.biggest, self.bytes)
        )
    }
}

/// The size above which an install is a big one.
pub fn threshold() -> u64 {
    std::env::var(DARWINIX_BIG_INSTALL_BYTES)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(DEFAULT_THRESHOLD)
}

#[derive(Deserialize)]
struct Pylock {
    #[serde(default)]
    packages: Vec<Package>,
}

#[derive(Deserialize)]
struct Package {
    name: String,
    version: Option<String>,
    #[serde(default)]
    wheels: Vec<File>,
    sdist: Option<File>,
}

#[derive(Deserialize)]
struct File {
    /// Optional in PEP 751; uv writes it for every file of an index.
    size: Option<u64>,
}

impl Package {
    /// The bytes the install downloads for this package. `uv pip compile --python X` lists only
    /// the wheels that fit X's Python and platform (one, mostly); when several fit (fonttools:
    /// a cp311 manylinux wheel and a py3-none-any one) uv installs the most specific tag, which
    /// is the compiled, larger one — so the largest is taken. No wheel: the sdist is what is
    /// downloaded (building it needs more, which cannot be known here). A local folder (`-e .`)
    /// downloads nothing.
    fn bytes(&self) -> u64 {
        match self.wheels.iter().filter_map(|w| w.size).max() {
            Some(largest) => largest,
            None => self.sdist.as_ref().and_then(|s| s.size).unwrap_or(0),
        }
    }
}

/// The download of a pylock.toml's packages, without those `installed` already has at the
/// same version (normalised name, version). uv's cache may hold others too, but that cannot
/// be told without asking uv: counting them errs on the side of saying more.
pub fn from_pylock(
    text: &str,
    installed: &HashSet<(String, String)>,
) -> Result<Download, toml::de::Error> {
    let lock: Pylock = toml::from_str(text)?;
    let mut sizes: Vec<(String, u64)> = lock
        .packages
        .iter()
        .filter(|p| {
            let key = name_of(&p.name).unwrap_or_else(|| p.name.clone());
            let version = p.version.clone().unwrap_or_default();
            !installed.contains(&(key, version))
        })
        .map(|p| (p.name.clone(), p.bytes()))
        .filter(|(_, bytes)| *bytes > 0)
        .collect();
    sizes.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let bytes = sizes.iter().map(|(_, b)| b).sum();
    sizes.truncate(BIGGEST);
    Ok(Download {
        bytes,
        biggest: sizes,
    })
}

/// What decides about a measured download.
#[derive(Debug, Clone, Copy)]
struct Limits {
    threshold: u64,
    /// Free bytes on the `.venv`'s disk, when known.
    free: Option<u64>,
    /// The caller asks the user before a big install (the app).
    ask: bool,
    /// The size the user said yes to before.
    confirmed: Option<u64>,
}

/// `Ok(Some(sentence))`: a big install, said and gone on with; `Ok(None)`: nothing to say. A
/// download that cannot fit stops first: asking about one that cannot fit would be pointless.
fn judge(download: &Download, limits: Limits, dir: &Path, venv: &Path) -> Result<Option<String>> {
    let needed = download.bytes.saturating_mul(UNPACKED);
    if let Some(free) = limits.free.filter(|free| needed > *free) {
        return Err(Error::NoRoomForInstall {
            path: venv.to_path_buf(),
            download: download.bytes,
            needed,
            free,
        });
    }
    if download.bytes <= limits.threshold {
        return Ok(None);
    }
    let confirmed = limits.confirmed.is_some_and(|ok| download.bytes <= ok);
    if limits.ask && !confirmed {
        return Err(Error::BigInstall {
            dir: dir.to_path_buf(),
            bytes: download.bytes,
            biggest: download.biggest.clone(),
        });
    }
    Ok(Some(download.sentence()))
}

/// Before the install of a new or changed set: its size said when big, asked about when the
/// caller asks (`SetupOptions::ask_before_big_install`) and the user has not said yes to that
/// size, and stopped when the `.venv`'s disk cannot hold it.
pub(super) async fn check(
    run: &Run<'_>,
    plan: &Plan<'_>,
    config: &ProjectConfig,
    log: &mut SetupLog,
) -> Result<()> {
    let Tool::Uv(uv) = run.tool else {
        return Ok(());
    };
    // A uv project is synced from its own lock, which holds every platform's files: what this
    // computer downloads from it is uv's choice, not measured here.
    if matches!(plan.source, Source::UvProject) {
        return Ok(());
    }
    let started = Instant::now();
    let Some(download) = measure(run, plan, config, uv, log).await else {
        return Ok(());
    };
    log.line(&format!(
        "measured in {} ms: {}",
        started.elapsed().as_millis(),
        download.sentence()
    ));
    let venv = run.project.venv();
    let limits = Limits {
        threshold: threshold(),
        free: disk::free_bytes(&venv),
        ask: run.options.ask_before_big_install,
        confirmed: config.big_install_ok_bytes,
    };
    if let Some(message) = judge(&download, limits, &run.project.dir, &venv)? {
        run.reporter.report(SetupEvent::Warning { message });
    }
    Ok(())
}

/// The download, or `None` (logged) when it could not be measured.
async fn measure(
    run: &Run<'_>,
    plan: &Plan<'_>,
    config: &ProjectConfig,
    uv: &Path,
    log: &mut SetupLog,
) -> Option<Download> {
    let venv = run.project.venv();
    let installed: HashSet<(String, String)> =
        crate::packages::metadata::installed(&venv, run.backend.layout())
            .into_iter()
            .map(|d| (d.key, d.version))
            .collect();
    let measured = compile(run, plan, config, uv, log)
        .await
        .and_then(|text| from_pylock(&text, &installed).map_err(|e| e.to_string()));
    match measured {
        Ok(download) => Some(download),
        Err(why) => {
            log.line(&format!(
                "the download size was not measured, the install goes on: {why}"
            ));
            None
        }
    }
}

/// `uv pip compile` of the install's own request (see [`request_args`]), as a pylock.toml.
async fn compile(
    run: &Run<'_>,
    plan: &Plan<'_>,
    config: &ProjectConfig,
    uv: &Path,
    log: &mut SetupLog,
) -> std::result::Result<String, String> {
    let first = first_list(plan, config, &run.project.dir);
    let mut request = tokio::process::Command::new("uv");
    let relaxed_file = request_args(&mut request, run, plan, first.as_deref(), false)
        .map_err(|e| e.to_string())?;
    let compiled = match as_requirements(request.as_std().get_args()) {
        Ok(input) => compile_request(run, uv, input, log).await,
        Err(why) => Err(why),
    };
    if let Some(file) = relaxed_file {
        let _ = std::fs::remove_file(file);
    }
    compiled
}

/// From uv's cache alone first: 30 ms instead of 270 ms (numpy, pandas, scipy, matplotlib,
/// measured here), since uv otherwise asks the index whether each cached page is still fresh.
/// A stale page may name an older version than the install will get, which changes a size
/// estimate little. Then, when the cache lacks something, from the index.
async fn compile_request(
    run: &Run<'_>,
    uv: &Path,
    input: String,
    log: &mut SetupLog,
) -> std::result::Result<String, String> {
    let offline = compile_once(run, uv, &input, true, log).await;
    match offline {
        Ok(text) => Ok(text),
        Err(why) => {
            log.line(&format!("not all in uv's cache: {why}"));
            compile_once(run, uv, &input, false, log).await
        }
    }
}

async fn compile_once(
    run: &Run<'_>,
    uv: &Path,
    input: &str,
    offline: bool,
    log: &mut SetupLog,
) -> std::result::Result<String, String> {
    let (project, backend) = (run.project, run.backend);
    let python = backend
        .path(&backend.layout().python(&project.venv()))
        .map_err(|e| e.to_string())?;
    let mut cmd = process::command(uv);
    cmd.args(["pip", "compile", "--format", "pylock.toml", "--no-header"])
        .args(["--quiet", "--python"])
        .arg(python)
        // The request on standard input: `uv pip compile` reads files, not package names.
        .arg("-")
        .current_dir(&project.dir);
    if offline {
        cmd.arg("--offline");
    }
    installer_env(&mut cmd, run.options);
    // A measurement is not worth waiting for: an index that does not answer at once is the
    // install's to retry and report.
    cmd.env(UV_HTTP_RETRIES, "0");
    let cmd = backend.finish(cmd).map_err(|e| e.to_string())?;
    log.command(&cmd);
    let input = Some(input.as_bytes().to_vec());
    let out = process::output_with_input(cmd, input, TIMEOUT)
        .await
        .map_err(|e| e.to_string())?;
    if !out.success() {
        let said = out.stderr_text();
        let start = said.lines().count().saturating_sub(5);
        return Err(said.lines().skip(start).collect::<Vec<_>>().join("\n"));
    }
    Ok(out.stdout_text().into_owned())
}

/// The list the first install of this setup is given instead of the source's own, chosen as
/// `packages::install_pinned` chooses it: the pins left out last time, the packages the index
/// lacks left out. `None`: the source's own list.
fn first_list(plan: &Plan<'_>, config: &ProjectConfig, dir: &Path) -> Option<Vec<String>> {
    let own = plan.source.requirements(dir);
    let mut lines = pins::without(&own, &config.left_out);
    // As `install_pinned` chooses them: without what the user started without, with the
    // ready-made versions chosen instead.
    if !matches!(plan.source, crate::project::requirements::Source::UvProject) {
        lines = pins::as_chosen(&lines, &config.without, &config.instead);
    }
    if let Some(known) = relaxed_pins(config).filter(|r| !r.is_empty()) {
        let all: &[String] = if known == ["*"] { &[] } else { known };
        return Some(pins::relax(&lines, all));
    }
    (lines != own).then_some(lines)
}

/// The install's arguments as a requirements file: `-r`, `-c` and `-e` with their value, and
/// requirements one a line. Any other option has no such form: then nothing is measured.
fn as_requirements<'a>(
    args: impl Iterator<Item = &'a OsStr>,
) -> std::result::Result<String, String> {
    let mut args = args.map(OsStr::to_string_lossy);
    let mut text = String::new();
    while let Some(arg) = args.next() {
        match arg.as_ref() {
            flag @ ("-r" | "-c" | "-e") => {
                let value = args
                    .next()
                    .ok_or_else(|| format!("{flag} without a value"))?;
                text.push_str(&format!("{flag} {value}\n"));
            }
            option if option.starts_with('-') => {
                return Err(format!("`{option}` cannot be measured"));
            }
            requirement => text.push_str(&format!("{requirement}\n")),
        }
    }
    Ok(text)
}

#[cfg(test)]
#[path = "size_tests.rs"]
mod tests;
