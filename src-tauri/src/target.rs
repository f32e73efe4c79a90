//! What a command from the window acts on: the `dir` it names, turned into a [`Target`] once,
//! here. The target does the work, on this computer or on the remote one, so no command tells
//! the two places apart.

use std::path::Path;

use darwinix_core::project::Project;
use darwinix_core::target::Target;

use crate::ipc_error::IpcResult;

/// The project `dir` names (an `ssh://` address names a remote one); its folder must be there.
pub fn of(dir: &Path) -> IpcResult<Target> {
    Ok(Target::named(dir)?.0)
}

/// As [`of`], for what still works when the folder is gone: its server opened, linked,
/// stopped, its log read.
pub fn named(dir: &Path) -> IpcResult<Target> {
    Ok(Target::named_even_if_gone(dir)?.0)
}

/// The project on this computer `dir` names, for `what` only such a project has (its
/// environment, its notebooks, its settings); a remote one is refused with words that say so.
pub fn here(dir: &Path, what: &str) -> IpcResult<Project> {
    Ok(of(dir)?.here(what)?.clone())
}
