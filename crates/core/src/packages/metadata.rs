//! What an environment has installed, read from its `*.dist-info/METADATA` files (core
//! metadata, an e-mail-style header): each distribution's name, version, summary and what it
//! requires. Only file reads: listing a `.venv` runs no Python.

use std::path::Path;

use pep508_rs::{ExtraOperator, MarkerExpression, MarkerTree};

use crate::project::requirements::{name_of, pep508};
use crate::project::Layout;

/// One installed distribution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dist {
    /// As its metadata spells it (`PyYAML`).
    pub name: String,
    /// Normalised (`pyyaml`), for matching.
    pub key: String,
    pub version: String,
    pub summary: Option<String>,
    pub requires: Vec<Requirement>,
}

/// One `Requires-Dist` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    /// Normalised.
    pub key: String,
    /// Its extras that are asked for (`uvicorn[standard]`), normalised.
    pub extras: Vec<String>,
    /// The extra of the requiring distribution that asks for it (`extra == "excel"`); `None`:
    /// always (other markers are taken as true: a package a marker leaves out is simply not
    /// installed, so it is never looked up).
    pub extra: Option<String>,
}

/// Parses one METADATA file; `None` when it names no distribution.
pub fn parse(text: &str) -> Option<Dist> {
    let (mut name, mut version, mut summary) = (None, None, None);
    let mut requires = Vec::new();
    // The header ends at the first blank line; the description follows.
    let header = text.split("\n\n").next().unwrap_or("");
    for line in header.lines() {
        let Some((field, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match field.to_ascii_lowercase().as_str() {
            "name" => name = Some(value.to_string()),
            "version" => version = Some(value.to_string()),
            "summary" if !value.is_empty() && value != "UNKNOWN" => {
                summary = Some(value.to_string())
            }
            "requires-dist" => requires.extend(requirement(value)),
            _ => {}
        }
    }
    let name = name?;
    Some(Dist {
        key: name_of(&name)?,
        name,
        version: version.unwrap_or_default(),
        summary,
        requires,
    })
}

fn requirement(value: &str) -> Option<Requirement> {
    let parsed = pep508::parse(value)?;
    Some(Requirement {
        key: parsed.name.to_string(),
        extras: parsed.extras.iter().map(ToString::to_string).collect(),
        extra: extra_of(&parsed.marker),
    })
}

/// The extra a marker asks for (`extra == "excel"`, alone or with other conditions).
fn extra_of(marker: &MarkerTree) -> Option<String> {
    marker
        .to_dnf()
        .iter()
        .flatten()
        .find_map(|expression| match expression {
            MarkerExpression::Extra {
                operator: ExtraOperator::Equal,
                name,
            } => Some(name.to_string()),
            _ => None,
        })
}

/// Every distribution installed in the environment at `venv`.
pub fn installed(venv: &Path, layout: Layout) -> Vec<Dist> {
    let mut all: Vec<Dist> = layout
        .site_packages(venv)
        .iter()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flat_map(|entries| entries.flatten())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".dist-info"))
        .filter_map(|e| std::fs::read_to_string(e.path().join("METADATA")).ok())
        .filter_map(|text| parse(&text))
        .collect();
    all.sort_by(|a, b| a.key.cmp(&b.key));
    all.dedup_by(|a, b| a.key == b.key);
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    const PANDAS: &str = "Metadata-Version: 2.1\n\
Name: pandas\n\
Version: 2.2.3\n\
Summary: Powerful data structures for data analysis, time series, and statistics\n\
Requires-Python: >=3.9\n\
Provides-Extra: excel\n\
Requires-Dist: numpy>=1.23.2; python_version == \"3.11\"\n\
Requires-Dist: python-dateutil>=2.8.2\n\
Requires-Dist: uvicorn[standard,  Extra_Two]>=0.20\n\
Requires-Dist: tzdata>=2022.7\n\
Requires-Dist: openpyxl>=3.1.0; extra == 'excel'\n\
Requires-Dist: odfpy >= 1.4.1 ; extra == \"excel\"\n\
\n\
Name: not-a-header\n\
Requires-Dist: from-the-description\n";

    #[test]
    fn a_metadata_file_gives_name_version_summary_and_requirements() {
        let dist = parse(PANDAS).unwrap();
        assert_eq!(dist.name, "pandas");
        assert_eq!(dist.version, "2.2.3");
        assert!(dist
            .summary
            .unwrap()
            .starts_with("Powerful data structures"));
        let required: Vec<(&str, Option<&str>)> = dist
            .requires
            .iter()
            .map(|r| (r.key.as_str(), r.extra.as_deref()))
            .collect();
        assert_eq!(dist.requires[2].extras, ["standard", "extra-two"]);
        assert_eq!(
            required,
            [
                ("numpy", None),
                ("python-dateutil", None),
                ("uvicorn", None),
                ("tzdata", None),
                ("openpyxl", Some("excel")),
                ("odfpy", Some("excel")),
            ]
        );
    }

    #[test]
    fn names_are_matched_normalised() {
        let dist = parse("Name: PyYAML\nVersion: 6.0.2\nSummary: UNKNOWN\n").unwrap();
        assert_eq!((dist.key.as_str(), dist.summary), ("pyyaml", None));
        assert_eq!(parse("Version: 1\n"), None);
    }
}
