//! A company proxy that re-signs TLS: uv trusts its own certificate roots and refuses the
//! proxy's (`invalid peer certificate: UnknownIssuer`), while the system's store has the
//! company's root. Darwinix then tries once more with the system's certificates
//! (`UV_NATIVE_TLS`), says so once, and remembers it in the settings — on a remote computer in
//! its own settings, since its Darwinix runs the same setup.

use super::options::SetupOptions;
use crate::error::{Error, Result};
use crate::paths::AppPaths;
use crate::reporter::{Reporter, SetupEvent};
use crate::settings::{Installer, Settings};

/// uv's words (rustls) for a certificate none of its roots signed.
pub fn is_untrusted_certificate(output: &str) -> bool {
    output.contains("invalid peer certificate")
}

/// The installer output an error carries, when it carries one.
fn installer_output(error: &Error) -> Option<&str> {
    match error {
        Error::Install { detail, .. }
        | Error::Runtime { detail, .. }
        | Error::CreateVenv { detail, .. } => Some(detail),
        _ => None,
    }
}

/// The options to try again with, when `result` failed on a certificate only the system
/// trusts and uv was not yet using the system's certificates: said once and remembered in the
/// settings (a later retry in the same start, which finds it remembered, says nothing).
pub(crate) fn system_certificates_instead<T>(
    paths: &AppPaths,
    options: &SetupOptions,
    result: &Result<T>,
    reporter: &dyn Reporter,
) -> Option<SetupOptions> {
    let output = installer_output(result.as_ref().err()?)?;
    if options.native_tls || options.installer != Installer::Uv || !is_untrusted_certificate(output)
    {
        return None;
    }
    let mut settings = Settings::load(paths).unwrap_or_default();
    if !settings.native_tls {
        settings.native_tls = true;
        let kept = settings.save(paths).is_ok();
        let message = format!(
            "The network re-signs secure connections (a company proxy, say): Darwinix now uses this computer's certificates{}",
            if kept {
                " from now on (Settings → Installing packages → Trust this computer's certificates)"
            } else {
                ""
            }
        );
        reporter.report(SetupEvent::Warning { message });
    }
    Some(SetupOptions {
        native_tls: true,
        ..options.clone()
    })
}

/// `options`, with the system's certificates when the settings say so by now (a setup earlier
/// in the same start found the proxy).
pub(crate) fn as_remembered(paths: &AppPaths, options: &SetupOptions) -> SetupOptions {
    let remembered = Settings::load(paths).is_ok_and(|s| s.native_tls);
    SetupOptions {
        native_tls: options.native_tls || remembered,
        ..options.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::sync::Mutex;

    /// uv 0.13.9 behind a proxy that re-signs TLS, without the proxy's root in
    /// `SSL_CERT_FILE` (measured on this project's build machines).
    const UV_BEHIND_PROXY: &str = "Using Python 3.11.7 environment at: /tmp/t311
error: Failed to fetch: https://pypi.org/simple/six/
  cause: error sending request for url (https://pypi.org/simple/six/)
  cause: client error (Connect)
  cause: invalid peer certificate: UnknownIssuer

hint: Consider enabling use of system TLS certificates with the `--system-certs` command-line flag";

    struct Said(Mutex<Vec<String>>);
    impl Reporter for Said {
        fn report(&self, event: SetupEvent) {
            if let SetupEvent::Warning { message } = event {
                self.0.lock().unwrap().push(message);
            }
        }
    }

    fn failed(detail: &str) -> Result<()> {
        Err(Error::Install {
            dir: PathBuf::from("/p"),
            installer: "uv".into(),
            detail: detail.into(),
            network: true,
            index: "https://pypi.org/simple".into(),
            file: None,
        })
    }

    #[test]
    fn uvs_wording_is_known() {
        assert!(is_untrusted_certificate(UV_BEHIND_PROXY));
        // Older uv said it on one line (astral-sh/uv#1819).
        assert!(is_untrusted_certificate("error: error sending request for url (https://x/simple/upv-model/): error trying to connect: invalid peer certificate: UnknownIssuer"));
        assert!(!is_untrusted_certificate(
            "error: Failed to fetch: https://pypi.org/simple/six/\n  cause: dns error"
        ));
    }

    #[test]
    fn the_system_certificates_are_tried_once_said_once_and_remembered() {
        let dir = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(dir.path());
        let said = Said(Mutex::new(Vec::new()));
        let options = SetupOptions::default();
        let again = system_certificates_instead(&paths, &options, &failed(UV_BEHIND_PROXY), &said)
            .expect("tried again");
        assert!(again.native_tls);
        assert!(Settings::load(&paths).unwrap().native_tls, "remembered");
        assert!(as_remembered(&paths, &options).native_tls);
        // The shared JupyterLab's install in the same start meets the proxy too: no second
        // word about it.
        assert!(
            system_certificates_instead(&paths, &options, &failed(UV_BEHIND_PROXY), &said)
                .is_some()
        );
        assert_eq!(said.0.lock().unwrap().len(), 1, "said once");
        // Already with the system's certificates, or another failure: nothing to try.
        assert!(
            system_certificates_instead(&paths, &again, &failed(UV_BEHIND_PROXY), &said).is_none()
        );
        let dns = failed("cause: dns error: failed to lookup address information");
        assert!(system_certificates_instead(&paths, &options, &dns, &said).is_none());
        let pip = SetupOptions {
            installer: Installer::Pip,
            ..SetupOptions::default()
        };
        assert!(
            system_certificates_instead(&paths, &pip, &failed(UV_BEHIND_PROXY), &said).is_none()
        );
    }
}
