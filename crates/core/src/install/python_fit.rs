//! Which Python a failing install needs. Installers say it in three ways: the Python range a
//! version asks for (uv: `does not satisfy Python>=3.12`; pip: `6.0 Requires-Python >=3.12`),
//! or the Pythons its wheels are made for (uv: `Python ABI tags: `cp37m`, `cp310``). The
//! answer is the nearest such Python to the one in use, among those Darwinix can offer.

use std::str::FromStr;

use pep508_rs::pep440_rs::{Version, VersionSpecifiers};

/// The minor versions of Python 3 Darwinix offers: uv's managed Pythons go back to 3.8.
const OFFERED: std::ops::RangeInclusive<u64> = 8..=14;

/// The Python (`3.10`) the installer's `output` says the requirements need, nearest to the
/// one in use (as the output says, else `current`); `None` when it says none, or none
/// Darwinix can offer. `pins` are the failing pins (pip names the Python range per version).
pub fn needed(output: &str, pins: &[String], current: Option<u64>) -> Option<String> {
    let current = current_minor(output).or(current);
    let fits = from_range(output)
        .or_else(|| from_abi_tags(output))
        .or_else(|| from_pip(output, pins))?;
    nearest_first(current)
        .find(|&minor| fits(minor))
        .map(|minor| format!("3.{minor}"))
}

/// The Pythons to try, nearest to the one in use first (older before newer at the same
/// distance, as old pins are the usual case); the one in use is left out.
pub fn nearest_first(current: Option<u64>) -> impl Iterator<Item = u64> {
    let mut minors: Vec<u64> = OFFERED.filter(|&m| Some(m) != current).collect();
    // Unknown: the newest first.
    let from = current.unwrap_or(u64::MAX);
    minors.sort_by_key(|&m| (m.abs_diff(from), m > from));
    minors.into_iter()
}

/// The minor version of the Python in use, as uv says it (`Using Python 3.11.7 environment
/// at`, `the current Python version (3.11.7)`).
pub fn current_minor(output: &str) -> Option<u64> {
    let after = ["Using Python ", "current Python version ("]
        .iter()
        .find_map(|mark| output.split_once(mark).map(|(_, rest)| rest))?;
    let version: String = after
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    version.split('.').nth(1)?.parse().ok()
}

type Fits = Box<dyn Fn(u64) -> bool>;

/// uv: `Because the current Python version (3.11.7) does not satisfy Python>=3.12 and …`.
fn from_range(output: &str) -> Option<Fits> {
    let rest = output.split_once("does not satisfy Python")?.1;
    let spec = rest
        .split(" and ")
        .next()?
        .split(", we can")
        .next()?
        .lines()
        .next()?;
    specifiers(spec)
}

/// uv's hint: `we only found wheels for `torch` (v1.12.1) with the following Python ABI tags:
/// `cp37m`, `cp38`, `cp39`, `cp310``.
fn from_abi_tags(output: &str) -> Option<Fits> {
    let rest = output.split_once("with the following Python ABI tags: ")?.1;
    let line = rest.lines().next()?;
    let minors: Vec<u64> = line
        .split(", ")
        .filter_map(|tag| {
            let tag = tag.trim_matches('`').strip_prefix("cp3")?;
            tag.trim_end_matches(['m', 't']).parse().ok()
        })
        .collect();
    (!minors.is_empty()).then(|| Box::new(move |m| minors.contains(&m)) as Fits)
}

/// pip: `Ignored the following versions that require a different python version: 6.0
/// Requires-Python >=3.12; 6.0.1 Requires-Python >=3.12`, for a pin `==6.0`.
fn from_pip(output: &str, pins: &[String]) -> Option<Fits> {
    let listed = output
        .split_once("require a different python version: ")?
        .1
        .lines()
        .next()?;
    pins.iter().find_map(|pin| {
        let version = pin.split_once("==")?.1.split([';', ' ']).next()?.trim();
        let spec = listed
            .split("; ")
            .find_map(|entry| entry.strip_prefix(&format!("{version} Requires-Python ")))?;
        specifiers(spec)
    })
}

/// A Python range as a test of minor versions: a minor fits when its first or a late
/// release does (`>=3.10.5` and `<3.11` both let 3.10 in).
fn specifiers(spec: &str) -> Option<Fits> {
    let specs = VersionSpecifiers::from_str(spec.trim().trim_end_matches(',')).ok()?;
    Some(Box::new(move |minor| {
        [0, 99]
            .iter()
            .any(|patch| specs.contains(&Version::new([3, minor, *patch])))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// uv 0.13.9 and pip 23.2.1 on Python 3.11.7, trimmed.
    #[test]
    fn each_wording_names_the_nearest_python() {
        let range = "Using Python 3.11.7 environment at: /tmp/t311\nerror: No solution found when resolving dependencies\n  cause: Because the current Python version (3.11.7) does not satisfy Python>=3.12 and you require django[argon2]==6.0, we can conclude that your requirements are unsatisfiable.";
        assert_eq!(needed(range, &[], None).as_deref(), Some("3.12"));
        let abi = "Using Python 3.11.7 environment at: /tmp/t311\n  cause: Because torch==1.12.1 has no wheels with a matching Python ABI tag (e.g., `cp311`) and you require torch==1.12.1, we can conclude that your requirements are unsatisfiable.\n\nhint: You require CPython 3.11 (`cp311`), but we only found wheels for `torch` (v1.12.1) with the following Python ABI tags: `cp37m`, `cp38`, `cp39`, `cp310`";
        assert_eq!(needed(abi, &[], None).as_deref(), Some("3.10"));
        let pip = "ERROR: Ignored the following versions that require a different python version: 6.0 Requires-Python >=3.12; 6.0.1 Requires-Python >=3.12\nERROR: Could not find a version that satisfies the requirement django[argon2]==6.0 (from versions: 1.1.3, 5.2.19)";
        assert_eq!(
            needed(pip, &["django[argon2]==6.0".into()], Some(11)).as_deref(),
            Some("3.12")
        );
    }

    #[test]
    fn a_python_darwinix_cannot_offer_is_no_answer() {
        let old = "Because the current Python version (3.12.1) does not satisfy Python>=2.7,<3.6 and scipy==0.17.0 depends on Python>=2.7,<3.6, we can conclude";
        assert_eq!(needed(old, &[], None), None);
        let box2d = "hint: You require CPython 3.8 (`cp38`), but we only found wheels for `box2d-py` (v2.3.6) with the following Python ABI tags: `cp35m`, `cp36m`, `cp37m`";
        assert_eq!(needed(box2d, &[], Some(8)), None);
        assert_eq!(
            needed("error: Failed to build `box2d-py==2.3.8`", &[], None),
            None
        );
    }

    #[test]
    fn nearer_pythons_come_first() {
        assert_eq!(
            nearest_first(Some(11)).collect::<Vec<_>>(),
            [10, 12, 9, 13, 8, 14]
        );
        assert_eq!(nearest_first(None).next(), Some(14));
        assert_eq!(
            current_minor("Using Python 3.11.7 environment at: /x"),
            Some(11)
        );
    }
}
