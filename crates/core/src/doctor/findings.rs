//! The problems worth telling the user about, one function a kind; the Python ones live in
//! `python_findings`.

use crate::machine::gpu::GpuReport;
use crate::machine::nix::NixStatus;
use crate::machine::os::OsInfo;
use crate::machine::resources::Resources;
use crate::machine::wsl::{WslHost, WslVersion};

use super::python_findings::python_findings;
use super::report::{Finding, PythonReport, Severity};
use crate::format::human_bytes;

/// Below these, notebooks with pandas and a few kernels get uncomfortable.
const LOW_DISK_BYTES: u64 = 5 * 1024 * 1024 * 1024;
const LOW_MEMORY_BYTES: u64 = 4 * 1024 * 1024 * 1024;

/// Every problem worth telling the user about, worst first after sorting. Pure.
pub fn findings(
    os: &OsInfo,
    resources: &Resources,
    nix: &NixStatus,
    wsl: Option<&WslHost>,
    python: &PythonReport,
    gpu: &GpuReport,
) -> Vec<Finding> {
    let mut out = python_findings(os, python);
    out.extend(gpu_finding(gpu));
    out.extend(nix_finding(nix));
    out.extend(wsl.map(wsl_host_findings).unwrap_or_default());
    out.extend(wsl_guest_finding(os));
    out.extend(resource_findings(resources));
    out
}

fn gpu_finding(gpu: &GpuReport) -> Option<Finding> {
    let why = gpu.absent_reason.as_deref().unwrap_or("none was found");
    match (&gpu.driver_version, gpu.devices.is_empty()) {
        (None, true) => Some(Finding::new(
            Severity::Info,
            "no-gpu",
            format!(
                "No NVIDIA GPU: {why}. Notebooks run on the CPU ({})",
                gpu.torch.describe()
            ),
            None,
        )),
        // The /proc fallback saw a driver, but nothing could list the cards.
        (Some(driver), true) => Some(Finding::new(
            Severity::Warn,
            "gpu-unlisted",
            format!("NVIDIA driver {driver} is loaded, but no GPU could be listed: {why}"),
            Some("check `nvidia-smi`; reinstalling the NVIDIA driver usually fixes this".into()),
        )),
        (_, false) => None,
    }
}

fn nix_finding(nix: &NixStatus) -> Option<Finding> {
    match nix {
        NixStatus::Absent => Some(Finding::new(
            Severity::Info,
            "nix-absent",
            "Nix is not installed: only needed for projects with a flake.nix",
            Some("install it from https://nixos.org/download if you use Nix flakes".into()),
        )),
        NixStatus::Broken { path, reason } => Some(Finding::new(
            Severity::Warn,
            "nix-broken",
            format!("Nix at {} does not work: {reason}", path.display()),
            Some("repair or reinstall Nix".into()),
        )),
        NixStatus::Present(n) if n.flakes == Some(false) => Some(Finding::new(
            Severity::Info,
            "nix-flakes-off",
            format!("{} {} has flakes turned off; Darwinix turns them on for its own commands", n.version.flavour, n.version.version),
            Some("to use flakes yourself, add `experimental-features = nix-command flakes` to ~/.config/nix/nix.conf".into()),
        )),
        NixStatus::Present(_) => None,
    }
}

/// The Windows side: WSL missing, empty, or hosting distros on the slow first generation.
fn wsl_host_findings(host: &WslHost) -> Vec<Finding> {
    match host {
        WslHost::NotInstalled => vec![Finding::new(
            Severity::Info,
            "wsl-absent",
            "WSL is not installed: only needed to run projects inside Linux",
            Some("run `wsl --install` in an administrator terminal".into()),
        )],
        WslHost::NoDistros => vec![Finding::new(
            Severity::Info,
            "wsl-no-distros",
            "WSL is installed but has no Linux distribution",
            Some("run `wsl --install -d Ubuntu`".into()),
        )],
        WslHost::Installed { distros } => distros
            .iter()
            .filter(|d| d.version == WslVersion::Wsl1)
            .map(|d| {
                Finding::new(
                    Severity::Info,
                    "wsl1-distro",
                    format!(
                        "WSL distribution {} runs on WSL1, which is slow for Python",
                        d.name
                    ),
                    Some(format!("run `wsl --set-version {} 2`", d.name)),
                )
            })
            .collect(),
    }
}

/// The Linux side: this very system runs on WSL1.
fn wsl_guest_finding(os: &OsInfo) -> Option<Finding> {
    let guest = os.wsl.as_ref().filter(|g| g.version == WslVersion::Wsl1)?;
    let distro = guest.distro.as_deref().unwrap_or("<distro>");
    Some(Finding::new(
        Severity::Warn,
        "inside-wsl1",
        "This Linux runs on WSL1: file access and package installs are slow",
        Some(format!("in Windows, run `wsl --set-version {distro} 2`")),
    ))
}

fn resource_findings(resources: &Resources) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(disk) = resources
        .disk
        .as_ref()
        .filter(|d| d.available_bytes < LOW_DISK_BYTES)
    {
        out.push(Finding::new(
            Severity::Warn,
            "low-disk",
            format!(
                "Only {} free on the disk of {}; a notebook environment needs 0.5–2 GB",
                human_bytes(disk.available_bytes),
                disk.path.display()
            ),
            Some("free some disk space, or keep projects on another disk".into()),
        ));
    }
    // Zero means the memory could not be read, not that there is none.
    if resources.memory_total_bytes > 0 && resources.memory_total_bytes < LOW_MEMORY_BYTES {
        out.push(Finding::new(
            Severity::Warn,
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
