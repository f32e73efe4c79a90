//! The Nix backend end to end with Debian's real `nix` (2.8): a project whose input-less flake
//! sets a variable and puts another Python first on PATH. Setup must build .venv from the
//! flake's Python, and the variable must reach JupyterLab's kernels.
#![cfg(target_os = "linux")]

use std::path::{Path, PathBuf};
use std::time::Duration;

use darwinix_testkit::{json, kernel_environ, python_version, server_token, TestContext};

const GREETING: &str = "hello from the flake";

fn nix_installed() -> bool {
    ["/usr/bin/nix", "/nix/var/nix/profiles/default/bin/nix"]
        .iter()
        .any(|p| Path::new(p).is_file())
}

/// A dev shell without nixpkgs: a derivation with bash as its builder is all
/// `nix print-dev-env` needs (GUIDE §5), and it works offline.
fn flake(flake_bin: &Path) -> String {
    let system = format!("{}-linux", std::env::consts::ARCH);
    format!(
        r#"{{
  outputs = {{ self }}: {{
    devShells.{system}.default = derivation {{
      name = "darwinix-test-shell";
      system = "{system}";
      builder = "/bin/bash";
      outputs = [ "out" ];
      PATH = "{}:/usr/bin:/bin";
      DARWINIX_FLAKE_GREETING = "{GREETING}";
    }};
  }};
}}
"#,
        flake_bin.display()
    )
}

/// A context for this test, with Nix set up the way a fresh Debian `nix-bin` (no
/// `nix-setup-systemd`) can build as root: no `nixbld` group, no build sandbox (the shell's
/// builder is the machine's /bin/bash), and no cache.nixos.org, which is not reachable here
/// (every start would retry it for seconds).
fn world() -> TestContext {
    TestContext::new().with_env(
        "NIX_CONFIG",
        "build-users-group =\nsandbox = false\nsubstituters =",
    )
}

#[test]
fn a_flake_project_runs_setup_and_jupyter_inside_its_dev_shell() {
    assert!(
        nix_installed(),
        "this test needs Nix (`apt-get install nix-bin`; ./dev test installs it)"
    );
    let sandbox = world();
    // The flake's Python: Debian's, where the sandbox's own search path holds another one.
    let flake_python = PathBuf::from("/usr/bin/python3");
    assert!(flake_python.is_file(), "the test needs Debian's python3");
    let flake_bin = sandbox.root().join("flake-bin");
    std::fs::create_dir_all(&flake_bin).unwrap();
    std::os::unix::fs::symlink(&flake_python, flake_bin.join("python3")).unwrap();

    let project = sandbox.root().join("nix project é");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(project.join("flake.nix"), flake(&flake_bin)).unwrap();
    std::fs::write(project.join("requirements.txt"), "jupyterlab\n").unwrap();

    let out = sandbox
        .cmd()
        .args(["setup", "--json"])
        .arg(&project)
        .timeout(Duration::from_secs(600))
        .assert()
        .success();
    let events = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(events.contains("Entering the Nix dev shell"), "{events}");
    let cfg = std::fs::read_to_string(project.join(".venv/pyvenv.cfg")).unwrap();
    let wanted = python_version(&flake_python);
    assert!(
        cfg.contains(&wanted),
        "the venv was not built from the flake's Python {wanted}:\n{cfg}"
    );

    let out = sandbox
        .cmd()
        .args(["start", "--no-browser", "--json"])
        .arg(&project)
        .timeout(Duration::from_secs(300))
        .assert()
        .success();
    let server = json(&out.get_output().stdout);
    let (pid, port) = (
        server["pid"].as_u64().unwrap() as u32,
        server["port"].as_u64().unwrap() as u16,
    );
    let result = std::panic::catch_unwind(|| {
        let token = server_token(&mut sandbox.cmd(), &project);
        let environ = kernel_environ(pid, port, &token);
        assert!(
            environ
                .lines()
                .any(|l| l == format!("DARWINIX_FLAKE_GREETING={GREETING}")),
            "the kernel does not see the flake's variable"
        );
        assert!(environ.lines().any(|l| l == "IN_NIX_SHELL=impure"));
    });
    sandbox.cmd().arg("stop").arg(&project).assert().success();
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}
