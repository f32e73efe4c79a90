//! `darwinix doctor`: run the engine's checks and show them to a person, or as JSON.

use std::fmt::Write as _;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use darwinix_core::doctor::{self, human_bytes, DoctorOptions, Report, Severity};
use darwinix_core::install::{self, ProjectJupyter};
use darwinix_core::machine::gpu::GpuSource;
use darwinix_core::machine::nix::NixStatus;
use darwinix_core::machine::wsl::WslHost;
use darwinix_core::paths::AppPaths;
use darwinix_core::python::choice;
use darwinix_core::python::interpreter::DEFAULT_PROBE_TIMEOUT;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print one JSON object instead of the report.
    #[arg(long)]
    json: bool,

    /// Seconds each Python interpreter may take to answer before it is skipped as hung
    /// (raise it for interpreters on slow network drives).
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_PROBE_TIMEOUT.as_secs_f64(), value_parser = parse_seconds)]
    probe_timeout: f64,

    /// Also show how this project runs: where its packages come from, its JupyterLab and the
    /// Python its notebooks run in.
    #[arg(value_name = "PROJECT")]
    project: Option<std::path::PathBuf>,
}

fn parse_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(s) if s > 0.0 && s <= 600.0 => Ok(s),
        _ => Err(format!(
            "{text:?} is not a number of seconds between 0 and 600"
        )),
    }
}

#[allow(clippy::print_stdout, clippy::print_stderr)]
pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let paths = AppPaths::from_env().context("could not find Darwinix's data folder")?;
    let probe_timeout = Duration::from_secs_f64(args.probe_timeout);
    let project = match &args.project {
        Some(dir) => {
            let project = darwinix_core::project::Project::open(dir)?;
            Some((project.dir.clone(), install::describe(&paths, &project)?))
        }
        None => None,
    };
    let report = doctor::run(&DoctorOptions {
        paths,
        probe_timeout,
    })
    .await;
    if args.json {
        let mut value = serde_json::to_value(&report)?;
        if let Some((_, jupyter)) = &project {
            value["project"] = serde_json::to_value(jupyter)?;
        }
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        print!("{}", render(&report));
        if let Some((dir, jupyter)) = &project {
            print!("{}", render_project(dir, jupyter));
        }
    }
    if report.ready {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("darwinix: not ready: {}", report.ready_reason);
        Ok(ExitCode::FAILURE)
    }
}

/// How one project runs.
fn render_project(dir: &std::path::Path, j: &ProjectJupyter) -> String {
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
    if j.ignore_pins {
        row(
            &mut s,
            "Versions",
            "current versions: pins that no longer install are left out".into(),
        );
    }
    s
}

/// The report as a person reads it: sections, one fact a line, findings with their fixes.
fn render(r: &Report) -> String {
    let mut s = format!(
        "Darwinix {} — checked this computer in {} ms\n\nThis computer\n",
        r.darwinix_version, r.elapsed_ms
    );
    let os = &r.os;
    let kernel = os
        .kernel
        .as_deref()
        .map(|k| format!(", kernel {k}"))
        .unwrap_or_default();
    row(
        &mut s,
        "System",
        format!("{} ({}{kernel})", os.name, os.arch),
    );
    if let Some(w) = &os.wsl {
        row(
            &mut s,
            "Inside",
            format!(
                "{} ({})",
                w.version,
                w.distro.as_deref().unwrap_or("unknown distro")
            ),
        );
    }
    if let Some(shell) = &os.nix_shell {
        row(&mut s, "Inside", format!("a Nix dev shell ({shell})"));
    }
    let res = &r.resources;
    let cores = match res.physical_cores {
        Some(p) if p != res.logical_cores => format!("{p} cores, {} threads", res.logical_cores),
        _ => format!("{} cores", res.logical_cores),
    };
    row(
        &mut s,
        "CPU",
        format!(
            "{} · {cores}",
            res.cpu_model.as_deref().unwrap_or("unknown model")
        ),
    );
    let memory = format!(
        "{} total, {} available",
        human_bytes(res.memory_total_bytes),
        human_bytes(res.memory_available_bytes)
    );
    row(&mut s, "Memory", memory);
    let disk = res.disk.as_ref().map_or("unknown".into(), |d| {
        let (free, total) = (human_bytes(d.available_bytes), human_bytes(d.total_bytes));
        format!(
            "{free} free of {total} where projects go ({})",
            d.path.display()
        )
    });
    row(&mut s, "Disk", disk);

    let _ = writeln!(s, "\nPython");
    let chosen = r.python.chosen.as_ref().map(|c| &c.path);
    for i in &r.python.interpreters {
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
            _ if chosen == Some(&i.path) => "→",
            None => "✓",
            Some(why) => {
                traits.push(format!("not usable: {why}"));
                "·"
            }
        };
        let _ = writeln!(
            s,
            "  {mark} {:<8} {}  ({})",
            i.info.version,
            i.path.display(),
            traits.join(", ")
        );
    }
    for k in &r.python.skipped {
        let _ = writeln!(s, "  ✗ {:<8} {}  ({})", "skipped", k.path.display(), k.why);
    }
    if r.python.interpreters.is_empty() && r.python.skipped.is_empty() {
        let _ = writeln!(s, "  (none found)");
    }
    match &r.python.chosen {
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
    row(
        &mut s,
        "uv",
        r.python
            .uv
            .as_ref()
            .map_or("not installed".into(), |p| p.display().to_string()),
    );

    let _ = writeln!(s, "\nTools");
    let nix = match &r.nix {
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
    };
    row(&mut s, "Nix", nix);
    if let Some(host) = &r.wsl {
        let wsl = match host {
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
        };
        row(&mut s, "WSL", wsl);
    }
    let gpu = &r.gpu;
    if gpu.devices.is_empty() {
        let why = gpu.absent_reason.as_deref().unwrap_or("none found");
        row(&mut s, "GPU", format!("no NVIDIA GPU: {why}"));
    }
    for d in &gpu.devices {
        let memory = d
            .memory_total_bytes
            .map(human_bytes)
            .unwrap_or_else(|| "? memory".into());
        row(&mut s, "GPU", format!("{} ({memory})", d.name));
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
        row(&mut s, "", format!("driver {driver}{cuda} (via {via})"));
    }
    row(&mut s, "PyTorch", gpu.torch.describe());

    if !r.findings.is_empty() {
        let _ = writeln!(s, "\nFindings");
        for f in &r.findings {
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
    let verdict = if r.ready { "Ready" } else { "Not ready" };
    let _ = writeln!(s, "\n{verdict}: {}.", r.ready_reason);
    s
}

fn row(s: &mut String, label: &str, value: String) {
    let _ = writeln!(s, "  {label:<10} {value}");
}
