//! `--from FILE` and `--python-version X.Y`: the app's Project settings → Packages from and
//! Python, remembered for the project in Darwinix's settings (never in the project's files).

use anyhow::bail;
use darwinix_core::paths::AppPaths;
use darwinix_core::project::requirements::choose;
use darwinix_core::project::{config, Project};
use darwinix_core::target::Target;

#[derive(Debug, Clone, clap::Args)]
pub struct SourceArgs {
    /// Install from this setup file instead of the one Darwinix chooses (relative to the
    /// project: requirements-dev.txt, binder/environment.yml…); `auto` goes back to the choice.
    #[arg(long = "from", value_name = "FILE")]
    from: Option<String>,
    /// Make the project's environment with this Python version (3.9) instead of the one its
    /// files ask for; `auto` goes back to the files.
    #[arg(long, value_name = "X.Y")]
    python_version: Option<String>,
}

impl SourceArgs {
    /// Saves the choices, when made; a file that is not in the project is refused.
    pub fn apply(&self, paths: &AppPaths, target: &Target) -> anyhow::Result<()> {
        if self.from.is_none() && self.python_version.is_none() {
            return Ok(());
        }
        let project = target.here("--from and --python-version")?;
        if let Some(from) = &self.from {
            let picked = picked_file(project, from)?;
            config::update(paths, project, |c| c.source = picked)?;
        }
        if let Some(version) = &self.python_version {
            let version = python_version(version)?;
            config::update(paths, project, |c| c.python = version)?;
        }
        Ok(())
    }
}

fn picked_file(project: &Project, from: &str) -> anyhow::Result<Option<String>> {
    if from == "auto" {
        return Ok(None);
    }
    let path = project.dir.join(from);
    // The path as given may be absolute or relative to where the command runs.
    let path = match path.is_file() {
        true => path,
        false => std::path::absolute(from)?,
    };
    let Ok(relative) = dunce::canonicalize(&path).map(|p| choose::shown(&project.dir, &p)) else {
        bail!(
            "{from} is not a file in {}: the setup files there are {}",
            project.dir.display(),
            choose::pickable(&project.dir).join(", ")
        );
    };
    if std::path::Path::new(&relative).is_absolute() {
        bail!(
            "{from} is not inside the project folder {}",
            project.dir.display()
        );
    }
    Ok(Some(relative))
}

fn python_version(text: &str) -> anyhow::Result<Option<String>> {
    if text == "auto" {
        return Ok(None);
    }
    let parts: Vec<&str> = text.split('.').collect();
    match parts.as_slice() {
        [major, minor] if major.parse::<u32>().is_ok() && minor.parse::<u32>().is_ok() => {
            Ok(Some(text.to_string()))
        }
        _ => bail!("{text} is not a Python version: write it as 3.9 or 3.12 (or auto)"),
    }
}
