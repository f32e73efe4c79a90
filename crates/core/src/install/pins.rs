//! Old pins: a course's `requirements.txt` from 2016 (`pandas==0.18.1`) has no wheel for
//! today's Python, or metadata today's installers no longer parse. Darwinix names those pins
//! and, when the user chooses Start with current versions, installs the same packages without
//! the constraints that fail — first only the pins the installer named, then all of them.
//! The lines are read as PEP 508 (`requirements::pep508`), so extras and markers are kept.

use crate::project::requirements::pep508::{has_version, name_of, without_version};

/// The pinned requirements among `lines` that the installer's output names — the ones that
/// made it fail. Empty when it names none (the failure is something else).
pub fn failing(output: &str, lines: &[String]) -> Vec<String> {
    let said = normalized(output);
    lines
        .iter()
        .filter(|l| has_version(l))
        .filter(|l| name_of(l).is_some_and(|name| names_requirement(&said, &name)))
        .map(|l| l.trim().to_string())
        .collect()
}

/// Output with names spelled as normalised names are (`Scikit_Learn` → `scikit-learn`).
fn normalized(output: &str) -> String {
    output.to_ascii_lowercase().replace(['_', '.'], "-")
}

/// Whether `said` names the requirement `name` as installers do: `name==1.0`,
/// `name[extra]==1.0` (uv keeps the extras: `django[argon2]==6.0`), `name>=2`, `` `name` ``,
/// `` `name` (v1.0) ``, `name (v1.0)` — and not merely a longer name that starts with it.
fn names_requirement(said: &str, name: &str) -> bool {
    said.match_indices(name).any(|(at, _)| {
        let before = said[..at].chars().next_back();
        let after = &said[at + name.len()..];
        let starts_a_name = before.is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '-'));
        starts_a_name
            && (after.starts_with(['[', '=', '<', '>', '~', '!', '`']) || after.starts_with(" (v"))
    })
}

/// Names the installer says the package index does not have at all (uv: "was not found in the
/// package registry"; pip: "No matching distribution found for").
pub fn not_on_index(output: &str) -> Vec<String> {
    let mut names = Vec::new();
    for line in output.lines() {
        let found = line
            .split("Because ")
            .skip(1)
            .filter_map(|rest| rest.split_once(" was not found in the package registry"))
            .map(|(name, _)| name.trim().to_string())
            .chain(
                line.split_once("No matching distribution found for ")
                    .map(|(_, name)| name.trim().to_string()),
            );
        for name in found.filter_map(|n| name_of(&n)) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

/// The installer failed on what the list asks for — a name the index does not have, a
/// version that does not exist or does not fit — rather than on installing it.
pub fn about_names_or_versions(output: &str) -> bool {
    const SIGNS: [&str; 6] = [
        "No solution found when resolving",
        "was not found in the package registry",
        "requirements are unsatisfiable",
        "Could not find a version that satisfies",
        "No matching distribution found",
        "was not found in the provided package locations",
    ];
    SIGNS.iter().any(|s| output.contains(s))
}

/// `lines` without the requirements for `names`.
pub fn without(lines: &[String], names: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter(|l| name_of(l).is_none_or(|n| !names.contains(&n)))
        .cloned()
        .collect()
}

/// `lines` with the version constraints of `pins` left out (of every pinned line when `pins`
/// is empty); extras and environment markers stay.
pub fn relax(lines: &[String], pins: &[String]) -> Vec<String> {
    let relaxed_names: Vec<String> = pins.iter().filter_map(|p| name_of(p)).collect();
    lines
        .iter()
        .map(|line| {
            let chosen =
                name_of(line).is_some_and(|name| pins.is_empty() || relaxed_names.contains(&name));
            match chosen {
                true => without_version(line),
                false => line.clone(),
            }
        })
        .collect()
}

/// `lines` as the user chose to start: without the packages in `without` (one that cannot be
/// built here), and with each requirement of `instead` (a version that is ready-made) in
/// place of the line for the same package — added when the package is only a dependency.
pub fn as_chosen(lines: &[String], without_names: &[String], instead: &[String]) -> Vec<String> {
    let mut chosen: Vec<String> = without(lines, without_names)
        .into_iter()
        .map(|line| {
            let replacement = name_of(&line)
                .and_then(|name| instead.iter().find(|i| name_of(i).as_ref() == Some(&name)));
            replacement.cloned().unwrap_or(line)
        })
        .collect();
    for requirement in instead {
        if !chosen.contains(requirement) {
            chosen.push(requirement.clone());
        }
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(String::from).collect()
    }

    #[test]
    fn the_pins_the_installer_names_are_the_failing_ones() {
        let reqs = lines("numpy==1.11.0\npandas==0.18.1\nrequests\nscipy==0.17.0\nmatplotlib>=1.5");
        let uv = "error: No solution found when resolving dependencies\n  cause: Because pandas==0.18.1 has invalid metadata and you require pandas==0.18.1, we can conclude that your requirements are unsatisfiable.";
        assert_eq!(failing(uv, &reqs), ["pandas==0.18.1"]);
        let build =
            "error: Failed to build `numpy==1.11.0`\n  ├─▶ The build backend returned an error";
        assert_eq!(failing(build, &reqs), ["numpy==1.11.0"]);
        let python = "Because the current Python version (3.12.1) does not satisfy Python>=2.7,<3.6 and scipy==0.17.0 depends on Python>=2.7,<3.6";
        assert_eq!(failing(python, &reqs), ["scipy==0.17.0"]);
        assert!(failing("error: Failed to fetch: connection refused", &reqs).is_empty());
    }

    /// uv 0.13.9's words (`uv pip install` into a Python 3.11.7 environment), trimmed.
    #[test]
    fn every_wording_of_uv_names_its_pin() {
        let extras = "error: No solution found when resolving dependencies\n  cause: Because the current Python version (3.11.7) does not satisfy Python>=3.12 and you require django[argon2]==6.0, we can conclude that your requirements are unsatisfiable.";
        let reqs = lines("Django[argon2,bcrypt]==6.0\ndjango-extensions==3.2\nsix");
        assert_eq!(failing(extras, &reqs), ["Django[argon2,bcrypt]==6.0"]);
        let abi = "error: No solution found when resolving dependencies\n  cause: Because torch==1.12.1 has no wheels with a matching Python ABI tag (e.g., `cp311`) and you require torch==1.12.1, we can conclude that your requirements are unsatisfiable.\n\nhint: You require CPython 3.11 (`cp311`), but we only found wheels for `torch` (v1.12.1) with the following Python ABI tags: `cp37m`, `cp38`, `cp39`, `cp310`";
        let reqs = lines("torch==1.12.1 ; sys_platform == 'linux'\ntorchvision");
        assert_eq!(
            failing(abi, &reqs),
            ["torch==1.12.1 ; sys_platform == 'linux'"]
        );
        let marker = "  cause: Because pandas==0.18.1 has invalid metadata and you require pandas==0.18.1, we can conclude that your requirements are unsatisfiable.\n\nhint: Metadata for `pandas` (v0.18.1) could not be parsed:";
        let reqs = lines("pandas==0.18.1; python_version>='3'\nPandas_Flavor==0.6");
        assert_eq!(
            failing(marker, &reqs),
            ["pandas==0.18.1; python_version>='3'"]
        );
        let pip = "ERROR: Could not find a version that satisfies the requirement django[argon2]==6.0 (from versions: 1.1.3, 5.2.19)\nERROR: No matching distribution found for django[argon2]==6.0";
        assert_eq!(
            failing(pip, &lines("django[argon2]==6.0")),
            ["django[argon2]==6.0"]
        );
    }

    #[test]
    fn packages_the_index_does_not_have_are_named() {
        let uv = "  × No solution found when resolving dependencies:\n  ╰─▶ Because sklearn_extra was not found in the package registry and you require sklearn-extra, we can conclude that your requirements are unsatisfiable.";
        assert_eq!(not_on_index(uv), ["sklearn-extra"]);
        let pip = "ERROR: Could not find a version that satisfies the requirement mylocalthing (from versions: none)\nERROR: No matching distribution found for mylocalthing";
        assert_eq!(not_on_index(pip), ["mylocalthing"]);
        assert!(not_on_index("error: Failed to build `numpy==1.11.0`").is_empty());
        let reqs = lines("# made\nnumpy\nsklearn-extra\nmylocalthing==1");
        assert_eq!(
            without(&reqs, &not_on_index(pip)),
            lines("# made\nnumpy\nsklearn-extra")
        );
    }

    #[test]
    fn the_users_choice_leaves_out_and_replaces() {
        let reqs = lines("# course\nBox2D_py==2.3.8\nnumpy==1.21\nsix");
        let instead = ["numpy==2.3.5".to_string(), "scipy==1.17.1".to_string()];
        assert_eq!(
            as_chosen(&reqs, &["box2d-py".into()], &instead),
            lines("# course\nnumpy==2.3.5\nsix\nscipy==1.17.1")
        );
        assert_eq!(as_chosen(&reqs, &[], &[]), reqs);
    }

    #[test]
    fn relaxing_keeps_the_packages_and_their_markers() {
        let reqs = lines("# course\nnumpy==1.11.0\npandas[excel]==0.18.1 ; python_version < '3.12'\nrequests\n-r more.txt\nscipy<0.18");
        assert_eq!(
            relax(&reqs, &["pandas==0.18.1".into()]),
            lines("# course\nnumpy==1.11.0\npandas[excel] ; python_version < '3.12'\nrequests\n-r more.txt\nscipy<0.18")
        );
        assert_eq!(
            relax(&reqs, &[]),
            lines("# course\nnumpy\npandas[excel] ; python_version < '3.12'\nrequests\n-r more.txt\nscipy")
        );
    }
}
