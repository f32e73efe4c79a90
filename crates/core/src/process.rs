//! The one way Darwinix runs another program.
//!
//! Every child gets stdin closed (nothing may wait for input we will never give), its own process
//! group (Unix) or job object (Windows) so that a timeout stops the whole tree, and no console
//! window on Windows. Environment is built explicitly by the caller with `Command::env`.

use std::borrow::Cow;
use std::ffi::OsStr;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use process_wrap::tokio::{ChildWrapper, CommandWrap, KillOnDrop};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::process::Command;

use crate::error::{Error, Result};

/// What a finished program left behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// `None` when the program was ended by a signal.
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl Output {
    pub fn success(&self) -> bool {
        self.code == Some(0)
    }
    pub fn stdout_text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.stdout)
    }
    pub fn stderr_text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.stderr)
    }
}

/// A command for `program`; add arguments and environment, then pass it to [`output`].
pub fn command(program: impl AsRef<OsStr>) -> Command {
    Command::new(program)
}

/// Takes away what an activated virtual environment or the user's shell set for its own Python,
/// so a Python Darwinix starts runs with exactly the environment it was given.
pub fn clean_python_env(command: &mut Command) -> &mut Command {
    use crate::env_vars::{PYTHONDONTWRITEBYTECODE, PYTHONHOME, PYTHONPATH, VIRTUAL_ENV};
    for name in [VIRTUAL_ENV, PYTHONPATH, PYTHONHOME, PYTHONDONTWRITEBYTECODE] {
        command.env_remove(name);
    }
    command
}

/// Runs `command` to completion and collects its output. If it is still running after
/// `timeout`, its whole process tree is killed and [`Error::Timeout`] returned.
pub async fn output(command: Command, timeout: Duration) -> Result<Output> {
    output_with_input(command, None, timeout).await
}

/// [`output`], with `input` written to the program's standard input, which is then closed (a
/// script for `ssh … sh -s`: what it carries never shows on a command line).
pub async fn output_with_input(
    command: Command,
    input: Option<Vec<u8>>,
    timeout: Duration,
) -> Result<Output> {
    let (mut child, program) = spawn_piped(command, input)?;
    let stdout = child.stdout().take();
    let stderr = child.stderr().take();

    let finished = tokio::time::timeout(timeout, async {
        let (status, out, err) = tokio::join!(child.wait(), read_all(stdout), read_all(stderr));
        Ok::<_, std::io::Error>((status?, out?, err?))
    })
    .await;

    match finished {
        Ok(Ok((status, stdout, stderr))) => Ok(Output {
            code: status.code(),
            stdout,
            stderr,
        }),
        Ok(Err(source)) => Err(Error::ReadOutput { program, source }),
        Err(_elapsed) => {
            // Kills the group/job, not just the direct child, so nothing it started lingers.
            let _ = child.start_kill();
            let _ = child.wait().await;
            Err(Error::Timeout {
                program,
                after: timeout,
            })
        }
    }
}

/// Starts a long-running program that must outlive us (a JupyterLab server): stdin closed,
/// stdout and stderr appended to `log`, and its own process group so that neither a Ctrl-C in
/// our terminal nor our exit reaches it. Dropping the returned child neither kills it nor
/// blocks; tokio reaps it if it ends while we still run. Killing it (a failed start) ends its
/// whole group.
pub fn spawn_detached(command: Command, log: std::fs::File) -> Result<Box<dyn ChildWrapper>> {
    spawn_logged(command, log, detach)
}

/// Spawns `command` with stdin closed and both outputs appended to `log`, never killed on
/// drop; `isolate` adds the platform's wrapper (a group, a session, creation flags).
fn spawn_logged(
    command: Command,
    log: std::fs::File,
    isolate: fn(&mut CommandWrap),
) -> Result<Box<dyn ChildWrapper>> {
    let program = PathBuf::from(command.as_std().get_program());
    let err_log = log.try_clone().map_err(|source| Error::Spawn {
        program: program.clone(),
        source,
    })?;
    let mut wrap = CommandWrap::from(command);
    wrap.command_mut()
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(err_log)
        .kill_on_drop(false);
    isolate(&mut wrap);
    wrap.spawn()
        .map_err(|source| Error::Spawn { program, source })
}

// Unix: a process group of its own; stopping it is `darwinix stop`'s job (HTTP shutdown, then
// signals to it and its descendants).
#[cfg(unix)]
fn detach(wrap: &mut CommandWrap) {
    wrap.wrap(process_wrap::tokio::ProcessGroup::leader());
}

// Windows: a new process group and no console window. Deliberately no kill-on-close job
// object: the server must survive the CLI (and, if the user chose so, the app) exiting;
// `darwinix stop` ends the tree through its descendants instead.
#[cfg(windows)]
fn detach(wrap: &mut CommandWrap) {
    use process_wrap::tokio::CreationFlags;
    use windows::Win32::System::Threading::{CREATE_NEW_PROCESS_GROUP, CREATE_NO_WINDOW};
    wrap.wrap(CreationFlags(CREATE_NO_WINDOW | CREATE_NEW_PROCESS_GROUP));
}

/// Starts a program that belongs to the user once started (their browser): its own session, so
/// that neither our terminal closing nor our exit reaches it, stdin closed and its output
/// appended to `log`. Never killed: the caller may watch it for a moment, then lets it go.
pub fn spawn_background(command: Command, log: std::fs::File) -> Result<Box<dyn ChildWrapper>> {
    spawn_logged(command, log, new_session)
}

// Unix: `setsid`, as Python's `webbrowser` does for background browsers: a session of its own
// has no controlling terminal whose hangup or Ctrl-C could end it.
#[cfg(unix)]
fn new_session(wrap: &mut CommandWrap) {
    wrap.wrap(process_wrap::tokio::ProcessSession);
}

// Windows: no sessions; what a detached server gets (no console window, a new process group,
// and deliberately no job object: closing ours must not close the user's browser).
#[cfg(windows)]
fn new_session(wrap: &mut CommandWrap) {
    detach(wrap);
}

/// The most output kept per stream. A program that prints more (a broken interpreter in a loop)
/// is still drained, so it cannot block on a full pipe, but the rest is thrown away.
pub const MAX_CAPTURE_BYTES: u64 = 1024 * 1024;

/// How long an installer may print nothing before it counts as stuck. Long enough for a large
/// source build (uv prints while it works), short enough that a setup never hangs forever.
pub const NO_OUTPUT_LIMIT: Duration = Duration::from_secs(15 * 60);

/// Runs `command` to completion, handing each line of its stdout and stderr to `on_line` as it
/// arrives (for live progress and logs). Returns the exit code (`None`: killed by a signal).
/// A program silent for [`NO_OUTPUT_LIMIT`] is stopped, with everything it started.
pub async fn stream(command: Command, on_line: impl FnMut(&str)) -> Result<Option<i32>> {
    stream_within(command, None, NO_OUTPUT_LIMIT, on_line).await
}

/// [`stream`], with `input` written to the program's standard input, which is then closed.
pub async fn stream_with_input(
    command: Command,
    input: Vec<u8>,
    on_line: impl FnMut(&str),
) -> Result<Option<i32>> {
    stream_within(command, Some(input), NO_OUTPUT_LIMIT, on_line).await
}

async fn stream_within(
    command: Command,
    input: Option<Vec<u8>>,
    silence: Duration,
    mut on_line: impl FnMut(&str),
) -> Result<Option<i32>> {
    let (mut child, program) = spawn_piped(command, input)?;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    let pipes = [
        child
            .stdout()
            .take()
            .map(|p| Box::new(p) as Box<dyn AsRead + Send>),
        child
            .stderr()
            .take()
            .map(|p| Box::new(p) as Box<dyn AsRead + Send>),
    ];
    for pipe in pipes.into_iter().flatten() {
        let tx = tx.clone();
        tokio::spawn(async move {
            let mut reader = tokio::io::BufReader::new(pipe);
            let mut line = Vec::new();
            while matches!(reader.read_until(b'\n', &mut line).await, Ok(n) if n > 0) {
                let text = String::from_utf8_lossy(&line);
                let _ = tx.send(text.trim_end_matches(['\r', '\n']).to_string());
                line.clear();
            }
        });
    }
    drop(tx);
    loop {
        match tokio::time::timeout(silence, rx.recv()).await {
            Ok(Some(line)) => on_line(&line),
            Ok(None) => break,
            Err(_silent) => {
                // Kills the group/job, so nothing it started lingers.
                let _ = child.start_kill();
                let _ = child.wait().await;
                return Err(Error::NoOutput {
                    program,
                    after: silence,
                });
            }
        }
    }
    let status = child
        .wait()
        .await
        .map_err(|source| Error::ReadOutput { program, source })?;
    Ok(status.code())
}

/// Spawns with both output pipes captured, isolated in its own group/job; stdin gets `input`
/// (written in the background, then closed) or is closed from the start.
fn spawn_piped(
    command: Command,
    input: Option<Vec<u8>>,
) -> Result<(Box<dyn ChildWrapper>, PathBuf)> {
    let program = PathBuf::from(command.as_std().get_program());
    let mut wrap = CommandWrap::from(command);
    let stdin = if input.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    };
    wrap.command_mut()
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    wrap.wrap(KillOnDrop);
    isolate(&mut wrap);
    let mut child = wrap.spawn().map_err(|source| Error::Spawn {
        program: program.clone(),
        source,
    })?;
    if let (Some(bytes), Some(mut pipe)) = (input, child.stdin().take()) {
        // A program that exits without reading it all is not an error of ours: its exit code
        // and output say what happened.
        tokio::spawn(async move {
            let _ = pipe.write_all(&bytes).await;
            let _ = pipe.shutdown().await;
        });
    }
    Ok((child, program))
}

async fn read_all(pipe: Option<impl AsRead>) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    if let Some(mut pipe) = pipe {
        (&mut pipe)
            .take(MAX_CAPTURE_BYTES)
            .read_to_end(&mut buf)
            .await?;
        tokio::io::copy(&mut pipe, &mut tokio::io::sink()).await?;
    }
    Ok(buf)
}

trait AsRead: AsyncRead + Unpin {}
impl<T: AsyncRead + Unpin> AsRead for T {}

// Unix: a new process group, so a kill reaches everything the program started.
#[cfg(unix)]
fn isolate(wrap: &mut CommandWrap) {
    wrap.wrap(process_wrap::tokio::ProcessGroup::leader());
}

// Windows: a job object does what the process group does on Unix; CREATE_NO_WINDOW keeps a
// console from flashing up for every probe when the app (a GUI program) runs a console program.
#[cfg(windows)]
fn isolate(wrap: &mut CommandWrap) {
    use process_wrap::tokio::{CreationFlags, JobObject};
    use windows::Win32::System::Threading::CREATE_NO_WINDOW;
    wrap.wrap(CreationFlags(CREATE_NO_WINDOW));
    wrap.wrap(JobObject);
}

/// What to do about a program that did not start or did not finish — one family of
/// [`crate::hints::hint`], in the window's words; `None` for the other errors.
pub fn hint(error: &Error) -> Option<String> {
    match error {
        Error::Spawn { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
            Some("it is not installed or not on PATH".into())
        }
        Error::Spawn { source, .. } if source.kind() == std::io::ErrorKind::PermissionDenied => {
            Some("the file is not executable: check its permissions".into())
        }
        Error::Timeout { .. } | Error::NoOutput { .. } => Some("the program may be stuck; try again, and use Copy details to ask for help if it happens again".into()),
        _ => None,
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::time::Instant;

    #[tokio::test]
    async fn a_silent_program_is_stopped_with_what_it_started() {
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("child-lived");
        let mut cmd = command("sh");
        // A child that would write the marker after the limit, and a parent that waits quietly.
        cmd.args([
            "-c",
            "echo working; (sleep 3; touch \"$1\") & sleep 30",
            "sh",
        ])
        .arg(&marker);
        let mut lines = Vec::new();
        let started = Instant::now();
        let err = stream_within(cmd, None, Duration::from_millis(700), |l| {
            lines.push(l.to_string())
        })
        .await
        .unwrap_err();
        assert!(matches!(err, Error::NoOutput { .. }), "{err:?}");
        assert!(err.to_string().contains("printed nothing"), "{err}");
        assert_eq!(lines, ["working"]);
        assert!(started.elapsed() < Duration::from_secs(10));
        // Nothing to poll for: the child would have written the marker by now.
        tokio::time::sleep(Duration::from_secs(4)).await;
        assert!(!marker.exists(), "the program's child was stopped too");
    }

    #[tokio::test]
    async fn collects_code_and_both_streams() {
        let mut cmd = command("sh");
        cmd.args(["-c", "echo out; echo err >&2; exit 3"]);
        let out = output(cmd, Duration::from_secs(10)).await.unwrap();
        assert_eq!(out.code, Some(3));
        assert_eq!(out.stdout_text(), "out\n");
        assert_eq!(out.stderr_text(), "err\n");
    }

    #[tokio::test]
    async fn stdin_is_closed_so_readers_do_not_wait() {
        let mut cmd = command("sh");
        cmd.args(["-c", "cat; echo done"]);
        let out = output(cmd, Duration::from_secs(10)).await.unwrap();
        assert_eq!(out.stdout_text(), "done\n");
    }

    #[tokio::test]
    async fn timeout_kills_the_whole_group() {
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("grandchild-survived");
        let mut cmd = command("sh");
        // The grandchild would write the marker after 2 s if the group kill missed it.
        let script = format!("(sleep 2; touch '{}') & sleep 30", marker.display());
        cmd.args(["-c", &script]);
        let started = Instant::now();
        let err = output(cmd, Duration::from_millis(300)).await.unwrap_err();
        assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
        assert!(started.elapsed() < Duration::from_secs(5));
        // Nothing to poll for: the grandchild would have written the marker by now.
        std::thread::sleep(Duration::from_millis(2500));
        assert!(
            !marker.exists(),
            "a process of the timed-out group kept running"
        );
    }

    #[tokio::test]
    async fn endless_output_is_capped() {
        let mut cmd = command("sh");
        cmd.args([
            "-c",
            "yes AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        ]);
        let err = output(cmd, Duration::from_millis(500)).await.unwrap_err();
        assert!(matches!(err, Error::Timeout { .. }));
        let mut cmd = command("sh");
        cmd.args(["-c", "head -c 3000000 /dev/zero"]);
        let out = output(cmd, Duration::from_secs(10)).await.unwrap();
        assert_eq!(out.stdout.len() as u64, MAX_CAPTURE_BYTES);
        assert!(out.success());
    }

    #[tokio::test]
    async fn stream_hands_over_every_line_of_both_pipes() {
        let mut cmd = command("sh");
        cmd.args([
            "-c",
            "echo one; echo two >&2; printf 'three\\r\\n'; printf 'no newline'; exit 4",
        ]);
        let mut lines = Vec::new();
        let code = stream(cmd, |l| lines.push(l.to_string())).await.unwrap();
        assert_eq!(code, Some(4));
        lines.sort();
        assert_eq!(lines, ["no newline", "one", "three", "two"]);
    }

    #[tokio::test]
    async fn missing_program_names_itself() {
        let err = output(command("/nonexistent/prog"), Duration::from_secs(1))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("/nonexistent/prog"));
        assert_eq!(
            crate::hints::hint(&err).as_deref(),
            Some("it is not installed or not on PATH")
        );
    }
}
