//! The hint for a folder that was not taken on trust: one family of [`crate::hints::hint`].

use crate::error::Error;

pub fn hint(error: &Error) -> Option<String> {
    match error {
        Error::NotTrusted { .. } => Some(
            "check what it installs and from where, then press Trust and start — or Start without installing for JupyterLab with Python alone".into(),
        ),
        _ => None,
    }
}
