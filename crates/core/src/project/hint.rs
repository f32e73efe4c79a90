//! What to do about a project folder that is missing, not a folder, read-only, or whose setup
//! files rule a start out — one family of [`crate::hints::hint`], in the window's words.

use crate::error::Error;

/// The hint for a project's own errors; `None` for the others.
pub fn hint(error: &Error) -> Option<String> {
    Some(match error {
        Error::ProjectMissing { .. } => "choose another folder with Open folder…, or make a new one with New project…".into(),
        Error::DanglingLink { .. } => "make the link point to a folder that exists, or choose the folder itself".into(),
        Error::NotAFolder { .. } => "choose a folder or a notebook (.ipynb)".into(),
        Error::NotebookMissing { .. } => "check its name and folder: it may have been moved or renamed".into(),
        Error::ReadOnly { path } => format!("copy the project to a folder you can write to, or make `{}` writable", path.display()),
        Error::NoRequirements { dir } => format!("list the packages you need in `{}`, one per line, or make a project with New project…", dir.join("requirements.txt").display()),
        Error::TwoBinderFolders { dir } => format!("remove or rename one of `{}` and `{}`, or choose the file to install from in Project settings → Packages from", dir.join("binder").display(), dir.join(".binder").display()),
        Error::Python2 { from, .. } => format!("the notebooks need to be brought to Python 3 (ask whoever made the project); to install anyway, choose Python 3 in Project settings → Python, which overrides {from}"),
        Error::BadProjectFile { path, line, .. } => format!("fix line {line} of `{}` (or ask whoever made the project), then press Start Notebook again", path.display()),
        _ => return None,
    })
}
