//! One HTTP/1.1 request through a Unix socket: how Darwinix talks to a remote project's server
//! (with its token) through the socket forward in its private folder. Our own server answers
//! a few hundred bytes and closes the connection when asked, so this is all it takes.

use std::io;
use std::path::Path;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::http::local::Response;

/// The most of an answer we read (the same cap as for requests over TCP).
const MAX_RESPONSE: usize = 64 * 1024;

/// Sends one request (with a JSON `body`, when given) through `socket` and reads the whole
/// answer, all within `timeout`.
pub(super) async fn request(
    socket: &Path,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
    timeout: Duration,
) -> io::Result<Response> {
    let head = head(method, path, token, body)?;
    let exchange = async {
        let mut stream = tokio::net::UnixStream::connect(socket).await?;
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(body.unwrap_or("").as_bytes()).await?;
        let mut raw = Vec::with_capacity(1024);
        (&mut stream)
            .take((MAX_RESPONSE + 16 * 1024) as u64)
            .read_to_end(&mut raw)
            .await?;
        parse(&raw)
    };
    tokio::time::timeout(timeout, exchange).await.map_err(|_| {
        io::Error::new(
            io::ErrorKind::TimedOut,
            format!("no answer within {} s", timeout.as_secs()),
        )
    })?
}

fn head(method: &str, path: &str, token: Option<&str>, body: Option<&str>) -> io::Result<String> {
    // What goes in the head verbatim must not end a line early.
    let plain = |s: &str| s.bytes().all(|b| b.is_ascii_graphic());
    if !plain(method) || !plain(path) || !token.is_none_or(plain) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the request holds a space or a control character",
        ));
    }
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.map_or(0, str::len)
    );
    if let Some(token) = token {
        head.push_str(&format!("Authorization: token {token}\r\n"));
    }
    if body.is_some() {
        head.push_str("Content-Type: application/json\r\n");
    }
    head.push_str("\r\n");
    Ok(head)
}

/// The status and body of a complete answer (by its length, or in chunks).
fn parse(raw: &[u8]) -> io::Result<Response> {
    let bad = |what: &str| io::Error::new(io::ErrorKind::InvalidData, what.to_string());
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| bad("the answer is not HTTP"))?;
    let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
    let status = head
        .strip_prefix("http/1.")
        .and_then(|rest| rest.split_whitespace().nth(1))
        .and_then(|code| code.parse::<u16>().ok())
        .ok_or_else(|| bad("the answer is not HTTP"))?;
    let header = |name: &str| {
        head.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(':').map(str::trim))
    };
    let rest = &raw[end + 4..];
    let body = if header("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        dechunk(rest).ok_or_else(|| bad("the answer's chunks are broken"))?
    } else {
        let length = header("content-length").and_then(|v| v.parse::<usize>().ok());
        rest[..length.unwrap_or(rest.len()).min(rest.len())].to_vec()
    };
    let mut body = body;
    body.truncate(MAX_RESPONSE);
    Ok(Response { status, body })
}

fn dechunk(mut rest: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = rest.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&rest[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Some(body);
        }
        body.extend_from_slice(rest.get(..size)?);
        rest = rest.get(size + 2..)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::net::UnixListener;

    /// A server on a socket that answers one request with `answer`, handing back what it got.
    fn server(
        dir: &Path,
        answer: &'static str,
    ) -> (std::path::PathBuf, tokio::task::JoinHandle<String>) {
        let path = dir.join("s.sock");
        let listener = UnixListener::bind(&path).unwrap();
        let got = tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.unwrap();
            let mut buf = vec![0u8; 4096];
            let n = s.read(&mut buf).await.unwrap();
            s.write_all(answer.as_bytes()).await.unwrap();
            String::from_utf8_lossy(&buf[..n]).into_owned()
        });
        (path, got)
    }

    const FIVE: Duration = Duration::from_secs(5);

    #[tokio::test]
    async fn the_token_travels_in_the_header_and_the_answer_comes_back() {
        let dir = tempfile::tempdir().unwrap();
        let (path, got) = server(
            dir.path(),
            "HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n{\"b\":2}",
        );
        let r = request(&path, "POST", "/x", Some("sekrit"), Some("{}"), FIVE);
        let r = r.await.unwrap();
        assert_eq!((r.status, r.body.as_slice()), (200, &b"{\"b\":2}"[..]));
        let got = got.await.unwrap();
        assert!(got.starts_with("POST /x HTTP/1.1\r\n"), "{got}");
        assert!(got.contains("Authorization: token sekrit\r\n"), "{got}");
        assert!(got.ends_with("\r\n\r\n{}"), "{got}");
    }

    #[tokio::test]
    async fn chunks_are_joined_and_nonsense_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let (path, _) = server(
            dir.path(),
            "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
        );
        let r = request(&path, "GET", "/", None, None, FIVE).await.unwrap();
        assert_eq!((r.status, r.body.as_slice()), (201, &b"abcde"[..]));
        assert!(parse(b"SSH-2.0-OpenSSH\r\n").is_err());
        assert!(request(&path, "GET", "/a b", None, None, FIVE)
            .await
            .is_err());
        // Nobody listens any more: an error at once, not a hang.
        assert!(request(&path, "GET", "/", None, None, FIVE).await.is_err());
    }
}
