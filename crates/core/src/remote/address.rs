//! A remote project's address: `ssh://[user@]host[:port]/absolute/path`, the form it takes
//! wherever a folder is accepted.

use std::fmt;

use crate::error::SshLogin;

/// Where a remote project lives. `host` may be an alias from the user's `~/.ssh/config`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SshAddress {
    pub user: Option<String>,
    pub host: String,
    pub port: Option<u16>,
    /// Absolute, `/`-separated, as the remote sees it.
    pub path: String,
}

const SCHEME: &str = "ssh://";

/// `text` names a remote project (and should be parsed as one, not taken as a local folder).
pub fn is_remote(text: &str) -> bool {
    text.get(..SCHEME.len())
        .is_some_and(|s| s.eq_ignore_ascii_case(SCHEME))
}

impl SshAddress {
    /// Parses `ssh://[user@]host[:port]/absolute/path`; the error says what is wrong, in words.
    pub fn parse(text: &str) -> Result<Self, String> {
        if !is_remote(text) {
            return Err("a remote folder's address starts with ssh://".into());
        }
        let rest = &text[SCHEME.len()..];
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => return Err("the address needs the folder's absolute path after the host, as in ssh://host/home/me/project".into()),
        };
        let (user, host_port) = match authority.rsplit_once('@') {
            Some((user, hp)) => (Some(user), hp),
            None => (None, authority),
        };
        let (host, port) = split_port(host_port)?;
        if let Some(user) = user {
            check_name(user, "user name")?;
        }
        check_host(host)?;
        let path = decode_path(path)?;
        Ok(Self {
            user: user.map(str::to_string),
            host: host.to_string(),
            port,
            path,
        })
    }

    /// `user@host:port`, as people write it (without the folder).
    pub fn host_label(&self) -> String {
        self.login().label()
    }

    /// Whom ssh logs in as, and where: every part but the folder, as an error carries it.
    pub fn login(&self) -> SshLogin {
        SshLogin {
            user: self.user.clone(),
            host: self.host.clone(),
            port: self.port,
        }
    }

    /// The same machine and account, for sharing a connection: every part but the folder.
    pub fn same_host(&self, other: &Self) -> bool {
        (&self.user, &self.host, self.port) == (&other.user, &other.host, other.port)
    }

    /// The last part of the folder's path, to name the project by.
    pub fn folder_name(&self) -> &str {
        self.path
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .filter(|n| !n.is_empty())
            .unwrap_or("/")
    }
}

fn split_port(host_port: &str) -> Result<(&str, Option<u16>), String> {
    // `[::1]:2222`: the brackets keep an IPv6 address's colons apart from the port's.
    if let Some(inner) = host_port.strip_prefix('[') {
        let (host, after) = inner
            .split_once(']')
            .ok_or("an IPv6 address in brackets is missing its `]`")?;
        return match after.strip_prefix(':') {
            Some(port) => Ok((host, Some(parse_port(port)?))),
            None if after.is_empty() => Ok((host, None)),
            None => Err(format!("unexpected `{after}` after the host")),
        };
    }
    if host_port.matches(':').count() > 1 {
        return Err(format!(
            "`{host_port}` looks like an IPv6 address: put it in brackets, as in ssh://[::1]/path"
        ));
    }
    match host_port.split_once(':') {
        Some((host, port)) => Ok((host, Some(parse_port(port)?))),
        None => Ok((host_port, None)),
    }
}

/// Digits only: Rust's parser would take `+22` too, which no one means.
fn parse_port(port: &str) -> Result<u16, String> {
    Some(port)
        .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|p| p.parse::<u16>().ok())
        .filter(|p| *p > 0)
        .ok_or_else(|| format!("`{port}` is not a port number (1 to 65535)"))
}

fn check_name(name: &str, what: &str) -> Result<(), String> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "._-".contains(c);
    if name.is_empty() || name.starts_with('-') || !name.chars().all(allowed) {
        return Err(format!("`{name}` is not a {what} ssh accepts (letters, digits, `.`, `_`, `-`; not starting with `-`)"));
    }
    Ok(())
}

fn check_host(host: &str) -> Result<(), String> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "._-:".contains(c);
    if host.is_empty() {
        return Err("the address has no host".into());
    }
    if host.starts_with('-') || !host.chars().all(allowed) {
        return Err(format!("`{host}` is not a host name or address"));
    }
    Ok(())
}

/// Percent-decodes the path (a browser or a file manager may hand it over encoded) and checks
/// what the remote shell and the project need of it.
fn decode_path(raw: &str) -> Result<String, String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = raw.get(i + 1..i + 3).unwrap_or("");
            let byte = u8::from_str_radix(hex, 16)
                .map_err(|_| format!("`%{hex}` in the folder's path is not a percent-escape"))?;
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let path = String::from_utf8(out).map_err(|_| "the folder's path is not UTF-8".to_string())?;
    // Tab, escape and the like: they would reach the remote shell and the terminal as they are.
    if path.chars().any(char::is_control) {
        return Err("the folder's path holds a control character".into());
    }
    if path.split('/').any(|p| p == "..") {
        return Err("the folder's path must not contain `..`".into());
    }
    if path.len() > 1 && path.ends_with('/') {
        return Ok(path.trim_end_matches('/').to_string());
    }
    Ok(path)
}

impl fmt::Display for SshAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(SCHEME)?;
        if let Some(user) = &self.user {
            write!(f, "{user}@")?;
        }
        if self.host.contains(':') {
            write!(f, "[{}]", self.host)?;
        } else {
            f.write_str(&self.host)?;
        }
        if let Some(port) = self.port {
            write!(f, ":{port}")?;
        }
        // `%` is the one character parsing reads specially: written as an escape, the address
        // reads back as the same folder.
        f.write_str(&self.path.replace('%', "%25"))
    }
}

impl TryFrom<String> for SshAddress {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        Self::parse(&text)
    }
}

impl From<SshAddress> for String {
    fn from(address: SshAddress) -> String {
        address.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_part_is_read_and_written_back_the_same() {
        for text in [
            "ssh://lab/home/me/project",
            "ssh://me@lab.example.org:2222/srv/data/p",
            "ssh://[::1]:22/tmp/x",
            "ssh://u_1@10.0.0.2/",
        ] {
            let address = SshAddress::parse(text).unwrap();
            assert_eq!(address.to_string(), text);
        }
        let a = SshAddress::parse("ssh://me@lab:2222/home/me/my notes").unwrap();
        assert_eq!(a.user.as_deref(), Some("me"));
        assert_eq!((a.host.as_str(), a.port), ("lab", Some(2222)));
        assert_eq!(a.path, "/home/me/my notes");
        assert_eq!(a.host_label(), "me@lab:2222");
        assert_eq!(a.folder_name(), "my notes");
    }

    #[test]
    fn a_percent_in_the_folder_reads_back_as_the_same_folder() {
        for (text, path) in [
            ("ssh://lab/srv/path%20x", "/srv/path x"),
            ("ssh://lab/srv/100%25", "/srv/100%"),
            ("ssh://lab/srv/a%2525b", "/srv/a%25b"),
        ] {
            let a = SshAddress::parse(text).unwrap();
            assert_eq!(a.path, path, "{text}");
            let again = SshAddress::parse(&a.to_string()).unwrap();
            assert_eq!(again, a, "{text} written as {a}");
        }
        let v6 = SshAddress::parse("ssh://[::1]:2222/x").unwrap();
        assert_eq!((v6.host.as_str(), v6.port), ("::1", Some(2222)));
    }

    #[test]
    fn escapes_are_decoded_and_a_trailing_slash_dropped() {
        let a = SshAddress::parse("SSH://lab/home/me/caf%C3%A9%20data/").unwrap();
        assert_eq!(a.path, "/home/me/café data");
    }

    #[test]
    fn what_ssh_or_the_shell_could_misread_is_refused_with_a_reason() {
        for (text, why) in [
            ("/home/me/p", "starts with ssh://"),
            ("ssh://lab", "absolute path"),
            ("ssh://-oProxyCommand=x/tmp", "not a host"),
            ("ssh://-l@lab/tmp", "not a user name"),
            ("ssh://lab:0/tmp", "not a port"),
            ("ssh://lab:99999/tmp", "not a port"),
            ("ssh:///tmp", "no host"),
            ("ssh://lab/tmp/%0Arm", "control character"),
            ("ssh://lab/tmp/../etc", "`..`"),
            ("ssh://lab/tmp/%zz", "percent-escape"),
            ("ssh://a b@lab/tmp", "not a user name"),
            ("ssh://lab:+22/tmp", "not a port"),
            ("ssh://lab:/tmp", "not a port"),
            ("ssh://::1/x", "in brackets"),
            ("ssh://me@fe80::2:2222/x", "in brackets"),
            ("ssh://lab/tmp/a\tb", "control character"),
            ("ssh://lab/tmp/%09b", "control character"),
            ("ssh://lab/tmp/\u{1b}[31m", "control character"),
            ("ssh://lab/tmp/%1B", "control character"),
            ("ssh://lab/tmp/%7F", "control character"),
        ] {
            let err = SshAddress::parse(text).unwrap_err();
            assert!(err.contains(why), "{text}: {err}");
        }
    }

    #[test]
    fn only_the_scheme_makes_a_path_remote() {
        assert!(is_remote("ssh://lab/x"));
        assert!(is_remote("Ssh://lab/x"));
        assert!(!is_remote("./ssh://lab"));
        assert!(!is_remote("ssh:"));
        let a = SshAddress::parse("ssh://me@lab/a").unwrap();
        assert!(a.same_host(&SshAddress::parse("ssh://me@lab/b").unwrap()));
        assert!(!a.same_host(&SshAddress::parse("ssh://lab/a").unwrap()));
    }
}
