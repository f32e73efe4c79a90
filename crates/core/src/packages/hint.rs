//! What to do about a change of packages that did not happen (Packages view, `darwinix
//! add`/`remove`) — one family of [`crate::hints::hint`], in the window's words.

use crate::error::Error;
use crate::install::hint::unreachable;

/// The hint for a change of packages' errors; `None` for the others — and for a change that
/// was undone for a reason of its own, whose cause then has the hint.
pub fn hint(error: &Error) -> Option<String> {
    Some(match error {
        Error::PackageNotFound { .. } => "check the spelling: it is the name you would find on pypi.org (for example scikit-learn, not sklearn)".into(),
        Error::NoSuchVersion { .. } => "choose one of the versions the search shows, or leave the version out to get the newest".into(),
        Error::IndexUnreachable { index, .. } => unreachable(index),
        Error::CannotEdit { path, .. } => format!("open `{}` in your editor and make the change there", path.display()),
        Error::NotARequirement { .. } => "write the name as pypi.org shows it, with a version if you need one: numpy, numpy>=2 or pandas==2.2.3".into(),
        Error::ControlCharacter { .. } => "type the requirement again on one line, without tabs or other control characters: numpy>=2 or pandas[excel]==2.2.3".into(),
        Error::NotAPackageName { .. } => "type the name as pypi.org shows it, for example numpy or scikit-learn".into(),
        Error::IndexLookup { .. } => "check the package index's address (the index URL); if it is right, the index may be having trouble: try again later".into(),
        Error::NotListed { .. } => "pick it from the list of packages the project asks for".into(),
        Error::NoPackageForImport { .. } => "if you know which package provides it, search for that package in Packages and add it".into(),
        Error::ChangeUndone { source, .. } => match source.as_ref() {
            // The window's ways out of a start are not offered for a change of packages.
            Error::Install { network: false, .. } | Error::CannotBuild(_) => "that package (at that version) does not install here: try another version, or another package that does the same".into(),
            _ => return None,
        },
        _ => return None,
    })
}
