//! The app's ways out of a failed install, as flags of `start` and `setup`, remembered for the
//! project in Darwinix's settings (the project's files stay as they are): `--ignore-pins` /
//! `--keep-pins` (Start with current versions), `--without PKG` / `--with PKG` (Start without
//! a package that cannot be built here) and `--pin PKG==VERSION` (a version that is ready-made).

use anyhow::bail;
use darwinix_core::install::way_out::{self, WayOut};
use darwinix_core::paths::AppPaths;
use darwinix_core::project::config::{self, ProjectConfig};
use darwinix_core::project::requirements::pep508;
use darwinix_core::target::Target;

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
    pub fn apply(&self, paths: &AppPaths, target: &Target) -> anyhow::Result<()> {
        let chosen = self.ignore_pins || self.keep_pins;
        if !chosen && self.without.is_empty() && self.with.is_empty() && self.pin.is_empty() {
            return Ok(());
        }
        let project = target.here("--ignore-pins, --keep-pins, --without, --with and --pin")?;
        if self.ignore_pins || self.keep_pins {
            config::update(paths, project, |c| {
                c.ignore_pins = self.ignore_pins;
                c.relaxed_pins.clear();
            })?;
        }
        let with = names(&self.with)?;
        let ways = self.ways_out()?;
        if with.is_empty() && ways.is_empty() {
            return Ok(());
        }
        config::update(paths, project, |c| choose(c, &with, &ways))?;
        Ok(())
    }

    /// `--without` and `--pin` as the window's buttons.
    fn ways_out(&self) -> anyhow::Result<Vec<WayOut>> {
        let without = names(&self.without)?
            .into_iter()
            .map(|package| WayOut::StartWithout { package });
        let pins = pinned(&self.pin)?
            .into_iter()
            .map(|(package, version)| WayOut::UseVersion { package, version });
        Ok(without.chain(pins).collect())
    }
}

/// The remembered choices after this command's: `with` takes a package back (out of both
/// lists), then each way out is taken as the window's button takes it.
fn choose(config: &mut ProjectConfig, with: &[String], ways: &[WayOut]) {
    let named = |line: &String| pep508::name_of(line).unwrap_or_default();
    config.without.retain(|n| !with.contains(n));
    config.instead.retain(|r| !with.contains(&named(r)));
    for way in ways {
        way_out::take(way, config);
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

/// `name==version` requirements, as name and version.
fn pinned(given: &[String]) -> anyhow::Result<Vec<(String, String)>> {
    given
        .iter()
        .map(|text| {
            let version = text.split_once("==").map(|(_, v)| v.trim());
            match (pep508::name_of(text), version) {
                (Some(name), Some(v)) if !v.is_empty() && pep508::has_version(text) => {
                    Ok((name, v.to_string()))
                }
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
        let mut config = ProjectConfig {
            without: vec!["box2d-py".into()],
            ..ProjectConfig::default()
        };
        let args = PinsArgs {
            ignore_pins: false,
            keep_pins: false,
            without: vec!["Gym_Notebook".into()],
            with: vec![],
            pin: vec!["SciPy==1.17.1".into()],
        };
        choose(&mut config, &[], &args.ways_out().unwrap());
        assert_eq!(config.without, ["box2d-py", "gym-notebook"]);
        assert_eq!(config.instead, ["scipy==1.17.1"]);
        let with = names(&["box2d-py".into(), "scipy".into()]).unwrap();
        choose(&mut config, &with, &[]);
        assert_eq!(config.without, ["gym-notebook"]);
        assert!(config.instead.is_empty());
        assert!(names(&["numpy==2".into()]).is_err());
        assert!(pinned(&["numpy>=2".into()]).is_err());
    }
}
