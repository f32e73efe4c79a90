//! Share… in the window: what a shared file would hold (with the big files to decide on), the
//! link that opens the project when it is a public repository's checkout, the file itself, and
//! opening one (a double-clicked `.darwinix.zip`).

use std::path::PathBuf;

use darwinix_core::course;
use darwinix_core::paths::AppPaths;
use darwinix_core::reporter::SetupEvent;
use darwinix_core::share::{self, LargeFiles, ShareFile, ShareOptions, SharePlan, Shared};
use darwinix_core::target::Target;
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::State;

use crate::commands::OpenTarget;
use crate::home::ProjectView;
use crate::ipc_error::{IpcError, IpcResult};
use crate::progress::forward;
use crate::target;

/// What the Share… dialog shows before anything is written.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct ShareView {
    pub plan: SharePlan,
    /// The files over `limit`, biggest first: left out unless the user ticks them in.
    pub big: Vec<ShareFile>,
    #[ts(type = "number")]
    pub limit: u64,
    /// The `darwinix://` link that opens the project, when it is a checkout of a public https
    /// repository.
    pub link: Option<String>,
    /// Why there is no link, in words.
    pub no_link: Option<String>,
}

/// What sharing the project at `dir` would put in, and its link when it has one.
#[tauri::command]
pub async fn share_plan(paths: State<'_, AppPaths>, dir: PathBuf) -> IpcResult<ShareView> {
    let project = target::here(&dir, "Sharing")?;
    let paths = paths.inner().clone();
    tauri::async_runtime::spawn_blocking(move || {
        let plan = share::plan(&paths, &project.dir)?;
        let limit = share::DEFAULT_MAX_FILE_BYTES;
        let big = plan.over(limit).into_iter().cloned().collect();
        let (link, no_link) = match course::darwinix_link(&project.dir) {
            Ok(link) => (Some(link), None),
            Err(err) => (None, Some(err.to_string())),
        };
        Ok(ShareView {
            plan,
            big,
            limit,
            link,
            no_link,
        })
    })
    .await
    .map_err(|e| IpcError::new(e.to_string()))?
}

/// Writes the shared file: `include_large` says yes to the big files the dialog listed (else
/// they are left out, and said so); `offline` puts the packages in; `out` is where the save
/// dialog said.
#[tauri::command]
pub async fn share_export(
    paths: State<'_, AppPaths>,
    dir: PathBuf,
    offline: bool,
    include_large: bool,
    out: Option<PathBuf>,
    on_event: Channel<SetupEvent>,
) -> IpcResult<Shared> {
    let project = target::here(&dir, "Sharing")?;
    let options = ShareOptions {
        offline,
        large: match include_large {
            true => LargeFiles::Include,
            false => LargeFiles::LeaveOut,
        },
        out,
        ..ShareOptions::default()
    };
    Ok(share::export(&paths, &project.dir, &options, &forward(on_event)).await?)
}

/// Opens a shared project file: unpacked (every entry checked first) into a new folder where
/// courses go, made the current project, with the notebook to open first.
#[tauri::command]
pub async fn open_shared(paths: State<'_, AppPaths>, file: PathBuf) -> IpcResult<OpenTarget> {
    let imported = share::import_for_start(&paths, &file).await?;
    let notebook = imported.notebook.as_deref().and_then(|n| {
        let relative = n.strip_prefix(&imported.dir).ok()?;
        Some(relative.to_string_lossy().replace('\\', "/"))
    });
    let (target, _) = Target::named(&imported.dir)?;
    target.remember(&paths)?;
    Ok(OpenTarget {
        project: ProjectView::of(&target, vec![]),
        notebook,
    })
}
