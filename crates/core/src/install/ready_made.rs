//! When a package cannot be built here, uv is asked (a resolution, nothing installed) for the
//! ways round building it: a version with a ready-made wheel for this Python and computer, or
//! the nearest Python the failing version has wheels for.

use std::ffi::OsString;
use std::path::Path;
use std::time::Duration;

use super::options::SetupOptions;
use super::python_fit;
use super::tool::installer_env;
use crate::process;
use crate::project::backend::Backend;
use crate::project::requirements::pep508::name_of;

/// One resolution reads the index's pages (mostly cached by the failed install): a minute is
/// plenty, and a slow answer only costs the offer.
const RESOLVE_TIMEOUT: Duration = Duration::from_secs(60);

/// uv and the environment it resolves for.
pub(super) struct Asker<'a> {
    pub uv: &'a Path,
    /// The environment's interpreter, as the backend names it: its platform decides the wheels.
    pub python: OsString,
    pub backend: &'a Backend,
    pub options: &'a SetupOptions,
}

impl Asker<'_> {
    /// The newest version of `package` uv finds a wheel of for this Python and computer.
    pub async fn ready_made(&self, package: &str) -> Option<String> {
        self.resolve(package, package, None).await
    }

    /// The Python nearest to `current` (a minor version of 3) that `package==version` has a
    /// wheel for, on this computer's platform.
    pub async fn python_for(
        &self,
        package: &str,
        version: &str,
        current: Option<u64>,
    ) -> Option<String> {
        let requirement = format!("{package}=={version}");
        for minor in python_fit::nearest_first(current) {
            if self
                .resolve(&requirement, package, Some(minor))
                .await
                .is_some()
            {
                return Some(format!("3.{minor}"));
            }
        }
        None
    }

    /// `uv pip compile` of `requirement` with `package` only as a wheel: the version chosen,
    /// `None` when there is none (or uv could not be asked).
    async fn resolve(
        &self,
        requirement: &str,
        package: &str,
        minor: Option<u64>,
    ) -> Option<String> {
        let mut cmd = process::command(self.uv);
        cmd.args([
            "pip",
            "compile",
            "-",
            "--quiet",
            "--no-header",
            "--no-annotate",
        ])
        .args(["--only-binary", package, "--python"])
        .arg(&self.python);
        if let Some(minor) = minor {
            cmd.arg("--python-version").arg(format!("3.{minor}"));
        }
        installer_env(&mut cmd, self.options);
        let cmd = self.backend.finish(cmd).ok()?;
        let input = Some(format!("{requirement}\n").into_bytes());
        let out = process::output_with_input(cmd, input, RESOLVE_TIMEOUT)
            .await
            .ok()?;
        if !out.success() {
            return None;
        }
        version_in(&out.stdout_text(), package)
    }
}

/// The version `package` is pinned to in a compiled list (`box2d-py==2.3.10`).
fn version_in(compiled: &str, package: &str) -> Option<String> {
    let wanted = name_of(package)?;
    compiled.lines().find_map(|line| {
        let (name, version) = line.split_once("==")?;
        (name_of(name)? == wanted).then(|| version.trim().to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `echo pymc3 | uv pip compile - --only-binary scipy --no-header --no-annotate`.
    #[test]
    fn the_chosen_version_is_read_from_the_list() {
        let compiled =
            "arviz==0.12.1\nnumpy==2.4.6\npymc3==3.11.4\nscipy==1.17.1\ntheano-pymc==1.1.2\n";
        assert_eq!(version_in(compiled, "scipy").as_deref(), Some("1.17.1"));
        assert_eq!(
            version_in(compiled, "Theano_PyMC").as_deref(),
            Some("1.1.2")
        );
        assert_eq!(version_in(compiled, "box2d-py"), None);
    }
}
