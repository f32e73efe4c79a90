//! The doctor report as a person reads it: one function a section, one fact a line.

use std::fmt::Write as _;
use std::path::Path;

use darwinix_core::doctor::{Finding, PythonReport, Report, Severity};
use darwinix_core::format::human_bytes;
use darwinix_core::install::ProjectJupyter;
use darwinix_core::machine::gpu::{GpuReport, GpuSource};
use darwinix_core::machine::nix::NixStatus;
use darwinix_core::machine::os::OsInfo;
use darwinix_core::machine::resources::Resources;
use darwinix_core::machine::wsl::WslHost;
use darwinix_core::python::{choice, Interpreter};

/// The report as a person reads it: sections, one fact a line, findings with their fixes.
pub(super) fn render(r: &Report) -> String {
    let mut s = format!(
        "Darwinix {} — checked this computer in {} ms\n\nThis computer\n",
        r.darwinix_version, r.elapsed_ms
    );
    system(&mut s, &r.os);
    resources(&mut s, &r.resources);
    let _ = writeln!(s, "\nPython");
    python(&mut s, &r.python);
    let _ = writeln!(s, "\nTools");
    row(&mut s, "Nix", nix(&r.nix));
    if let Some(host) = &r.wsl {
        row(&mut s, "WSL", wsl(host));
    }
    gpu(&mut s, &r.gpu);
    findings(&mut s, &r.findings);
    let verdict = if r.ready { "Ready" } else { "Not ready" };
    let _ = writeln!(s, "\n{verdict}: {}.", r.ready_reason);
    s
}

/// How one project runs.
pub(super) fn render_project(dir: &Path, j: &ProjectJupyter) -> String {
    let mut s = format!("\nProject {}\n", dir.display());
    let from = j.packages_from.as_deref().map_or_else(
        || "what its notebooks import (read at the first start)".into(),
        |f| format!("from {f}"),
    );
    row(&mut s, "Packages", from);
    row(&mut s, "JupyterLab", j.jupyterlab.clone());
    let shared = if j.kernel_shared {
        " (kernel shared by your projects)"
    } else {
        ""
    };
    row(
        &mut s,
        "Kernel",
        format!("{}{shared}", j.kernel_python.display()),
    );
    for check in &j.gpu {
        let fix = check
            .fix
            .as_ref()
            .map(|f| format!("\n      fix: {f}"))
            .unwrap_or_default();
        row(&mut s, "GPU", format!("{}{fix}", check.summary));
    }
    if j.ignore_pins {
        row(
            &mut s,
            "Versions",
            "current versions: pins that no longer install are left out".into(),
        );
    }
    s
}

/// The operating system, and the WSL distro or Nix shell we run inside.
fn system(s: &mut String, os: &OsInfo) {
    let kernel = os
        .kernel
        .as_deref()
        .map(|k| format!(", kernel {k}"))
        .unwrap_or_default();
    row(s, "System", format!("{} ({}{kernel})", os.name, os.arch));
    if let Some(w) = &os.wsl {
        let distro = w.distro.as_deref().unwrap_or("unknown distro");
        row(s, "Inside", format!("{} ({distro})", w.version));
    }
    if let Some(shell) = &os.nix_shell {
        row(s, "Inside", format!("a Nix dev shell ({shell})"));
    }
}

fn resources(s: &mut String, res: &Resources) {
    let cores = match res.physical_cores {
        Some(p) if p != res.logical_cores => format!("{p} cores, {} threads", res.logical_cores),
        _ => format!("{} cores", res.logical_cores),
    };
    let model = res.cpu_model.as_deref().unwrap_or("unknown model");
    row(s, "CPU", format!("{model} · {cores}"));
    let memory = format!(
        "{} total, {} available",
        human_bytes(res.memory_total_bytes),
        human_bytes(res.memory_available_bytes)
    );
    row(s, "Memory", memory);
    let disk = res.disk.as_ref().map_or("unknown".into(), |d| {
        let (free, total) = (human_bytes(d.available_bytes), human_bytes(d.total_bytes));
        format!(
            "{free} free of {total} where projects go ({})",
            d.path.display()
        )
    });
    row(s, "Disk", disk);
}

/// Every interpreter found or skipped, the chosen one marked, then uv.
fn python(s: &mut String, python: &PythonReport) {
    let chosen = python.chosen.as_ref().map(|c| &c.path);
    for i in &python.interpreters {
        let _ = writeln!(s, "{}", interpreter_line(i, chosen == Some(&i.path)));
    }
    for k in &python.skipped {
        let _ = writeln!(s, "  ✗ {:<8} {}  ({})", "skipped", k.path.display(), k.why);
    }
    if python.interpreters.is_empty() && python.skipped.is_empty() {
        let _ = writeln!(s, "  (none found)");
    }
    match &python.chosen {
        Some(c) => {
            let _ = writeln!(s, "  Darwinix will use {}: {}.", c.path.display(), c.reason);
            let _ = writeln!(
                s,
                "  (→ will be used, ✓ usable, · found but not usable, ✗ skipped)"
            );
        }
        None => {
            let _ = writeln!(s, "  No Python here can make notebook environments.");
        }
    }
    let uv = python
        .uv
        .as_ref()
        .map_or("not installed".into(), |p| p.display().to_string());
    row(s, "uv", uv);
}

/// `  → 3.12.1   /usr/bin/python3  (cpython, PATH, venv, ensurepip)`: its mark, then its traits.
fn interpreter_line(i: &Interpreter, chosen: bool) -> String {
    let mut traits = vec![
        i.info.implementation.clone(),
        i.source.describe().to_string(),
    ];
    for (has, name) in [
        (i.info.has_venv, "venv"),
        (i.info.has_ensurepip, "ensurepip"),
    ] {
        traits.push(if has {
            name.to_string()
        } else {
            format!("no {name}")
        });
    }
    if i.info.externally_managed {
        traits.push("system-managed".into());
    }
    if i.info.is_venv {
        traits.push("a virtual environment".into());
    }
    let mark = match choice::unusable_reason(i) {
        _ if chosen => "→",
        None => "✓",
        Some(why) => {
            traits.push(format!("not usable: {why}"));
            "·"
        }
    };
    format!(
        "  {mark} {:<8} {}  ({})",
        i.info.version,
        i.path.display(),
        traits.join(", ")
    )
}

fn nix(nix: &NixStatus) -> String {
    match nix {
        NixStatus::Absent => "not installed".to_string(),
        NixStatus::Broken { path, reason } => format!("{} does not work: {reason}", path.display()),
        NixStatus::Present(n) => {
            let flavour = match &n.version.flavour_version {
                Some(v) => format!("{} {v} (Nix {})", n.version.flavour, n.version.version),
                None => format!("{} {}", n.version.flavour, n.version.version),
            };
            let flakes = match n.flakes {
                Some(true) => "flakes on",
                Some(false) => "flakes off",
                None => "flakes unknown",
            };
            format!("{flavour} at {}, {flakes}", n.path.display())
        }
    }
}

/// The Windows side's distros, the default one starred.
fn wsl(host: &WslHost) -> String {
    match host {
        WslHost::NotInstalled => "not installed".to_string(),
        WslHost::NoDistros => "installed, no Linux distribution".to_string(),
        WslHost::Installed { distros } => distros
            .iter()
            .map(|d| {
                format!(
                    "{}{} ({}, {})",
                    d.name,
                    if d.default { "*" } else { "" },
                    d.version,
                    d.state
                )
            })
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn gpu(s: &mut String, gpu: &GpuReport) {
    if gpu.devices.is_empty() {
        let why = gpu.absent_reason.as_deref().unwrap_or("none found");
        row(s, "GPU", format!("no NVIDIA GPU: {why}"));
    }
    for d in &gpu.devices {
        let memory = d
            .memory_total_bytes
            .map(human_bytes)
            .unwrap_or_else(|| "? memory".into());
        row(s, "GPU", format!("{} ({memory})", d.name));
    }
    if let Some(driver) = &gpu.driver_version {
        let cuda = gpu
            .cuda_driver_version
            .as_deref()
            .map(|c| format!(", CUDA {c}"))
            .unwrap_or_default();
        let via = match gpu.source {
            Some(GpuSource::Nvml) => "NVML",
            Some(GpuSource::NvidiaSmi) => "nvidia-smi",
            Some(GpuSource::ProcDriver) => "/proc/driver/nvidia",
            None => "?",
        };
        row(s, "", format!("driver {driver}{cuda} (via {via})"));
    }
    row(s, "PyTorch", gpu.torch.describe());
}

fn findings(s: &mut String, findings: &[Finding]) {
    if findings.is_empty() {
        return;
    }
    let _ = writeln!(s, "\nFindings");
    for f in findings {
        let tag = match f.severity {
            Severity::Error => "error",
            Severity::Warn => "warn ",
            Severity::Info => "info ",
        };
        let _ = writeln!(s, "  {tag}  {}", f.message);
        if let Some(fix) = &f.fix {
            let _ = writeln!(s, "         fix: {fix}");
        }
    }
}

fn row(s: &mut String, label: &str, value: String) {
    let _ = writeln!(s, "  {label:<10} {value}");
}
