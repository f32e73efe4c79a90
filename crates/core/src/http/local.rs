//! Requests to Darwinix's own Jupyter servers on this computer's 127.0.0.1 (or a forward there
//! to a remote's): a status code is mostly all we need (ready check, verification, shutdown), a
//! small JSON answer at most (a sign-in link, the kernels).

use std::io;
use std::sync::OnceLock;
use std::time::Duration;

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Client, Method};

use super::{authorization, builder, describe, CONNECT_TIMEOUT};

/// The most of an answer we read: our server's answers are a few hundred bytes.
const MAX_RESPONSE: usize = 64 * 1024;

/// A status code and the body that came with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub body: Vec<u8>,
}

/// Sends one request to `127.0.0.1:port` and returns the response's status code.
pub async fn status(
    port: u16,
    method: &str,
    path: &str,
    token: Option<&str>,
    timeout: Duration,
) -> io::Result<u16> {
    Ok(request(port, method, path, token, None, timeout)
        .await?
        .status)
}

/// Sends one request (with a JSON `body`, when given) and reads the whole answer, all within
/// `timeout`.
pub async fn request(
    port: u16,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
    timeout: Duration,
) -> io::Result<Response> {
    let method = Method::from_bytes(method.as_bytes()).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("`{method}` is not an HTTP method"),
        )
    })?;
    let url = format!("http://127.0.0.1:{port}{path}");
    // reqwest's timeout runs until the body is read, not only until the answer begins.
    let mut request = client()?.request(method, url).timeout(timeout);
    if let Some(token) = token {
        request = request.header(AUTHORIZATION, authorization(token));
    }
    if let Some(body) = body.filter(|b| !b.is_empty()) {
        request = request
            .header(CONTENT_TYPE, "application/json")
            .body(body.to_owned());
    }
    let exchange = async {
        let reply = request.send().await?;
        let status = reply.status().as_u16();
        Ok(Response {
            status,
            body: read_capped(reply).await?,
        })
    };
    exchange.await.map_err(|e: reqwest::Error| {
        let kind = match e.is_timeout() {
            true => io::ErrorKind::TimedOut,
            false => io::ErrorKind::Other,
        };
        io::Error::new(kind, describe(&e, timeout))
    })
}

/// One client for the whole process. It keeps no connection between requests: the process
/// may run several tokio runtimes (tests do), and a pooled connection dies with the runtime
/// that opened it.
fn client() -> io::Result<&'static Client> {
    static CLIENT: OnceLock<Result<Client, String>> = OnceLock::new();
    CLIENT
        .get_or_init(|| {
            builder(true)
                .pool_max_idle_per_host(0)
                .build()
                .map_err(|e| describe(&e, CONNECT_TIMEOUT))
        })
        .as_ref()
        .map_err(|why| io::Error::other(format!("no HTTP client could be made: {why}")))
}

/// The body, up to [`MAX_RESPONSE`] bytes.
async fn read_capped(mut reply: reqwest::Response) -> reqwest::Result<Vec<u8>> {
    let mut body = Vec::with_capacity(512);
    while let Some(chunk) = reply.chunk().await? {
        let room = MAX_RESPONSE - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() == MAX_RESPONSE {
            break;
        }
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};

    /// A server on a free port that answers `n` requests, each with `answer(request)`.
    async fn server(n: usize, answer: fn(&str) -> String) -> u16 {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            for _ in 0..n {
                let (mut s, _) = listener.accept().await.unwrap();
                let request = read_request(&mut s).await;
                s.write_all(answer(&request).as_bytes()).await.unwrap();
            }
        });
        port
    }

    /// The request's head and its body (as long as its `Content-Length` says).
    async fn read_request(s: &mut TcpStream) -> String {
        let mut raw = Vec::new();
        let mut buf = [0u8; 1024];
        loop {
            let n = s.read(&mut buf).await.unwrap();
            raw.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&raw).to_ascii_lowercase();
            let Some(end) = text.find("\r\n\r\n") else {
                assert!(n > 0, "the request ended early");
                continue;
            };
            let length = text[..end]
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse::<usize>().unwrap());
            if n == 0 || raw.len() >= end + 4 + length {
                return String::from_utf8_lossy(&raw).into_owned();
            }
        }
    }

    const FIVE: Duration = Duration::from_secs(5);

    #[tokio::test]
    async fn talks_to_a_local_server() {
        let port = server(3, |req| {
            if !req
                .to_ascii_lowercase()
                .contains("authorization: token sekrit")
            {
                "HTTP/1.1 403 Forbidden\r\n\r\n".to_string()
            } else if req.ends_with("\r\n\r\n{\"a\":1}") {
                "HTTP/1.1 201 Created\r\nContent-Length: 7\r\n\r\n{\"b\":2}".to_string()
            } else {
                "HTTP/1.1 200 OK\r\n\r\n".to_string()
            }
        })
        .await;
        let code = status(port, "GET", "/api/status", Some("sekrit"), FIVE);
        assert_eq!(code.await.unwrap(), 200);
        let posted = request(port, "POST", "/x", Some("sekrit"), Some("{\"a\":1}"), FIVE);
        let posted = posted.await.unwrap();
        assert_eq!(posted.status, 201);
        assert_eq!(posted.body, b"{\"b\":2}");
        assert_eq!(status(port, "GET", "/", None, FIVE).await.unwrap(), 403);
        // Nothing listens on port 9 (discard): a refused connection is an error, not a hang.
        assert!(status(9, "GET", "/", None, FIVE).await.is_err());
    }

    #[tokio::test]
    async fn answers_with_and_without_a_body() {
        let port = server(1, |_| "HTTP/1.1 204 No Content\r\n\r\n".into()).await;
        let r = request(port, "DELETE", "/x", None, None, FIVE)
            .await
            .unwrap();
        assert_eq!((r.status, r.body.len()), (204, 0));
        let port = server(1, |_| "SSH-2.0-OpenSSH\r\n".into()).await;
        assert!(status(port, "GET", "/", None, FIVE).await.is_err());
        let port = server(1, |_| {
            let body = "x".repeat(MAX_RESPONSE + 10);
            format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            )
        })
        .await;
        let r = request(port, "GET", "/", None, None, FIVE).await.unwrap();
        assert_eq!(r.body.len(), MAX_RESPONSE);
    }

    /// A sign-in link's answer is its redirect, not the page it leads to.
    #[tokio::test]
    async fn redirects_are_the_answer() {
        let port = server(1, |_| {
            "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:9/lab\r\n\r\n".into()
        })
        .await;
        let code = status(port, "GET", "/darwinix/login/n", None, FIVE).await;
        assert_eq!(code.unwrap(), 302);
    }

    #[tokio::test]
    async fn a_silent_server_times_out() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let started = std::time::Instant::now();
        let err = status(port, "GET", "/", None, Duration::from_millis(300))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        assert!(started.elapsed() < FIVE, "{err}");
        drop(listener);
    }
}
