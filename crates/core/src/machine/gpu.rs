//! NVIDIA GPUs through NVML, with `nvidia-smi` and `/proc/driver/nvidia/version` as fallbacks,
//! and the PyTorch wheel flavour the driver can run. No GPU is a normal answer, never an error.

use std::time::Duration;

use serde::Serialize;

use crate::process;

const NVML_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct GpuReport {
    pub devices: Vec<GpuDevice>,
    pub driver_version: Option<String>,
    /// The newest CUDA the driver supports, e.g. `12.4`.
    pub cuda_driver_version: Option<String>,
    /// Which source answered; `None` when nothing did.
    pub source: Option<GpuSource>,
    /// Why there is no GPU, in words, when `devices` is empty.
    pub absent_reason: Option<String>,
    pub torch: TorchIndex,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct GpuDevice {
    pub name: String,
    #[ts(type = "number | null")]
    pub memory_total_bytes: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum GpuSource {
    Nvml,
    NvidiaSmi,
    ProcDriver,
}

/// Which PyTorch wheels fit this machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TorchIndex {
    /// `tag` is the wheel suffix (`cu130`, `cu128`, `cu118`).
    Cuda {
        tag: String,
        index_url: String,
    },
    /// Apple silicon's Metal backend; the default PyPI wheels include it.
    Mps,
    Cpu {
        index_url: String,
    },
}

impl TorchIndex {
    pub(crate) fn cuda(tag: &str) -> Self {
        TorchIndex::Cuda {
            tag: tag.into(),
            index_url: format!("https://download.pytorch.org/whl/{tag}"),
        }
    }
    pub(crate) fn cpu() -> Self {
        TorchIndex::Cpu {
            index_url: "https://download.pytorch.org/whl/cpu".into(),
        }
    }
    pub fn describe(&self) -> String {
        match self {
            TorchIndex::Cuda { tag, .. } => format!("CUDA wheels ({tag})"),
            TorchIndex::Mps => "Apple Metal (MPS), default wheels".into(),
            TorchIndex::Cpu { .. } => "CPU-only wheels".into(),
        }
    }
}

/// The PyTorch flavour for an NVIDIA driver version, from the minimum driver each CUDA line
/// needs (the table uv's `--torch-backend=auto` uses). Windows drivers are numbered differently.
pub fn torch_index_for_driver(os_family: &str, driver: &str) -> TorchIndex {
    let v = version_key(driver);
    let table: [(&str, &str); 3] = if os_family == "windows" {
        [
            ("cu130", "580.88"),
            ("cu128", "528.33"),
            ("cu118", "452.39"),
        ]
    } else {
        [
            ("cu130", "580.65.06"),
            ("cu128", "525.60.13"),
            ("cu118", "450.80.02"),
        ]
    };
    table
        .iter()
        .find(|(_, min)| v >= version_key(min))
        .map_or_else(TorchIndex::cpu, |(tag, _)| TorchIndex::cuda(tag))
}

/// The PyTorch flavour for a machine without an NVIDIA driver.
pub fn torch_index_without_nvidia(
    os_family: &str,
    arch: &str,
    os_version: Option<&str>,
) -> TorchIndex {
    // MPS needs Apple silicon and macOS 12.3 or later.
    let mps_os = os_version.is_some_and(|v| version_key(v) >= version_key("12.3"));
    if os_family == "macos" && arch == "aarch64" && mps_os {
        TorchIndex::Mps
    } else {
        TorchIndex::cpu()
    }
}

fn version_key(v: &str) -> Vec<u32> {
    v.trim()
        .split('.')
        .map(|p| p.trim().parse().unwrap_or(0))
        .collect()
}

/// Parses `/proc/driver/nvidia/version`: the first dotted number after `NVRM version:`.
pub fn parse_proc_driver_version(text: &str) -> Option<String> {
    let line = text.lines().find(|l| l.starts_with("NVRM version:"))?;
    line.split_whitespace()
        .find(|t| t.contains('.') && t.chars().all(|c| c.is_ascii_digit() || c == '.'))
        .map(str::to_string)
}

/// Parses `nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader`.
pub fn parse_nvidia_smi(text: &str) -> (Vec<GpuDevice>, Option<String>) {
    let mut devices = Vec::new();
    let mut driver = None;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        let [name, drv, mem] = fields.as_slice() else {
            continue;
        };
        let memory_total_bytes = mem
            .strip_suffix("MiB")
            .and_then(|m| m.trim().parse::<u64>().ok())
            .map(|mib| mib * 1024 * 1024);
        devices.push(GpuDevice {
            name: name.to_string(),
            memory_total_bytes,
        });
        driver.get_or_insert_with(|| drv.to_string());
    }
    (devices, driver)
}

/// `12040` → `12.4`, as NVML encodes it.
pub fn cuda_version_string(encoded: i32) -> String {
    format!("{}.{}", encoded / 1000, (encoded % 1000) / 10)
}

/// Asks every source in turn. `os_family`/`arch`/`os_version` pick the CPU/MPS answer.
pub async fn detect(os_family: &str, arch: &str, os_version: Option<&str>) -> GpuReport {
    let none = |reason: String| GpuReport {
        devices: vec![],
        driver_version: None,
        cuda_driver_version: None,
        source: None,
        absent_reason: Some(reason),
        torch: torch_index_without_nvidia(os_family, arch, os_version),
    };
    if os_family == "macos" {
        return none("Macs have no NVIDIA GPU".into());
    }
    // A wedged driver can block NVML forever; the doctor must still finish.
    let nvml = tokio::time::timeout(NVML_TIMEOUT, tokio::task::spawn_blocking(nvml::query)).await;
    let nvml = match nvml {
        Ok(Ok(answer)) => answer,
        Ok(Err(panicked)) => Err(panicked.to_string()),
        Err(_) => Err(format!(
            "the NVIDIA driver did not answer within {} s",
            NVML_TIMEOUT.as_secs()
        )),
    };
    let nvml_reason = match nvml {
        Ok(report) => return with_torch(report, os_family),
        Err(reason) => reason,
    };
    if let Some(report) = nvidia_smi().await {
        return with_torch(report, os_family);
    }
    if let Ok(text) = std::fs::read_to_string("/proc/driver/nvidia/version") {
        if let Some(driver) = parse_proc_driver_version(&text) {
            let report = GpuReport {
                devices: vec![],
                driver_version: Some(driver),
                cuda_driver_version: None,
                source: Some(GpuSource::ProcDriver),
                absent_reason: Some(format!(
                    "the NVIDIA driver is loaded but NVML did not answer: {nvml_reason}"
                )),
                torch: TorchIndex::cpu(),
            };
            return with_torch(report, os_family);
        }
    }
    none(nvml_reason)
}

fn with_torch(mut report: GpuReport, os_family: &str) -> GpuReport {
    if let Some(driver) = &report.driver_version {
        report.torch = torch_index_for_driver(os_family, driver);
    }
    report
}

async fn nvidia_smi() -> Option<GpuReport> {
    let mut cmd = process::command(format!("nvidia-smi{}", std::env::consts::EXE_SUFFIX));
    cmd.args([
        "--query-gpu=name,driver_version,memory.total",
        "--format=csv,noheader",
    ]);
    let out = process::output(cmd, Duration::from_secs(10)).await.ok()?;
    if !out.success() {
        return None;
    }
    let (devices, driver_version) = parse_nvidia_smi(&out.stdout_text());
    if devices.is_empty() {
        return None;
    }
    Some(GpuReport {
        devices,
        driver_version,
        cuda_driver_version: None,
        source: Some(GpuSource::NvidiaSmi),
        absent_reason: None,
        torch: TorchIndex::cpu(),
    })
}

mod nvml {
    use nvml_wrapper::{error::NvmlError, Nvml};

    use super::*;

    /// The library path WSL2 mounts from the Windows driver; not on the loader's default path.
    const WSL_LIBRARY: &str = "/usr/lib/wsl/lib/libnvidia-ml.so.1";

    pub(super) fn query() -> Result<GpuReport, String> {
        let nvml = Nvml::init().or_else(|first| {
            if std::path::Path::new(WSL_LIBRARY).exists() {
                Nvml::builder().lib_path(WSL_LIBRARY.as_ref()).init()
            } else {
                Err(first)
            }
        });
        let nvml = nvml.map_err(|e| explain(&e))?;
        let count = nvml.device_count().map_err(|e| explain(&e))?;
        let devices: Vec<GpuDevice> = (0..count)
            .filter_map(|i| nvml.device_by_index(i).ok())
            .map(|d| GpuDevice {
                name: d.name().unwrap_or_else(|_| "NVIDIA GPU".into()),
                memory_total_bytes: d.memory_info().ok().map(|m| m.total),
            })
            .collect();
        if devices.is_empty() {
            return Err("the NVIDIA driver is installed but sees no GPU".into());
        }
        Ok(GpuReport {
            devices,
            driver_version: nvml.sys_driver_version().ok(),
            cuda_driver_version: nvml.sys_cuda_driver_version().ok().map(cuda_version_string),
            source: Some(GpuSource::Nvml),
            absent_reason: None,
            torch: TorchIndex::cpu(),
        })
    }

    fn explain(e: &NvmlError) -> String {
        match e {
            NvmlError::LibloadingError(inner) => {
                format!("the NVIDIA driver's library (NVML) is not installed ({inner})")
            }
            NvmlError::DriverNotLoaded => "the NVIDIA driver is installed but not loaded".into(),
            NvmlError::NoPermission => "no permission to talk to the NVIDIA driver".into(),
            other => format!("NVML failed: {other}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(t: TorchIndex) -> String {
        match t {
            TorchIndex::Cuda { tag, .. } => tag,
            TorchIndex::Mps => "mps".into(),
            TorchIndex::Cpu { .. } => "cpu".into(),
        }
    }

    #[test]
    fn torch_from_linux_driver() {
        assert_eq!(tag(torch_index_for_driver("linux", "580.65.06")), "cu130");
        assert_eq!(tag(torch_index_for_driver("linux", "575.57.08")), "cu128");
        assert_eq!(tag(torch_index_for_driver("linux", "525.60.13")), "cu128");
        assert_eq!(tag(torch_index_for_driver("linux", "525.60.12")), "cu118");
        assert_eq!(tag(torch_index_for_driver("linux", "470.256.02")), "cu118");
        assert_eq!(tag(torch_index_for_driver("linux", "440.33")), "cpu");
    }

    #[test]
    fn torch_from_windows_driver() {
        assert_eq!(tag(torch_index_for_driver("windows", "581.15")), "cu130");
        assert_eq!(tag(torch_index_for_driver("windows", "528.33")), "cu128");
        assert_eq!(tag(torch_index_for_driver("windows", "527.41")), "cu118");
    }

    #[test]
    fn torch_without_nvidia() {
        assert_eq!(
            tag(torch_index_without_nvidia("macos", "aarch64", Some("15.1"))),
            "mps"
        );
        assert_eq!(
            tag(torch_index_without_nvidia("macos", "aarch64", Some("12.2"))),
            "cpu"
        );
        assert_eq!(
            tag(torch_index_without_nvidia("macos", "x86_64", Some("15.1"))),
            "cpu"
        );
        assert_eq!(
            tag(torch_index_without_nvidia("linux", "x86_64", None)),
            "cpu"
        );
    }

    #[test]
    fn proc_driver_fixtures() {
        let classic = "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.14  Thu Feb 22 01:44:30 UTC 2024\nGCC version:  gcc version 12.2.0 (Debian 12.2.0-14)\n";
        assert_eq!(
            parse_proc_driver_version(classic).as_deref(),
            Some("550.54.14")
        );
        let open = "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  560.35.03  Release Build  (dvs-builder@U16-I3-B03-4-3)  Fri Aug 16 21:42:42 UTC 2024\n";
        assert_eq!(
            parse_proc_driver_version(open).as_deref(),
            Some("560.35.03")
        );
        assert_eq!(parse_proc_driver_version("garbage"), None);
    }

    #[test]
    fn nvidia_smi_fixture() {
        let (devices, driver) = parse_nvidia_smi(
            "NVIDIA H100 80GB HBM3, 550.54.15, 81559 MiB\nNVIDIA A10, 550.54.15, 23028 MiB\n",
        );
        assert_eq!(driver.as_deref(), Some("550.54.15"));
        assert_eq!(devices.len(), 2);
        assert_eq!(devices[0].name, "NVIDIA H100 80GB HBM3");
        assert_eq!(devices[1].memory_total_bytes, Some(23028 * 1024 * 1024));
    }

    #[test]
    fn cuda_versions() {
        assert_eq!(cuda_version_string(12040), "12.4");
        assert_eq!(cuda_version_string(13000), "13.0");
        assert_eq!(cuda_version_string(11080), "11.8");
    }

    #[tokio::test]
    async fn no_gpu_here_is_an_answer_not_an_error() {
        let report = detect("linux", "x86_64", None).await;
        if report.devices.is_empty() {
            let reason = report.absent_reason.expect("a reason is always given");
            assert!(!reason.is_empty());
            assert_eq!(tag(report.torch), "cpu");
        }
    }
}
