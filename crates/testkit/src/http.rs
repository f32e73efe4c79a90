//! One HTTP/1.1 exchange with a server on 127.0.0.1, with nothing but the standard library: the
//! tests look at status codes, headers and pages exactly as a browser would get them.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// One HTTP exchange: status, headers (lower-case names) and body.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    /// The first header called `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// `METHOD url` (`http://127.0.0.1:PORT/path`) with `headers` and `body`. The Host header is the
/// server's own unless `headers` has another.
pub fn http(url: &str, method: &str, headers: &[(&str, &str)], body: &str) -> Reply {
    let rest = url
        .strip_prefix("http://127.0.0.1:")
        .unwrap_or_else(|| panic!("{url} is not on 127.0.0.1"));
    let (port, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let path = if path.is_empty() { "/" } else { path };
    let mut s = TcpStream::connect(("127.0.0.1", port.parse::<u16>().unwrap())).unwrap();
    // Starting a kernel is answered once the kernel runs: seconds.
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let host = format!("127.0.0.1:{port}");
    let host = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("host"))
        .map_or(host.as_str(), |(_, v)| v);
    let extra: String = headers
        .iter()
        .filter(|(k, _)| !k.eq_ignore_ascii_case("host"))
        .map(|(k, v)| format!("{k}: {v}\r\n"))
        .collect();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    parse(&String::from_utf8_lossy(&raw))
}

fn parse(raw: &str) -> Reply {
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((raw, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP answer: {raw}"));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: body.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_read_into_status_headers_and_body() {
        let reply = parse("HTTP/1.1 302 Found\r\nLocation: /lab\r\nSet-Cookie: a=b\r\n\r\nmoved");
        assert_eq!(reply.status, 302);
        assert_eq!(reply.header("location"), Some("/lab"));
        assert_eq!(reply.header("set-cookie"), Some("a=b"));
        assert_eq!(reply.body, "moved");
    }
}
