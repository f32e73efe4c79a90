//! Which installed packages the project asked for, which came with them, and which were
//! installed behind its back (`%pip install` in a notebook): a walk over the requirements the
//! installed packages' metadata names. Pure: distributions in, a list out.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::metadata::Dist;

/// How a package came into the environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The project's file lists it.
    Requested,
    /// Another package needs it (or Darwinix added it for the kernel: pip, ipykernel).
    PulledIn,
    /// Installed by hand in the environment; the project's file does not have it.
    NotInProject,
}

/// One installed package, for the Packages view and `darwinix packages`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Package {
    pub name: String,
    pub version: String,
    pub summary: Option<String>,
    pub kind: Kind,
    /// The requested (or hand-installed) packages that need it, as their metadata names them.
    pub needed_by: Vec<String>,
}

/// A package the walk starts from, with the extras asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Root {
    pub key: String,
    pub extras: Vec<String>,
}

impl Root {
    pub fn of(requirement: &str) -> Option<Self> {
        let parsed = crate::project::requirements::pep508::parse(requirement)?;
        Some(Root {
            key: parsed.name.to_string(),
            extras: parsed.extras.iter().map(ToString::to_string).collect(),
        })
    }
}

/// Every key `roots` need, themselves included (only what is installed is followed).
pub fn needed(dists: &BTreeMap<&str, &Dist>, roots: &[Root]) -> BTreeSet<String> {
    let mut visited: BTreeSet<String> = BTreeSet::new();
    let mut extras_done: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut todo: Vec<(String, Vec<String>)> = roots
        .iter()
        .map(|r| (r.key.clone(), r.extras.clone()))
        .collect();
    while let Some((key, extras)) = todo.pop() {
        // A package's plain requirements are followed once; each extra once more.
        let first = visited.insert(key.clone());
        let done = extras_done.entry(key.clone()).or_default();
        let new: Vec<String> = extras
            .into_iter()
            .filter(|e| done.insert(e.clone()))
            .collect();
        let Some(dist) = dists.get(key.as_str()) else {
            continue;
        };
        for r in &dist.requires {
            let wanted = match &r.extra {
                None => first,
                Some(extra) => new.contains(extra),
            };
            if wanted {
                todo.push((r.key.clone(), r.extras.clone()));
            }
        }
    }
    visited
}

/// Classifies `installed`: `requested` are the project file's requirements, `added` what
/// Darwinix installs beside them (`pip`, `ipykernel`).
pub fn classify(installed: &[Dist], requested: &[Root], added: &[&str]) -> Vec<Package> {
    let by_key: BTreeMap<&str, &Dist> = installed.iter().map(|d| (d.key.as_str(), d)).collect();
    let requested_keys: BTreeSet<&str> = requested.iter().map(|r| r.key.as_str()).collect();
    let mut roots = requested.to_vec();
    roots.extend(added.iter().map(|k| Root {
        key: k.to_string(),
        extras: Vec::new(),
    }));
    let project = needed(&by_key, &roots);
    let stray_roots = hand_installed(installed, &project);
    // Who needs what: each requested or hand-installed package's own walk.
    let owners = requested
        .iter()
        .cloned()
        .chain(stray_roots.iter().map(|d| Root {
            key: d.key.clone(),
            extras: Vec::new(),
        }));
    let mut needed_by = needed_by(&by_key, owners);
    installed
        .iter()
        .map(|d| {
            let kind = if requested_keys.contains(d.key.as_str()) {
                Kind::Requested
            } else if stray_roots.iter().any(|s| s.key == d.key) {
                Kind::NotInProject
            } else {
                Kind::PulledIn
            };
            Package {
                name: d.name.clone(),
                version: d.version.clone(),
                summary: d.summary.clone(),
                kind,
                needed_by: needed_by.remove(&d.key).unwrap_or_default(),
            }
        })
        .collect()
}

/// Hand-installed: what nothing of the project's needs, and no other such package needs
/// either (those are its own dependencies).
fn hand_installed<'a>(installed: &'a [Dist], project: &BTreeSet<String>) -> Vec<&'a Dist> {
    let strays: Vec<&Dist> = installed
        .iter()
        .filter(|d| !project.contains(&d.key))
        .collect();
    strays
        .iter()
        .filter(|d| {
            !strays
                .iter()
                .any(|o| o.key != d.key && o.requires.iter().any(|r| r.key == d.key))
        })
        .copied()
        .collect()
}

/// For each package, the names of the owners whose walk reaches it.
fn needed_by(
    by_key: &BTreeMap<&str, &Dist>,
    owners: impl Iterator<Item = Root>,
) -> BTreeMap<String, Vec<String>> {
    let mut needed_by: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for owner in owners {
        let name = by_key
            .get(owner.key.as_str())
            .map_or(owner.key.clone(), |d| d.name.clone());
        let key = owner.key.clone();
        for dep in needed(by_key, &[owner]) {
            if dep != key {
                needed_by.entry(dep).or_default().push(name.clone());
            }
        }
    }
    needed_by
}

#[cfg(test)]
mod tests {
    use super::super::metadata::{Dist, Requirement};
    use super::*;

    fn dist(key: &str, requires: &[(&str, Option<&str>)]) -> Dist {
        Dist {
            name: key.to_string(),
            key: key.to_string(),
            version: "1.0".into(),
            summary: None,
            requires: requires
                .iter()
                .map(|(k, extra)| Requirement {
                    key: k.to_string(),
                    extras: Vec::new(),
                    extra: extra.map(String::from),
                })
                .collect(),
        }
    }

    fn kinds(packages: &[Package]) -> Vec<(&str, Kind)> {
        packages.iter().map(|p| (p.name.as_str(), p.kind)).collect()
    }

    #[test]
    fn requested_pulled_in_and_installed_by_hand() {
        let installed = [
            dist("pandas", &[("numpy", None), ("openpyxl", Some("excel"))]),
            dist("numpy", &[]),
            dist("openpyxl", &[("et-xmlfile", None)]),
            dist("et-xmlfile", &[]),
            dist("pip", &[]),
            dist("seaborn", &[("numpy", None), ("matplotlib", None)]),
            dist("matplotlib", &[]),
        ];
        let requested = [Root::of("pandas>=2").unwrap()];
        let listed = classify(&installed, &requested, &["pip", "ipykernel"]);
        assert_eq!(
            kinds(&listed),
            [
                ("pandas", Kind::Requested),
                ("numpy", Kind::PulledIn),
                // pandas without [excel] does not need it, and nothing else does.
                ("openpyxl", Kind::NotInProject),
                ("et-xmlfile", Kind::PulledIn),
                ("pip", Kind::PulledIn),
                ("seaborn", Kind::NotInProject),
                ("matplotlib", Kind::PulledIn),
            ]
        );
        assert_eq!(listed[1].needed_by, ["pandas", "seaborn"]);
        assert_eq!(listed[6].needed_by, ["seaborn"]);

        let with_extra = [Root::of("Pandas[Excel] ; python_version > '3'").unwrap()];
        let listed = classify(&installed, &with_extra, &[]);
        assert_eq!(listed[2].kind, Kind::PulledIn);
        assert_eq!(listed[3].needed_by, ["pandas"]);
    }

    #[test]
    fn cycles_and_missing_packages_end_the_walk() {
        let installed = [
            dist("a", &[("b", None), ("gone", None)]),
            dist("b", &[("a", None)]),
        ];
        let by_key: BTreeMap<&str, &Dist> = installed.iter().map(|d| (d.key.as_str(), d)).collect();
        let all = needed(&by_key, &[Root::of("a").unwrap()]);
        assert_eq!(all, ["a", "b", "gone"].map(String::from).into());
    }
}
