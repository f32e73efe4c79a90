//! The smallest HTTP/1.1 client that talks to our own Jupyter server on 127.0.0.1: a status
//! code is all we need (ready check, verification, shutdown). Loopback only, by construction.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Sends one request to `127.0.0.1:port` and returns the response's status code.
pub async fn status(
    port: u16,
    method: &str,
    path: &str,
    token: Option<&str>,
    timeout: Duration,
) -> std::io::Result<u16> {
    let exchange = async {
        let mut stream = TcpStream::connect(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await?;
        let auth = token
            .map(|t| format!("Authorization: token {t}\r\n"))
            .unwrap_or_default();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{auth}Content-Length: 0\r\nConnection: close\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).await?;
        let mut head = Vec::with_capacity(64);
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n") && head.len() < 512 {
            if stream.read(&mut byte).await? == 0 {
                break;
            }
            head.push(byte[0]);
        }
        parse_status_line(&head).ok_or_else(|| {
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

    #[tokio::test]
    async fn talks_to_a_local_server() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.unwrap();
            let mut buf = [0u8; 1024];
            let n = s.read(&mut buf).await.unwrap();
            let req = String::from_utf8_lossy(&buf[..n]).to_string();
            let code = if req.contains("Authorization: token sekrit") {
                "200 OK"
            } else {
                "403 Forbidden"
            };
            s.write_all(format!("HTTP/1.1 {code}\r\n\r\n").as_bytes())
                .await
                .unwrap();
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
        // Nothing listens on port 9 (discard): a refused connection is an error, not a hang.
        assert!(status(9, "GET", "/", None, Duration::from_secs(5))
            .await
            .is_err());
    }
}
