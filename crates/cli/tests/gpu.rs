//! `darwinix gpu` and `new --template gpu` on this machine: no NVIDIA driver here, so Linux gets
//! PyTorch's CPU wheels (the NVML "no library" path runs for real). CUDA answers are unit-tested
//! with fixture drivers in darwinix-core.

#![cfg(unix)]

use darwinix_testkit::{json, TestContext};

/// A context without any Python: `gpu` and `new` need none.
fn world() -> TestContext {
    TestContext::new().with_search(&[])
}

#[test]
fn makes_a_project_gpu_ready_once_keeping_its_lines() {
    let w = world();
    let project = w.project(
        "deep learning é",
        "# mine\nscikit-learn==1.5.2\njupyterlab\n",
    );
    let requirements = project.join("requirements.txt");

    let out = w
        .cmd()
        .args(["gpu", "--json"])
        .arg(&project)
        .assert()
        .success();
    let ready = json(&out.get_output().stdout);
    assert_eq!(ready["wheels"], "CPU-only wheels", "{ready}");
    assert_eq!(
        ready["added"],
        serde_json::json!([
            "--extra-index-url https://download.pytorch.org/whl/cpu",
            "torch"
        ])
    );
    assert_eq!(
        std::fs::read_to_string(&requirements).unwrap(),
        "--extra-index-url https://download.pytorch.org/whl/cpu\n# mine\nscikit-learn==1.5.2\njupyterlab\ntorch\n"
    );

    let out = w.cmd().arg("gpu").arg(&project).assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(text.contains("GPU-ready already"), "{text}");
}

#[test]
fn the_gpu_template_adds_pytorch_for_this_computer() {
    let w = world();
    let project = w.root().join("gpu project");
    let out = w
        .cmd()
        .args(["new", "--template", "gpu", "--json"])
        .arg(&project)
        .assert()
        .success();
    let created = json(&out.get_output().stdout);
    assert_eq!(created["gpu"]["wheels"], "CPU-only wheels", "{created}");
    let text = std::fs::read_to_string(project.join("requirements.txt")).unwrap();
    assert!(
        text.starts_with("--extra-index-url https://download.pytorch.org/whl/cpu\n"),
        "{text}"
    );
    assert!(
        text.contains("\nnumpy\n") && text.ends_with("requests\ntorch\n"),
        "{text}"
    );
    let notebook = std::fs::read_to_string(project.join("Welcome.ipynb")).unwrap();
    assert!(notebook.contains("torch.cuda.is_available()"));
}

#[test]
fn a_missing_folder_is_named() {
    let w = world();
    let out = w
        .cmd()
        .arg("gpu")
        .arg(w.root().join("nope"))
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("nope"), "{err}");
}
