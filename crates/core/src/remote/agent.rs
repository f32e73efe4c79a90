//! Darwinix on the remote: the same command line as here, copied into the remote user's
//! `~/.local/share/darwinix/agent/<version>/` (with the uv that came with it) the first time, so
//! that setup there runs the same discovery, probe, uv, stamp and progress as on this computer.

use std::path::{Path, PathBuf};

use super::connection::{Connection, COMMAND_TIMEOUT};
use super::script::{self, REMOTE_HOME};
use crate::error::{Error, Result};
use crate::paths::AppPaths;
use crate::reporter::{Reporter, SetupEvent, SetupStep};

/// The name of the command line beside the app (and on the remote).
const CLI: &str = "darwinix";

/// Darwinix's command line on a remote machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agent {
    /// Its absolute path there.
    pub program: String,
}

/// What is copied: the command line, and the uv it finds beside itself.
struct Payload {
    cli: PathBuf,
    uv: Option<PathBuf>,
    /// Names this build: a different build goes to a folder of its own.
    key: String,
}

/// This computer's command line: the running program when it is the CLI, else the one beside
/// the app.
pub(crate) fn local_cli() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let exe = dunce::canonicalize(&exe).unwrap_or(exe);
    let name = format!("{CLI}{}", std::env::consts::EXE_SUFFIX);
    if exe.file_name().is_some_and(|n| n == name.as_str()) {
        return Some(exe);
    }
    Some(exe.parent()?.join(name)).filter(|p| p.is_file())
}

async fn payload(paths: &AppPaths) -> Result<Payload> {
    let cli = local_cli().ok_or_else(|| Error::Remote {
        host: "this computer".into(),
        detail: format!(
            "Darwinix's command line ({CLI}) is not beside the app; reinstall Darwinix"
        ),
        hint: None,
    })?;
    let key = build_key(paths, &cli)?;
    let path = crate::machine::shell_env::repaired_path().await;
    let plan = crate::python::SearchPlan::from_env(&path);
    let uv = crate::install::uv::find(paths, &plan);
    Ok(Payload { cli, uv, key })
}

/// Names this build of the command line by its contents. Hashing it is the slow part of a
/// remote start (a debug build is hundreds of megabytes), so the answer is kept for as long as
/// the file's size and time stay the same.
fn build_key(paths: &AppPaths, cli: &Path) -> Result<String> {
    let read_error = |source| Error::ReadFile {
        path: cli.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(cli).map_err(read_error)?;
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let stamp = format!("{}|{}|{modified}", cli.display(), meta.len());
    let cache = paths.remote_agent_key();
    if let Some(key) = std::fs::read_to_string(&cache)
        .ok()
        .and_then(|text| text.strip_prefix(&format!("{stamp}\n")).map(str::to_string))
    {
        return Ok(key);
    }
    let bytes = std::fs::read(cli).map_err(read_error)?;
    let key = format!(
        "{}-{}",
        env!("CARGO_PKG_VERSION"),
        &crate::hash::hex_sha256(&bytes)[..16]
    );
    // Only a cache: when it cannot be written, the next start hashes again.
    let _ = std::fs::create_dir_all(&paths.cache);
    let _ = crate::paths::write_atomically(&cache, format!("{stamp}\n{key}").as_bytes());
    Ok(key)
}

/// What the remote said about itself.
#[derive(Debug, Default, PartialEq, Eq)]
struct Found {
    system: String,
    dir: String,
    has_cli: bool,
    has_uv: bool,
}

fn parse_probe(text: &str) -> Found {
    let mut found = Found::default();
    for line in text.lines() {
        match line.split_once(' ') {
            Some(("system", rest)) => found.system = rest.trim().to_string(),
            Some(("dir", rest)) => found.dir = rest.to_string(),
            _ if line == "have-cli" => found.has_cli = true,
            _ if line == "have-uv" => found.has_uv = true,
            _ => {}
        }
    }
    found
}

/// `uname -s` and `uname -m` of this computer, as the remote prints them.
fn this_system() -> String {
    let os = match std::env::consts::OS {
        "linux" => "Linux",
        "macos" => "Darwin",
        other => other,
    };
    let arch = match std::env::consts::ARCH {
        "aarch64" if os == "Darwin" => "arm64",
        other => other,
    };
    format!("{os} {arch}")
}

/// Makes sure Darwinix (this build) is on the remote, copying it there when it is not.
pub async fn ensure(paths: &AppPaths, conn: &Connection, reporter: &dyn Reporter) -> Result<Agent> {
    let payload = payload(paths).await?;
    let host = conn.address().host_label();
    let probe = format!(
        "d={REMOTE_HOME}/agent/{key}\nprintf 'system %s %s\\n' \"$(uname -s)\" \"$(uname -m)\"\nprintf 'dir %s\\n' \"$d\"\n[ -x \"$d/{CLI}\" ] && echo have-cli\n[ -x \"$d/{uv}\" ] && echo have-uv\nexit 0",
        key = payload.key,
        uv = crate::install::uv::BUNDLED,
    );
    let out = conn.run(script::wrap(&probe), COMMAND_TIMEOUT).await?;
    let found = parse_probe(&out.stdout_text());
    if found.dir.is_empty() {
        return Err(Error::Remote {
            host,
            detail: format!(
                "its shell did not answer as expected: {}",
                out.stderr_text().trim()
            ),
            hint: None,
        });
    }
    if found.system != this_system() {
        return Err(Error::Remote {
            host,
            detail: format!(
                "it is a {} computer, and Darwinix here is for {}: it can set up projects only on a remote of the same kind",
                found.system,
                this_system()
            ),
            hint: Some("open the folder from a Darwinix on a computer of the same kind, or install Darwinix on the remote".into()),
        });
    }
    let dir_expr = format!("{REMOTE_HOME}/agent/{}", payload.key);
    if !found.has_cli || (!found.has_uv && payload.uv.is_some()) {
        reporter.report(SetupEvent::Step {
            step: SetupStep::GettingInstaller,
            detail: format!("Copying Darwinix to {host}"),
        });
        tidy_old(conn, &payload.key).await;
    }
    if !found.has_cli {
        upload(conn, &dir_expr, CLI, &payload.cli).await?;
    }
    if let (false, Some(uv)) = (found.has_uv, &payload.uv) {
        upload(conn, &dir_expr, crate::install::uv::BUNDLED, uv).await?;
    }
    Ok(Agent {
        program: format!("{}/{CLI}", found.dir),
    })
}

async fn upload(conn: &Connection, dir_expr: &str, name: &str, file: &PathBuf) -> Result<()> {
    let bytes = std::fs::read(file).map_err(|source| Error::ReadFile {
        path: file.clone(),
        source,
    })?;
    conn.upload(dir_expr, name, bytes).await
}

/// Other builds' copies go when a new one comes (servers run from the runtime, not from them).
async fn tidy_old(conn: &Connection, keep: &str) {
    let body = format!(
        "a={REMOTE_HOME}/agent\n[ -d \"$a\" ] || exit 0\nfor d in \"$a\"/*; do [ \"${{d##*/}}\" = {keep} ] || rm -rf \"$d\"; done"
    );
    let _ = conn.run(script::wrap(&body), COMMAND_TIMEOUT).await;
}

impl Agent {
    /// A script that runs this Darwinix with `args` (and `input` on its standard input).
    pub fn script(&self, args: &[&str], input: Option<&str>) -> Vec<u8> {
        script::run(&script::quote(&self.program), args, input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_probe_answer_is_read_line_by_line() {
        let found = parse_probe(
            "system Linux x86_64\ndir /home/u/.local/share/darwinix/agent/k\nhave-cli\n",
        );
        assert_eq!(
            found,
            Found {
                system: "Linux x86_64".into(),
                dir: "/home/u/.local/share/darwinix/agent/k".into(),
                has_cli: true,
                has_uv: false,
            }
        );
    }

    #[test]
    fn a_build_is_hashed_once_and_again_when_it_changes() {
        let dir = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(dir.path());
        let cli = dir.path().join("darwinix");
        std::fs::write(&cli, b"one build").unwrap();
        let first = build_key(&paths, &cli).unwrap();
        assert_eq!(build_key(&paths, &cli).unwrap(), first);
        std::fs::write(&cli, b"another build!").unwrap();
        assert_ne!(build_key(&paths, &cli).unwrap(), first);
    }

    #[test]
    fn this_computer_is_named_as_uname_would() {
        let me = this_system();
        assert!(me.contains(' '), "{me}");
        #[cfg(target_os = "linux")]
        assert!(me.starts_with("Linux "), "{me}");
    }

    #[test]
    fn the_agent_runs_with_quoted_arguments() {
        let agent = Agent {
            program: "/home/u/it's/darwinix".into(),
        };
        let script = String::from_utf8(agent.script(&["stop", "--", "/a b"], None)).unwrap();
        assert!(
            script.contains(r"'/home/u/it'\''s/darwinix' 'stop' '--' '/a b'"),
            "{script}"
        );
    }
}
