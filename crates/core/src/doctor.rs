//! `darwinix doctor`: everything we know about this computer, and what is missing for notebooks,
//! each problem as a one-line finding with its fix.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::machine::gpu::{self, GpuReport};
use crate::machine::nix::{self, NixStatus};
use crate::machine::os::{self, OsInfo};
use crate::machine::resources::{self, Resources};
use crate::machine::shell_env;
use crate::machine::wsl::{self, WslHost, WslVersion};
use crate::paths::AppPaths;
use crate::python::cache::ProbeCache;
use crate::python::choice::{self, MIN_PYTHON};
use crate::python::venv_hint::missing_ensurepip_fix;
use crate::python::{discover, Interpreter, SearchPlan, Skipped};

pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Below these, notebooks with pandas and a few kernels get uncomfortable.
const LOW_DISK_BYTES: u64 = 5 * 1024 * 1024 * 1024;
const LOW_MEMORY_BYTES: u64 = 4 * 1024 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct DoctorOptions {
    pub paths: AppPaths,
    pub probe_timeout: Duration,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Report {
    pub darwinix_version: &'static str,
    pub os: OsInfo,
    pub resources: Resources,
    pub nix: NixStatus,
    /// The Windows side of WSL; `None` on other systems.
    pub wsl: Option<WslHost>,
    pub python: PythonReport,
    pub gpu: GpuReport,
    pub findings: Vec<Finding>,
    /// A usable Python exists, or a way to get one.
    pub ready: bool,
    /// Why `ready` is what it is, in words.
    pub ready_reason: String,
    #[ts(type = "number")]
    pub elapsed_ms: u64,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct PythonReport {
    pub interpreters: Vec<Interpreter>,
    pub skipped: Vec<Skipped>,
    pub chosen: Option<Chosen>,
    /// `uv`, which can install a Python when there is none.
    pub uv: Option<PathBuf>,
}

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Chosen {
    pub path: PathBuf,
    pub version: String,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warn,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Finding {
    pub severity: Severity,
    /// Stable identifier, for the UI and tests.
    pub code: &'static str,
    pub message: String,
    pub fix: Option<String>,
}

impl Finding {
    fn new(
        severity: Severity,
        code: &'static str,
        message: impl Into<String>,
        fix: Option<String>,
    ) -> Self {
        Self {
            severity,
            code,
            message: message.into(),
            fix,
        }
    }
}

/// Examines the machine. Never fails: whatever cannot be found is reported as missing.
pub async fn run(options: &DoctorOptions) -> Report {
    let started = Instant::now();
    let path = shell_env::repaired_path().await;
    let plan = SearchPlan::from_env(&path);
    let os = os::detect();
    let home = crate::paths::home_dir();
    let user = std::env::var(crate::env_vars::USER).ok();
    let mut nix_dirs = crate::paths::absolute_dirs(&path);
    nix_dirs.extend(nix::well_known_dirs(home.as_deref(), user.as_deref()));

    let project_dir = options.paths.default_project.clone();
    let cache_file = options.paths.cache.join("interpreters.json");
    let (resources, nix, wsl, gpu, (discovery, cache_error)) = tokio::join!(
        async {
            tokio::task::spawn_blocking(move || resources::detect(&project_dir))
                .await
                .ok()
        },
        nix::detect(&nix_dirs),
        async { cfg!(windows).then_some(wsl::detect_host().await) },
        gpu::detect(&os.family, &os.arch, os.version.as_deref()),
        async {
            let mut cache = ProbeCache::load(&cache_file);
            let found = discover(&plan, &mut cache, options.probe_timeout).await;
            (found, cache.save().err())
        },
    );
    let resources = resources.unwrap_or_else(|| resources::detect(&options.paths.default_project));

    let chosen = choice::choose(&discovery.interpreters).map(|c| {
        let i = &discovery.interpreters[c.index];
        Chosen {
            path: i.path.clone(),
            version: i.info.version.clone(),
            reason: c.reason,
        }
    });
    let python = PythonReport {
        interpreters: discovery.interpreters,
        skipped: discovery.skipped,
        chosen,
        uv: crate::install::uv::find(&options.paths, &plan),
    };
    let (ready, ready_reason) = readiness(&python);
    let mut findings = findings(&os, &resources, &nix, wsl.as_ref(), &python, &gpu);
    if let Some(e) = cache_error {
        let fix = e.hint();
        findings.push(Finding::new(
            Severity::Info,
            "cache-unwritable",
            format!("{e}: every check will probe again"),
            fix,
        ));
    }
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    Report {
        darwinix_version: VERSION,
        os,
        resources,
        nix,
        wsl,
        python,
        gpu,
        findings,
        ready,
        ready_reason,
        elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    }
}

fn readiness(python: &PythonReport) -> (bool, String) {
    if let Some(c) = &python.chosen {
        return (
            true,
            format!(
                "Darwinix will use Python {} at {}",
                c.version,
                c.path.display()
            ),
        );
    }
    if let Some(uv) = &python.uv {
        return (
            true,
            format!(
                "no usable Python was found, but uv ({}) can install one",
                uv.display()
            ),
        );
    }
    (
        false,
        format!(
            "no Python {}.{} or newer with the venv module was found, and no uv to install one",
            MIN_PYTHON.0, MIN_PYTHON.1
        ),
    )
}

/// Every problem worth telling the user about, worst first after sorting. Pure.
pub fn findings(
    os: &OsInfo,
    resources: &Resources,
    nix: &NixStatus,
    wsl: Option<&WslHost>,
    python: &PythonReport,
    gpu: &GpuReport,
) -> Vec<Finding> {
    use Severity::{Error, Info, Warn};
    let mut out = Vec::new();
    let min = format!("{}.{}", MIN_PYTHON.0, MIN_PYTHON.1);

    if python.chosen.is_none() {
        let install = match os.family.as_str() {
            "windows" => "install Python 3.12 from python.org (tick \"Add to PATH\")".to_string(),
            "macos" => "install Python 3.12 from python.org or with `brew install python@3.12`".to_string(),
            _ => "install Python with `sudo apt install python3 python3-venv` (or your distribution's equivalent)".to_string(),
        };
        let (severity, message) = match &python.uv {
            Some(_) => (Warn, format!("No Python {min}+ with the venv module was found; Darwinix will let uv install one")),
            None => (Error, format!("No Python {min}+ with the venv module was found")),
        };
        out.push(Finding::new(severity, "no-python", message, Some(install)));
    }
    for i in python
        .interpreters
        .iter()
        .filter(|i| !i.info.is_venv && i.info.minor_version() >= MIN_PYTHON)
    {
        let short = i.info.short_version();
        if !i.info.has_venv {
            let fix = format!("install python{short}-venv, or use another Python");
            out.push(Finding::new(
                Warn,
                "no-venv-module",
                format!("Python {short} at {} has no venv module", i.path.display()),
                Some(fix),
            ));
        } else if !i.info.has_ensurepip {
            let fix = missing_ensurepip_fix(&short, i.info.externally_managed);
            out.push(Finding::new(
                Warn,
                "no-ensurepip",
                format!("Python {short} at {} has no ensurepip", i.path.display()),
                Some(fix),
            ));
        }
        if i.info.externally_managed {
            let message = format!(
                "Python {short} at {} is managed by the system (PEP 668): Darwinix installs packages only into project environments, never into it",
                i.path.display()
            );
            out.push(Finding::new(Info, "externally-managed", message, None));
        }
    }
    for s in &python.skipped {
        let message = format!("Skipped {}: {}", s.path.display(), s.why);
        out.push(Finding::new(Info, "skipped-interpreter", message, None));
    }
    if python.uv.is_none() {
        let fix =
            "nothing to do: Darwinix fetches uv from PyPI the first time it sets up a project"
                .to_string();
        out.push(Finding::new(
            Info,
            "no-uv",
            "uv (the fast installer) is not installed",
            Some(fix),
        ));
    }

    let why = gpu.absent_reason.as_deref().unwrap_or("none was found");
    match (&gpu.driver_version, gpu.devices.is_empty()) {
        (None, true) => out.push(Finding::new(
            Info,
            "no-gpu",
            format!(
                "No NVIDIA GPU: {why}. Notebooks run on the CPU ({})",
                gpu.torch.describe()
            ),
            None,
        )),
        // The /proc fallback saw a driver, but nothing could list the cards.
        (Some(driver), true) => out.push(Finding::new(
            Warn,
            "gpu-unlisted",
            format!("NVIDIA driver {driver} is loaded, but no GPU could be listed: {why}"),
            Some("check `nvidia-smi`; reinstalling the NVIDIA driver usually fixes this".into()),
        )),
        (_, false) => {}
    }

    match nix {
        NixStatus::Absent => out.push(Finding::new(
            Info,
            "nix-absent",
            "Nix is not installed: only needed for projects with a flake.nix",
            Some("install it from https://nixos.org/download if you use Nix flakes".into()),
        )),
        NixStatus::Broken { path, reason } => out.push(Finding::new(
            Warn,
            "nix-broken",
            format!("Nix at {} does not work: {reason}", path.display()),
            Some("repair or reinstall Nix".into()),
        )),
        NixStatus::Present(n) if n.flakes == Some(false) => out.push(Finding::new(
            Info,
            "nix-flakes-off",
            format!("{} {} has flakes turned off; Darwinix turns them on for its own commands", n.version.flavour, n.version.version),
            Some("to use flakes yourself, add `experimental-features = nix-command flakes` to ~/.config/nix/nix.conf".into()),
        )),
        NixStatus::Present(_) => {}
    }

    if let Some(host) = wsl {
        match host {
            WslHost::NotInstalled => out.push(Finding::new(
                Info,
                "wsl-absent",
                "WSL is not installed: only needed to run projects inside Linux",
                Some("run `wsl --install` in an administrator terminal".into()),
            )),
            WslHost::NoDistros => out.push(Finding::new(
                Info,
                "wsl-no-distros",
                "WSL is installed but has no Linux distribution",
                Some("run `wsl --install -d Ubuntu`".into()),
            )),
            WslHost::Installed { distros } => {
                for d in distros.iter().filter(|d| d.version == WslVersion::Wsl1) {
                    out.push(Finding::new(
                        Info,
                        "wsl1-distro",
                        format!(
                            "WSL distribution {} runs on WSL1, which is slow for Python",
                            d.name
                        ),
                        Some(format!("run `wsl --set-version {} 2`", d.name)),
                    ));
                }
            }
        }
    }
    if let Some(guest) = &os.wsl {
        if guest.version == WslVersion::Wsl1 {
            let distro = guest.distro.as_deref().unwrap_or("<distro>");
            out.push(Finding::new(
                Warn,
                "inside-wsl1",
                "This Linux runs on WSL1: file access and package installs are slow",
                Some(format!("in Windows, run `wsl --set-version {distro} 2`")),
            ));
        }
    }

    if let Some(disk) = &resources.disk {
        if disk.available_bytes < LOW_DISK_BYTES {
            out.push(Finding::new(
                Warn,
                "low-disk",
                format!(
                    "Only {} free on the disk of {}; a notebook environment needs 0.5–2 GB",
                    human_bytes(disk.available_bytes),
                    disk.path.display()
                ),
                Some("free some disk space, or keep projects on another disk".into()),
            ));
        }
    }
    if resources.memory_total_bytes > 0 && resources.memory_total_bytes < LOW_MEMORY_BYTES {
        out.push(Finding::new(
            Warn,
            "low-memory",
            format!(
                "This computer has {} of memory; large notebooks may be slow",
                human_bytes(resources.memory_total_bytes)
            ),
            None,
        ));
    }
    out
}

/// `1.5 GB`-style sizes for people (powers of 1024, as file managers show them).
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::machine::gpu::TorchIndex;
    use crate::machine::wsl::{WslDistro, WslGuest};
    use crate::python::{ProbeFailure, ProbeInfo, Source};

    fn os(family: &str) -> OsInfo {
        OsInfo {
            family: family.into(),
            name: "Test OS".into(),
            version: None,
            kernel: None,
            arch: "x86_64".into(),
            wsl: None,
            nix_shell: None,
        }
    }

    fn resources() -> Resources {
        Resources {
            cpu_model: None,
            logical_cores: 2,
            physical_cores: Some(1),
            memory_total_bytes: 16 << 30,
            memory_available_bytes: 8 << 30,
            disk: None,
        }
    }

    fn no_gpu() -> GpuReport {
        GpuReport {
            devices: vec![],
            driver_version: None,
            cuda_driver_version: None,
            source: None,
            absent_reason: Some("the NVIDIA driver's library (NVML) is not installed".into()),
            torch: TorchIndex::Cpu {
                index_url: String::new(),
            },
        }
    }

    fn debian_python() -> Interpreter {
        Interpreter {
            path: "/usr/bin/python3".into(),
            source: Source::Path,
            info: ProbeInfo {
                version: "3.11.2".into(),
                release_level: "final".into(),
                implementation: "cpython".into(),
                arch: "x86_64".into(),
                pointer_bits: 64,
                executable: "/usr/bin/python3".into(),
                prefix: "/usr".into(),
                base_prefix: "/usr".into(),
                is_venv: false,
                has_venv: true,
                has_ensurepip: false,
                has_pip: false,
                externally_managed: true,
                depends_on: vec![],
            },
        }
    }

    fn python(interpreters: Vec<Interpreter>, uv: bool) -> PythonReport {
        let chosen = choice::choose(&interpreters).map(|c| Chosen {
            path: interpreters[c.index].path.clone(),
            version: interpreters[c.index].info.version.clone(),
            reason: c.reason,
        });
        PythonReport {
            interpreters,
            skipped: vec![],
            chosen,
            uv: uv.then(|| PathBuf::from("/usr/bin/uv")),
        }
    }

    fn codes(f: &[Finding]) -> Vec<&'static str> {
        f.iter().map(|f| f.code).collect()
    }

    #[test]
    fn debian_python_without_ensurepip() {
        let f = findings(
            &os("linux"),
            &resources(),
            &NixStatus::Absent,
            None,
            &python(vec![debian_python()], false),
            &no_gpu(),
        );
        let ensurepip = f.iter().find(|f| f.code == "no-ensurepip").unwrap();
        assert_eq!(
            ensurepip.message,
            "Python 3.11 at /usr/bin/python3 has no ensurepip"
        );
        assert_eq!(
            ensurepip.fix.as_deref(),
            Some("install python3.11-venv (sudo apt install python3.11-venv), or Darwinix will use uv")
        );
        assert!(codes(&f).contains(&"externally-managed"));
        assert!(codes(&f).contains(&"no-gpu"));
        assert!(codes(&f).contains(&"nix-absent"));
        assert!(
            !codes(&f).contains(&"no-python"),
            "a Python without ensurepip is still usable"
        );
    }

    #[test]
    fn no_python_is_an_error_unless_uv_can_get_one() {
        let f = findings(
            &os("linux"),
            &resources(),
            &NixStatus::Absent,
            None,
            &python(vec![], false),
            &no_gpu(),
        );
        let no = f.iter().find(|f| f.code == "no-python").unwrap();
        assert_eq!(no.severity, Severity::Error);
        assert!(no.fix.as_deref().unwrap().contains("apt install python3"));
        assert!(!readiness(&python(vec![], false)).0);

        let f = findings(
            &os("windows"),
            &resources(),
            &NixStatus::Absent,
            None,
            &python(vec![], true),
            &no_gpu(),
        );
        let no = f.iter().find(|f| f.code == "no-python").unwrap();
        assert_eq!(no.severity, Severity::Warn);
        assert!(no.fix.as_deref().unwrap().contains("python.org"));
        assert!(readiness(&python(vec![], true)).0);
    }

    #[test]
    fn skipped_interpreters_are_reported() {
        let mut p = python(vec![], false);
        p.skipped.push(Skipped {
            path: "/opt/bad/python3".into(),
            source: Source::SearchPath,
            reason: ProbeFailure::NotPython {
                code: Some(0),
                said: "garbage".into(),
            },
            why: "not a working Python".into(),
        });
        let f = findings(
            &os("linux"),
            &resources(),
            &NixStatus::Absent,
            None,
            &p,
            &no_gpu(),
        );
        let s = f.iter().find(|f| f.code == "skipped-interpreter").unwrap();
        assert_eq!(s.message, "Skipped /opt/bad/python3: not a working Python");
    }

    #[test]
    fn wsl_findings() {
        let host = WslHost::Installed {
            distros: vec![WslDistro {
                name: "Legacy".into(),
                state: "Stopped".into(),
                version: WslVersion::Wsl1,
                default: true,
            }],
        };
        let mut guest_os = os("linux");
        guest_os.wsl = Some(WslGuest {
            version: WslVersion::Wsl1,
            distro: Some("Ubuntu".into()),
        });
        let f = findings(
            &guest_os,
            &resources(),
            &NixStatus::Absent,
            Some(&host),
            &python(vec![debian_python()], false),
            &no_gpu(),
        );
        assert!(f.iter().any(|f| f.code == "wsl1-distro"
            && f.fix.as_deref() == Some("run `wsl --set-version Legacy 2`")));
        assert!(f
            .iter()
            .any(|f| f.code == "inside-wsl1" && f.fix.as_deref().unwrap().contains("Ubuntu")));
        let f = findings(
            &os("windows"),
            &resources(),
            &NixStatus::Absent,
            Some(&WslHost::NotInstalled),
            &python(vec![], true),
            &no_gpu(),
        );
        assert!(codes(&f).contains(&"wsl-absent"));
    }

    #[test]
    fn a_driver_without_listed_gpus_is_not_called_no_gpu() {
        let mut gpu = no_gpu();
        gpu.driver_version = Some("550.54.14".into());
        gpu.absent_reason = Some("the NVIDIA driver is loaded but NVML did not answer".into());
        let p = python(vec![debian_python()], false);
        let f = findings(
            &os("linux"),
            &resources(),
            &NixStatus::Absent,
            None,
            &p,
            &gpu,
        );
        assert!(codes(&f).contains(&"gpu-unlisted"));
        assert!(!codes(&f).contains(&"no-gpu"));
    }

    #[test]
    fn low_resources() {
        let mut r = resources();
        r.memory_total_bytes = 2 << 30;
        r.disk = Some(resources::DiskSpace {
            path: "/home/ann/Documents/Darwinix".into(),
            mount_point: "/".into(),
            available_bytes: 1 << 30,
            total_bytes: 100 << 30,
        });
        let f = findings(
            &os("linux"),
            &r,
            &NixStatus::Absent,
            None,
            &python(vec![debian_python()], false),
            &no_gpu(),
        );
        assert!(codes(&f).contains(&"low-disk"));
        assert!(codes(&f).contains(&"low-memory"));
    }

    #[test]
    fn sizes_for_people() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(1536 * 1024 * 1024), "1.5 GB");
    }
}
