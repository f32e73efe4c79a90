//! The per-project setup log: the full output of every command setup runs, for "Show details"
//! and bug reports. Writing it never fails a setup.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::paths::AppPaths;
use crate::project::Project;

/// Where a project's setup log lives.
pub fn log_path(paths: &AppPaths, project: &Project) -> PathBuf {
    paths.log(&format!("{}.setup.log", project.key()))
}

pub struct SetupLog {
    path: PathBuf,
    file: Option<File>,
}

impl SetupLog {
    /// Starts a fresh log at `path` (the previous run's is replaced).
    pub fn create(path: &Path) -> Self {
        // Private: installer output can quote index URLs, and those may carry credentials.
        let file = path
            .parent()
            .and_then(|p| crate::fs::private::create_dir(p).ok())
            .and_then(|()| {
                let _ = std::fs::remove_file(path);
                crate::fs::private::append_file(path).ok()
            });
        Self {
            path: path.to_path_buf(),
            file,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn line(&mut self, line: &str) {
        if let Some(f) = &mut self.file {
            let _ = writeln!(f, "{line}");
        }
    }

    /// Records a command line (programs and arguments only: tokens travel in the environment).
    pub fn command(&mut self, cmd: &tokio::process::Command) {
        let std = cmd.as_std();
        let args: Vec<String> = std::iter::once(std.get_program())
            .chain(std.get_args())
            .map(|a| {
                let a = a.to_string_lossy();
                if a.contains(' ') {
                    format!("\"{a}\"")
                } else {
                    a.into_owned()
                }
            })
            .collect();
        self.line(&format!("$ {}", args.join(" ")));
    }
}
