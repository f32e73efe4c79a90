//! Requirement lines (`name[extras] specifiers ; markers`, `name @ url`) read with `pep508_rs`,
//! the PEP 508 parser uv grew from. A `requirements.txt` line is a little more than PEP 508:
//! pip cuts off a `# comment` and the options a requirement may carry (`--hash=…`) before it
//! parses, and so does [`parse`].

use pep508_rs::{Requirement, VersionOrUrl};

/// A requirement split where an edit touches it, each part as written in the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts<'a> {
    /// As written (`Scikit_Learn`).
    pub name: &'a str,
    /// `[excel, plot]`, brackets included.
    pub extras: Option<&'a str>,
    /// `>=2,<3`, `==1.0` or empty.
    pub spec: &'a str,
    /// After the `;`, trimmed.
    pub marker: Option<&'a str>,
}

/// The requirement a line asks for; `None` for blank and comment lines, option lines (`-r`,
/// `-e .`, `--index-url`), bare URLs and paths, and anything else that is not PEP 508.
pub fn parse(line: &str) -> Option<Requirement> {
    let text = requirement_text(line);
    if text.is_empty() || text.starts_with('-') {
        return None;
    }
    text.parse().ok()
}

/// The distribution a line names, normalised (`Jupyter_Lab[all]>=4` → `jupyter-lab`).
pub fn name_of(line: &str) -> Option<String> {
    parse(line).map(|r| r.name.to_string())
}

/// The extras a line asks for, normalised (`uvicorn[standard, Extra_Two]` → `standard`,
/// `extra-two`); empty for a line that is not a requirement.
pub fn extras_of(line: &str) -> Vec<String> {
    parse(line)
        .map(|r| r.extras.iter().map(ToString::to_string).collect())
        .unwrap_or_default()
}

/// The line limits the version (`numpy>=1.2`, `pandas[excel]==2.2 ; python_version>'3.8'`).
pub fn has_version(line: &str) -> bool {
    matches!(
        parse(line).and_then(|r| r.version_or_url),
        Some(VersionOrUrl::VersionSpecifier(specifiers)) if !specifiers.is_empty()
    )
}

/// The line without its version limits, everything else kept as written: extras, marker,
/// comment (`pandas[excel]==0.18.1 ; python_version < '3.12'` → `pandas[excel] ; python_version
/// < '3.12'`). A line with no version, or that is not a requirement, comes back as it is.
pub fn without_version(line: &str) -> String {
    let Some(parts) = parts(line).filter(|p| !p.spec.is_empty()) else {
        return line.to_string();
    };
    let start = line.len() - line.trim_start().len();
    let text = requirement_text(line);
    let rest = &line[start + text.len()..];
    let extras = parts.extras.unwrap_or("");
    let marker = parts.marker.map(|m| format!(" ; {m}")).unwrap_or_default();
    format!("{}{}{extras}{marker}{rest}", &line[..start], parts.name)
}

/// A version requirement cut into its parts as written; `None` for anything else (addresses,
/// options, a line carrying pip options such as `--hash`, text that is not PEP 508).
pub fn parts(line: &str) -> Option<Parts<'_>> {
    let text = requirement_text(line);
    let parsed = parse(text)?;
    if matches!(parsed.version_or_url, Some(VersionOrUrl::Url(_))) || text != without_comment(line)
    {
        return None;
    }
    // The parser has checked the grammar, so the spans are where it puts them: no name, extra
    // or version contains `;` or `[`, and the name is the leading run of name characters.
    let (head, marker) = match text.split_once(';') {
        Some((head, marker)) => (head.trim_end(), Some(marker.trim())),
        None => (text, None),
    };
    let name_end = head
        .find(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c)))
        .unwrap_or(head.len());
    let mut rest = head[name_end..].trim_start();
    let mut extras = None;
    if rest.starts_with('[') {
        let close = rest.find(']')?;
        extras = Some(&rest[..=close]);
        rest = rest[close + 1..].trim_start();
    }
    Some(Parts {
        name: &head[..name_end],
        extras,
        spec: rest.trim_end(),
        marker,
    })
}

/// The PEP 508 part of a `requirements.txt` line, trimmed: pip ends it at the first
/// space-separated word that starts with `-` (`--hash=…`, `--config-settings`).
fn requirement_text(line: &str) -> &str {
    let text = without_comment(line);
    let end = text.find(" -").unwrap_or(text.len());
    text[..end].trim()
}

/// pip reads `#` as a comment at the start of a line or after whitespace (a URL's `#sha256=`
/// fragment is not one).
fn without_comment(line: &str) -> &str {
    let at = line
        .char_indices()
        .find(|&(i, c)| c == '#' && (i == 0 || line[..i].ends_with([' ', '\t'])))
        .map_or(line.len(), |(i, _)| i);
    line[..at].trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_normalised_and_only_requirements_have_one() {
        let cases: &[(&str, Option<&str>)] = &[
            ("Jupyter_Lab[all]>=4", Some("jupyter-lab")),
            ("ruamel.yaml==0.18", Some("ruamel-yaml")),
            ("numpy  # arrays", Some("numpy")),
            ("  pandas (>=2.0)", Some("pandas")),
            (
                "six==1.16.0 --hash=sha256:1e61c37477a1626458e36f7b1d82aa5c",
                Some("six"),
            ),
            (
                "seaborn @ https://example.org/seaborn-0.13.0-py3-none-any.whl",
                Some("seaborn"),
            ),
            (
                "tomli>=1 ; python_version < '3.11' and platform_machine != 'x86-64'",
                Some("tomli"),
            ),
            ("# pandas", None),
            ("", None),
            ("-e .", None),
            ("-r base.txt", None),
            ("--index-url https://pypi.org/simple", None),
            ("git+https://x/y.git", None),
            ("https://x.org/a-1.0-py3-none-any.whl", None),
            ("./vendor/pkg", None),
            ("requests-2.26.0.tar.gz", None),
            ("numpy=1.21", None),
            ("name with spaces", None),
        ];
        for (line, want) in cases {
            assert_eq!(name_of(line).as_deref(), *want, "{line}");
        }
    }

    #[test]
    fn extras_markers_and_versions_are_read() {
        assert_eq!(
            extras_of("uvicorn[standard,  Extra_Two]>=0.20"),
            ["standard", "extra-two"]
        );
        assert!(extras_of("numpy").is_empty());
        assert!(has_version("numpy>=1.2"));
        assert!(has_version("pandas[excel]==2.2 ; python_version > '3.8'"));
        assert!(!has_version("pandas[excel] ; python_version > '3.8'"));
        assert!(!has_version("seaborn @ https://example.org/seaborn.whl"));
        assert!(!has_version("# numpy==1"));
        let marker = parse("numpy>=1 ; sys_platform == 'linux'").unwrap().marker;
        assert!(marker.contents().is_some());
    }

    #[test]
    fn a_version_is_dropped_and_the_rest_kept_as_written() {
        let cases: &[(&str, &str)] = &[
            ("numpy==1.11.0", "numpy"),
            (
                "pandas[excel]==0.18.1 ; python_version < '3.12'",
                "pandas[excel] ; python_version < '3.12'",
            ),
            ("Scikit_Learn >=0.19, <0.20  # old", "Scikit_Learn  # old"),
            ("  scipy<0.18", "  scipy"),
            ("requests", "requests"),
            (
                "seaborn @ https://example.org/s.whl",
                "seaborn @ https://example.org/s.whl",
            ),
            ("-r more.txt", "-r more.txt"),
            ("# course", "# course"),
        ];
        for (line, want) in cases {
            assert_eq!(without_version(line), *want, "{line}");
        }
    }

    #[test]
    fn parts_are_cut_as_written() {
        assert_eq!(
            parts("pandas[excel, plot] >=2,<3 ; python_version>'3.8'"),
            Some(Parts {
                name: "pandas",
                extras: Some("[excel, plot]"),
                spec: ">=2,<3",
                marker: Some("python_version>'3.8'"),
            })
        );
        assert_eq!(parts("torch==2.5.1+cpu").unwrap().spec, "==2.5.1+cpu");
        assert_eq!(parts("numpy").unwrap().spec, "");
        for other in [
            "-r base.txt",
            "numpy>>2",
            "seaborn @ https://example.org/s.whl",
            "six==1.16.0 --hash=sha256:1e61",
            "torch==${TORCH_VERSION}",
        ] {
            assert_eq!(parts(other), None, "{other}");
        }
    }
}
