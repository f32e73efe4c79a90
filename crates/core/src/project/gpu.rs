//! "Make this project GPU-ready": the lines that make `requirements.txt` install the PyTorch
//! build this machine can use (CUDA wheels matching the NVIDIA driver, CPU wheels without one,
//! the default wheels on a Mac), added without touching anything the user wrote.

use serde::Serialize;

use super::Project;
use crate::error::{Error, Result};
use crate::machine::gpu::TorchIndex;
use crate::paths::write_atomically;

const PYTORCH_INDEX_HOST: &str = "download.pytorch.org/whl";

/// What `make_ready` changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct GpuReady {
    /// The wheels chosen, in words ("CUDA wheels (cu128)").
    pub wheels: String,
    /// Lines added to requirements.txt (empty when it was ready already).
    pub added: Vec<String>,
    /// An older PyTorch index line that was replaced (the driver changed).
    pub replaced: Option<String>,
}

/// The index line for `index` on `os_family`, if the wheels do not come from PyPI itself.
pub fn index_line(index: &TorchIndex, os_family: &str) -> Option<String> {
    match index {
        TorchIndex::Cuda { index_url, .. } => Some(format!("--extra-index-url {index_url}")),
        // PyPI's Linux and Windows wheels bundle CUDA (gigabytes); the CPU index does not.
        // Mac wheels on PyPI are the CPU/Metal ones already.
        TorchIndex::Cpu { index_url } if os_family != "macos" => {
            Some(format!("--extra-index-url {index_url}"))
        }
        TorchIndex::Cpu { .. } | TorchIndex::Mps => None,
    }
}

fn is_pytorch_index(line: &str) -> bool {
    let line = line.trim();
    (line.starts_with("--extra-index-url") || line.starts_with("--index-url"))
        && line.contains(PYTORCH_INDEX_HOST)
}

/// `torch`, `torch==2.5.1`, `torch >= 2`, `torch[opt]`… but not `torchvision`.
fn requires_torch(line: &str) -> bool {
    let line = line.trim();
    line.strip_prefix("torch")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(|c: char| " =<>!~[;".contains(c)))
}

/// The new text of a requirements file, and what changed.
pub fn plan(text: &str, index: &TorchIndex, os_family: &str) -> (String, GpuReady) {
    let wanted = index_line(index, os_family);
    let mut out: Vec<String> = Vec::new();
    let mut added = Vec::new();
    let mut replaced = None;
    let mut has_index = false;
    for line in text.lines() {
        if is_pytorch_index(line) {
            match &wanted {
                Some(w) if line.trim() == w => {
                    has_index = true;
                    out.push(line.to_string());
                }
                Some(w) if !has_index => {
                    has_index = true;
                    replaced = Some(line.trim().to_string());
                    out.push(w.clone());
                }
                // A second PyTorch index, or one this machine should not use: commented out,
                // not deleted, so nothing the user wrote is lost.
                _ => {
                    replaced = Some(line.trim().to_string());
                    out.push(format!(
                        "# {} (not for this computer: Darwinix)",
                        line.trim()
                    ));
                }
            }
        } else {
            out.push(line.to_string());
        }
    }
    if let (Some(w), false) = (&wanted, has_index) {
        // Options go first, where people look for them.
        out.insert(0, w.clone());
        added.push(w.clone());
    }
    if !text.lines().any(requires_torch) {
        out.push("torch".into());
        added.push("torch".into());
    }
    let mut new_text = out.join("\n");
    new_text.push('\n');
    let ready = GpuReady {
        wheels: index.describe(),
        added,
        replaced,
    };
    (new_text, ready)
}

/// Rewrites the project's requirements.txt for `index`; nothing is written when it is ready.
pub fn make_ready(project: &Project, index: &TorchIndex, os_family: &str) -> Result<GpuReady> {
    let path = project.requirements();
    let text = std::fs::read_to_string(&path).map_err(|source| Error::ReadFile {
        path: path.clone(),
        source,
    })?;
    let (new_text, ready) = plan(&text, index, os_family);
    if new_text != text {
        write_atomically(&path, new_text.as_bytes())?;
    }
    Ok(ready)
}

/// `make_ready` with this machine's answer (NVML, nvidia-smi, /proc; the OS for CPU or MPS).
pub async fn make_ready_here(project: &Project) -> Result<GpuReady> {
    let os = crate::machine::os::detect();
    let gpu = crate::machine::gpu::detect(&os.family, &os.arch, os.version.as_deref()).await;
    make_ready(project, &gpu.torch, &os.family)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cuda(tag: &str) -> TorchIndex {
        TorchIndex::cuda(tag)
    }

    fn cpu() -> TorchIndex {
        TorchIndex::cpu()
    }

    #[test]
    fn adds_the_index_and_torch_keeping_every_user_line() {
        let text = "# my packages\nnumpy\npandas  # for tables\njupyterlab\n";
        let (new, ready) = plan(text, &cuda("cu128"), "linux");
        assert_eq!(
            new,
            "--extra-index-url https://download.pytorch.org/whl/cu128\n# my packages\nnumpy\npandas  # for tables\njupyterlab\ntorch\n"
        );
        assert_eq!(ready.wheels, "CUDA wheels (cu128)");
        assert_eq!(ready.added.len(), 2);
        let (again, ready) = plan(&new, &cuda("cu128"), "linux");
        assert_eq!(again, new, "idempotent");
        assert!(ready.added.is_empty());
    }

    #[test]
    fn a_driver_upgrade_replaces_the_old_index_line() {
        let text =
            "--extra-index-url https://download.pytorch.org/whl/cu118\ntorch==2.5.1\ntorchvision\n";
        let (new, ready) = plan(text, &cuda("cu130"), "linux");
        assert_eq!(
            new,
            "--extra-index-url https://download.pytorch.org/whl/cu130\ntorch==2.5.1\ntorchvision\n"
        );
        assert_eq!(
            ready.replaced.as_deref(),
            Some("--extra-index-url https://download.pytorch.org/whl/cu118")
        );
        assert!(
            ready.added.is_empty(),
            "torch==2.5.1 already asks for torch"
        );
    }

    #[test]
    fn without_nvidia_linux_and_windows_get_cpu_wheels_and_macs_pypi() {
        let (linux, _) = plan("jupyterlab\n", &cpu(), "linux");
        assert!(linux.starts_with("--extra-index-url https://download.pytorch.org/whl/cpu\n"));
        let (windows, _) = plan("jupyterlab\n", &cpu(), "windows");
        assert!(windows.contains("/whl/cpu"));
        let (mac, ready) = plan("jupyterlab\n", &TorchIndex::Mps, "macos");
        assert_eq!(mac, "jupyterlab\ntorch\n");
        assert_eq!(ready.wheels, "Apple Metal (MPS), default wheels");
        // A CUDA index line copied from a Linux machine is kept, commented out, on a Mac.
        let (mac, ready) = plan(
            "--extra-index-url https://download.pytorch.org/whl/cu128\ntorch\n",
            &TorchIndex::Mps,
            "macos",
        );
        assert!(mac.starts_with("# --extra-index-url https://download.pytorch.org/whl/cu128"));
        assert!(ready.replaced.is_some());
    }

    #[test]
    fn torchvision_alone_does_not_count_as_torch() {
        assert!(requires_torch("torch"));
        assert!(requires_torch("torch>=2.4"));
        assert!(requires_torch("  torch[opt-einsum] ; python_version>'3.9'"));
        assert!(!requires_torch("torchvision"));
        assert!(!requires_torch("torch-geometric"));
    }

    #[test]
    fn make_ready_writes_only_when_something_changes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("requirements.txt"), "jupyterlab").unwrap();
        let project = Project::open(dir.path()).unwrap();
        let ready = make_ready(&project, &cuda("cu128"), "linux").unwrap();
        assert_eq!(ready.added.len(), 2);
        let text = std::fs::read_to_string(project.requirements()).unwrap();
        assert!(text.ends_with("jupyterlab\ntorch\n"), "{text}");
        let ready = make_ready(&project, &cuda("cu128"), "linux").unwrap();
        assert!(ready.added.is_empty());
        assert!(make_ready(&Project::at(&dir.path().join("gone")), &cpu(), "linux").is_err());
    }
}
