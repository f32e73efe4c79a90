//! Editing `[project] dependencies` of a `pyproject.toml` in place: one item added, changed or
//! taken out, every other byte of the file as it was (toml_edit keeps comments, order and
//! layout). Each item is changed with the same rules as a `requirements.txt` line (`edit`).

use toml_edit::{Array, Document, Item, Value};

use super::edit::{self, Edited, Refusal};
use super::name_of;

/// The dependency list, made (empty) when `[project]` has none yet.
fn dependencies(doc: &mut Document, create: bool) -> Result<Option<&mut Array>, Refusal> {
    let not_project = || Refusal::NotAProject;
    let project = doc
        .get_mut("project")
        .and_then(Item::as_table_like_mut)
        .ok_or_else(not_project)?;
    if project.get("dependencies").is_none() {
        if !create {
            return Ok(None);
        }
        project.insert("dependencies", Item::Value(Value::Array(Array::new())));
    }
    match project.get_mut("dependencies").and_then(Item::as_array_mut) {
        Some(array) => Ok(Some(array)),
        None => Err(not_project()),
    }
}

fn parse(text: &str) -> Result<Document, Refusal> {
    text.parse::<Document>().map_err(|_| Refusal::NotAProject)
}

/// Where `name` is in the list; refused when it is there twice.
fn position(array: &Array, name: &str) -> Result<Option<usize>, Refusal> {
    let mut at = array
        .iter()
        .enumerate()
        .filter(|(_, v)| v.as_str().and_then(name_of).as_deref() == Some(name))
        .map(|(i, _)| i);
    let first = at.next();
    if at.next().is_some() {
        return Err(Refusal::Twice { name: name.into() });
    }
    Ok(first)
}

/// The requirements `[project] dependencies` lists, normalised.
pub fn names(text: &str) -> Vec<String> {
    let Ok(mut doc) = parse(text) else {
        return Vec::new();
    };
    match dependencies(&mut doc, false) {
        Ok(Some(array)) => array
            .iter()
            .filter_map(|v| v.as_str().and_then(name_of))
            .collect(),
        _ => Vec::new(),
    }
}

/// The requirement `name` is listed with.
pub fn line_of(text: &str, name: &str) -> Option<String> {
    let name = name_of(name)?;
    let mut doc = parse(text).ok()?;
    let array = dependencies(&mut doc, false).ok()??;
    let at = position(array, &name).ok()??;
    array.get(at)?.as_str().map(str::to_string)
}

/// Adds `requirement` at the end of the list (laid out like the item before it), or changes
/// the listed one's version as `edit::add` changes a line.
pub fn add(text: &str, requirement: &str) -> Result<Edited, Refusal> {
    // TOML escapes a line break, but the requirement uv reads back would still hold it.
    if let Some(hidden) = super::control::find(requirement) {
        return Err(Refusal::Hidden(hidden));
    }
    let not_requirement = || Refusal::NotARequirement {
        text: requirement.to_string(),
    };
    let name = edit::parts(requirement)
        .and_then(|p| name_of(p.name))
        .ok_or_else(not_requirement)?;
    let mut doc = parse(text)?;
    let array = dependencies(&mut doc, true)?.expect("created");
    match position(array, &name)? {
        Some(at) => {
            let old = array.get(at).and_then(Value::as_str).unwrap_or_default();
            let changed = edit::add(old, requirement)?;
            if !changed.changed {
                return Ok(Edited {
                    text: text.to_string(),
                    changed: false,
                });
            }
            let decor = array.get(at).map(|v| v.decor().clone());
            let mut value = Value::from(changed.text.trim());
            if let Some(decor) = decor {
                *value.decor_mut() = decor;
            }
            array.replace_formatted(at, value);
        }
        None => {
            let mut value = Value::from(requirement.trim());
            // On its own line, indented like the item before (its comment stays with it).
            let before = array
                .iter()
                .last()
                .and_then(|last| last.decor().prefix()?.as_str().map(str::to_string));
            let prefix = match before
                .as_deref()
                .and_then(|p| p.rfind('\n').map(|at| &p[at..]))
            {
                Some(line_start) => line_start.to_string(),
                None if array.is_empty() => String::new(),
                None => " ".to_string(),
            };
            // The last item's comment sits after it, before `]`: it stays with that item.
            let trailing = array.trailing().as_str().unwrap_or("").to_string();
            let (comment, rest) = trailing.split_at(trailing.rfind('\n').unwrap_or(0));
            value.decor_mut().set_prefix(format!("{comment}{prefix}"));
            array.set_trailing(rest.to_string());
            array.push_formatted(value);
        }
    }
    Ok(Edited {
        text: doc.to_string(),
        changed: true,
    })
}

/// Takes `name` out of the list; not listed: nothing changes.
pub fn remove(text: &str, name: &str) -> Result<Edited, Refusal> {
    let name = name_of(name).ok_or_else(|| Refusal::NotARequirement {
        text: name.to_string(),
    })?;
    let mut doc = parse(text)?;
    let Some(array) = dependencies(&mut doc, false)? else {
        return Ok(Edited {
            text: text.to_string(),
            changed: false,
        });
    };
    let Some(at) = position(array, &name)? else {
        return Ok(Edited {
            text: text.to_string(),
            changed: false,
        });
    };
    // An item's prefix holds the comment of the line before it (`"a",  # why`): that stays.
    let prefix = array
        .get(at)
        .and_then(|v| v.decor().prefix()?.as_str().map(str::to_string))
        .unwrap_or_default();
    let kept = &prefix[..prefix.rfind('\n').unwrap_or(0)];
    array.remove(at);
    match array.get_mut(at) {
        Some(next) if !kept.trim().is_empty() => {
            let theirs = next
                .decor()
                .prefix()
                .and_then(|p| p.as_str())
                .unwrap_or("")
                .to_string();
            next.decor_mut().set_prefix(format!("{kept}{theirs}"));
        }
        Some(_) => {}
        // It was the last: its own comment (before `]`) goes with it.
        None => {
            let trailing = array.trailing().as_str().unwrap_or("").to_string();
            let rest = &trailing[trailing.rfind('\n').unwrap_or(0)..];
            array.set_trailing(format!("{kept}{rest}"));
        }
    }
    Ok(Edited {
        text: doc.to_string(),
        changed: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROJECT: &str = r#"[project]
name = "course"
version = "0.1.0"
# What the notebooks need.
dependencies = [
    "numpy>=1.24",  # arrays
    "pandas[excel]==2.2.0",  # frames
]

[tool.ruff]
line-length = 100
"#;

    #[test]
    fn an_item_is_added_changed_and_removed_in_place() {
        let added = add(PROJECT, "seaborn>=0.13").unwrap();
        assert_eq!(
            added.text,
            PROJECT.replace(
                "    \"pandas[excel]==2.2.0\",  # frames\n",
                "    \"pandas[excel]==2.2.0\",  # frames\n    \"seaborn>=0.13\",\n"
            )
        );
        let changed = add(PROJECT, "pandas==2.2.3").unwrap();
        assert_eq!(
            changed.text,
            PROJECT.replace("pandas[excel]==2.2.0", "pandas[excel]==2.2.3")
        );
        assert!(!add(PROJECT, "numpy").unwrap().changed);
        let removed = remove(PROJECT, "Pandas").unwrap();
        assert_eq!(
            removed.text,
            PROJECT.replace("    \"pandas[excel]==2.2.0\",  # frames\n", "")
        );
        assert_eq!(names(PROJECT), ["numpy", "pandas"]);
        assert_eq!(
            line_of(PROJECT, "pandas").as_deref(),
            Some("pandas[excel]==2.2.0")
        );
    }

    #[test]
    fn a_project_without_a_list_gets_one_and_other_files_are_refused() {
        let bare = "[project]\nname = \"x\"\n";
        let added = add(bare, "six").unwrap();
        assert_eq!(names(&added.text), ["six"]);
        assert!(added.text.starts_with(bare));
        assert_eq!(add("[tool.poetry]\n", "six"), Err(Refusal::NotAProject));
        assert_eq!(add("not toml [", "six"), Err(Refusal::NotAProject));
        let twice = "[project]\ndependencies = [\"six\", \"six<2\"]\n";
        assert_eq!(
            remove(twice, "six"),
            Err(Refusal::Twice { name: "six".into() })
        );
    }
}
