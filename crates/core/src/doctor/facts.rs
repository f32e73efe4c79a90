//! The machine facts behind the report, gathered at once: each detector waits on a different
//! program or file, so running them side by side keeps `doctor` as slow as its slowest one.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::machine::gpu::{self, GpuReport};
use crate::machine::nix::{self, NixStatus};
use crate::machine::os::OsInfo;
use crate::machine::resources::{self, Resources};
use crate::machine::wsl::{self, WslHost};
use crate::python::cache::ProbeCache;
use crate::python::{discover, Discovery, SearchPlan};

use super::DoctorOptions;

pub(super) struct Facts {
    pub resources: Resources,
    pub nix: NixStatus,
    pub wsl: Option<WslHost>,
    pub gpu: GpuReport,
    pub discovery: Discovery,
    /// The probe cache could not be saved: the next run probes every interpreter again.
    pub cache_error: Option<crate::Error>,
}

/// `path` is the repaired `PATH` that `plan` was made from; Nix is looked for there too.
pub(super) async fn gather(
    options: &DoctorOptions,
    plan: &SearchPlan,
    os: &OsInfo,
    path: &OsStr,
) -> Facts {
    let nix_dirs = nix_dirs(path);
    let project_dir = options.paths.default_project.clone();
    let cache_file = options.paths.interpreter_cache();
    let (resources, nix, wsl, gpu, (discovery, cache_error)) = tokio::join!(
        resources_off_thread(project_dir),
        nix::detect(&nix_dirs),
        async { cfg!(windows).then_some(wsl::detect_host().await) },
        gpu::detect(&os.family, &os.arch, os.version.as_deref()),
        discover_cached(plan, &cache_file, options.probe_timeout),
    );
    let resources = resources.unwrap_or_else(|| resources::detect(&options.paths.default_project));
    Facts {
        resources,
        nix,
        wsl,
        gpu,
        discovery,
        cache_error,
    }
}

/// PATH first, then where Nix installers put `nix` even when the shell was not set up for it.
fn nix_dirs(path: &OsStr) -> Vec<PathBuf> {
    let home = crate::paths::home_dir();
    let user = std::env::var(crate::env_vars::USER).ok();
    let mut dirs = crate::paths::absolute_dirs(path);
    dirs.extend(nix::well_known_dirs(home.as_deref(), user.as_deref()));
    dirs
}

/// Measuring the disk and memory blocks; `None` when that thread failed, and the caller asks
/// again in place.
async fn resources_off_thread(project_dir: PathBuf) -> Option<Resources> {
    tokio::task::spawn_blocking(move || resources::detect(&project_dir))
        .await
        .ok()
}

async fn discover_cached(
    plan: &SearchPlan,
    cache_file: &Path,
    timeout: Duration,
) -> (Discovery, Option<crate::Error>) {
    let mut cache = ProbeCache::load(cache_file);
    let found = discover(plan, &mut cache, timeout).await;
    (found, cache.save().err())
}
