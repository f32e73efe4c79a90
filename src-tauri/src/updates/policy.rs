//! The updates' decisions, pure: are checks on, is one due, is an offered version an update, and
//! can this copy of the app install one itself. Everything here is decided from plain inputs,
//! so the tests below cover every branch without a network or an installer.

use std::ffi::OsStr;
use std::time::{Duration, SystemTime};

use semver::Version;
use serde::Serialize;

/// Updates are looked for at most this often (the background check after launch).
pub const CHECK_EVERY: Duration = Duration::from_secs(24 * 60 * 60);

/// Whether the app may ask for updates at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, rename = "UpdateChecks")]
#[serde(rename_all = "camelCase")]
pub enum Checks {
    On,
    /// Settings → Updates turned them off.
    OffInSettings,
    /// `DARWINIX_NO_UPDATE_CHECK` is set (a managed install): Settings cannot turn them on.
    OffByEnvironment,
}

/// The environment variable wins over the setting: an administrator's choice.
pub fn checks(setting: bool, no_update_check: Option<&OsStr>) -> Checks {
    if no_update_check.is_some_and(|v| !v.is_empty()) {
        Checks::OffByEnvironment
    } else if setting {
        Checks::On
    } else {
        Checks::OffInSettings
    }
}

/// A background check is due when none was made in the last day. A last check in the future
/// (the clock was turned back) does not hold checks off for long: more than a day ahead is due.
pub fn is_due(last: Option<SystemTime>, now: SystemTime) -> bool {
    match last {
        None => true,
        Some(last) => match now.duration_since(last) {
            Ok(since) => since >= CHECK_EVERY,
            Err(ahead) => ahead.duration() > CHECK_EVERY,
        },
    }
}

/// What an offered version is to this app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Newer,
    Same,
    /// A downgrade: refused (an old release can have holes the new one fixed).
    Older,
}

pub fn verdict(current: &Version, offered: &Version) -> Verdict {
    match offered.cmp(current) {
        std::cmp::Ordering::Greater => Verdict::Newer,
        std::cmp::Ordering::Equal => Verdict::Same,
        std::cmp::Ordering::Less => Verdict::Older,
    }
}

/// How this copy of the app was installed (Tauri marks the bundled executable with it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bundle {
    Deb,
    Rpm,
    AppImage,
    /// macOS: an `.app` (from the `.dmg`).
    App,
    Msi,
    Nsis,
    /// Not from an installer: a build folder, `cargo run`, a copied binary.
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Os {
    Linux,
    MacOs,
    Windows,
    Other,
}

/// What decides whether the updater plugin can install here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstallFacts {
    pub os: Os,
    pub bundle: Bundle,
    /// macOS: the executable is inside an `.app` (the plugin replaces the whole bundle).
    pub in_app_bundle: bool,
    /// Linux: `pkexec` (polkit's password prompt) is on the search path.
    pub pkexec: bool,
    /// Linux: `zenity` or `kdialog` with `sudo`, the plugin's other graphical prompt.
    pub password_dialog: bool,
}

/// Install with the plugin, or show the release page's link and say why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstallWay {
    Here,
    Download { why: String },
}

/// The plugin installs a `.deb` with `dpkg -i` as root, asking through pkexec or a
/// zenity/kdialog password dialog (and else `sudo` on a terminal the app does not have); an
/// AppImage or a build folder it would overwrite in place, which we never want for a copy that
/// did not come from our package. macOS: it swaps the `.app`; Windows: it runs the installer.
pub fn install_way(facts: &InstallFacts) -> InstallWay {
    let download = |why: &str| InstallWay::Download { why: why.into() };
    match facts.os {
        Os::Linux if facts.bundle != Bundle::Deb => download(
            "This Darwinix was not installed from the .deb package, so it cannot replace itself.",
        ),
        Os::Linux if !facts.pkexec && !facts.password_dialog => download(
            "This computer has no way to ask for the administrator password (pkexec) that installing the package needs.",
        ),
        Os::Linux => InstallWay::Here,
        Os::MacOs if facts.in_app_bundle => InstallWay::Here,
        Os::MacOs => download("This Darwinix is not running from an installed app."),
        Os::Windows if matches!(facts.bundle, Bundle::Msi | Bundle::Nsis) => InstallWay::Here,
        Os::Windows => download("This Darwinix was not installed with its installer."),
        Os::Other => download("Darwinix cannot update itself on this system."),
    }
}

/// The manifest entry the app takes (`None`: the plugin's own choice, `{os}-{arch}-{bundle}`
/// then `{os}-{arch}`). Linux always reads the `.deb` entry, the only Linux package released, so
/// a copy that cannot install it still learns of the new version and gets the link.
pub fn manifest_target(os: Os, arch: &str) -> Option<String> {
    (os == Os::Linux).then(|| format!("linux-{arch}-deb"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn the_environment_overrides_the_setting() {
        assert_eq!(checks(true, None), Checks::On);
        assert_eq!(checks(false, None), Checks::OffInSettings);
        assert_eq!(
            checks(true, Some(OsStr::new("1"))),
            Checks::OffByEnvironment
        );
        assert_eq!(
            checks(false, Some(OsStr::new("yes"))),
            Checks::OffByEnvironment
        );
        assert_eq!(
            checks(true, Some(OsStr::new(""))),
            Checks::On,
            "empty = unset"
        );
    }

    #[test]
    fn a_check_is_due_once_a_day() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let hours = |h: u64| Duration::from_secs(h * 3600);
        assert!(is_due(None, now));
        assert!(!is_due(Some(now), now));
        assert!(!is_due(Some(now - hours(23)), now));
        assert!(is_due(Some(now - hours(24)), now));
        assert!(is_due(Some(now - hours(24 * 40)), now));
        assert!(!is_due(Some(now + hours(2)), now), "a little clock skew");
        assert!(is_due(Some(now + hours(48)), now), "the clock went back");
    }

    #[test]
    fn only_a_newer_version_is_an_update() {
        assert_eq!(verdict(&v("0.1.0"), &v("0.2.0")), Verdict::Newer);
        assert_eq!(verdict(&v("0.1.0"), &v("0.1.0")), Verdict::Same);
        assert_eq!(verdict(&v("0.2.0"), &v("0.1.9")), Verdict::Older);
        assert_eq!(verdict(&v("1.0.0"), &v("1.0.0-rc.1")), Verdict::Older);
        assert_eq!(verdict(&v("1.0.0-rc.1"), &v("1.0.0")), Verdict::Newer);
    }

    fn linux(bundle: Bundle, pkexec: bool, password_dialog: bool) -> InstallFacts {
        InstallFacts {
            os: Os::Linux,
            bundle,
            in_app_bundle: false,
            pkexec,
            password_dialog,
        }
    }

    #[test]
    fn linux_installs_only_its_deb_with_a_password_prompt() {
        assert_eq!(
            install_way(&linux(Bundle::Deb, true, false)),
            InstallWay::Here
        );
        assert_eq!(
            install_way(&linux(Bundle::Deb, false, true)),
            InstallWay::Here
        );
        let no_prompt = install_way(&linux(Bundle::Deb, false, false));
        assert!(matches!(&no_prompt, InstallWay::Download { why } if why.contains("pkexec")));
        for bundle in [Bundle::Unknown, Bundle::AppImage, Bundle::Rpm] {
            let way = install_way(&linux(bundle, true, true));
            assert!(
                matches!(&way, InstallWay::Download { why } if why.contains(".deb")),
                "{bundle:?}"
            );
        }
    }

    #[test]
    fn macos_and_windows_install_what_their_installers_made() {
        let mac = |in_app_bundle| InstallFacts {
            os: Os::MacOs,
            bundle: Bundle::App,
            in_app_bundle,
            pkexec: false,
            password_dialog: false,
        };
        assert_eq!(install_way(&mac(true)), InstallWay::Here);
        assert!(matches!(
            install_way(&mac(false)),
            InstallWay::Download { .. }
        ));
        let win = |bundle| InstallFacts {
            os: Os::Windows,
            bundle,
            ..mac(false)
        };
        assert_eq!(install_way(&win(Bundle::Nsis)), InstallWay::Here);
        assert_eq!(install_way(&win(Bundle::Msi)), InstallWay::Here);
        assert!(matches!(
            install_way(&win(Bundle::Unknown)),
            InstallWay::Download { .. }
        ));
    }

    #[test]
    fn linux_reads_the_deb_entry() {
        assert_eq!(
            manifest_target(Os::Linux, "x86_64").as_deref(),
            Some("linux-x86_64-deb")
        );
        assert_eq!(manifest_target(Os::Windows, "x86_64"), None);
        assert_eq!(manifest_target(Os::MacOs, "aarch64"), None);
    }
}
