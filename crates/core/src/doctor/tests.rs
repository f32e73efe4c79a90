//! The findings and the verdict for machines put together by hand.

use super::*;
use crate::machine::gpu::{GpuReport, TorchIndex};
use crate::machine::nix::NixStatus;
use crate::machine::os::OsInfo;
use crate::machine::resources::{self, Resources};
use crate::machine::wsl::{WslDistro, WslGuest, WslHost, WslVersion};
use crate::python::{Interpreter, ProbeFailure, ProbeInfo, Skipped, Source};

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
    assert!(f
        .iter()
        .any(|f| f.code == "wsl1-distro"
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
