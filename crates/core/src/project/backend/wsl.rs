//! The WSL backend: a Windows computer runs the project inside a Linux distro. Every command
//! goes through `wsl.exe -d DISTRO [--cd DIR] --exec PROGRAM ARGS…` (spawned like any other
//! command: no console window, its own job object), paths are translated to the distro's names
//! for them (`C:\…` → `/mnt/c/…`, `\\wsl$\DISTRO\…` → `/…`), and variables reach the Linux side
//! only when `WSLENV` names them, which is how the token travels without ever being an argument.
//!
//! The `.venv` is a Linux one (`bin/python`), and JupyterLab's runtime folder lives inside the
//! distro (private, 0700) because files under `/mnt/c` cannot be made private.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::process::Command;

pub use super::wsl_paths::{to_guest, Unmappable};
use crate::env_vars;
use crate::error::{Error, Result};
use crate::machine::wsl::decode_output;
use crate::process::{self, Output};
use crate::python::choice;
use crate::python::interpreter::{self, DEFAULT_PROBE_TIMEOUT};
use crate::python::{Interpreter, Source};

/// Commands that ask the distro something (find Python, make a folder) get this long; the
/// first one may have to boot the WSL VM.
const ASK_TIMEOUT: Duration = Duration::from_secs(60);

/// Interpreter names tried inside the distro, the distro's default first.
const PYTHONS: &str = "python3 python3.14 python3.13 python3.12 python3.11 python3.10 python3.9";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wsl {
    /// `wsl.exe`, or the stand-in named by `DARWINIX_WSL_EXE`.
    pub exe: PathBuf,
    pub distro: String,
}

/// WSL distro names are one word of letters, digits, `.`, `_` and `-` (not first: `wsl.exe`
/// would read it as an option).
pub fn valid_distro_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('-')
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// `WSLENV` with `names` added (once each, as they are: a user's `/p` flag on one of them would
/// translate a value Darwinix already gives in the distro's terms) and `removed` taken out. The
/// host's `PATH` is never forwarded: WSL builds the distro's own.
pub fn merge_wslenv(existing: &str, names: &[String], removed: &[String]) -> String {
    let mut out: Vec<String> = Vec::new();
    let entries = names.iter().cloned().chain(
        existing
            .split(':')
            .filter(|e| !e.is_empty())
            .map(str::to_string),
    );
    for entry in entries {
        let name = entry.split('/').next().unwrap_or("").to_string();
        let skip = name.is_empty()
            || name.eq_ignore_ascii_case(env_vars::PATH)
            || removed.iter().any(|r| r == &name)
            || out
                .iter()
                .any(|e| e.split('/').next() == Some(name.as_str()));
        if !skip {
            out.push(entry);
        }
    }
    out.join(":")
}

impl Wsl {
    /// The distro `distro`, reached through `wsl.exe` (Windows) or `DARWINIX_WSL_EXE`.
    pub fn new(distro: &str) -> Result<Self> {
        if !valid_distro_name(distro) {
            return Err(Error::Wsl {
                distro: distro.to_string(),
                detail: "that is not a WSL distro name".into(),
            });
        }
        let exe = match std::env::var_os(env_vars::DARWINIX_WSL_EXE) {
            Some(exe) if !exe.is_empty() => PathBuf::from(exe),
            _ => default_exe().ok_or_else(|| Error::Wsl {
                distro: distro.to_string(),
                detail: "WSL is a Windows feature; this computer runs projects itself".into(),
            })?,
        };
        Ok(Self {
            exe,
            distro: distro.to_string(),
        })
    }

    /// The distro's name for `path`, or an error that names the folder and the fix.
    pub fn guest_path(&self, path: &Path) -> Result<String> {
        let text = path.to_string_lossy();
        to_guest(&text, &self.distro).map_err(|why| Error::WslPath {
            path: path.to_path_buf(),
            distro: self.distro.clone(),
            why: match why {
                Unmappable::NetworkShare => "WSL cannot open folders on network shares".into(),
                Unmappable::OtherDistro(other) => {
                    format!("the folder belongs to the WSL distro {other}")
                }
                Unmappable::Relative => "the path is not absolute".into(),
            },
        })
    }

    /// `cmd`, run inside the distro: same program, arguments, folder and variables.
    pub fn wrap(&self, cmd: &Command) -> Result<Command> {
        let std = cmd.as_std();
        let mut out = process::command(&self.exe);
        out.arg("-d").arg(&self.distro);
        if let Some(dir) = std.get_current_dir() {
            out.arg("--cd").arg(self.guest_path(dir)?);
        }
        out.arg("--exec")
            .arg(std.get_program())
            .args(std.get_args());
        let (mut names, mut removed) = (Vec::new(), Vec::new());
        for (key, value) in std.get_envs() {
            let key_text = key.to_string_lossy().into_owned();
            match value {
                Some(value) => {
                    out.env(key, value);
                    names.push(key_text);
                }
                None => {
                    out.env_remove(key);
                    removed.push(key_text);
                }
            }
        }
        let existing = std::env::var(env_vars::WSLENV).unwrap_or_default();
        out.env(env_vars::WSLENV, merge_wslenv(&existing, &names, &removed));
        Ok(out)
    }

    /// A `sh -c SCRIPT` inside the distro; `args` become `$1…`.
    fn sh(&self, script: &str, args: &[&str]) -> Result<Command> {
        let mut cmd = process::command("sh");
        cmd.args(["-c", script, "sh"]).args(args);
        self.wrap(&cmd)
    }

    pub(crate) async fn ask(&self, script: &str, args: &[&str]) -> Result<Output> {
        process::output(self.sh(script, args)?, ASK_TIMEOUT).await
    }

    /// An error for a `wsl.exe` call that failed (its messages may be UTF-16).
    pub(crate) fn failed(&self, what: &str, out: &Output) -> Error {
        let said = format!(
            "{}\n{}",
            decode_output(&out.stdout).trim(),
            decode_output(&out.stderr).trim()
        );
        Error::Wsl {
            distro: self.distro.clone(),
            detail: format!("{what} failed: {}", said.trim()),
        }
    }

    /// The distro's best Python for a new environment (checked with the same probe as on this
    /// computer).
    pub async fn find_python(&self) -> Result<Interpreter> {
        let script = "for c in $0; do command -v \"$c\"; done; exit 0";
        let mut cmd = process::command("sh");
        cmd.args(["-c", script, PYTHONS]);
        let out = process::output(self.wrap(&cmd)?, ASK_TIMEOUT).await?;
        if !out.success() {
            return Err(self.failed("Looking for Python", &out));
        }
        let mut found: Vec<Interpreter> = Vec::new();
        let mut tried = Vec::new();
        for path in decode_output(&out.stdout).lines().map(str::trim) {
            if path.is_empty() || found.iter().any(|i| i.path == Path::new(path)) {
                continue;
            }
            let mut probe = process::command(path);
            probe.args(["-I", "-B", "-c", interpreter::PROBE_SCRIPT]);
            match interpreter::probe_command(self.wrap(&probe)?, DEFAULT_PROBE_TIMEOUT).await {
                Ok(info) => found.push(Interpreter {
                    path: PathBuf::from(path),
                    source: Source::Wsl,
                    info,
                }),
                Err(why) => tried.push(format!("{path}: {}", why.describe())),
            }
        }
        for i in &found {
            if let Some(why) = choice::unusable_reason(i) {
                tried.push(format!("{}: {why}", i.path.display()));
            }
        }
        match choice::choose(&found) {
            Some(chosen) => Ok(found[chosen.index].clone()),
            None => Err(Error::WslNoPython {
                distro: self.distro.clone(),
                tried: tried.join("; "),
            }),
        }
    }

    /// uv inside the distro, if it has one (on its PATH or where uv's installer puts it).
    pub async fn find_uv(&self) -> Option<PathBuf> {
        let script = r#"for c in uv "$HOME/.local/bin/uv" "$HOME/.cargo/bin/uv"; do command -v "$c" 2>/dev/null && exit 0; done; exit 1"#;
        let out = self.ask(script, &[]).await.ok()?;
        let path = decode_output(&out.stdout).trim().to_string();
        (out.success() && path.starts_with('/')).then(|| PathBuf::from(path))
    }

    /// A new private folder inside the distro for one server's runtime files (they hold the
    /// token): `$XDG_RUNTIME_DIR` when it is ours and writable, else `/tmp`;
    /// `darwinix-runtime-UID/NAME`, both 0700 and ours.
    /// Also says whether the distro's user is root (Jupyter then needs `allow_root`).
    pub async fn runtime_dir(&self, name: &str) -> Result<(String, bool)> {
        let script = r#"umask 077
base=${XDG_RUNTIME_DIR:-}
{ [ -n "$base" ] && [ -d "$base" ] && [ -O "$base" ] && [ -w "$base" ]; } || base=/tmp
root="$base/darwinix-runtime-$(id -u)"
mkdir -p "$root/$1" && chmod 700 "$root" "$root/$1" && [ -O "$root" ] && printf '%s\n%s\n' "$(id -u)" "$root/$1""#;
        let out = self.ask(script, &[name]).await?;
        let text = decode_output(&out.stdout);
        let mut lines = text.lines().map(str::trim);
        match (out.success(), lines.next(), lines.next()) {
            (true, Some(uid), Some(dir)) if dir.starts_with('/') => {
                Ok((dir.to_string(), uid == "0"))
            }
            _ => Err(self.failed("Making JupyterLab's private folder", &out)),
        }
    }

    /// Waits (up to `within`) for JupyterLab's `jpserver-<pid>.json` in `dir` and returns it
    /// (its port, and the server's pid inside the distro). One command that waits on the Linux
    /// side, instead of a `wsl.exe` per poll.
    pub async fn server_file(&self, dir: &str, within: Duration) -> Result<serde_json::Value> {
        let tenths = (within.as_millis() / 100).max(1).to_string();
        let script = r#"i=0
while [ "$i" -lt "$2" ]; do
  # JupyterLab writes the file in place: only a complete one (it ends with `}`) is read.
  for f in "$1"/jpserver-*.json; do [ -f "$f" ] && tail -c 2 "$f" | grep -q '}' && exec cat "$f"; done
  sleep 0.1; i=$((i+1))
done
exit 1"#;
        let cmd = self.sh(script, &[dir, &tenths])?;
        let out = process::output(cmd, within + ASK_TIMEOUT).await?;
        let parsed = serde_json::from_slice::<serde_json::Value>(&out.stdout).ok();
        parsed
            .filter(|v| v["port"].is_u64() && v["pid"].is_u64())
            .ok_or_else(|| self.failed("Waiting for JupyterLab", &out))
    }

    /// Signals a server inside the distro and its direct children (the kernels), `TERM` or
    /// `KILL`, if that pid still runs Jupyter there. Used only after the polite HTTP shutdown
    /// did not end it, or to clean up after a failed start.
    pub async fn signal_tree(&self, pid: u32, hard: bool) {
        let script = r#"grep -q jupyter "/proc/$2/cmdline" 2>/dev/null || exit 0
kill -s "$1" $(pgrep -P "$2" 2>/dev/null) "$2" 2>/dev/null; exit 0"#;
        let signal = if hard { "KILL" } else { "TERM" };
        let _ = self.ask(script, &[signal, &pid.to_string()]).await;
    }

    /// Whether the distro still runs `pid`.
    pub async fn is_alive(&self, pid: u32) -> bool {
        self.ask(r#"kill -0 "$1" 2>/dev/null"#, &[&pid.to_string()])
            .await
            .is_ok_and(|o| o.success())
    }

    /// Removes a runtime folder made by [`Wsl::runtime_dir`] (and nothing else).
    pub async fn remove_runtime_dir(&self, dir: &str) {
        if dir.starts_with('/') && dir.contains("/darwinix-runtime-") && !dir.contains("/../") {
            let _ = self.ask(r#"rm -rf -- "$1""#, &[dir]).await;
        }
    }
}

// Windows: the real wsl.exe, from System32 via the search path.
#[cfg(windows)]
fn default_exe() -> Option<PathBuf> {
    Some(PathBuf::from("wsl.exe"))
}

// Elsewhere there is no wsl.exe; only a stand-in named by DARWINIX_WSL_EXE (tests) is used.
#[cfg(not(windows))]
fn default_exe() -> Option<PathBuf> {
    None
}

/// The program a wrapped command runs inside the distro, for logs and tests.
pub fn inner_program(cmd: &Command) -> Option<OsString> {
    let args: Vec<_> = cmd.as_std().get_args().collect();
    let at = args.iter().position(|a| *a == "--exec")?;
    args.get(at + 1).map(|a| a.to_os_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wslenv_forwards_our_variables_once_and_never_path() {
        let names = vec!["JUPYTER_TOKEN".to_string(), "PATH".to_string()];
        assert_eq!(
            merge_wslenv("USERPROFILE/p:JUPYTER_TOKEN", &names, &[]),
            "JUPYTER_TOKEN:USERPROFILE/p"
        );
        assert_eq!(
            merge_wslenv(
                "JUPYTER_RUNTIME_DIR/p",
                &["JUPYTER_RUNTIME_DIR".into()],
                &[]
            ),
            "JUPYTER_RUNTIME_DIR",
            "ours, without the user's path translation"
        );
        assert_eq!(
            merge_wslenv("", &["A".into(), "B".into()], &[]),
            "A:B".to_string()
        );
        assert_eq!(
            merge_wslenv("VIRTUAL_ENV/p:X", &[], &["VIRTUAL_ENV".into()]),
            "X"
        );
    }

    #[test]
    fn names() {
        assert!(valid_distro_name("Ubuntu-22.04"));
        assert!(valid_distro_name("docker_desktop"));
        for bad in ["", "two words", "a/b", "x;rm", "-d", "--exec"] {
            assert!(!valid_distro_name(bad), "{bad}");
        }
    }

    #[test]
    fn wrapped_command_runs_through_wsl_with_its_folder_and_variables() {
        let wsl = Wsl {
            exe: "wsl.exe".into(),
            distro: "Ubuntu".into(),
        };
        let mut cmd = process::command("/mnt/c/p/.venv/bin/jupyter-lab");
        cmd.arg("--ServerApp.ip=127.0.0.1")
            .current_dir("/mnt/c/p")
            .env("JUPYTER_TOKEN", "secret")
            .env_remove("VIRTUAL_ENV");
        let wrapped = wsl.wrap(&cmd).unwrap();
        let std = wrapped.as_std();
        assert_eq!(std.get_program(), "wsl.exe");
        let args: Vec<_> = std.get_args().map(|a| a.to_string_lossy()).collect();
        assert_eq!(
            args,
            [
                "-d",
                "Ubuntu",
                "--cd",
                "/mnt/c/p",
                "--exec",
                "/mnt/c/p/.venv/bin/jupyter-lab",
                "--ServerApp.ip=127.0.0.1"
            ]
        );
        assert!(
            !args.iter().any(|a| a.contains("secret")),
            "the token is never an argument"
        );
        let wslenv = std
            .get_envs()
            .find(|(k, _)| *k == "WSLENV")
            .and_then(|(_, v)| v)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert!(wslenv.split(':').any(|e| e == "JUPYTER_TOKEN"), "{wslenv}");
        assert_eq!(
            inner_program(&wrapped).as_deref(),
            Some(std::ffi::OsStr::new("/mnt/c/p/.venv/bin/jupyter-lab"))
        );
    }
}
