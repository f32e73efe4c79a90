//! Signing the browser into a remote project's server.
//!
//! A local server checks that a sign-in link is opened by a browser of its own account (the
//! link is on the browser's command line, which other accounts can read on Linux). A remote
//! server cannot: every connection reaches it from the user's own sshd. So on Linux the
//! browser is not given the link but a page that leads there, in a private folder (0700, the
//! page 0600, as JupyterLab's own `jpserver-PID-open.html`): the link is on no command line.
//!
//! The link itself is handed over where that is safe or the page cannot work: on macOS and
//! Windows (another account cannot read a program's command line there), inside WSL (the
//! Windows browser cannot open a file of Linux's), and for a snap or Flatpak browser (it may
//! not read Darwinix's hidden data folder: "Access to the file was denied").

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::super::opening::{self, Opening};
use super::super::registry::Entry;
use super::{Link, NoLink};
use crate::fs::private;
use crate::paths::AppPaths;
use crate::reporter::Reporter;

/// Opens the browser on a remote project's server, reached on this computer's `entry.port`,
/// signed in with `link` (which Darwinix asked for through its own way there, not that port).
pub async fn open(
    paths: &AppPaths,
    entry: &Entry,
    notebook: Option<&str>,
    link: Result<Link, NoLink>,
    reporter: &dyn Reporter,
) -> Opening {
    let dir = pages_dir(paths);
    let hand_over = |link: &Link| match super::confined::plain_link_reason() {
        Some(_why) => Ok(link.url.clone()),
        None => write_page(&dir, link),
    };
    opening::open_with(paths, entry, notebook, link, &hand_over, reporter).await
}

/// The private folder of the redirect pages.
pub fn pages_dir(paths: &AppPaths) -> PathBuf {
    paths.server_runtime_root().join("remote-sign-in")
}

/// A page is of no use after its link expired (a minute); it is removed some time later, as
/// the browser may be slow to read it.
const PAGE_KEPT: Duration = Duration::from_secs(180);

/// Writes a page that leads to `link` and returns its address for the browser.
fn write_page(dir: &Path, link: &Link) -> Result<String, String> {
    let failed = |e: crate::error::Error| format!("could not write the sign-in page: {e}");
    private::create_dir(dir).map_err(failed)?;
    remove_old_pages(dir);
    let name = format!(
        "{}.html",
        &super::super::token::new_token().map_err(failed)?[..32]
    );
    let page = dir.join(name);
    private::write_file(&page, page_text(&link.url).as_bytes()).map_err(failed)?;
    Ok(file_url(&page))
}

fn remove_old_pages(dir: &Path) {
    let Ok(files) = std::fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for file in files.flatten() {
        let old = file
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| now.duration_since(t).unwrap_or_default() > PAGE_KEPT);
        if old && file.path().extension().is_some_and(|e| e == "html") {
            let _ = std::fs::remove_file(file.path());
        }
    }
}

fn page_text(url: &str) -> String {
    let url = url
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;");
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\
         <meta name=\"referrer\" content=\"no-referrer\">\
         <meta http-equiv=\"refresh\" content=\"0;url={url}\">\
         <title>Opening JupyterLab</title></head>\n\
         <body><p><a href=\"{url}\">Continue to JupyterLab</a></p></body></html>\n"
    )
}

/// `file://` and the path, its bytes outside the safe set percent-escaped.
fn file_url(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut url = String::from("file://");
    if !text.starts_with('/') {
        url.push('/');
    }
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~:".contains(&b) {
            url.push(b as char);
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_leads_to_the_link_and_only_its_owner_may_read_it() {
        let home = tempfile::tempdir().unwrap();
        let dir = pages_dir(&AppPaths::under(&home.path().join("my data")));
        let link = Link {
            url: "http://127.0.0.1:4000/darwinix/login/n0nce".into(),
            target: "http://127.0.0.1:4000/lab".into(),
        };
        let url = write_page(&dir, &link).unwrap();
        assert!(!url.contains("n0nce"), "{url}");
        assert!(
            url.starts_with("file:///") && url.contains("my%20data"),
            "{url}"
        );
        let page = std::fs::read_dir(&dir).unwrap().next().unwrap().unwrap();
        let text = std::fs::read_to_string(page.path()).unwrap();
        assert!(text.contains("content=\"0;url=http://127.0.0.1:4000/darwinix/login/n0nce\""));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&dir), 0o700);
            assert_eq!(mode(&page.path()), 0o600);
        }
    }
}
