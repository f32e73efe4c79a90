//! One check: the manifest asked for (the updater plugin), the offered version judged, and every
//! way it can go wrong put in the window's words ([`Problem`]).

use std::time::Duration;

use serde::Serialize;
use tauri::{AppHandle, Runtime};
use tauri_plugin_updater::{Error as PluginError, Update, Updater, UpdaterExt};

use super::policy::{self, Os, Verdict};
use super::source::Overrides;

/// How long the manifest may take to arrive.
const CHECK_TIMEOUT: Duration = Duration::from_secs(30);
/// How long the package may take (it is 15–20 MB).
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// What a check found.
pub enum Checked {
    /// The manifest offers this version, or none.
    UpToDate,
    /// A newer version with an entry for this computer (its signature is checked on download).
    Found(Box<Update>),
}

/// An update that was refused, or that could not be looked for or installed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, rename = "UpdateProblem")]
pub struct Problem {
    /// Refused for safety (signature, downgrade, another platform), not just out of reach.
    pub refused: bool,
    pub message: String,
    /// What the user can do, and that nothing was changed.
    pub hint: String,
    /// The updater's own words, for "Copy details".
    pub details: String,
}

const NOTHING_CHANGED: &str = "Nothing was changed: this Darwinix keeps working as before.";

impl Problem {
    pub fn refused(message: String, hint: &str, details: String) -> Self {
        Self {
            refused: true,
            message,
            hint: format!("{NOTHING_CHANGED} {hint}"),
            details,
        }
    }

    pub fn failed(message: &str, hint: &str, details: String) -> Self {
        Self {
            refused: false,
            message: message.into(),
            hint: hint.into(),
            details,
        }
    }

    /// The plugin's error in the window's words.
    pub fn from_plugin(err: &PluginError) -> Self {
        let details = err.to_string();
        let retry = "Click Check now in Settings → Updates later, or download Darwinix from its release page.";
        match err {
            PluginError::TargetNotFound(_) | PluginError::TargetsNotFound(_) => Self::refused(
                "The update offered has no package for this computer, so it was refused.".into(),
                retry,
                details,
            ),
            PluginError::Minisign(_)
            | PluginError::Base64(_)
            | PluginError::SignatureUtf8(_)
            | PluginError::SignedVersionMismatch { .. }
            | PluginError::MissingSignedVersion => Self::refused(
                "The update's signature does not match Darwinix's signing key, so it was refused and not installed.".into(),
                retry,
                details,
            ),
            PluginError::InvalidUpdaterFormat | PluginError::BinaryNotFoundInArchive => Self::refused(
                "The download is not a Darwinix package for this computer, so it was refused.".into(),
                retry,
                details,
            ),
            PluginError::AuthenticationFailed
            | PluginError::PackageInstallFailed
            | PluginError::DebInstallFailed => Self::failed(
                "The update could not be installed.",
                "Nothing was changed: the administrator password was not given, or the installer stopped. Click Install and restart to try again, or download it from the release page.",
                details,
            ),
            PluginError::Reqwest(_) | PluginError::Network(_) | PluginError::ReleaseNotFound => {
                Self::failed(
                    "Could not reach Darwinix's update server.",
                    "Check the internet connection, then click Check now in Settings → Updates.",
                    details,
                )
            }
            PluginError::Serialization(_) | PluginError::Semver(_) | PluginError::UrlParse(_) => {
                Self::failed(
                    "The update server's answer could not be read.",
                    "Nothing was changed. Click Check now in Settings → Updates later.",
                    details,
                )
            }
            _ => Self::failed("The update did not work.", retry, details),
        }
    }
}

/// The OS as the policy names it.
pub fn this_os() -> Os {
    if cfg!(target_os = "linux") {
        Os::Linux
    } else if cfg!(target_os = "macos") {
        Os::MacOs
    } else if cfg!(windows) {
        Os::Windows
    } else {
        Os::Other
    }
}

/// The plugin's updater with our rules: every version other than ours comes back from the
/// plugin (its default treats an older one as "no update"), so that [`check`] can refuse a
/// downgrade out loud; Linux reads the `.deb` entry; test overrides (debug builds only).
pub fn updater<R: Runtime>(app: &AppHandle<R>, overrides: &Overrides) -> Result<Updater, Problem> {
    let mut builder = app
        .updater_builder()
        .version_comparator(|current, release| release.version != current)
        .timeout(CHECK_TIMEOUT);
    if let Some(target) = policy::manifest_target(this_os(), std::env::consts::ARCH) {
        builder = builder.target(target);
    }
    if let Some(key) = &overrides.pubkey {
        builder = builder.pubkey(key);
    }
    if let Some(endpoint) = &overrides.endpoint {
        builder = builder
            .endpoints(vec![endpoint.clone()])
            .map_err(|e| Problem::from_plugin(&e))?;
    }
    builder.build().map_err(|e| Problem::from_plugin(&e))
}

/// Asks the endpoint once. A newer version is found; ours is up to date; an older one is
/// refused; a manifest without our platform is refused (by the plugin's target lookup).
pub async fn check<R: Runtime>(
    app: &AppHandle<R>,
    overrides: &Overrides,
) -> Result<Checked, Problem> {
    let current = app.package_info().version.clone();
    let found = updater(app, overrides)?
        .check()
        .await
        .map_err(|e| Problem::from_plugin(&e))?;
    let Some(mut update) = found else {
        return Ok(Checked::UpToDate);
    };
    let offered = semver::Version::parse(&update.version).map_err(|e| {
        Problem::failed(
            "The update server's answer could not be read.",
            "",
            e.to_string(),
        )
    })?;
    match policy::verdict(&current, &offered) {
        Verdict::Newer => {
            update.timeout = Some(DOWNLOAD_TIMEOUT);
            Ok(Checked::Found(Box::new(update)))
        }
        Verdict::Same => Ok(Checked::UpToDate),
        Verdict::Older => Err(Problem::refused(
            format!("The update server offers Darwinix {offered}, older than this one ({current}), so it was refused."),
            "Going back to an older version is never done automatically.",
            format!("downgrade from {current} to {offered} refused"),
        )),
    }
}

/// Downloads the package; the plugin checks its signature against the public key before any
/// byte is returned (a tampered package or another key is refused here).
pub async fn download(update: &Update) -> Result<Vec<u8>, Problem> {
    update
        .download(|_, _| {}, || {})
        .await
        .map_err(|e| Problem::from_plugin(&e))
}
