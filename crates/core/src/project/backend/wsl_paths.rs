//! Where WSL paths are translated: a folder of the Windows side (`C:\Users\…`, `\\wsl$\…`) as
//! the distro names it (`/mnt/c/Users/…`, `/home/…`). Pure, so every form is tested on Linux.

/// Why a folder of this computer has no name inside the distro.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unmappable {
    /// `\\server\share\…`: WSL cannot reach network shares by path.
    NetworkShare,
    /// `\\wsl$\OTHER\…`: the folder lives in another distro.
    OtherDistro(String),
    Relative,
}

/// The distro's name for a path of the Windows side. Pure (strings in, string out), so every
/// form is tested on Linux. A path already in Linux form is returned as it is: that is what the
/// Linux build running a stand-in `wsl.exe` passes.
pub fn to_guest(host: &str, distro: &str) -> std::result::Result<String, Unmappable> {
    if host.starts_with('/') {
        return Ok(host.to_string());
    }
    let path = host.replace('/', "\\");
    // Verbatim prefixes: `\\?\C:\…` and `\\?\UNC\server\share\…`.
    let path = match path.strip_prefix(r"\\?\") {
        Some(rest) => match rest.strip_prefix(r"UNC\") {
            Some(unc) => format!(r"\\{unc}"),
            None => rest.to_string(),
        },
        None => path,
    };
    if let Some(unc) = path.strip_prefix(r"\\") {
        let mut parts = unc.split('\\').filter(|p| !p.is_empty());
        let server = parts.next().unwrap_or("");
        if server.eq_ignore_ascii_case("wsl$") || server.eq_ignore_ascii_case("wsl.localhost") {
            let owner = parts.next().unwrap_or("");
            if !owner.eq_ignore_ascii_case(distro) {
                return Err(Unmappable::OtherDistro(owner.to_string()));
            }
            let rest: Vec<&str> = parts.collect();
            return Ok(format!("/{}", rest.join("/")));
        }
        return Err(Unmappable::NetworkShare);
    }
    let bytes = path.as_bytes();
    if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        let drive = (bytes[0] as char).to_ascii_lowercase();
        let rest: Vec<&str> = path[2..].split('\\').filter(|p| !p.is_empty()).collect();
        return Ok(if rest.is_empty() {
            format!("/mnt/{drive}")
        } else {
            format!("/mnt/{drive}/{}", rest.join("/"))
        });
    }
    Err(Unmappable::Relative)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_paths_become_distro_paths() {
        let cases = [
            (
                r"C:\Users\Ann\My Notebooks é",
                "/mnt/c/Users/Ann/My Notebooks é",
            ),
            (r"d:\data\", "/mnt/d/data"),
            (r"C:\", "/mnt/c"),
            ("C:/Users/Ann/proj", "/mnt/c/Users/Ann/proj"),
            (r"\\?\C:\Users\Ann\proj", "/mnt/c/Users/Ann/proj"),
            (r"\\wsl$\Ubuntu\home\ann\proj", "/home/ann/proj"),
            (r"\\wsl.localhost\ubuntu\home\ann\p q", "/home/ann/p q"),
            (r"\\?\UNC\wsl.localhost\Ubuntu\home\ann", "/home/ann"),
            ("/home/ann/proj", "/home/ann/proj"),
        ];
        for (host, guest) in cases {
            assert_eq!(to_guest(host, "Ubuntu").as_deref(), Ok(guest), "{host}");
        }
        assert_eq!(
            to_guest(r"\\wsl$\Debian\home\ann", "Ubuntu"),
            Err(Unmappable::OtherDistro("Debian".into()))
        );
        assert_eq!(
            to_guest(r"\\fileserver\share\proj", "Ubuntu"),
            Err(Unmappable::NetworkShare)
        );
        assert_eq!(
            to_guest(r"\\?\UNC\fileserver\share", "Ubuntu"),
            Err(Unmappable::NetworkShare)
        );
        assert_eq!(to_guest("proj", "Ubuntu"), Err(Unmappable::Relative));
    }
}
