//! Installing the update found: can this copy install at all (the facts for
//! `policy::install_way`), then download and verify, the servers kept or stopped, the
//! installer, and the restart.

use std::path::Path;

use darwinix_core::jupyter;
use darwinix_core::paths::{absolute_dirs, AppPaths};
use serde::Deserialize;
use tauri::utils::config::BundleType;
use tauri::{AppHandle, Manager, Runtime};

use super::check::{self, this_os, Problem};
use super::policy::{self, Bundle, InstallFacts, InstallWay};
use super::state::{State, UpdateState};

/// What the user answered to "keep the running notebooks or stop them?".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub enum ServersOnUpdate {
    /// They keep running (they are separate processes); the new app finds them again.
    Keep,
    Stop,
}

/// This copy of the app, as `policy::install_way` needs it.
pub fn facts() -> InstallFacts {
    let exe = std::env::current_exe().unwrap_or_default();
    let on_path = |name: &str| {
        let path = std::env::var_os("PATH").unwrap_or_default();
        absolute_dirs(&path)
            .iter()
            .chain([Path::new("/usr/bin").to_path_buf()].iter())
            .any(|dir| dir.join(name).is_file())
    };
    InstallFacts {
        os: this_os(),
        bundle: bundle(),
        in_app_bundle: exe.to_string_lossy().contains(".app/Contents/MacOS"),
        pkexec: cfg!(target_os = "linux") && on_path("pkexec"),
        password_dialog: cfg!(target_os = "linux")
            && (on_path("zenity") || on_path("kdialog"))
            && on_path("sudo"),
    }
}

/// The installer Tauri's bundler marked this executable with.
fn bundle() -> Bundle {
    match tauri::utils::platform::bundle_type() {
        Some(BundleType::Deb) => Bundle::Deb,
        Some(BundleType::Rpm) => Bundle::Rpm,
        Some(BundleType::AppImage) => Bundle::AppImage,
        Some(BundleType::App | BundleType::Dmg) => Bundle::App,
        Some(BundleType::Msi) => Bundle::Msi,
        Some(BundleType::Nsis) => Bundle::Nsis,
        _ => Bundle::Unknown,
    }
}

/// Downloads and verifies the update found, then (only then) keeps or stops the servers and
/// runs the installer. Returns when the new version is in place; the caller restarts. On
/// Windows the plugin starts the installer and ends the app itself.
pub async fn install<R: Runtime>(
    app: &AppHandle<R>,
    paths: &AppPaths,
    servers: ServersOnUpdate,
) -> Result<(), Problem> {
    let state = app.state::<State>();
    let Some(update) = state.offer() else {
        return Err(Problem::failed(
            "There is no update to install.",
            "Click Check now in Settings → Updates.",
            String::new(),
        ));
    };
    if let InstallWay::Download { why } = policy::install_way(&facts()) {
        return Err(Problem::failed(
            &why,
            "Download it from the release page.",
            why.clone(),
        ));
    }
    let fail = |p: Problem| {
        state.set(app, paths, UpdateState::Problem(p.clone()));
        p
    };
    let step = |s: &str| UpdateState::Installing { step: s.into() };
    state.set(
        app,
        paths,
        step(&format!("Downloading Darwinix {}…", update.version)),
    );
    let bytes = check::download(&update).await.map_err(fail)?;
    // The package is verified: only now is anything touched.
    state.set(app, paths, step("Installing…"));
    let stopped = match servers {
        ServersOnUpdate::Stop => jupyter::stop_all(paths).await,
        // Servers kept ready for the instant start were never asked for: they always go.
        ServersOnUpdate::Keep => jupyter::spare::stop_spares(paths, None).await,
    };
    if let Err(err) = stopped {
        return Err(fail(Problem::failed(
            "The running notebooks could not all be stopped, so the update was not installed.",
            "Stop them in Running servers, then click Install and restart again.",
            err.to_string(),
        )));
    }
    let installed = tauri::async_runtime::spawn_blocking(move || update.install(bytes)).await;
    match installed {
        Ok(Ok(())) => Ok(()),
        Ok(Err(err)) => Err(fail(Problem::from_plugin(&err))),
        Err(err) => Err(fail(Problem::failed(
            "The installer stopped.",
            "",
            err.to_string(),
        ))),
    }
}
