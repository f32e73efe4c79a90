//! Which notebooks of a running server are still running a cell, asked before a stop: a stop
//! interrupts the cell, and whatever it computed and did not save is lost.
//!
//! Asked through the server's API (`/api/kernels` for what each kernel is doing,
//! `/api/sessions` for the notebook each kernel belongs to). A server that does not answer has
//! nothing to ask about: the answer is then "nothing runs", never an error, so a stop is never
//! blocked by the question itself.

use std::path::Path;
use std::time::Duration;

use serde::Deserialize;

use super::Entry;
use crate::http::local;
use crate::paths::AppPaths;
use crate::project::Project;

/// A busy kernel's server answers its REST API at once (the kernel runs in its own process);
/// longer means the server itself is stuck, and then the stop is what the user needs.
const ASK_TIMEOUT: Duration = Duration::from_secs(3);

/// What a kernel with no notebook session is said to be (one opened by an extension, or whose
/// notebook was closed while its cell ran).
const UNNAMED: &str = "a notebook";
/// What a kernel used only by JupyterLab's consoles is said to be.
const CONSOLE: &str = "a console";

#[derive(Debug, Deserialize)]
struct Kernel {
    id: String,
    #[serde(default)]
    execution_state: String,
}

#[derive(Debug, Deserialize)]
struct Session {
    #[serde(default)]
    path: String,
    #[serde(default, rename = "type")]
    kind: String,
    kernel: Option<SessionKernel>,
}

#[derive(Debug, Deserialize)]
struct SessionKernel {
    id: String,
}

/// The notebooks of `entry`'s server whose kernel is running a cell, as the server names them
/// (paths relative to the project: `analysis.ipynb`, `week 2/b.ipynb`); a busy kernel without
/// a notebook is "a notebook" or "a console". Empty when nothing runs or the server does not
/// answer.
pub async fn running_cells(entry: &Entry) -> Vec<String> {
    let ask = |path: &'static str| async move {
        let token = Some(entry.token.as_str());
        match local::request(entry.port, "GET", path, token, None, ASK_TIMEOUT).await {
            Ok(answer) if answer.status == 200 => Some(answer.body),
            _ => None,
        }
    };
    let (kernels, sessions) = tokio::join!(ask("/api/kernels"), ask("/api/sessions"));
    match kernels {
        // Without sessions the busy kernels are still worth asking about, unnamed.
        Some(kernels) => busy_notebooks(&kernels, sessions.as_deref().unwrap_or(b"[]")),
        None => Vec::new(),
    }
}

/// The busy notebooks in the server's answers to `GET /api/kernels` and `GET /api/sessions`
/// (JSON bodies): each named once, in the order of the kernels. An answer that cannot be read
/// counts as an empty list.
pub fn busy_notebooks(kernels: &[u8], sessions: &[u8]) -> Vec<String> {
    let kernels: Vec<Kernel> = serde_json::from_slice(kernels).unwrap_or_default();
    let sessions: Vec<Session> = serde_json::from_slice(sessions).unwrap_or_default();
    let mut busy = Vec::new();
    for kernel in kernels.iter().filter(|k| k.execution_state == "busy") {
        let of_kernel: Vec<&Session> = sessions
            .iter()
            .filter(|s| s.kernel.as_ref().is_some_and(|k| k.id == kernel.id))
            .collect();
        let notebooks: Vec<String> = of_kernel
            .iter()
            .filter(|s| s.kind != "console" && !s.path.is_empty())
            .map(|s| s.path.clone())
            .collect();
        let names = match (notebooks.is_empty(), of_kernel.is_empty()) {
            (false, _) => notebooks,
            (true, false) => vec![CONSOLE.to_string()],
            (true, true) => vec![UNNAMED.to_string()],
        };
        for name in names {
            if !busy.contains(&name) {
                busy.push(name);
            }
        }
    }
    busy
}

/// The notebooks running a cell on the server of the project at `dir` (none when it has no
/// server here).
pub async fn in_project(paths: &AppPaths, dir: &Path) -> Vec<String> {
    match super::server_of(paths, dir).await {
        Some((entry, _)) => running_cells(&entry).await,
        None => Vec::new(),
    }
}

/// The notebooks running a cell on the server registered as `id` (the tray names servers so).
/// Only a server checked to be ours is sent its token.
pub async fn in_server(paths: &AppPaths, id: &str) -> Vec<String> {
    let servers = super::list(paths).await;
    match servers.iter().find(|(entry, _)| entry.id == id) {
        Some((entry, _)) => running_cells(entry).await,
        None => Vec::new(),
    }
}

/// The notebooks running a cell on any server of this computer. When they are on more than one
/// server, each says its project: `analysis.ipynb in Course notes`.
pub async fn in_all(paths: &AppPaths) -> Vec<String> {
    let servers = super::list(paths).await;
    let asked = servers.iter().map(|(entry, _)| running_cells(entry));
    let answers = futures_util::future::join_all(asked).await;
    let busy: Vec<(&Entry, Vec<String>)> = servers
        .iter()
        .map(|(entry, _)| entry)
        .zip(answers)
        .filter(|(_, notebooks)| !notebooks.is_empty())
        .collect();
    let several = busy.len() > 1;
    busy.into_iter()
        .flat_map(|(entry, notebooks)| {
            let project = Project::at(&entry.dir).name();
            notebooks.into_iter().map(move |nb| match several {
                true => format!("{nb} in {project}"),
                false => nb,
            })
        })
        .collect()
}

/// The question's first sentence: `analysis.ipynb is still running a cell.`,
/// `analysis.ipynb and b.ipynb are still running cells.` Empty when nothing runs.
pub fn said(notebooks: &[String]) -> String {
    match notebooks {
        [] => String::new(),
        [one] => format!("{one} is still running a cell."),
        many => format!("{} are still running cells.", and_list(many)),
    }
}

/// `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What jupyter_server 2.21 answers, trimmed to the fields read (and a few around them).
    const KERNELS: &str = r#"[
        {"id": "k-busy", "name": "python3", "last_activity": "2026-11-25T10:00:00Z", "execution_state": "busy", "connections": 1},
        {"id": "k-idle", "name": "python3", "last_activity": "2026-11-25T10:00:00Z", "execution_state": "idle", "connections": 1},
        {"id": "k-starting", "name": "python3", "execution_state": "starting", "connections": 0},
        {"id": "k-week2", "name": "python3", "execution_state": "busy", "connections": 1},
        {"id": "k-console", "name": "python3", "execution_state": "busy", "connections": 1},
        {"id": "k-orphan", "name": "python3", "execution_state": "busy", "connections": 0}
    ]"#;
    const SESSIONS: &str = r#"[
        {"id": "s1", "path": "analysis.ipynb", "name": "analysis.ipynb", "type": "notebook",
         "kernel": {"id": "k-busy", "name": "python3", "execution_state": "busy"},
         "notebook": {"path": "analysis.ipynb", "name": "analysis.ipynb"}},
        {"id": "s2", "path": "idle.ipynb", "name": "idle.ipynb", "type": "notebook",
         "kernel": {"id": "k-idle", "name": "python3", "execution_state": "idle"}},
        {"id": "s3", "path": "week 2/b.ipynb", "name": "b.ipynb", "type": "notebook",
         "kernel": {"id": "k-week2", "name": "python3", "execution_state": "busy"}},
        {"id": "s4", "path": "week 2/b.ipynb", "name": "Console 1", "type": "console",
         "kernel": {"id": "k-week2", "name": "python3", "execution_state": "busy"}},
        {"id": "s5", "path": "console-1-0f3c", "name": "Console 2", "type": "console",
         "kernel": {"id": "k-console", "name": "python3", "execution_state": "busy"}}
    ]"#;

    #[test]
    fn busy_kernels_are_named_by_their_notebooks() {
        assert_eq!(
            busy_notebooks(KERNELS.as_bytes(), SESSIONS.as_bytes()),
            [
                "analysis.ipynb",
                "week 2/b.ipynb",
                "a console",
                "a notebook"
            ]
        );
    }

    #[test]
    fn idle_starting_or_no_kernels_run_nothing() {
        let idle = r#"[{"id": "k", "execution_state": "idle"}, {"id": "s", "execution_state": "starting"}]"#;
        assert!(busy_notebooks(idle.as_bytes(), SESSIONS.as_bytes()).is_empty());
        assert!(busy_notebooks(b"[]", b"[]").is_empty());
    }

    #[test]
    fn answers_that_cannot_be_read_count_as_empty() {
        assert!(busy_notebooks(b"<html>403</html>", SESSIONS.as_bytes()).is_empty());
        let one = r#"[{"id": "k-busy", "execution_state": "busy"}]"#;
        assert_eq!(busy_notebooks(one.as_bytes(), b"{}"), ["a notebook"]);
    }

    #[test]
    fn two_busy_kernels_without_notebooks_are_said_once() {
        let two =
            r#"[{"id": "a", "execution_state": "busy"}, {"id": "b", "execution_state": "busy"}]"#;
        assert_eq!(busy_notebooks(two.as_bytes(), b"[]"), ["a notebook"]);
    }

    #[test]
    fn said_in_words() {
        let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(said(&[]), "");
        assert_eq!(
            said(&names(&["analysis.ipynb"])),
            "analysis.ipynb is still running a cell."
        );
        assert_eq!(
            said(&names(&["analysis.ipynb", "b.ipynb"])),
            "analysis.ipynb and b.ipynb are still running cells."
        );
        assert_eq!(
            said(&names(&["a.ipynb", "b.ipynb", "a console"])),
            "a.ipynb, b.ipynb and a console are still running cells."
        );
    }

    #[test]
    fn the_error_names_the_notebooks_and_what_was_not_stopped() {
        use crate::error::Error;
        let one = Error::CellsRunning {
            project: Some("/p/notes".into()),
            notebooks: vec!["analysis.ipynb".into()],
        };
        assert_eq!(
            one.to_string(),
            "a cell is still running in analysis.ipynb, so the server of `/p/notes` was not stopped"
        );
        let all = Error::CellsRunning {
            project: None,
            notebooks: vec!["a.ipynb in notes".into(), "b.ipynb in thesis".into()],
        };
        assert_eq!(
            all.to_string(),
            "cells are still running in a.ipynb in notes, b.ipynb in thesis, so no server was stopped"
        );
    }

    fn entry(port: u16) -> Entry {
        Entry {
            id: "p".into(),
            dir: "/p".into(),
            pid: 1,
            port,
            token: "sekrit".into(),
            started_at: 0,
            runtime_dir: "/r".into(),
            log: "/l".into(),
            guest: None,
            spare: false,
        }
    }

    /// A server that answers the two questions with the fixtures, and anything without the
    /// token with 403, as Jupyter does.
    async fn fake_jupyter() -> u16 {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            while let Ok((mut s, _)) = listener.accept().await {
                let mut buf = vec![0u8; 4096];
                let n = s.read(&mut buf).await.unwrap_or(0);
                let request = String::from_utf8_lossy(&buf[..n]).to_ascii_lowercase();
                let body = match request.split_whitespace().nth(1) {
                    _ if !request.contains("authorization: token sekrit") => None,
                    Some("/api/kernels") => Some(KERNELS),
                    Some("/api/sessions") => Some(SESSIONS),
                    _ => None,
                };
                let (status, body) = body.map_or(("403 Forbidden", ""), |b| ("200 OK", b));
                let answer = format!(
                    "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = s.write_all(answer.as_bytes()).await;
            }
        });
        port
    }

    #[tokio::test]
    async fn the_server_is_asked_with_its_token() {
        let port = fake_jupyter().await;
        let busy = running_cells(&entry(port)).await;
        assert_eq!(busy[..2], ["analysis.ipynb", "week 2/b.ipynb"]);
        let mut wrong = entry(port);
        wrong.token = "other".into();
        assert!(running_cells(&wrong).await.is_empty());
    }

    #[tokio::test]
    async fn a_server_that_does_not_answer_runs_nothing() {
        // A port nothing listens on: bound, then let go.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        assert!(running_cells(&entry(port)).await.is_empty());
    }
}
