//! The engine's one error type. Every variant names the path or command it is about and keeps
//! its cause; [`Error::hint`] tells the user what they can do about it.

use std::{io, path::PathBuf, time::Duration};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("could not start `{}`", program.display())]
    Spawn {
        program: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("`{}` did not finish within {} s and was stopped", program.display(), after.as_secs_f32())]
    Timeout { program: PathBuf, after: Duration },

    #[error("could not read the output of `{}`", program.display())]
    ReadOutput {
        program: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("could not create the folder `{}`", path.display())]
    CreateDir {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("could not write `{}`", path.display())]
    WriteFile {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("no folder for Darwinix's data could be found: the home directory is unknown")]
    NoHome,
}

impl Error {
    /// One sentence the user can act on, or `None` when there is nothing better than the message.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::Spawn { source, .. } if source.kind() == io::ErrorKind::NotFound => {
                Some("it is not installed or not on PATH".into())
            }
            Error::Spawn { source, .. } if source.kind() == io::ErrorKind::PermissionDenied => {
                Some("the file is not executable: check its permissions".into())
            }
            Error::Spawn { .. } | Error::ReadOutput { .. } => None,
            Error::Timeout { .. } => Some("the program may be waiting for input or stuck; try running it by hand".into()),
            Error::CreateDir { path, .. } | Error::WriteFile { path, .. } => Some(format!(
                "check that `{}` is on a writable disk with free space, or set DARWINIX_HOME to another folder",
                path.display()
            )),
            Error::NoHome => Some("set DARWINIX_HOME to a writable folder".into()),
        }
    }
}
