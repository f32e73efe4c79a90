//! What a link names. A teacher's link comes in many shapes — a repository's page, a notebook's
//! page on GitHub, GitLab or Colab, a raw `.ipynb`, an nbgitpuller link made for a JupyterHub, or
//! Darwinix's own `darwinix://open?…` — and each is read here into one [`Link`], without
//! contacting anything (an nbgitpuller link's hub is never asked: its parameters say it all).
//!
//! A link is untrusted input (a web page can hand the app any `darwinix://` link), so only
//! `https://` reaches the network (and `http://` to this computer, which the tests' git server
//! is); `file://`, `ssh://`, credentials in the address, unknown parameters and paths that climb
//! out of the repository are refused with the reason.

use reqwest::Url;
use serde::{Deserialize, Serialize};

use crate::error::CourseError;
use crate::error::{Error, Result};

/// What a link opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export, rename = "CourseLink")]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Link {
    /// A git repository, cloned; `path` is the notebook (or folder) in it to open.
    #[serde(rename_all = "camelCase")]
    Repository {
        /// The address git clones from (`https://github.com/o/r`).
        url: String,
        /// `None`: the repository's default branch.
        branch: Option<String>,
        /// `/`-separated, inside the repository.
        path: Option<String>,
    },
    /// One notebook, downloaded alone into a new project.
    #[serde(rename_all = "camelCase")]
    Notebook {
        url: String,
        /// Its file name (`lesson 1.ipynb`).
        name: String,
    },
}

impl Link {
    /// The name of the folder it goes into: the repository's or the notebook's.
    pub fn folder_name(&self) -> String {
        let name = match self {
            Link::Repository { url, .. } => last_segment(url).trim_end_matches(".git").to_string(),
            Link::Notebook { name, .. } => name.trim_end_matches(".ipynb").to_string(),
        };
        let clean: String = name
            .chars()
            .map(|c| {
                if c.is_control() || "/\\:*?\"<>|".contains(c) {
                    '-'
                } else {
                    c
                }
            })
            .collect();
        match clean.trim_matches(|c: char| c == '.' || c.is_whitespace()) {
            "" => "course".into(),
            name => name.into(),
        }
    }

    /// The `darwinix://` link that opens the same thing.
    pub fn to_darwinix(&self) -> String {
        let mut link = Url::parse("darwinix://open").expect("a fixed address parses");
        {
            let mut query = link.query_pairs_mut();
            match self {
                Link::Repository { url, branch, path } => {
                    query.append_pair("repo", url);
                    if let Some(branch) = branch {
                        query.append_pair("branch", branch);
                    }
                    if let Some(path) = path {
                        query.append_pair("path", path);
                    }
                }
                Link::Notebook { url, .. } => {
                    query.append_pair("notebook", url);
                }
            }
        }
        link.into()
    }
}

/// Reads a link as the user pasted or clicked it.
pub fn parse(text: &str) -> Result<Link> {
    let text = text.trim();
    let refuse = |why: &str| {
        Error::Course(CourseError::LinkNotUnderstood {
            link: text.to_string(),
            why: why.to_string(),
        })
    };
    if text.chars().any(char::is_control) {
        return Err(refuse("it has control characters in it"));
    }
    let url = Url::parse(text)
        .map_err(|_| refuse("it is not a web address (it should start with https://)"))?;
    match url.scheme() {
        "darwinix" => darwinix(&url).map_err(|why| refuse(&why)),
        "https" | "http" => web(url).map_err(|why| refuse(&why)),
        "file" => Err(refuse("it names a file on a computer, not a public repository; open the folder with Open folder instead")),
        "ssh" | "git" | "git+ssh" => Err(refuse("only https:// repositories can be opened from a link (ssh needs keys of your own)")),
        other => Err(refuse(&format!("`{other}:` links are not supported; only https:// ones are"))),
    }
}

/// `darwinix://open?repo=…&branch=…&path=…` or `darwinix://open?notebook=…`.
fn darwinix(url: &Url) -> Result<Link, String> {
    if url.host_str() != Some("open") || !matches!(url.path(), "" | "/") {
        return Err("a Darwinix link starts with darwinix://open?".into());
    }
    let (mut repo, mut branch, mut path, mut notebook) = (None, None, None, None);
    for (key, value) in url.query_pairs() {
        let slot = match key.as_ref() {
            "repo" => &mut repo,
            "branch" => &mut branch,
            "path" => &mut path,
            "notebook" => &mut notebook,
            other => {
                return Err(format!(
                    "it has a parameter Darwinix does not know: `{other}`"
                ))
            }
        };
        if slot.replace(value.into_owned()).is_some() {
            return Err(format!("it gives `{key}` twice"));
        }
    }
    match (repo, notebook) {
        (Some(repo), None) => {
            let url = web_address(&repo)?;
            repository(url.as_str(), branch, path)
        }
        (None, Some(notebook)) if branch.is_none() && path.is_none() => {
            let url = web_address(&notebook)?;
            match notebook_name(&url) {
                Some(name) => Ok(Link::Notebook {
                    url: url.into(),
                    name,
                }),
                None => Err("its notebook address does not end in .ipynb".into()),
            }
        }
        (None, None) => {
            Err("it names no repository (`repo=`) and no notebook (`notebook=`)".into())
        }
        _ => Err("it names both a repository and a notebook".into()),
    }
}

/// A web address inside a `darwinix://` link, held to the same rules as a pasted one.
fn web_address(text: &str) -> Result<Url, String> {
    let url = Url::parse(text).map_err(|_| format!("`{text}` is not a web address"))?;
    allowed(&url)?;
    Ok(url)
}

/// `https://` anywhere, `http://` to this computer only (a course over plain http could be
/// changed on its way by anyone on the network), and no password in the address.
fn allowed(url: &Url) -> Result<(), String> {
    match url.scheme() {
        "https" => {}
        "http" if crate::http::is_loopback(url) => {}
        "http" => return Err("it is plain http:// to another computer (anyone on the network could change what arrives); use its https:// address".into()),
        other => return Err(format!("only https:// addresses can be opened, not `{other}:`")),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(
            "it has a user name or password in it; Darwinix opens public repositories only".into(),
        );
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("it names no host".into());
    }
    Ok(())
}

/// A pasted or clicked web address: a notebook's page, a repository, a raw notebook or an
/// nbgitpuller link.
fn web(url: Url) -> Result<Link, String> {
    allowed(&url)?;
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let parts: Vec<String> = segments(&url);
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    if parts.last() == Some(&"git-pull") {
        return nbgitpuller(&url);
    }
    let branch_param = url
        .query_pairs()
        .find(|(k, _)| k == "branch")
        .map(|(_, v)| v.into_owned());
    let origin = format!("{}://{}", url.scheme(), authority(&url));
    match (host.as_str(), parts.as_slice()) {
        (
            "github.com" | "www.github.com",
            [owner, repo, kind @ ("blob" | "tree"), reference, rest @ ..],
        ) => {
            let path = (!rest.is_empty()).then(|| rest.join("/"));
            let _ = kind;
            repository_parts(
                &format!("https://github.com/{owner}/{repo}"),
                reference,
                path,
            )
        }
        ("github.com" | "www.github.com", [owner, repo]) => repository(
            &format!("https://github.com/{owner}/{repo}"),
            branch_or_fragment(&url, branch_param),
            None,
        ),
        (
            "colab.research.google.com",
            ["github", owner, repo, "blob" | "tree", reference, rest @ ..],
        ) => {
            let path = (!rest.is_empty()).then(|| rest.join("/"));
            repository_parts(
                &format!("https://github.com/{owner}/{repo}"),
                reference,
                path,
            )
        }
        ("raw.githubusercontent.com", _) => raw_notebook(&url),
        _ if gitlab_split(&parts).is_some() => {
            // GitLab: `group/sub/project/-/blob/REF/PATH`.
            let (project, reference, rest) = gitlab_split(&parts).unwrap_or_default();
            let path = (!rest.is_empty()).then(|| rest.join("/"));
            repository_parts(&format!("{origin}/{}", project.join("/")), reference, path)
        }
        _ if notebook_name(&url).is_some() => raw_notebook(&url),
        (_, []) => Err("it names a web site, not a repository in it".into()),
        _ => {
            let base = format!("{origin}/{}", parts.join("/"));
            repository(&base, branch_or_fragment(&url, branch_param), None)
        }
    }
}

/// GitLab's `project/-/blob/REF/rest`: the project's segments, the reference, the rest.
fn gitlab_split<'a>(parts: &'a [&'a str]) -> Option<(&'a [&'a str], &'a str, &'a [&'a str])> {
    let dash = parts.iter().position(|p| *p == "-")?;
    match &parts[dash + 1..] {
        ["blob" | "tree", reference, rest @ ..] if dash > 0 => {
            Some((&parts[..dash], reference, rest))
        }
        _ => None,
    }
}

/// A repository from a notebook's page: the reference as given (a branch, a tag or a commit),
/// the path inside it.
fn repository_parts(url: &str, reference: &str, path: Option<String>) -> Result<Link, String> {
    repository(url, Some(reference.to_string()), path)
}

/// The branch in `#branch` or `?branch=` after a repository's address.
fn branch_or_fragment(url: &Url, param: Option<String>) -> Option<String> {
    param.or_else(|| url.fragment().filter(|f| !f.is_empty()).map(String::from))
}

/// An nbgitpuller link: `…/git-pull?repo=URL&branch=B&urlpath=lab/tree/DIR/nb.ipynb`
/// (`urlpath` names the clone's folder first, then the path in it).
fn nbgitpuller(url: &Url) -> Result<Link, String> {
    let (mut repo, mut branch, mut urlpath, mut sub) = (None, None, None, None);
    for (key, value) in url.query_pairs() {
        match key.as_ref() {
            "repo" => repo = Some(value.into_owned()),
            "branch" => branch = Some(value.into_owned()),
            "urlpath" => urlpath = Some(value.into_owned()),
            "subPath" | "subpath" => sub = Some(value.into_owned()),
            // targetPath, app, depth…: only where the hub would put it.
            _ => {}
        }
    }
    let repo = repo.ok_or("this nbgitpuller link names no repository (`repo=`)")?;
    let repo_url = web_address(&repo)?;
    let path = sub.or_else(|| urlpath.as_deref().and_then(path_in_urlpath));
    repository(repo_url.as_str(), branch.filter(|b| !b.is_empty()), path)
}

/// The path inside the clone from an nbgitpuller `urlpath`: after the interface's own prefix
/// (`lab/tree/`, `tree/`, `notebooks/`, `voila/render/`) comes the clone's folder, then the path.
fn path_in_urlpath(urlpath: &str) -> Option<String> {
    let urlpath = urlpath.trim_start_matches('/');
    let urlpath = urlpath.split(['?', '#']).next().unwrap_or_default();
    let rest = [
        "lab/tree/",
        "tree/",
        "notebooks/",
        "voila/render/",
        "doc/tree/",
    ]
    .iter()
    .find_map(|prefix| urlpath.strip_prefix(prefix))?;
    let (_folder, path) = rest.split_once('/')?;
    (!path.is_empty()).then(|| path.to_string())
}

/// A repository link, its parts checked.
fn repository(url: &str, branch: Option<String>, path: Option<String>) -> Result<Link, String> {
    let parsed = Url::parse(url).map_err(|_| format!("`{url}` is not a web address"))?;
    allowed(&parsed)?;
    if segments(&parsed).is_empty() {
        return Err("it names a web site, not a repository in it".into());
    }
    if let Some(branch) = &branch {
        if branch.is_empty()
            || branch.starts_with('-')
            || branch.contains("..")
            || branch
                .chars()
                .any(|c| c.is_control() || " ~^:?*[\\".contains(c))
        {
            return Err(format!("`{branch}` cannot be a branch's name"));
        }
    }
    let path = match path {
        Some(path) => Some(inside(&path)?).filter(|p| !p.is_empty()),
        None => None,
    };
    let mut clean = parsed;
    clean.set_query(None);
    clean.set_fragment(None);
    let url = clean.as_str().trim_end_matches('/').to_string();
    Ok(Link::Repository { url, branch, path })
}

/// A path inside the repository, `/`-separated; one that climbs out or is absolute is refused.
fn inside(path: &str) -> Result<String, String> {
    let path = path.trim_matches('/');
    if path.contains('\\') || path.chars().any(char::is_control) {
        return Err(format!("`{path}` is not a path inside the repository"));
    }
    let parts: Vec<&str> = path
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if parts
        .iter()
        .any(|p| *p == ".." || p.contains(':') || *p == ".git")
    {
        return Err(format!("`{path}` leads out of the repository"));
    }
    Ok(parts.join("/"))
}

/// A notebook downloaded alone.
fn raw_notebook(url: &Url) -> Result<Link, String> {
    let name = notebook_name(url).ok_or("it is a file that is not a notebook (.ipynb)")?;
    let mut clean = url.clone();
    clean.set_fragment(None);
    Ok(Link::Notebook {
        url: clean.into(),
        name,
    })
}

/// The notebook's file name, when the address ends in one.
fn notebook_name(url: &Url) -> Option<String> {
    let name = segments(url).pop()?;
    let stem = name.strip_suffix(".ipynb")?;
    (!stem.trim().is_empty() && !name.contains(['\\', ':'])).then_some(name)
}

/// The address's path segments, decoded (`Mes%20carnets` → `Mes carnets`).
fn segments(url: &Url) -> Vec<String> {
    url.path_segments()
        .map(|s| s.filter(|p| !p.is_empty()).map(percent_decode).collect())
        .unwrap_or_default()
}

fn last_segment(url: &str) -> String {
    Url::parse(url)
        .ok()
        .and_then(|u| segments(&u).pop())
        .unwrap_or_default()
}

/// `host` or `host:port`.
fn authority(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
#[path = "link_tests.rs"]
mod tests;
