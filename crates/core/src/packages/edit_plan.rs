//! What a change writes into the project's file and asks of the installer — worked out, and
//! checked on the index, before anything is touched.

use std::collections::BTreeMap;

use super::listing::{self, Kind, Root};
use super::request::{Change, StillNeeded};
use super::target::{Format, Target};
use super::{index, metadata};
use crate::error::{Error, Result};
use crate::install::existing::Existing;
use crate::install::SetupOptions;
use crate::project::requirements::control;
use crate::project::requirements::edit::{self, Edited, Refusal};
use crate::project::requirements::name_of;
use crate::project::requirements::pyproject_edit;
use crate::project::Project;

/// What Darwinix installs beside the project's packages (never in its file).
const ADDED: [&str; 2] = ["pip", "ipykernel"];

/// A change, worked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The file's new text.
    pub text: String,
    /// Packages to bring to their newest allowed version.
    pub upgrade: Vec<String>,
    /// The requirements taken out of the file, as they were written.
    pub removed: Vec<String>,
}

impl Format {
    fn add(self, text: &str, requirement: &str) -> std::result::Result<Edited, Refusal> {
        match self {
            Format::Requirements => edit::add(text, requirement),
            Format::Pyproject => pyproject_edit::add(text, requirement),
        }
    }

    fn remove(self, text: &str, name: &str) -> std::result::Result<Edited, Refusal> {
        match self {
            Format::Requirements => edit::remove(text, name),
            Format::Pyproject => pyproject_edit::remove(text, name),
        }
    }

    pub(super) fn names(self, text: &str) -> Vec<String> {
        match self {
            Format::Requirements => edit::names(text),
            Format::Pyproject => pyproject_edit::names(text),
        }
    }

    fn line_of(self, text: &str, name: &str) -> Option<String> {
        match self {
            Format::Requirements => edit::line_of(text, name),
            Format::Pyproject => pyproject_edit::line_of(text, name),
        }
    }
}

/// The change in words, for the step list.
pub fn what(change: &Change) -> String {
    match change {
        Change::Add(r) => format!("Looking up {}", r.join(", ")),
        Change::Keep(n) => format!("Keeping {}", n.join(", ")),
        Change::Remove(n) => format!("Removing {}", n.join(", ")),
        Change::Update(n) if n.is_empty() => "Looking up the newest versions".into(),
        Change::Update(n) => format!("Looking up the newest {}", n.join(", ")),
    }
}

/// Refuses a change whose requirements or names hold a control character, before the lock,
/// the environment or the index are touched (the editors refuse them too, for every caller).
pub fn no_control_characters(change: &Change) -> Result<()> {
    let (Change::Add(texts) | Change::Remove(texts) | Change::Update(texts) | Change::Keep(texts)) =
        change;
    match texts.iter().find_map(|t| control::find(t)) {
        Some(hidden) => Err(hidden.into()),
        None => Ok(()),
    }
}

/// Works out `change` on `text` (the file at `file`): names checked against what the file
/// lists, what is installed, and the package index.
pub async fn make(
    project: &Project,
    target: &Target,
    text: &str,
    change: &Change,
    env: &Existing,
    options: &SetupOptions,
) -> Result<Plan> {
    let (file, format) = (target.file.as_path(), target.format);
    let refused = |r: Refusal| match r {
        Refusal::NotARequirement { text } => Error::NotARequirement { text },
        Refusal::Hidden(hidden) => hidden.into(),
        other => Error::CannotEdit {
            path: file.to_path_buf(),
            why: other.to_string(),
        },
    };
    let mut plan = Plan {
        text: text.to_string(),
        upgrade: Vec::new(),
        removed: Vec::new(),
    };
    match change {
        Change::Add(requirements) => {
            let wanted = split(requirements)?;
            look_up(env, options, &wanted).await?;
            for requirement in requirements {
                plan.text = format.add(&plan.text, requirement).map_err(refused)?.text;
            }
        }
        Change::Keep(names) => {
            let installed = metadata::installed(&project.venv(), env.backend.layout());
            for name in names {
                let dist = installed_dist(&installed, name, project)?;
                plan.text = format.add(&plan.text, &dist.name).map_err(refused)?.text;
            }
        }
        Change::Remove(names) => {
            let installed = metadata::installed(&project.venv(), env.backend.layout());
            for name in names {
                // Installed by hand (not in any file): it only leaves the environment.
                if by_hand(target, &installed, name) {
                    plan.removed.push(name.clone());
                    continue;
                }
                listed_here(target, &plan.text, name)?;
                plan.removed.extend(format.line_of(&plan.text, name));
                plan.text = format.remove(&plan.text, name).map_err(refused)?.text;
            }
        }
        Change::Update(names) => {
            update(target, text, names, env, options, &mut plan).await?;
        }
    }
    Ok(plan)
}

/// The installed distribution `name` names (Keep writes it under its own spelling).
fn installed_dist<'a>(
    installed: &'a [metadata::Dist],
    name: &str,
    project: &Project,
) -> Result<&'a metadata::Dist> {
    let key = name_of(name).ok_or_else(|| Error::NotARequirement {
        text: name.to_string(),
    })?;
    installed
        .iter()
        .find(|d| d.key == key)
        .ok_or_else(|| Error::NotListed {
            name: name.to_string(),
            file: project.venv(),
        })
}

/// `update`: a package pinned exactly (`==`) gets the newest version written; any other is
/// upgraded within what its line allows.
async fn update(
    target: &Target,
    text: &str,
    names: &[String],
    env: &Existing,
    options: &SetupOptions,
    plan: &mut Plan,
) -> Result<()> {
    let (file, format) = (target.file.as_path(), target.format);
    let names: Vec<String> = if names.is_empty() {
        format.names(text)
    } else {
        for name in names {
            let requested = &target.requested;
            let key = name_of(name).unwrap_or_default();
            if !requested.iter().any(|r| r.key == key) {
                return Err(Error::NotListed {
                    name: name.clone(),
                    file: file.to_path_buf(),
                });
            }
        }
        names.to_vec()
    };
    let wanted: Vec<(String, String)> = names.iter().map(|n| (n.clone(), String::new())).collect();
    let found = look_up(env, options, &wanted).await?;
    for (name, package) in names.iter().zip(found) {
        let pinned = format
            .line_of(text, name)
            .and_then(|line| Some(edit::parts(&line)?.spec.to_string()))
            .filter(|spec| spec.starts_with("==") && !spec.contains(','));
        match (pinned, package.latest) {
            (Some(spec), Some(latest)) if spec.trim_start_matches('=') != latest => {
                let requirement = format!("{name}=={latest}");
                plan.text = format
                    .add(&plan.text, &requirement)
                    .map_err(|r| Error::CannotEdit {
                        path: file.to_path_buf(),
                        why: r.to_string(),
                    })?
                    .text;
            }
            (Some(_), _) => {}
            (None, _) => plan.upgrade.push(name.clone()),
        }
    }
    Ok(())
}

/// `(name, spec)` of each requirement, refused when one is not a requirement.
fn split(requirements: &[String]) -> Result<Vec<(String, String)>> {
    requirements
        .iter()
        .map(|r| {
            edit::parts(r)
                .map(|p| (p.name.to_string(), p.spec.to_string()))
                .ok_or_else(|| Error::NotARequirement { text: r.clone() })
        })
        .collect()
}

async fn look_up(
    env: &Existing,
    options: &SetupOptions,
    wanted: &[(String, String)],
) -> Result<Vec<index::OnIndex>> {
    let index = crate::install::index_in_use(options);
    index::look_up(&env.python, &env.backend, &index, wanted, false).await
}

/// `name` is installed, and neither the project's files nor its packages ask for it.
fn by_hand(target: &Target, installed: &[metadata::Dist], name: &str) -> bool {
    let Some(key) = name_of(name) else {
        return false;
    };
    listing::classify(installed, &target.requested, &ADDED)
        .iter()
        .any(|p| p.kind == Kind::NotInProject && name_of(&p.name).as_deref() == Some(&key))
}

/// `name` is listed in the file itself: a name only an included file lists cannot be taken
/// out here, and one nothing lists is not the project's.
fn listed_here(target: &Target, text: &str, name: &str) -> Result<()> {
    let file = target.file.as_path();
    let key = name_of(name).ok_or_else(|| Error::NotARequirement {
        text: name.to_string(),
    })?;
    if target.format.names(text).contains(&key) {
        return Ok(());
    }
    if target.requested.iter().any(|r| r.key == key) {
        return Err(Error::CannotEdit {
            path: file.to_path_buf(),
            why: format!("{name} is listed in a file it includes (a -r line)"),
        });
    }
    Err(Error::NotListed {
        name: name.to_string(),
        file: file.to_path_buf(),
    })
}

/// After `removed` left the file: what nothing needs any more (to uninstall), and which
/// removed packages stay because the project's other packages need them. `before` is what was
/// installed; packages installed by hand (and what they need) stay.
pub fn left_over(
    before: &[metadata::Dist],
    requested: &[Root],
    removed: &[String],
) -> (Vec<String>, Vec<StillNeeded>) {
    let by_key: BTreeMap<&str, &metadata::Dist> =
        before.iter().map(|d| (d.key.as_str(), d)).collect();
    let removed: Vec<Root> = removed.iter().filter_map(|r| Root::of(r)).collect();
    let all_before: Vec<Root> = requested.iter().chain(&removed).cloned().collect();
    let by_hand = listing::classify(before, &all_before, &ADDED)
        .into_iter()
        .filter(|p| p.kind == Kind::NotInProject)
        .filter_map(|p| Root::of(&p.name));
    let mut roots: Vec<Root> = requested.to_vec();
    roots.extend(ADDED.iter().filter_map(|a| Root::of(a)));
    roots.extend(by_hand);
    let keep = listing::needed(&by_key, &roots);
    let unneeded = listing::needed(&by_key, &removed)
        .into_iter()
        .filter(|k| !keep.contains(k))
        .filter_map(|k| by_key.get(k.as_str()).map(|d| d.name.clone()))
        .collect();
    let still_needed = removed
        .iter()
        .filter(|r| keep.contains(&r.key) && by_key.contains_key(r.key.as_str()))
        .map(|r| StillNeeded {
            name: by_key[r.key.as_str()].name.clone(),
            by: requested
                .iter()
                .filter(|o| {
                    o.key != r.key && listing::needed(&by_key, &[(*o).clone()]).contains(&r.key)
                })
                .map(|o| {
                    by_key
                        .get(o.key.as_str())
                        .map_or(o.key.clone(), |d| d.name.clone())
                })
                .collect(),
        })
        .collect();
    (unneeded, still_needed)
}

#[cfg(test)]
mod tests {
    use super::super::metadata::{Dist, Requirement};
    use super::*;

    fn dist(key: &str, requires: &[&str]) -> Dist {
        Dist {
            name: key.to_string(),
            key: key.to_string(),
            version: "1".into(),
            summary: None,
            requires: requires
                .iter()
                .map(|k| Requirement {
                    key: k.to_string(),
                    extras: Vec::new(),
                    extra: None,
                })
                .collect(),
        }
    }

    #[test]
    fn a_change_holding_a_control_character_is_refused() {
        let refused = [
            Change::Add(vec![
                "pandas".into(),
                "numpy\n--extra-index-url http://127.0.0.1:9/".into(),
            ]),
            Change::Keep(vec!["numpy\t>=2".into()]),
            Change::Remove(vec!["numpy\u{1b}[2J".into()]),
            Change::Update(vec!["numpy\0".into()]),
        ];
        for change in &refused {
            let said = no_control_characters(change).unwrap_err().to_string();
            assert!(said.contains("of `numpy` holds"), "{change:?}: {said}");
        }
        let said = no_control_characters(&refused[0]).unwrap_err().to_string();
        assert_eq!(
            said,
            "the version of `numpy` holds a line break (U+000A); nothing was changed"
        );
        let fine = Change::Add(vec!["pandas[excel]==2.2 ; python_version > '3.8'".into()]);
        assert!(no_control_characters(&fine).is_ok());
    }

    #[test]
    fn a_removal_takes_out_what_only_it_needed() {
        let before = [
            dist("pandas", &["numpy", "tzdata"]),
            dist("numpy", &[]),
            dist("tzdata", &[]),
            dist("seaborn", &["numpy", "matplotlib"]),
            dist("matplotlib", &["pillow"]),
            dist("pillow", &[]),
            dist("pip", &[]),
            dist("rich", &[]),
        ];
        // requirements.txt had pandas and seaborn; seaborn goes; rich was installed by hand.
        let requested = [Root::of("pandas").unwrap()];
        let (unneeded, still) = left_over(&before, &requested, &["seaborn>=0.13".into()]);
        assert_eq!(unneeded, ["matplotlib", "pillow", "seaborn"]);
        assert!(still.is_empty());

        // numpy goes from the file, but pandas needs it: it stays, and that is said.
        let requested = [Root::of("pandas").unwrap(), Root::of("seaborn").unwrap()];
        let (unneeded, still) = left_over(&before, &requested, &["numpy".into()]);
        assert!(unneeded.is_empty(), "{unneeded:?}");
        assert_eq!(
            still,
            [StillNeeded {
                name: "numpy".into(),
                by: vec!["pandas".into(), "seaborn".into()]
            }]
        );
    }
}
