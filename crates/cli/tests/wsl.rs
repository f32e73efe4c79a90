//! The WSL backend end to end, on Linux: a stand-in `wsl.exe` (`DARWINIX_WSL_EXE`) that runs
//! its `--exec` command here the way the real one runs it in a distro — only the variables
//! `WSLENV` names cross over, the distro has its own PATH (Debian's Python, not the sandbox's),
//! its own home folder and its own `WSL_DISTRO_NAME`. Setup, start and stop of a real JupyterLab all go through it.
#![cfg(target_os = "linux")]

use std::path::{Path, PathBuf};
use std::time::Duration;

use darwinix_core::http::local as http;
use darwinix_testkit::{
    json, kernel_environ, python_version, run_code, script, server_token, shared_uv_dir,
    TestContext,
};

const DISTRO: &str = "Debian";

const STAND_IN: &str = r#"#!/usr/bin/python3
# Stand-in for wsl.exe: `-d DISTRO [--cd DIR] --exec PROGRAM ARGS...`.
import json, os, sys

args = sys.argv[1:]
with open(os.environ["STANDIN_LOG"], "a") as log:
    log.write(json.dumps(args) + "\n")
distro = cd = None
while args:
    flag = args.pop(0)
    if flag in ("-d", "--distribution"):
        distro = args.pop(0)
    elif flag == "--cd":
        cd = args.pop(0)
    elif flag in ("--exec", "-e"):
        break
    else:
        sys.exit(f"stand-in wsl.exe: unexpected argument {flag}")
else:
    sys.exit("stand-in wsl.exe: no --exec")
if distro != os.environ["STANDIN_DISTRO"]:
    sys.stderr.write("There is no distribution with the supplied name.\nError code: Wsl/Service/WSL_E_DISTRO_NOT_FOUND\n")
    sys.exit(1)
env = {"PATH": os.environ["STANDIN_GUEST_PATH"], "HOME": os.environ["STANDIN_GUEST_HOME"], "WSL_DISTRO_NAME": distro}
# The distro's uv keeps its cache where this machine's is (packages are not downloaded again).
env["UV_CACHE_DIR"] = os.environ.get("UV_CACHE_DIR") or os.path.join(os.environ["HOME"], ".cache", "uv")
# The distro's own network setup (this machine's proxy and CA certificates), as a real distro
# would have it configured.
env.update({k: v for k, v in os.environ.items() if any(w in k.upper() for w in ("PROXY", "CERT", "SSL", "CA_BUNDLE"))})
for entry in os.environ.get("WSLENV", "").split(":"):
    name = entry.split("/")[0]
    if name in os.environ:
        env[name] = os.environ[name]
if cd:
    os.chdir(cd)
os.execvpe(args[0], args, env)
"#;

struct Distro {
    exe: PathBuf,
    log: PathBuf,
    guest_path: String,
    /// The distro user's home folder.
    home: PathBuf,
}

impl Distro {
    fn new(root: &Path) -> Self {
        let exe = script(root, "wsl.exe", "");
        std::fs::write(&exe, STAND_IN).unwrap();
        // The distro's PATH: a uv, and Debian's own Python.
        let guest_bin = root.join("distro-bin");
        std::fs::create_dir_all(&guest_bin).unwrap();
        std::os::unix::fs::symlink(shared_uv_dir().join("uv"), guest_bin.join("uv")).unwrap();
        let guest_path = format!("{}:/usr/bin:/bin", guest_bin.display());
        let home = root.join("distro-home");
        std::fs::create_dir_all(&home).unwrap();
        Self {
            exe,
            log: root.join("wsl-calls.jsonl"),
            guest_path,
            home,
        }
    }

    fn darwinix(&self, sandbox: &TestContext) -> assert_cmd::Command {
        let mut cmd = sandbox.cmd();
        cmd.env("DARWINIX_WSL_EXE", &self.exe)
            .env("STANDIN_LOG", &self.log)
            .env("STANDIN_DISTRO", DISTRO)
            .env("STANDIN_GUEST_PATH", &self.guest_path)
            .env("STANDIN_GUEST_HOME", &self.home);
        cmd
    }

    /// A folder with `requirements` whose projects run in the distro.
    fn project(&self, sandbox: &TestContext, name: &str, requirements: &str) -> PathBuf {
        let project = sandbox.root().join(name);
        std::fs::create_dir_all(&project).unwrap();
        std::fs::write(project.join("requirements.txt"), requirements).unwrap();
        self.darwinix(sandbox)
            .args(["backend", "--set", &format!("wsl:{DISTRO}")])
            .arg(&project)
            .assert()
            .success();
        project
    }

    /// `start`: the server's port.
    fn start(&self, sandbox: &TestContext, project: &Path) -> u16 {
        self.darwinix(sandbox)
            .args(["start", "--no-browser"])
            .arg(project)
            .timeout(Duration::from_secs(600))
            .assert()
            .success();
        let listed = self
            .darwinix(sandbox)
            .args(["list", "--json"])
            .assert()
            .success();
        let servers = json(stdout(&listed).as_bytes());
        let name = project.file_name().unwrap().to_string_lossy();
        let server = servers
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["dir"].as_str().unwrap().ends_with(&*name))
            .unwrap_or_else(|| panic!("{servers}"));
        server["port"].as_u64().unwrap() as u16
    }

    /// Every wsl.exe command line so far.
    fn calls(&self) -> Vec<Vec<String>> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

fn stdout(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&out.get_output().stdout).into_owned()
}

#[test]
fn a_wsl_project_runs_setup_start_and_stop_through_wsl_exe() {
    let sandbox = TestContext::new();
    let distro = Distro::new(sandbox.root());
    let project = sandbox.root().join("wsl project é");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(project.join("requirements.txt"), "jupyterlab\n").unwrap();

    // Set up on this computer first: choosing WSL afterwards must rebuild .venv in the distro.
    sandbox
        .cmd()
        .args(["setup"])
        .arg(&project)
        .timeout(Duration::from_secs(600))
        .assert()
        .success();
    let out = distro
        .darwinix(&sandbox)
        .args(["backend", "--json", "--set", &format!("wsl:{DISTRO}")])
        .arg(&project)
        .assert()
        .success();
    assert_eq!(
        json(stdout(&out).as_bytes()),
        serde_json::json!({"kind": "wsl", "distro": DISTRO})
    );

    let out = distro
        .darwinix(&sandbox)
        .args(["setup", "--json"])
        .arg(&project)
        .timeout(Duration::from_secs(600))
        .assert()
        .success();
    let events = stdout(&out);
    assert!(events.contains("in the WSL distro Debian"), "{events}");
    assert!(
        events.contains("Rebuilding the environment: it was made to run in another place (local)"),
        "{events}"
    );
    let cfg = std::fs::read_to_string(project.join(".venv/pyvenv.cfg")).unwrap();
    let guest_python = python_version(Path::new("/usr/bin/python3"));
    assert!(
        cfg.contains(&format!("version_info = {guest_python}"))
            || cfg.contains(&format!("version = {guest_python}")),
        "the venv was not built from the distro's Python {guest_python}:\n{cfg}"
    );
    let calls = distro.calls();
    let ran = |what: &str| {
        calls
            .iter()
            .any(|c| c.iter().skip_while(|a| *a != "--exec").any(|a| a == what))
    };
    assert!(
        ran("venv"),
        "the venv was not made inside the distro: {calls:?}"
    );
    assert!(
        ran("install"),
        "packages were not installed inside the distro"
    );
    assert!(
        calls.iter().all(|c| c[..2] == ["-d", DISTRO]),
        "every call names the distro: {calls:?}"
    );

    // Nothing changed: the second setup is a no-op and does not even ask the distro. (The
    // bytecode warm-up the first setup left running in the background may still be starting.)
    let asked = || {
        distro
            .calls()
            .iter()
            .filter(|c| !c.windows(2).any(|w| w == ["-I", "-c"]))
            .count()
    };
    let before = asked();
    let out = distro
        .darwinix(&sandbox)
        .args(["setup", "--json"])
        .arg(&project)
        .assert()
        .success();
    assert!(
        stdout(&out).contains(r#""skipped":true"#),
        "{}",
        stdout(&out)
    );
    assert_eq!(asked(), before);

    let out = distro
        .darwinix(&sandbox)
        .args(["start", "--no-browser", "--json"])
        .arg(&project)
        .timeout(Duration::from_secs(300))
        .assert()
        .success();
    let server = json(stdout(&out).as_bytes());
    let (pid, port) = (
        server["pid"].as_u64().unwrap() as u32,
        server["port"].as_u64().unwrap() as u16,
    );
    let entry_file = std::fs::read_dir(sandbox.home().join("data/servers"))
        .unwrap()
        .flatten()
        .next()
        .unwrap()
        .path();
    let entry = json(&std::fs::read(entry_file).unwrap());
    let guest_runtime = PathBuf::from(entry["guest"]["runtime_dir"].as_str().unwrap());
    let host_runtime = PathBuf::from(entry["runtime_dir"].as_str().unwrap());
    let result = std::panic::catch_unwind(|| {
        assert_eq!(entry["guest"]["distro"], DISTRO);
        let token = server_token(&mut distro.darwinix(&sandbox), &project);
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let with = runtime.block_on(http::status(
            port,
            "GET",
            "/api/status",
            Some(&token),
            Duration::from_secs(10),
        ));
        let without = runtime.block_on(http::status(
            port,
            "GET",
            "/api/contents",
            None,
            Duration::from_secs(10),
        ));
        assert_eq!((with.unwrap(), without.unwrap()), (200, 403));
        let calls = distro.calls();
        assert!(
            calls.iter().flatten().all(|a| !a.contains(&token)),
            "the token was on a wsl.exe command line"
        );
        let jupyter = calls
            .iter()
            .find(|c| c.iter().any(|a| a.ends_with("/.venv/bin/jupyter-lab")))
            .expect("JupyterLab was not started through wsl.exe");
        assert!(jupyter.contains(&"--ServerApp.ip=127.0.0.1".to_string()));
        assert!(
            guest_runtime.is_dir(),
            "the runtime folder is made inside the distro"
        );
        // The browser gets a sign-in link that the server in the distro makes: its extension
        // is read from this computer's private runtime folder, through the distro's path.
        assert!(host_runtime.join("config/darwinix_login.py").is_file());
        let opened = sandbox.root().join("opened");
        let browser = script(
            sandbox.root(),
            "browser",
            &format!("echo \"$1\" >> '{}'", opened.display()),
        );
        distro
            .darwinix(&sandbox)
            .env("DARWINIX_BROWSER", &browser)
            .arg("open")
            .arg(&project)
            .assert()
            .success();
        let link = std::fs::read_to_string(&opened).unwrap().trim().to_string();
        let prefix = format!("http://127.0.0.1:{port}");
        assert!(
            link.starts_with(&format!("{prefix}/darwinix/login/")),
            "{link}"
        );
        let login = runtime.block_on(http::status(
            port,
            "GET",
            link.strip_prefix(&prefix).unwrap(),
            None,
            Duration::from_secs(10),
        ));
        assert_eq!(login.unwrap(), 302, "the link logs in");
        // The kernel runs "in the distro": it has the distro's variables, and the token only
        // because WSLENV forwarded it.
        let environ = kernel_environ(pid, port, &token);
        assert!(
            environ
                .lines()
                .any(|l| l == format!("WSL_DISTRO_NAME={DISTRO}")),
            "{environ}"
        );
        assert!(
            !environ.contains("DARWINIX_HOME="),
            "only WSLENV crosses over"
        );
        assert!(
            !environ.contains("JUPYTER_CONFIG_PATH="),
            "Darwinix's config folder is the server's alone"
        );
    });
    distro
        .darwinix(&sandbox)
        .arg("stop")
        .arg(&project)
        .assert()
        .success();
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
    assert!(
        !Path::new(&format!("/proc/{pid}")).exists()
            || std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| s
                .rsplit_once(')')
                .is_some_and(|(_, r)| r.trim_start().starts_with('Z'))),
        "the server still runs"
    );
    assert!(
        !guest_runtime.exists(),
        "the runtime folder was left behind"
    );
    assert!(!host_runtime.exists(), "the runtime folder was left behind");
    let out = distro
        .darwinix(&sandbox)
        .args(["list", "--json"])
        .assert()
        .success();
    assert_eq!(json(stdout(&out).as_bytes()), serde_json::json!([]));
}

#[test]
fn a_notebook_folder_in_wsl_runs_from_a_runtime_inside_the_distro() {
    let sandbox = TestContext::new();
    let distro = Distro::new(sandbox.root());
    let first = distro.project(&sandbox, "cours é", "six\n");
    let second = distro.project(&sandbox, "second", "");

    // Each time the runtime is made, its log is written anew, with one `venv` command.
    let log = || {
        std::fs::read_to_string(sandbox.home().join("data/logs/runtime.setup.log"))
            .unwrap_or_default()
    };
    let made = |log: &str| {
        log.lines()
            .filter(|l| l.starts_with("$ ") && l.contains(" venv "))
            .count()
    };
    let port = distro.start(&sandbox, &first);
    let result = std::panic::catch_unwind(|| {
        let first_log = log();
        assert_eq!(made(&first_log), 1, "{first_log}");
        // Made in the distro user's data folder, from the distro's Python; this computer keeps
        // only its lock and the files staged for it.
        let runtimes = distro.home.join(".local/share/darwinix/runtimes");
        let runtime = std::fs::read_dir(&runtimes)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| p.join("darwinix-runtime.json").is_file())
            .expect("a runtime inside the distro");
        let cfg = std::fs::read_to_string(runtime.join("pyvenv.cfg")).unwrap();
        let guest_python = python_version(Path::new("/usr/bin/python3"));
        assert!(cfg.contains(&guest_python), "{cfg}");
        let here = sandbox.home().join("data/runtimes");
        let name = runtime.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            !here.join(&name).exists(),
            "a runtime made on this computer"
        );
        assert!(here.join(format!("{name}.lock")).is_file());
        let jupyter = runtime.join("bin/jupyter-lab");
        let calls = distro.calls();
        assert!(
            calls
                .iter()
                .any(|c| c.iter().any(|a| Path::new(a) == jupyter)),
            "the server was not started from the runtime: {calls:?}"
        );
        assert!(
            calls.iter().flatten().all(|a| !a.contains("JUPYTER_TOKEN")),
            "{calls:?}"
        );

        // The kernel runs in the project's .venv: ipykernel is installed there (no JupyterLab),
        // it is the only kernel, and the project's packages import.
        let installed = |venv: &Path, name: &str| {
            std::fs::read_dir(venv.join("lib"))
                .unwrap()
                .flatten()
                .flat_map(|d| std::fs::read_dir(d.path().join("site-packages")).unwrap())
                .flatten()
                .any(|e| {
                    let file = e.file_name().to_string_lossy().to_lowercase();
                    file.starts_with(&format!("{name}-")) && file.ends_with(".dist-info")
                })
        };
        let venv = first.join(".venv");
        assert!(installed(&venv, "ipykernel"));
        assert!(!installed(&venv, "jupyterlab"), "JupyterLab is not copied");
        let token = server_token(&mut distro.darwinix(&sandbox), &first);
        let said = run_code(
            &runtime.join("bin/python"),
            port,
            &token,
            "import sys, os, six\nprint(sys.prefix)\nprint(os.environ['WSL_DISTRO_NAME'])",
        );
        assert_eq!(said["error"], serde_json::Value::Null, "{said}");
        let kernels: Vec<&String> = said["kernelspecs"]["kernelspecs"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(kernels, ["python3"]);
        let out: Vec<&str> = said["stdout"].as_str().unwrap().lines().collect();
        assert_eq!(out.len(), 2, "{said}");
        assert_eq!(
            std::fs::canonicalize(out[0]).unwrap(),
            std::fs::canonicalize(&venv).unwrap()
        );
        assert_eq!(out[1], DISTRO);

        // A second project finds it made.
        distro.start(&sandbox, &second);
        assert_eq!(log(), first_log, "made again for the second project");
        let doctor = distro
            .darwinix(&sandbox)
            .args(["doctor", "--json"])
            .arg(&second)
            .assert()
            .success();
        let described = json(stdout(&doctor).as_bytes());
        assert_eq!(
            described["project"]["jupyterlab"],
            format!("JupyterLab shared by your projects in the WSL distro {DISTRO}")
        );

        // What an interrupted download leaves (no marker) is made again at the next start.
        distro
            .darwinix(&sandbox)
            .args(["stop", "--all"])
            .assert()
            .success();
        std::fs::remove_file(runtime.join("darwinix-runtime.json")).unwrap();
        std::fs::write(runtime.join("half"), "").unwrap();
        distro.start(&sandbox, &second);
        assert_ne!(log(), first_log, "not made again");
        assert_eq!(made(&log()), 1);
        assert!(runtime.join("darwinix-runtime.json").is_file());
        assert!(!runtime.join("half").exists(), "repaired");
    });
    let _ = distro.darwinix(&sandbox).args(["stop", "--all"]).output();
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}

/// Packages of a WSL project change inside the distro: looked up, installed and listed there.
#[test]
fn a_wsl_projects_packages_change_inside_the_distro() {
    let sandbox = TestContext::new();
    let distro = Distro::new(sandbox.root());
    let project = distro.project(&sandbox, "paquets", "# course\nsix\n");
    let out = distro
        .darwinix(&sandbox)
        .args(["add", "idna", "--project"])
        .arg(&project)
        .timeout(Duration::from_secs(600))
        .assert()
        .success();
    assert!(stdout(&out).contains("Added idna"), "{}", stdout(&out));
    assert_eq!(
        std::fs::read_to_string(project.join("requirements.txt")).unwrap(),
        "# course\nsix\nidna\n"
    );
    let calls = distro.calls();
    let through = |what: &str| calls.iter().any(|c| c.iter().any(|a| a == what));
    assert!(
        through("freeze"),
        "the environment was read inside the distro: {calls:?}"
    );
    let out = distro
        .darwinix(&sandbox)
        .args(["packages", "--json", "--project"])
        .arg(&project)
        .assert()
        .success();
    let listed = json(stdout(&out).as_bytes());
    let idna = listed["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "idna")
        .cloned()
        .unwrap();
    assert_eq!(idna["kind"], "requested");
}

#[test]
fn an_unknown_distro_or_no_wsl_is_a_clear_error() {
    let sandbox = TestContext::new();
    let distro = Distro::new(sandbox.root());
    let project = sandbox.root().join("p");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(project.join("requirements.txt"), "six\n").unwrap();

    // Linux without a stand-in has no wsl.exe: refused when chosen.
    let out = sandbox
        .cmd()
        .env_remove("DARWINIX_WSL_EXE")
        .args(["backend", "--set", "wsl:Ubuntu"])
        .arg(&project)
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("WSL is a Windows feature"), "{err}");

    distro
        .darwinix(&sandbox)
        .args(["backend", "--set", "wsl:Ubuntu"])
        .arg(&project)
        .assert()
        .success();
    let out = distro
        .darwinix(&sandbox)
        .arg("setup")
        .arg(&project)
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("WSL distro Ubuntu"), "{err}");
    assert!(
        err.contains("no distribution with the supplied name"),
        "{err}"
    );
    assert!(err.contains("wsl.exe -l -v"), "the fix is named: {err}");
    assert!(!project.join(".venv").exists(), "nothing half-made is left");

    // A typo in the choice is a usage error, and the saved choice is unchanged.
    distro
        .darwinix(&sandbox)
        .args(["backend", "--set", "wsl:two words"])
        .arg(&project)
        .assert()
        .code(2);
    let out = distro
        .darwinix(&sandbox)
        .arg("backend")
        .arg(&project)
        .assert()
        .success();
    assert!(stdout(&out).contains("the WSL distro Ubuntu"));
}
