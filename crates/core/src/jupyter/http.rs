//! The smallest HTTP/1.1 client that talks to our own Jupyter server on 127.0.0.1: a status
//! code is mostly all we need (ready check, verification, shutdown), a small JSON answer at
//! most (a sign-in link). Loopback only, by construction.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The most of an answer we read: our server's answers are a few hundred bytes.
const MAX_RESPONSE: u64 = 64 * 1024;

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
) -> std::io::Result<u16> {
    Ok(request(port, method, path, token, None, timeout)
        .await?
        .status)
}

/// Sends one request (with a JSON `body`, when given) and reads the whole answer.
pub async fn request(
    port: u16,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
    timeout: Duration,
) -> std::io::Result<Response> {
    let exchange = async {
        let mut stream = TcpStream::connect(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await?;
        let auth = token
            .map(|t| format!("Authorization: token {t}\r\n"))
            .unwrap_or_default();
        let body = body.unwrap_or("");
        let kind = if body.is_empty() {
            ""
        } else {
            "Content-Type: application/json\r\n"
        };
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{auth}{kind}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).await?;
        // `Connection: close`: the answer ends where the stream does.
        let mut raw = Vec::with_capacity(512);
        (&mut stream)
            .take(MAX_RESPONSE)
            .read_to_end(&mut raw)
            .await?;
        parse_response(&raw).ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidData, "not an HTTP response")
        })
    };
    tokio::time::timeout(timeout, exchange)
        .await
        .unwrap_or_else(|_| {
            Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "no HTTP answer in time",
            ))
        })
}

/// The status line's code and what follows the headers.
fn parse_response(raw: &[u8]) -> Option<Response> {
    let line_end = raw.windows(2).position(|w| w == b"\r\n")?;
    let status = parse_status_line(&raw[..line_end])?;
    let body = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or_else(Vec::new, |at| raw[at + 4..].to_vec());
    Some(Response { status, body })
}

/// `HTTP/1.1 200 OK` → 200.
pub fn parse_status_line(line: &[u8]) -> Option<u16> {
    let text = std::str::from_utf8(line).ok()?;
    let mut parts = text.split_whitespace();
    parts.next().filter(|v| v.starts_with("HTTP/"))?;
    parts.next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_lines() {
        assert_eq!(parse_status_line(b"HTTP/1.1 200 OK\r\n"), Some(200));
        assert_eq!(parse_status_line(b"HTTP/1.0 403 Forbidden\r\n"), Some(403));
        assert_eq!(parse_status_line(b"SSH-2.0-OpenSSH\r\n"), None);
    }

    #[test]
    fn responses_with_and_without_a_body() {
        let r = parse_response(b"HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}").unwrap();
        assert_eq!((r.status, r.body.as_slice()), (201, b"{}".as_slice()));
        let r = parse_response(b"HTTP/1.1 204 No Content\r\n\r\n").unwrap();
        assert_eq!((r.status, r.body.len()), (204, 0));
        assert!(parse_response(b"garbage").is_none());
    }

    #[tokio::test]
    async fn talks_to_a_local_server() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            for _ in 0..2 {
                let (mut s, _) = listener.accept().await.unwrap();
                let mut buf = [0u8; 1024];
                let n = s.read(&mut buf).await.unwrap();
                let req = String::from_utf8_lossy(&buf[..n]).to_string();
                let answer = if !req.contains("Authorization: token sekrit") {
                    "HTTP/1.1 403 Forbidden\r\n\r\n".to_string()
                } else if req.ends_with("\r\n\r\n{\"a\":1}") {
                    "HTTP/1.1 201 Created\r\nContent-Length: 7\r\n\r\n{\"b\":2}".to_string()
                } else {
                    "HTTP/1.1 200 OK\r\n\r\n".to_string()
                };
                s.write_all(answer.as_bytes()).await.unwrap();
            }
        });
        let code = status(
            port,
            "GET",
            "/api/status",
            Some("sekrit"),
            Duration::from_secs(5),
        )
        .await
        .unwrap();
        assert_eq!(code, 200);
        let posted = request(
            port,
            "POST",
            "/x",
            Some("sekrit"),
            Some("{\"a\":1}"),
            Duration::from_secs(5),
        )
        .await
        .unwrap();
        assert_eq!(posted.status, 201);
        assert_eq!(posted.body, b"{\"b\":2}");
        // Nothing listens on port 9 (discard): a refused connection is an error, not a hang.
        assert!(status(9, "GET", "/", None, Duration::from_secs(5))
            .await
            .is_err());
    }
}
