//! A repository's size before its download, where the host says it: GitHub's public API gives
//! it (in KB) without signing in, so a course bigger than the limit is asked about before a
//! byte of it arrives. Elsewhere the download itself stops at the limit (`git::clone`).

use std::time::Duration;

use reqwest::Url;

/// How long the size may take: it only saves time when it is quick.
const TIMEOUT: Duration = Duration::from_secs(5);

/// The size GitHub gives for `url`'s repository; `None` for other hosts, or when it does not
/// answer in time (the limit during the download still holds).
pub(super) async fn known(url: &str) -> Option<u64> {
    let api = github_api(url)?;
    let client = crate::http::client(&api).ok()?;
    let reply = client
        .get(api)
        .header("accept", "application/vnd.github+json")
        .timeout(TIMEOUT)
        .send()
        .await
        .ok()?;
    if !reply.status().is_success() {
        return None;
    }
    let body: serde_json::Value = reply.json().await.ok()?;
    body.get("size")?.as_u64().map(|kb| kb * 1024)
}

/// `https://github.com/O/R(.git)` → `https://api.github.com/repos/O/R`.
fn github_api(url: &str) -> Option<Url> {
    let parsed = Url::parse(url).ok()?;
    if parsed.scheme() != "https" || !parsed.host_str()?.eq_ignore_ascii_case("github.com") {
        return None;
    }
    let mut parts = parsed.path_segments()?.filter(|p| !p.is_empty());
    let (owner, repo) = (parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let repo = repo.strip_suffix(".git").unwrap_or(repo);
    Url::parse(&format!("https://api.github.com/repos/{owner}/{repo}")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_github_repository_is_asked_for_its_size() {
        assert_eq!(
            github_api("https://github.com/ann/course.git").map(String::from),
            Some("https://api.github.com/repos/ann/course".into())
        );
        assert_eq!(github_api("https://gitlab.com/ann/course"), None);
        assert_eq!(github_api("http://127.0.0.1:9/course.git"), None);
        assert_eq!(github_api("https://github.com/ann"), None);
    }
}
