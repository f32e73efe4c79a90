//! uv's cache: where it is (uv is asked, so `UV_CACHE_DIR` and uv's own settings count, exactly
//! as they do for Darwinix's installs) and `uv cache prune`, which removes only the entries no
//! longer used. The cache is uv's, shared with any uv on this computer: uninstall leaves it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;

use super::cleaned::{Cleaned, Problem, Removed};
use super::space::measure_dir;
use crate::error::{Error, Result};
use crate::paths::AppPaths;
use crate::python::SearchPlan;
use crate::{env_vars, process};

/// How long `uv cache dir` may take.
const ASK_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a prune may take (a cache of many gigabytes on a slow disk).
const PRUNE_TIMEOUT: Duration = Duration::from_secs(30 * 60);

#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct UvCacheSpace {
    /// The uv Darwinix uses; `None` when there is none yet (then there is no figure).
    pub uv: Option<PathBuf>,
    pub path: Option<PathBuf>,
    #[ts(type = "number")]
    pub bytes: u64,
    pub problems: Vec<Problem>,
}

/// The uv Darwinix's installs use (bundled, on the search path, or fetched earlier).
async fn find_uv(paths: &AppPaths) -> Option<PathBuf> {
    let plan = SearchPlan::from_env(&crate::machine::shell_env::repaired_path().await);
    crate::install::uv::find(paths, &plan)
}

/// `uv` with the environment Darwinix's installs give it.
fn uv_command(uv: &Path, args: &[&str]) -> tokio::process::Command {
    let mut cmd = process::command(uv);
    cmd.args(args);
    process::clean_python_env(&mut cmd).env(env_vars::UV_NO_PROGRESS, "1");
    cmd
}

/// Where uv keeps its cache, as uv says.
async fn cache_dir(uv: &Path) -> Result<PathBuf> {
    let out = process::output(uv_command(uv, &["cache", "dir"]), ASK_TIMEOUT).await?;
    let text = out.stdout_text();
    let dir = text.trim();
    if !out.success() || dir.is_empty() {
        return Err(Error::UvCache {
            action: "name",
            detail: out.stderr_text().trim().to_string(),
        });
    }
    Ok(PathBuf::from(dir))
}

/// The cache, measured.
pub(super) async fn locate(paths: &AppPaths) -> UvCacheSpace {
    let Some(uv) = find_uv(paths).await else {
        return UvCacheSpace {
            uv: None,
            path: None,
            bytes: 0,
            problems: Vec::new(),
        };
    };
    match cache_dir(&uv).await {
        Ok(dir) => {
            let (bytes, problems) = measure_dir(&dir).await;
            UvCacheSpace {
                uv: Some(uv),
                path: Some(dir),
                bytes,
                problems,
            }
        }
        Err(e) => UvCacheSpace {
            uv: Some(uv),
            path: None,
            bytes: 0,
            problems: vec![Problem::from(&e)],
        },
    }
}

/// `uv cache prune`: what no environment and no index answer needs any more. The space given
/// back is measured before and after (environments keep their hard-linked files).
pub async fn prune_uv_cache(paths: &AppPaths) -> Cleaned {
    let mut cleaned = Cleaned::default();
    let before = locate(paths).await;
    let (Some(uv), Some(dir)) = (before.uv, before.path) else {
        cleaned.problems.extend(before.problems);
        return cleaned;
    };
    let pruned = process::output(uv_command(&uv, &["cache", "prune"]), PRUNE_TIMEOUT).await;
    let failed = match pruned {
        Ok(out) if out.success() => None,
        Ok(out) => Some(Error::UvCache {
            action: "prune",
            detail: out.stderr_text().trim().to_string(),
        }),
        Err(e) => Some(e),
    };
    cleaned.problems.extend(failed.as_ref().map(Problem::from));
    let (after, problems) = measure_dir(&dir).await;
    cleaned.problems.extend(problems);
    cleaned.removed.push(Removed {
        what: "unused entries of uv's cache".into(),
        path: Some(dir),
        bytes: before.bytes.saturating_sub(after),
    });
    cleaned
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    /// A stand-in uv that answers `cache dir` and prunes by removing `old/`, so the parsing and
    /// the before/after figures are tested without the network (the CLI tests run the real one).
    fn fake_uv(dir: &Path, cache: &Path) -> PathBuf {
        let uv = dir.join("uv");
        let body = format!(
            "#!/bin/sh\ncase \"$2\" in dir) echo '{c}';; prune) rm -rf '{c}/old';; esac\n",
            c = cache.display()
        );
        std::fs::write(&uv, body).unwrap();
        std::fs::set_permissions(&uv, std::fs::Permissions::from_mode(0o755)).unwrap();
        uv
    }

    #[tokio::test]
    async fn the_cache_is_where_uv_says_and_pruning_counts_what_went() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = tmp.path().join("cache dir");
        std::fs::create_dir_all(cache.join("old")).unwrap();
        std::fs::create_dir_all(cache.join("wheels")).unwrap();
        std::fs::write(cache.join("old/a"), vec![0u8; 64_000]).unwrap();
        std::fs::write(cache.join("wheels/b"), vec![0u8; 8_000]).unwrap();
        let uv = fake_uv(tmp.path(), &cache);
        assert_eq!(cache_dir(&uv).await.unwrap(), cache);
        let out = process::output(uv_command(&uv, &["cache", "prune"]), ASK_TIMEOUT).await;
        assert!(out.unwrap().success());
        assert!(!cache.join("old").exists() && cache.join("wheels/b").exists());
    }
}
