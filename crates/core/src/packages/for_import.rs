//! A module a notebook could not import: which package provides it, in the same words the
//! project's scan uses ([`names::resolve`]), and what an install would change. Only a name the
//! table knows gets an Install offer: installing whatever an import names invites look-alike
//! packages, and a missing helper module of the project is no package at all.

use serde::Serialize;

use super::target::target;
use crate::error::{Error, Result};
use crate::paths::AppPaths;
use crate::project::requirements::imports::is_local_module;
use crate::project::requirements::names::{self, Resolved};
use crate::project::Project;

/// What Darwinix offers for a missing module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export, rename = "ImportOffer")]
#[serde(rename_all = "camelCase")]
pub struct Offer {
    /// The top-level module, as the notebook imports it (`sklearn`).
    pub module: String,
    /// The package that provides it (`scikit-learn`); `None`: no button, only the sentence.
    pub package: Option<String>,
    /// Said under the cell: what is missing, and why there is no button when there is none.
    pub sentence: String,
    /// The file an install adds the package to (`requirements.txt`).
    pub file: Option<String>,
}

/// What to offer for `module` (the first part is what counts) in `project`.
pub fn offer(paths: &AppPaths, project: &Project, module: &str) -> Offer {
    let top = module
        .split('.')
        .next()
        .unwrap_or(module)
        .trim()
        .to_string();
    let missing = format!("`{top}` is not installed in this project.");
    let (package, sentence) = match why_no_package(project, &top) {
        Some(why) => (None, why),
        None => match names::resolve(module) {
            Resolved::Package(dist) => (Some(dist), missing),
            Resolved::Hosted(name) => (
                None,
                format!("`{name}` exists only in hosted notebook services (such as Google Colab): no package provides it here."),
            ),
            Resolved::Unknown(_) => (
                None,
                format!("{missing} Darwinix knows no package of that name, so it offers none: if you know which package provides it, add that in Darwinix's Packages."),
            ),
        },
    };
    let (package, sentence, file) = match (package, target(paths, project)) {
        (Some(dist), Ok(target)) => (Some(dist), sentence, Some(file_name(&target.file))),
        (Some(dist), Err(why)) => (
            None,
            format!("{sentence} Darwinix cannot add {dist} to this project's setup file: {why}"),
            None,
        ),
        (None, _) => (None, sentence, None),
    };
    Offer {
        module: top,
        package,
        sentence,
        file,
    }
}

/// Why a module gets no package whatever the table says: Python's own, or the project's.
fn why_no_package(project: &Project, top: &str) -> Option<String> {
    if top.is_empty() || !top.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return Some(format!("`{top}` is not a module name."));
    }
    if names::is_stdlib(top) {
        return Some(format!(
            "`{top}` comes with Python, but this project's Python was built without it: no package installs it."
        ));
    }
    if is_local_module(&project.dir, top) {
        return Some(format!(
            "`{top}` is a module of this project, not a package: Python does not find it from this notebook's folder."
        ));
    }
    None
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// The package to add for `module`, or the error that says why there is none.
pub fn package(paths: &AppPaths, project: &Project, module: &str) -> Result<(Offer, String)> {
    let offer = offer(paths, project, module);
    match offer.package.clone() {
        Some(dist) => Ok((offer, dist)),
        None => Err(Error::NoPackageForImport {
            module: offer.module,
            why: offer.sentence,
        }),
    }
}

/// After an install: `Installed scikit-learn 1.7.2 and added it to requirements.txt.`
pub fn installed_sentence(
    project: &Project,
    layout: crate::project::Layout,
    dist: &str,
    changed: &super::Changed,
) -> String {
    let key = crate::project::requirements::names::canonical(dist);
    let version = super::metadata::installed(&project.venv(), layout)
        .into_iter()
        .find(|d| d.key == key)
        .map(|d| format!("{} {}", d.name, d.version))
        .unwrap_or_else(|| dist.to_string());
    let file = file_name(&changed.file);
    if changed.file_changed {
        format!("Installed {version} and added it to {file}.")
    } else {
        format!("Installed {version} ({file} already lists it).")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project() -> (tempfile::TempDir, AppPaths, Project) {
        let dir = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(&dir.path().join("home"));
        let project = Project::at(&dir.path().join("course"));
        std::fs::create_dir_all(&project.dir).unwrap();
        (dir, paths, project)
    }

    #[test]
    fn a_known_import_is_offered_its_package() {
        let (_dir, paths, project) = project();
        let offer = offer(&paths, &project, "sklearn.linear_model");
        assert_eq!(offer.module, "sklearn");
        assert_eq!(offer.package.as_deref(), Some("scikit-learn"));
        assert_eq!(
            offer.sentence,
            "`sklearn` is not installed in this project."
        );
        assert_eq!(offer.file.as_deref(), Some("requirements.txt"));
    }

    #[test]
    fn unknown_local_stdlib_and_hosted_names_get_no_button() {
        let (_dir, paths, project) = project();
        std::fs::write(project.dir.join("helpers.py"), "x = 1\n").unwrap();
        for (module, words) in [
            ("zzqx_not_a_package", "knows no package of that name"),
            ("helpers", "is a module of this project"),
            ("tkinter", "comes with Python"),
            ("google.colab", "hosted notebook services"),
            ("os; rm", "not a module name"),
        ] {
            let offer = offer(&paths, &project, module);
            assert_eq!(offer.package, None, "{module}");
            assert!(
                offer.sentence.contains(words),
                "{module}: {}",
                offer.sentence
            );
            let err = package(&paths, &project, module).unwrap_err();
            assert!(err.to_string().contains(words), "{err}");
        }
    }

    #[test]
    fn a_setup_file_darwinix_cannot_edit_is_said() {
        let (_dir, paths, project) = project();
        std::fs::write(
            project.dir.join("Pipfile.lock"),
            r#"{"_meta": {}, "default": {}}"#,
        )
        .unwrap();
        let offer = offer(&paths, &project, "sklearn");
        assert_eq!(offer.package, None);
        assert!(
            offer.sentence.contains("cannot add scikit-learn"),
            "{}",
            offer.sentence
        );
    }
}
