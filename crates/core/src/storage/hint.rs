//! What to do about space that could not be measured or given back — one family of
//! [`crate::hints::hint`], in the window's words.

use crate::error::Error;

/// The hint for the storage variants; `None` for the other errors.
pub(crate) fn hint(error: &Error) -> Option<String> {
    Some(match error {
        Error::Unreadable { path, .. } => format!(
            "check that you may open `{}` (its owner and permissions); what it holds is left out of the figure",
            path.display()
        ),
        Error::NotRemovable { .. } => {
            "pick a project from the list in Settings → Storage: only the .venv folder Darwinix made inside a project is removed there".into()
        }
        Error::ServerRunning { .. } => {
            "stop it in Running servers first, then remove its .venv".into()
        }
        Error::Remove { path, .. } => format!(
            "close the programs that use files in `{}` (a notebook, a terminal) and try again",
            path.display()
        ),
        Error::UvCache { .. } => {
            "try again once no project is being set up; Show details has what uv said".into()
        }
        _ => return None,
    })
}
