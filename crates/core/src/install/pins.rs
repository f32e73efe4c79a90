//! Old pins: a course's `requirements.txt` from 2016 (`pandas==0.18.1`) has no wheel for
//! today's Python, or metadata today's installers no longer parse. Darwinix names those pins
//! and, when the user chooses Start with current versions, installs the same packages without
//! the constraints that fail — first only the pins the installer named, then all of them.

use crate::project::requirements::name_of;

/// A requirement that constrains the version (`pandas==0.18.1`, `numpy<1.12`).
fn is_pinned(line: &str) -> bool {
    name_of(line).is_some() && version_part(line).is_some()
}

/// Where the version constraint starts (after the name and any `[extras]`).
fn version_part(line: &str) -> Option<usize> {
    let spec = line.split(';').next().unwrap_or(line);
    let start = spec.find(|c: char| "=<>!~".contains(c))?;
    Some(start)
}

/// The pinned requirements among `lines` that the installer's output names — the ones that
/// made it fail. Empty when it names none (the failure is something else).
pub fn failing(output: &str, lines: &[String]) -> Vec<String> {
    let said = output.to_ascii_lowercase().replace('_', "-");
    lines
        .iter()
        .filter(|l| is_pinned(l))
        .filter(|l| {
            let name = name_of(l).unwrap_or_default();
            ["==", "<", ">", "~=", "!=", "` (v", " (v"]
                .iter()
                .any(|op| said.contains(&format!("{name}{op}")))
                || said.contains(&format!("`{name}`"))
        })
        .map(|l| l.trim().to_string())
        .collect()
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
            let chosen = match name_of(line) {
                Some(name) => pins.is_empty() || relaxed_names.contains(&name),
                None => false,
            };
            match version_part(line).filter(|_| chosen) {
                Some(start) => {
                    let marker = line.find(';').map(|m| &line[m..]).unwrap_or("");
                    let head = line[..start].trim_end();
                    if marker.is_empty() {
                        head.to_string()
                    } else {
                        format!("{head} {}", marker.trim())
                    }
                }
                None => line.clone(),
            }
        })
        .collect()
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
