//! The engine's fixes in the command line's words: where a command helps, the command to type.
//! The engine states each fix in words for the app's window (what to click); the command line
//! says what a terminal user can do instead, and falls back to the engine's words elsewhere.

use darwinix_core::error::CourseError;
use darwinix_core::hints::hint;
use darwinix_core::Error;

/// The fix to print under an error.
pub fn fix(error: &Error) -> Option<String> {
    command_fix(error).or_else(|| hint(error))
}

fn command_fix(error: &Error) -> Option<String> {
    files_fix(error)
        .or_else(|| install_fix(error))
        .or_else(|| environment_fix(error))
        .or_else(|| server_fix(error))
        .or_else(|| remote_fix(error))
        .or_else(|| hub_fix(error))
        .or_else(|| course_fix(error))
}

/// Course links: the flag or command that gets past it.
fn course_fix(error: &Error) -> Option<String> {
    Some(match error {
        Error::Course(CourseError::LinkNotUnderstood { .. }) => "give the https:// address of a public git repository, of a notebook in one, of a .ipynb file, or a darwinix:// or nbgitpuller link".into(),
        Error::Course(CourseError::RepositoryNotPublic { .. }) => "Darwinix opens public repositories only: clone a private one with your own git and credentials, then run `darwinix start FOLDER`".into(),
        Error::Course(CourseError::RepositoryTooLarge { .. }) => "add `--allow-large` to download it anyway (nothing of the stopped download was kept)".into(),
        Error::Course(CourseError::CloneFailed { .. }) => "check your network connection and run the same command again: nothing half-downloaded was kept".into(),
        Error::Course(CourseError::NotACourse { .. }) => "open the course with `darwinix start LINK`; `darwinix course list` shows the folders opened from links".into(),
        Error::Course(CourseError::ShareNeedsEnvironment { dir }) => format!(
            "run `darwinix setup {}` first, so that there is a list of what is installed",
            crate::target_arg::quoted(&dir.to_string_lossy())
        ),
        Error::Course(CourseError::ShareLargeFiles { .. }) => "run it again with `--include-large` to put them in, or `--leave-out-large` (or a bigger `--max-file-size MB`)".into(),
        Error::Course(CourseError::ShareNoLink { .. }) => "share it as a file instead: `darwinix share` without --link".into(),
        Error::Course(CourseError::CourseDamaged { dir, .. }) => format!(
            "`darwinix course start-over {}` downloads the teacher's version afresh and keeps your copy in a dated folder",
            crate::target_arg::quoted(&dir.to_string_lossy())
        ),
        _ => return None,
    })
}

/// A hub that refuses the token, is not added, or does not answer: the `darwinix hub` command
/// that helps, with the hub's Token page where a new token is needed.
fn hub_fix(error: &Error) -> Option<String> {
    let add_again = |url: &str, scope: &str| {
        format!(
            "make a new token{scope} at {url}hub/token and run `darwinix hub add {url}` with it on standard input"
        )
    };
    Some(match error {
        Error::HubTokenRefused { url }
        | Error::HubBadToken { url, .. }
        | Error::HubCredentials {
            url,
            what: "found",
            ..
        } => add_again(url, ""),
        Error::HubScopes { url, .. } => add_again(url, " with the scope servers!user"),
        Error::HubNotAdded { url } => format!(
            "add it with `darwinix hub add {url}` (a token from {url}hub/token on standard input); `darwinix hub list` shows the added hubs"
        ),
        Error::HubUnreachable { .. } => "check the address and your network (and VPN); `darwinix hub list` shows which hubs answer".into(),
        Error::HubServerFailed { url, .. } => format!(
            "run `darwinix hub start {url}` again; if it fails again, the hub's administrators can see why in its log"
        ),
        Error::HubPlainHttp { url } => format!(
            "use the hub's https:// address if it has one; to send the token unencrypted anyway, run `darwinix hub add {url} --allow-insecure-http` (the token on standard input)"
        ),
        Error::HubCredentials { .. } => "unlock your keyring (sign in to the desktop session), or set DARWINIX_CREDENTIALS=file to keep tokens in a file only you can read".into(),
        _ => return None,
    })
}

/// A remote machine that cannot be reached: the ssh commands that fix it, for this host.
fn remote_fix(error: &Error) -> Option<String> {
    use darwinix_core::error::SshProblem;
    let Error::Ssh { login, problem, .. } = error else {
        return None;
    };
    let port = login.port.map(|p| format!("-p {p} ")).unwrap_or_default();
    let target = match &login.user {
        Some(user) => format!("{user}@{}", login.host),
        None => login.host.clone(),
    };
    Some(match problem {
        SshProblem::UnknownHostKey => format!(
            "run `ssh {port}{target} true` once, check the fingerprint it shows and answer yes; then try again"
        ),
        SshProblem::ChangedHostKey => format!(
            "if you know why {}'s key changed (it was reinstalled), remove the old key with `ssh-keygen -R {}` and connect once with `ssh {port}{target} true`",
            login.host,
            match login.port {
                Some(p) => format!("'[{}]:{p}'", login.host),
                None => login.host.clone(),
            }
        ),
        SshProblem::KeyRefused => format!(
            "copy your key there with `ssh-copy-id {port}{target}` (it asks for the password once), or load your key with `ssh-add`"
        ),
        _ => return None,
    })
}

/// Folders, files and projects that are missing or cannot be written.
fn files_fix(error: &Error) -> Option<String> {
    Some(match error {
        Error::Timeout { .. } => {
            "the program may be waiting for input or stuck; try running it by hand".into()
        }
        Error::CreateDir { path, .. } | Error::WriteFile { path, .. } => format!(
            "check that `{}` is on a writable disk with free space, or set DARWINIX_HOME to another folder",
            path.display()
        ),
        Error::NoHome => "set DARWINIX_HOME to a writable folder".into(),
        Error::ProjectMissing { path } => format!(
            "create it with `darwinix new \"{}\"`, or choose another folder",
            path.display()
        ),
        Error::NoRequirements { dir } => format!(
            "list the packages you need in `{}`, one per line, or create a project with `darwinix new`",
            dir.join("requirements.txt").display()
        ),
        Error::TwoBinderFolders { .. } => "remove or rename one of binder/ and .binder/, or choose the file with `darwinix start --from binder/requirements.txt` (any setup file; remembered)".into(),
        Error::Python2 { from, .. } => format!(
            "the notebooks need to be brought to Python 3 (ask whoever made the project); to install anyway, `darwinix start --python-version 3.12` overrides {from}"
        ),
        _ => return None,
    })
}

/// Making a project's environment: its Python, its packages, its Nix shell or WSL distro.
fn environment_fix(error: &Error) -> Option<String> {
    Some(match error {
        Error::NoPython { .. } => no_python_fix()?.into(),
        Error::UvPython { .. } => format!(
            "check the network (uv downloads Python from GitHub), or {}",
            no_python_fix()?
        ),
        Error::BadPython { .. } => {
            "choose another interpreter, or leave the choice to Darwinix (`darwinix doctor` lists them)".into()
        }
        // With an unreachable index the network is the problem, and the engine's words say so.
        Error::CreateVenv {
            unreachable_index: None,
            apt_package,
            ..
        } => match apt_package {
            Some(pkg) => format!("install it with `sudo apt install {pkg}`, or let Darwinix use uv"),
            None => "see the log for the full output; `darwinix doctor` checks your Python".into(),
        },
        Error::GetUv { .. } => {
            "install uv yourself (https://docs.astral.sh/uv/), or use `--installer pip`".into()
        }
        Error::Freeze { .. } => "run `darwinix setup` first so the environment exists".into(),
        Error::DiskFull { .. } => {
            "make room on that disk, then run the command again (what the install had added was taken out again)".into()
        }
        Error::NoRoomForInstall { .. } => {
            "make room on that disk, or take large packages out of the project's list, then run the command again".into()
        }
        // The command line never asks (it says the size and goes on): only the app stops here.
        Error::BigInstall { .. } => {
            "run the command again: the command line installs without asking".into()
        }
        Error::NotTrusted { dir, .. } => format!(
            "read what it installs above; run the command in a terminal to answer Darwinix's question, or add `--trust` to install it (`darwinix trust forget '{}'` takes that back)",
            dir.display()
        ),
        Error::NixDevShell { dir, .. } => format!(
            "fix `{}` (try `nix develop` in that folder), or move it away to use this computer's Python",
            dir.join("flake.nix").display()
        ),
        Error::Wsl { .. } => {
            "check the distro's name with `wsl.exe -l -v`, or choose another place to run the project with `darwinix backend`".into()
        }
        Error::WslNoPython { distro, .. } => format!(
            "install Python in {distro}: `wsl -d {distro} sudo apt install python3 python3-venv`"
        ),
        _ => return None,
    })
}

/// A failed install: the `darwinix start` flags that are the window's buttons (each choice is
/// remembered for the project; its files stay unchanged).
fn install_fix(error: &Error) -> Option<String> {
    Some(match error {
        Error::OldPins {
            file, needs_python, ..
        } => {
            let current = format!(
                "`darwinix start --ignore-pins` to install the same packages at versions that work today (`{}` stays unchanged)",
                file.display()
            );
            match needs_python {
                Some(p) => format!(
                    "run `darwinix start --python-version {p}` to use the Python these versions were made for, or {current}"
                ),
                None => format!("run {current}"),
            }
        }
        Error::CannotBuild(_) => cannot_build_fix(error)?,
        Error::NothingRelaxed { source } => format!(
            "{}; `darwinix start --keep-pins` goes back to the versions the project asks for",
            fix(source)?
        ),
        Error::Install {
            network: false,
            detail,
            file,
            ..
        } if file.is_none() || !darwinix_core::install::pins::about_names_or_versions(detail) => {
            let logs = darwinix_core::paths::AppPaths::from_env().ok()?.logs();
            format!(
                "the installer's whole output is in the project's setup log in `{}`; the previous environment, if there was one, was kept",
                logs.display()
            )
        }
        _ => return None,
    })
}

/// A package that cannot be built here: a ready-made version, a Python it is ready-made for,
/// or the project without it (the engine's order); and the tool, from the system's packages.
fn cannot_build_fix(error: &Error) -> Option<String> {
    use darwinix_core::install::way_out::{ways_out, WayOut};
    let Error::CannotBuild(failure) = error else {
        return None;
    };
    let ways: Vec<String> = ways_out(error)
        .iter()
        .map(|way| match way {
            WayOut::UseVersion { package, version } => format!(
                "`darwinix start --pin {package}=={version}` (ready-made for this computer)"
            ),
            WayOut::UsePython { version } => format!(
                "`darwinix start --python-version {version}` (the package is ready-made for it)"
            ),
            WayOut::StartWithout { package } => {
                format!("`darwinix start --without {package}` (the other packages are installed)")
            }
            WayOut::StartWithCurrentVersions => "`darwinix start --ignore-pins`".into(),
        })
        .collect();
    let mut fix = format!(
        "run {}; each is remembered for the project, whose files stay unchanged",
        ways.join(", or ")
    );
    if let Some(tool) = &failure.missing {
        let how = tool_install(tool).unwrap_or_else(|| format!("install {tool}"));
        fix.push_str(&format!("; or {how}, then run the command again"));
    }
    Some(fix)
}

/// How a terminal user installs a missing build tool, where one command does it.
fn tool_install(tool: &darwinix_core::error::Missing) -> Option<String> {
    use darwinix_core::error::Missing;
    if cfg!(target_os = "macos") {
        return Some(match tool {
            Missing::Swig => "install SWIG with `brew install swig`".into(),
            Missing::CCompiler | Missing::CppCompiler => {
                "install a compiler with `xcode-select --install`".into()
            }
            Missing::Rust => "install Rust from https://rustup.rs".into(),
            Missing::PkgConfig => "install pkg-config with `brew install pkg-config`".into(),
            _ => return None,
        });
    }
    if cfg!(windows) {
        return match tool {
            Missing::Rust => Some("install Rust from https://rustup.rs".into()),
            Missing::MsvcBuildTools | Missing::CCompiler | Missing::CppCompiler => Some(
                "install Microsoft C++ Build Tools from https://visualstudio.microsoft.com/visual-cpp-build-tools/".into(),
            ),
            _ => None,
        };
    }
    let apt = |pkg: &str| {
        format!("install it with `sudo apt install {pkg}` (or your distribution's equivalent)")
    };
    Some(match tool {
        Missing::Swig => apt("swig"),
        Missing::CCompiler | Missing::CppCompiler => apt("build-essential"),
        Missing::PkgConfig => apt("pkg-config"),
        Missing::Header(h) if h == "Python.h" => apt("python3-dev"),
        Missing::Rust => "install Rust from https://rustup.rs".into(),
        _ => return None,
    })
}

/// A notebook server that died, is not there, or would be started unsafely.
fn server_fix(error: &Error) -> Option<String> {
    Some(match error {
        Error::ServerDied {
            log,
            own_jupyterlab: true,
            ..
        }
        | Error::ServerTimeout {
            log,
            own_jupyterlab: true,
            ..
        }
        | Error::ServerPortZero {
            log,
            own_jupyterlab: true,
            ..
        } => format!(
            "run `darwinix start --shared-jupyterlab` to use Darwinix's JupyterLab instead (the notebooks keep the project's packages; its files stay unchanged); the full log is `{}`",
            log.display()
        ),
        Error::ServerDied { log, .. }
        | Error::ServerTimeout { log, .. }
        | Error::ServerPortZero { log, .. } => {
            format!("the full log is `{}`", log.display())
        }
        Error::NotRunning { .. } => {
            "`darwinix list` shows the running servers; `darwinix start` starts one".into()
        }
        Error::NotResponding { .. } => {
            "wait a moment, or stop it with `darwinix stop` and start again".into()
        }
        Error::CellsRunning { .. } => "wait for the cells to finish, or run the command again with `--force` to stop anyway (the cells are interrupted; what they have not saved is lost)".into(),
        Error::UnsafeServerArg { .. } => {
            "remove it from `extra_args` in settings.json (Settings → Extra server arguments in the app)".into()
        }
        Error::ServerRunning { dir } => format!(
            "stop it with `darwinix stop \"{}\"`, then run the command again",
            dir.display()
        ),
        Error::NotRemovable { .. } => {
            "`darwinix disk` lists the projects whose .venv Darwinix can remove".into()
        }
        _ => return None,
    })
}

/// Installing a Python from a terminal; Windows users take the installer either way.
fn no_python_fix() -> Option<&'static str> {
    if cfg!(target_os = "macos") {
        Some("install Python 3.12 from python.org or with `brew install python@3.12`")
    } else if cfg!(windows) {
        None
    } else {
        Some("install Python with `sudo apt install python3 python3-venv` (or your distribution's equivalent)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn commands_where_they_help_the_engines_words_elsewhere() {
        let not_running = Error::NotRunning {
            dir: PathBuf::from("/p"),
        };
        assert!(fix(&not_running).unwrap().contains("`darwinix start`"));
        assert!(hint(&not_running).unwrap().contains("Start Notebook"));
        let read_only = Error::ReadOnly {
            path: PathBuf::from("/p"),
        };
        assert_eq!(fix(&read_only), hint(&read_only));
        let unreachable = Error::CreateVenv {
            path: PathBuf::from("/p/.venv"),
            detail: "x".into(),
            apt_package: Some("python3.11-venv".into()),
            unreachable_index: Some("https://pypi.org/simple".into()),
        };
        assert_eq!(
            fix(&unreachable),
            hint(&unreachable),
            "the network comes first"
        );
    }

    #[test]
    fn running_cells_name_force_here_and_stop_anyway_in_the_window() {
        let busy = Error::CellsRunning {
            project: Some(PathBuf::from("/p")),
            notebooks: vec!["analysis.ipynb".into()],
        };
        assert!(fix(&busy).unwrap().contains("`--force`"));
        assert!(hint(&busy).unwrap().contains("Stop anyway"));
    }

    #[test]
    fn a_projects_own_jupyterlab_that_does_not_start_offers_the_shared_one() {
        let died = |own_jupyterlab| Error::ServerDied {
            log: PathBuf::from("/d/p.jupyter.log"),
            tail: "ImportError: x".into(),
            own_jupyterlab,
        };
        let own = fix(&died(true)).unwrap();
        assert!(own.contains("--shared-jupyterlab"), "{own}");
        assert!(own.contains("/d/p.jupyter.log"), "{own}");
        assert!(!fix(&died(false)).unwrap().contains("--shared-jupyterlab"));
        let zero = Error::ServerPortZero {
            version: "2.14.2".into(),
            log: PathBuf::from("/d/p.jupyter.log"),
            own_jupyterlab: true,
        };
        assert!(fix(&zero).unwrap().contains("--shared-jupyterlab"));
    }

    #[test]
    fn install_failures_get_the_start_flags_that_fix_them() {
        use darwinix_core::error::{Missing, Unbuildable};
        let swig = Error::CannotBuild(Box::new(Unbuildable {
            dir: PathBuf::from("/p"),
            package: "box2d-py".into(),
            version: Some("2.3.8".into()),
            needed_by: None,
            missing: Some(Missing::Swig),
            ready_made: Some("2.3.10".into()),
            needs_python: None,
            detail: "x".into(),
        }));
        let said = fix(&swig).unwrap();
        assert!(
            said.contains("`darwinix start --pin box2d-py==2.3.10`"),
            "{said}"
        );
        assert!(
            said.contains("`darwinix start --without box2d-py`"),
            "{said}"
        );
        let pins = Error::OldPins {
            file: PathBuf::from("/p/requirements.txt"),
            pins: vec!["torch==1.12.1".into()],
            detail: "x".into(),
            needs_python: Some("3.10".into()),
        };
        let said = fix(&pins).unwrap();
        assert!(
            said.starts_with("run `darwinix start --python-version 3.10`")
                && said.contains("--ignore-pins"),
            "{said}"
        );
        let nothing = fix(&Error::NothingRelaxed {
            source: Box::new(swig),
        })
        .unwrap();
        assert!(nothing.contains("--without box2d-py") && nothing.contains("--keep-pins"));
    }

    #[test]
    fn a_refused_hub_token_gets_the_token_page_and_the_command() {
        let url = "https://hub.example.org/".to_string();
        let refused = fix(&Error::HubTokenRefused { url: url.clone() }).unwrap();
        assert!(
            refused.contains("https://hub.example.org/hub/token")
                && refused.contains("`darwinix hub add https://hub.example.org/`"),
            "{refused}"
        );
        let not_added = fix(&Error::HubNotAdded { url }).unwrap();
        assert!(not_added.contains("`darwinix hub add"), "{not_added}");
    }

    #[test]
    fn an_ssh_problem_gets_the_command_for_that_host() {
        use darwinix_core::error::SshProblem;
        use darwinix_core::remote::SshAddress;
        let error = |problem| Error::Ssh {
            login: SshAddress::parse("ssh://ann@lab:2222/p").unwrap().login(),
            problem,
            detail: "x".into(),
        };
        let refused = fix(&error(SshProblem::KeyRefused)).unwrap();
        assert!(
            refused.contains("`ssh-copy-id -p 2222 ann@lab`"),
            "{refused}"
        );
        let unknown = fix(&error(SshProblem::UnknownHostKey)).unwrap();
        assert!(unknown.contains("`ssh -p 2222 ann@lab true`"), "{unknown}");
        let changed = fix(&error(SshProblem::ChangedHostKey)).unwrap();
        assert!(changed.contains("ssh-keygen -R '[lab]:2222'"), "{changed}");
        let other = error(SshProblem::Unreachable);
        assert_eq!(fix(&other), hint(&other));
    }
}
