//! After an install into a project with PyTorch, JAX or TensorFlow: a short check inside its
//! `.venv` — can the framework use the GPU, which CUDA (or Metal, ROCm) was it built for — and
//! what to do when a CUDA build cannot see the driver. The answer is kept with the project's
//! data and shown on the project (doctor, the app), not just printed once.

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::machine::gpu::GpuReport;
use crate::paths::{write_atomically, AppPaths};
use crate::process;
use crate::project::backend::Backend;
use crate::project::Project;

/// Imports each framework that is installed and says what it can use. Prints one JSON list.
const SCRIPT: &str = r#"
import importlib.util, json
out = []
if importlib.util.find_spec("torch"):
    import torch
    cuda, hip = getattr(torch.version, "cuda", None), getattr(torch.version, "hip", None)
    mps = getattr(getattr(torch, "backends", None), "mps", None)
    metal = bool(mps and mps.is_available())
    built = f"CUDA {cuda}" if cuda else f"ROCm {hip}" if hip else "Metal" if metal else None
    usable = torch.cuda.is_available() or metal
    device = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "Apple GPU (Metal)" if metal else None
    out.append({"framework": "PyTorch", "version": torch.__version__, "built_for": built, "usable": usable, "device": device})
if importlib.util.find_spec("jax"):
    import jax
    gpus = [d for d in jax.devices() if d.platform not in ("cpu",)]
    out.append({"framework": "JAX", "version": jax.__version__, "built_for": gpus[0].platform.upper() if gpus else None,
                "usable": bool(gpus), "device": str(gpus[0]) if gpus else None})
if importlib.util.find_spec("tensorflow"):
    import tensorflow as tf
    gpus = tf.config.list_physical_devices("GPU")
    built = tf.sysconfig.get_build_info().get("cuda_version")
    out.append({"framework": "TensorFlow", "version": tf.__version__, "built_for": f"CUDA {built}" if built else None,
                "usable": bool(gpus), "device": gpus[0].name if gpus else None})
print(json.dumps(out))
"#;

/// Importing a framework the first time takes seconds (PyTorch: 2–5 s); a hung driver never
/// holds an install longer than this.
const TIMEOUT: Duration = Duration::from_secs(90);

/// What one framework can use, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct GpuCheck {
    pub framework: String,
    pub version: String,
    /// `CUDA 12.4`, `ROCm 6.1`, `Metal`; `None`: a CPU-only build.
    pub built_for: Option<String>,
    /// It can use a GPU now.
    pub usable: bool,
    pub device: Option<String>,
    /// In words, for the project view.
    pub summary: String,
    /// What to do, when something can be done.
    pub fix: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Seen {
    framework: String,
    version: String,
    built_for: Option<String>,
    usable: bool,
    device: Option<String>,
}

/// The frameworks this check knows, by their distribution names.
pub const FRAMEWORKS: [&str; 4] = ["torch", "jax", "tensorflow", "tensorflow-cpu"];

/// Puts a framework's answer in words, with this computer's GPU as `gpu` found it.
fn judge(seen: Seen, gpu: &GpuReport) -> GpuCheck {
    let nvidia = !gpu.devices.is_empty();
    let name = &seen.framework;
    let built = seen.built_for.clone();
    let cuda_build = built.as_deref().is_some_and(|b| b.starts_with("CUDA"));
    let (summary, fix) = match (&seen.device, seen.usable) {
        (Some(device), true) => (
            format!(
                "{name} uses the GPU: {device} ({})",
                built.as_deref().unwrap_or("GPU build")
            ),
            None,
        ),
        _ if cuda_build && nvidia => {
            let driver = gpu.driver_version.as_deref().unwrap_or("unknown");
            let supports = gpu.cuda_driver_version.as_deref().unwrap_or("unknown");
            (
                format!(
                    "{name} was built for {} but cannot use the NVIDIA GPU: the driver ({driver}) supports CUDA up to {supports}",
                    built.as_deref().unwrap_or("CUDA")
                ),
                Some("press Make GPU-ready to get the PyTorch built for this driver, or update the NVIDIA driver (on Ubuntu: Software & Updates → Additional Drivers) and restart the computer".into()),
            )
        }
        _ if cuda_build => (
            format!(
                "{name} was built for {} but this computer has no NVIDIA GPU: it runs on the CPU",
                built.as_deref().unwrap_or("CUDA")
            ),
            Some("press Make GPU-ready to use the much smaller CPU build instead".into()),
        ),
        _ if nvidia => (
            format!("{name} runs on the CPU only, though this computer has an NVIDIA GPU"),
            Some("press Make GPU-ready to get the build that uses the GPU".into()),
        ),
        _ => (
            format!("{name} runs on the CPU (this computer has no GPU it can use)"),
            None,
        ),
    };
    GpuCheck {
        framework: seen.framework,
        version: seen.version,
        built_for: built,
        usable: seen.usable,
        device: seen.device,
        summary,
        fix,
    }
}

/// Runs the check in the project's environment (where it runs) and keeps the answer; `None`
/// when the project has none of the frameworks (or the check itself failed: it is only
/// advice, never a reason to fail an install).
pub async fn run(paths: &AppPaths, project: &Project, backend: &Backend) -> Option<Vec<GpuCheck>> {
    let layout = backend.layout();
    let venv = project.venv();
    let installed = crate::packages::metadata::installed(&venv, layout);
    if !installed
        .iter()
        .any(|d| FRAMEWORKS.contains(&d.key.as_str()))
    {
        let _ = std::fs::remove_file(saved_at(paths, project));
        return None;
    }
    let mut cmd = process::command(backend.path(&layout.python(&venv)).ok()?);
    cmd.args(["-I", "-c", SCRIPT]).current_dir(&project.dir);
    process::clean_python_env(&mut cmd);
    let out = process::output(backend.finish(cmd).ok()?, TIMEOUT)
        .await
        .ok()?;
    let seen: Vec<Seen> = serde_json::from_slice(&out.stdout).ok()?;
    let os = crate::machine::os::detect();
    let gpu = crate::machine::gpu::detect(&os.family, &os.arch, os.version.as_deref()).await;
    let checks: Vec<GpuCheck> = seen.into_iter().map(|s| judge(s, &gpu)).collect();
    if let Ok(text) = serde_json::to_vec(&checks) {
        let _ = write_atomically(&saved_at(paths, project), &text);
    }
    Some(checks)
}

/// The last answer for the project, if it has one of the frameworks.
pub fn saved(paths: &AppPaths, project: &Project) -> Vec<GpuCheck> {
    std::fs::read(saved_at(paths, project))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

fn saved_at(paths: &AppPaths, project: &Project) -> PathBuf {
    paths
        .data
        .join("gpu-checks")
        .join(format!("{}.json", project.key()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::machine::gpu::{GpuDevice, TorchIndex};

    fn gpu(devices: usize) -> GpuReport {
        GpuReport {
            devices: (0..devices)
                .map(|_| GpuDevice {
                    name: "NVIDIA GeForce RTX 3060".into(),
                    memory_total_bytes: None,
                })
                .collect(),
            driver_version: (devices > 0).then(|| "470.256.02".into()),
            cuda_driver_version: (devices > 0).then(|| "11.4".into()),
            source: None,
            absent_reason: None,
            torch: TorchIndex::cpu(),
        }
    }

    fn seen(built: Option<&str>, usable: bool, device: Option<&str>) -> Seen {
        Seen {
            framework: "PyTorch".into(),
            version: "2.5.1".into(),
            built_for: built.map(String::from),
            usable,
            device: device.map(String::from),
        }
    }

    #[test]
    fn a_cuda_build_that_cannot_see_the_driver_names_the_fix() {
        let check = judge(seen(Some("CUDA 12.4"), false, None), &gpu(1));
        assert!(!check.usable);
        assert!(
            check.summary.contains("built for CUDA 12.4"),
            "{}",
            check.summary
        );
        assert!(check.summary.contains("470.256.02") && check.summary.contains("11.4"));
        assert!(check.fix.unwrap().contains("Make GPU-ready"));
    }

    #[test]
    fn every_other_case_in_words() {
        let ok = judge(
            seen(Some("CUDA 12.4"), true, Some("NVIDIA GeForce RTX 3060")),
            &gpu(1),
        );
        assert_eq!(
            ok.summary,
            "PyTorch uses the GPU: NVIDIA GeForce RTX 3060 (CUDA 12.4)"
        );
        assert_eq!(ok.fix, None);
        let metal = judge(
            seen(Some("Metal"), true, Some("Apple GPU (Metal)")),
            &gpu(0),
        );
        assert!(metal.summary.contains("Apple GPU"));
        let no_gpu = judge(seen(Some("CUDA 12.4"), false, None), &gpu(0));
        assert!(
            no_gpu.summary.contains("no NVIDIA GPU"),
            "{}",
            no_gpu.summary
        );
        assert!(no_gpu.fix.unwrap().contains("CPU build"));
        let cpu_here = judge(seen(None, false, None), &gpu(1));
        assert!(cpu_here.summary.contains("CPU only"));
        let cpu = judge(seen(None, false, None), &gpu(0));
        assert_eq!(cpu.fix, None);
    }
}
