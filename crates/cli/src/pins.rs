//! The app's ways out of a failed install, as flags of `start` and `setup`, remembered for the
//! project in Darwinix's settings (the project's files stay as they are): `--ignore-pins` /
//! `--keep-pins` (Start with current versions), `--without PKG` / `--with PKG` (Start without
//! a package that cannot be built here) and `--pin PKG==VERSION` (a version that is ready-made).

use anyhow::bail;
use darwinix_core::paths::AppPaths;
use darwinix_core::project::requirements::pep508;
use darwinix_core::project::{config, Project};

#[derive(Debug, Clone, clap::Args)]
pub struct PinsArgs {
    /// Install the project's packages without the version pins that no longer install here
    /// (remembered for the project; its files stay unchanged).
    #[arg(long, conflicts_with = "keep_pins")]
    ignore_pins: bool,
    /// Go back to the versions the project pins.
    #[arg(long)]
    keep_pins: bool,
    /// Start without this package (one that cannot be built here): the others are installed
    /// (remembered for the project; repeat for more).
    #[arg(long, value_name = "PACKAGE")]
    without: Vec<String>,
    /// Install this package again after `--without` (or `--pin`) left it out or replaced it.
    #[arg(long = "with", value_name = "PACKAGE")]
    with: Vec<String>,
    /// Install this version of a package instead of the one the project asks for
    /// (`box2d-py==2.3.10`, a version that is ready-made; remembered for the project).
    #[arg(long, value_name = "PACKAGE==VERSION")]
    pin: Vec<String>,
}

impl PinsArgs {
    /// Saves the choices, when some were made; a name that is not a package's is refused.
    pub fn apply(&self, paths: &AppPaths, project: &Project) -> anyhow::Result<()> {
        if self.ignore_pins || self.keep_pins {
            config::update(paths, project, |c| {
                c.ignore_pins = self.ignore_pins;
                c.relaxed_pins.clear();
            })?;
        }
        let without = names(&self.without)?;
        let with = names(&self.with)?;
        let pins = pinned(&self.pin)?;
        if without.is_empty() && with.is_empty() && pins.is_empty() {
            return Ok(());
        }
        config::update(paths, project, |c| {
            choose(&mut c.without, &mut c.instead, &without, &with, &pins)
        })?;
        Ok(())
    }
}

/// The remembered choices after this command's: `with` takes a package back (out of both
/// lists), `without` leaves it out, `pins` replace its version.
fn choose(
    left_out: &mut Vec<String>,
    instead: &mut Vec<String>,
    without: &[String],
    with: &[String],
    pins: &[(String, String)],
) {
    let named = |line: &String| pep508::name_of(line).unwrap_or_default();
    left_out.retain(|n| !with.contains(n));
    instead.retain(|r| !with.contains(&named(r)));
    for name in without {
        if !left_out.contains(name) {
            left_out.push(name.clone());
        }
    }
    for (name, requirement) in pins {
        instead.retain(|r| named(r) != *name);
        instead.push(requirement.clone());
        left_out.retain(|n| n != name);
    }
}

/// Package names, normalised (`Box2D_py` → `box2d-py`).
fn names(given: &[String]) -> anyhow::Result<Vec<String>> {
    given
        .iter()
        .map(|text| match pep508::name_of(text) {
            Some(name) if !pep508::has_version(text) => Ok(name),
            _ => bail!("`{text}` is not a package name (write it as pypi.org does: box2d-py)"),
        })
        .collect()
}

/// `name==version` requirements with their names.
fn pinned(given: &[String]) -> anyhow::Result<Vec<(String, String)>> {
    given
        .iter()
        .map(|text| {
            let exact = text
                .split_once("==")
                .is_some_and(|(_, v)| !v.trim().is_empty());
            match pep508::name_of(text) {
                Some(name) if exact => Ok((name, text.trim().to_string())),
                _ => bail!("`{text}` is not a package with a version (write box2d-py==2.3.10)"),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_add_up_and_with_takes_a_package_back() {
        let (mut without, mut instead) = (vec!["box2d-py".to_string()], vec![]);
        let pins = pinned(&["SciPy==1.17.1".into()]).unwrap();
        choose(
            &mut without,
            &mut instead,
            &names(&["Gym_Notebook".into()]).unwrap(),
            &[],
            &pins,
        );
        assert_eq!(without, ["box2d-py", "gym-notebook"]);
        assert_eq!(instead, ["SciPy==1.17.1"]);
        choose(
            &mut without,
            &mut instead,
            &[],
            &["box2d-py".into(), "scipy".into()],
            &[],
        );
        assert_eq!(without, ["gym-notebook"]);
        assert!(instead.is_empty());
        assert!(names(&["numpy==2".into()]).is_err());
        assert!(pinned(&["numpy>=2".into()]).is_err());
    }
}
