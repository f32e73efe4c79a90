//! Editing a `requirements.txt` in place, the way a person would: one line changes, every other
//! byte stays — comments, blank lines, order, extras, markers, `-r`/`-c` and option lines,
//! line endings. What cannot be edited safely is refused with the reason, and the text is not
//! touched: a file with hashes (`--require-hashes` needs a hash for every package), a
//! requirement spread over continuation lines, one listed twice (under two markers), one
//! installed from an address, or one built from environment variables.

pub use super::control::Hidden;
pub use super::pep508::{parts, Parts};

/// Why a change was not made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The file pins hashes: a new line would need them too.
    Hashes,
    /// The package's line goes on over several lines (`\` at the end).
    Continued { name: String },
    /// The package is listed more than once.
    Twice { name: String },
    /// The package comes from an address or a folder, not from a version.
    FromAddress { name: String },
    /// The package's line uses `${VARIABLES}`.
    Variables { name: String },
    /// Not a requirement Darwinix can write (`numpy>=2`, `pandas[excel]==2.2`).
    NotARequirement { text: String },
    /// A part of the requirement holds a control character (a line break would start a line
    /// of its own, which pip and uv would obey).
    Hidden(Hidden),
    /// A `pyproject.toml` without a `[project]` table (or not TOML).
    NotAProject,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Hashes => write!(
                f,
                "it pins every package with `--hash`, and a changed line would need new hashes"
            ),
            Refusal::Continued { name } => {
                write!(f, "the line for {name} goes on over several lines")
            }
            Refusal::Twice { name } => write!(f, "{name} is listed more than once"),
            Refusal::FromAddress { name } => {
                write!(f, "{name} is installed from an address or a folder")
            }
            Refusal::Variables { name } => {
                write!(f, "the line for {name} uses environment variables")
            }
            Refusal::NotARequirement { text } => write!(
                f,
                "`{text}` is not a package name with an optional version (like `numpy>=2`)"
            ),
            Refusal::Hidden(hidden) => write!(f, "{hidden}"),
            Refusal::NotAProject => write!(
                f,
                "it has no [project] table with a dependencies list (another tool's format)"
            ),
        }
    }
}

/// The text after a change, and whether anything changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edited {
    pub text: String,
    pub changed: bool,
}

/// One line of the file as the editor sees it.
#[derive(Debug)]
struct Line<'a> {
    /// The line without its ending.
    body: &'a str,
    /// The next line belongs to this one.
    continues: bool,
}

/// What a line asks for, without its comment: pip reads `#` as a comment at the start of a
/// line or after whitespace.
fn without_comment(body: &str) -> (&str, &str) {
    let at = body
        .char_indices()
        .find(|&(i, c)| c == '#' && (i == 0 || body[..i].ends_with([' ', '\t'])))
        .map_or(body.len(), |(i, _)| i);
    let content = body[..at].trim_end();
    (content, &body[content.len()..])
}

fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out: Vec<Line<'_>> = Vec::new();
    for raw in text.split_inclusive('\n') {
        let body = raw.trim_end_matches(['\n', '\r']);
        out.push(Line {
            body,
            continues: body.ends_with('\\'),
        });
    }
    out
}

/// Where each package the file itself lists is: `(name, first line, last line)`.
fn listed(lines: &[Line<'_>]) -> Vec<(String, usize, usize)> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let start = i;
        while lines[i].continues && i + 1 < lines.len() {
            i += 1;
        }
        let joined = joined(&lines[start..=i]);
        if let Some(name) = name_in(without_comment(&joined).0) {
            found.push((name, start, i));
        }
        i += 1;
    }
    found
}

/// A requirement spread over `\` continuation lines, as pip reads it: one line.
fn joined(lines: &[Line<'_>]) -> String {
    lines
        .iter()
        .map(|l| {
            if l.continues {
                &l.body[..l.body.len() - 1]
            } else {
                l.body
            }
        })
        .collect()
}

/// The package a line lists. pip fills in `${VARIABLES}` before it reads a line, so a stand-in
/// value lets such a line be named (editing it is refused later).
fn name_in(content: &str) -> Option<String> {
    let filled = with_stand_ins(content);
    super::name_of(&filled).or_else(|| {
        // `name @ <an address the parser does not take>`: listed, from an address.
        let (name, _) = filled.split_once(" @ ")?;
        super::name_of(name)
    })
}

/// `torch==${TORCH_VERSION}` → `torch==0`.
fn with_stand_ins(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("${") {
        let Some(end) = rest[at..].find('}') else {
            break;
        };
        out.push_str(&rest[..at]);
        out.push('0');
        rest = &rest[at + end + 1..];
    }
    out.push_str(rest);
    out
}

/// The packages the file lists itself (not those of files it includes), normalised.
pub fn names(text: &str) -> Vec<String> {
    listed(&lines(text)).into_iter().map(|(n, ..)| n).collect()
}

/// The requirement `name` is listed with in the file itself (`pandas[excel]==2.2`, without its
/// comment), when it is listed once on one line.
pub fn line_of(text: &str, name: &str) -> Option<String> {
    let name = super::name_of(name)?;
    let lines = lines(text);
    let mut all = listed(&lines).into_iter().filter(|(n, ..)| *n == name);
    let (_, first, last) = all.next()?;
    if all.next().is_some() || first != last {
        return None;
    }
    Some(without_comment(lines[first].body).0.trim().to_string())
}

/// The one line of `name`, checked for what cannot be edited; `None` when it is not listed.
fn the_line(text: &str, lines: &[Line<'_>], name: &str) -> Result<Option<usize>, Refusal> {
    if text.contains("--hash") {
        return Err(Refusal::Hashes);
    }
    let mut all = listed(lines).into_iter().filter(|(n, ..)| n == name);
    let Some((_, first, last)) = all.next() else {
        return Ok(None);
    };
    let name = name.to_string();
    if all.next().is_some() {
        return Err(Refusal::Twice { name });
    }
    if first != last || lines[first].continues {
        return Err(Refusal::Continued { name });
    }
    let (content, _) = without_comment(lines[first].body);
    if content.contains("${") {
        return Err(Refusal::Variables { name });
    }
    if parts(content).is_none() {
        return Err(Refusal::FromAddress { name });
    }
    Ok(Some(first))
}

/// The line ending the file uses.
fn ending(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

fn rebuild(text: &str, lines: &[Line<'_>], at: usize, new: Option<&str>) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        if i != at {
            out.push_str(raw);
            continue;
        }
        if let Some(new) = new {
            out.push_str(new);
            out.push_str(&raw[lines[i].body.len()..]);
        }
    }
    out
}

/// Adds `requirement` (`pandas`, `pandas>=2`, `pandas[excel]==2.2`): a new line at the end,
/// or — when the package is listed — its line with the new version (and extras or marker when
/// given); the rest of that line (extras, marker, comment) stays. A bare name that is already
/// listed changes nothing.
pub fn add(text: &str, requirement: &str) -> Result<Edited, Refusal> {
    if let Some(hidden) = super::control::find(requirement) {
        return Err(Refusal::Hidden(hidden));
    }
    let requirement = requirement.trim();
    let refused = || Refusal::NotARequirement {
        text: requirement.to_string(),
    };
    let new = parts(requirement).ok_or_else(refused)?;
    let name = super::name_of(new.name).ok_or_else(refused)?;
    let lines = lines(text);
    let Some(at) = the_line(text, &lines, &name)? else {
        let mut out = text.to_string();
        if !out.is_empty() && !out.ends_with('\n') {
            out.push_str(ending(text));
        }
        out.push_str(requirement);
        out.push_str(ending(text));
        return Ok(Edited {
            text: out,
            changed: true,
        });
    };
    let (content, comment) = without_comment(lines[at].body);
    let indent = &content[..content.len() - content.trim_start().len()];
    let old = parts(content).expect("checked by the_line");
    if new.spec.is_empty() && new.extras.is_none() && new.marker.is_none() {
        return Ok(Edited {
            text: text.to_string(),
            changed: false,
        });
    }
    let extras = new.extras.or(old.extras).unwrap_or("");
    let spec = if new.spec.is_empty() {
        old.spec
    } else {
        new.spec
    };
    let marker = new
        .marker
        .or(old.marker)
        .map(|m| format!(" ; {m}"))
        .unwrap_or_default();
    let line = format!("{indent}{}{extras}{spec}{marker}{comment}", old.name);
    let changed = line != lines[at].body;
    Ok(Edited {
        text: rebuild(text, &lines, at, Some(&line)),
        changed,
    })
}

/// Takes out the line of `name` (its comment goes with it; nothing else moves). Not listed:
/// nothing changes.
pub fn remove(text: &str, name: &str) -> Result<Edited, Refusal> {
    let Some(name) = super::name_of(name) else {
        return Err(Refusal::NotARequirement {
            text: name.to_string(),
        });
    };
    let lines = lines(text);
    match the_line(text, &lines, &name) {
        Ok(Some(at)) => Ok(Edited {
            text: rebuild(text, &lines, at, None),
            changed: true,
        }),
        Ok(None) => Ok(Edited {
            text: text.to_string(),
            changed: false,
        }),
        // An address is no obstacle to taking the line out.
        Err(Refusal::FromAddress { .. }) | Err(Refusal::Variables { .. }) => {
            let at = listed(&lines)
                .into_iter()
                .find(|(n, ..)| *n == name)
                .map(|(_, first, _)| first)
                .expect("refused for a listed line");
            Ok(Edited {
                text: rebuild(text, &lines, at, None),
                changed: true,
            })
        }
        Err(refusal) => Err(refusal),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A course's file: a header, groups, extras, a marker, comments, an include, an option.
    const COURSE: &str = "# Course requirements\n\
--index-url https://pypi.org/simple\n\
-r base.txt\n\
\n\
# data\n\
numpy>=1.24  # arrays\n\
pandas[excel]==2.2.0 ; python_version >= \"3.9\"\n\
\n\
# plots\n\
matplotlib\n\
seaborn @ https://example.org/seaborn-0.13.0-py3-none-any.whl\n";

    #[test]
    fn adding_appends_one_line_and_keeps_every_other_byte() {
        let cases: &[(&str, &str, &str)] = &[
            ("", "requests", "requests\n"),
            ("numpy\n", "requests>=2", "numpy\nrequests>=2\n"),
            ("numpy", "requests", "numpy\nrequests\n"),
            ("numpy\r\n# c\r\n", "scipy", "numpy\r\n# c\r\nscipy\r\n"),
            (COURSE, "scipy==1.13.1", &format!("{COURSE}scipy==1.13.1\n")),
        ];
        for (text, requirement, want) in cases {
            let edited = add(text, requirement).unwrap();
            assert_eq!(edited.text, *want, "{requirement} into {text:?}");
            assert!(edited.changed);
        }
    }

    #[test]
    fn adding_a_listed_package_changes_its_version_in_place() {
        let cases: &[(&str, &str, &str)] = &[
            // The comment stays, and the spacing before it.
            (
                "numpy>=1.24  # arrays\n",
                "numpy>=2",
                "numpy>=2  # arrays\n",
            ),
            // Extras and marker stay when the new requirement has none.
            (
                "pandas[excel]==2.2.0 ; python_version >= \"3.9\"\n",
                "pandas==2.2.3",
                "pandas[excel]==2.2.3 ; python_version >= \"3.9\"\n",
            ),
            // The spelling in the file stays; the name matches normalised.
            (
                "Scikit_Learn==1.0\n",
                "scikit-learn==1.5",
                "Scikit_Learn==1.5\n",
            ),
            ("  six\n", "six<2", "  six<2\n"),
            ("pandas\n", "pandas[excel]", "pandas[excel]\n"),
        ];
        for (text, requirement, want) in cases {
            let edited = add(text, requirement).unwrap();
            assert_eq!(edited.text, *want, "{requirement} into {text:?}");
        }
        let same = add("numpy>=1.24\n", "numpy").unwrap();
        assert_eq!((same.text.as_str(), same.changed), ("numpy>=1.24\n", false));
        let edited = add(COURSE, "matplotlib>=3.8").unwrap();
        assert_eq!(
            edited.text,
            COURSE.replace("\nmatplotlib\n", "\nmatplotlib>=3.8\n")
        );
    }

    #[test]
    fn removing_takes_out_one_line_only() {
        let edited = remove(COURSE, "NumPy").unwrap();
        assert_eq!(edited.text, COURSE.replace("numpy>=1.24  # arrays\n", ""));
        let edited = remove(COURSE, "seaborn").unwrap();
        assert!(!edited.text.contains("seaborn"));
        assert_eq!(edited.text.lines().count(), COURSE.lines().count() - 1);
        let last = remove("a\nb", "b").unwrap();
        assert_eq!(last.text, "a\n");
        let none = remove(COURSE, "scipy").unwrap();
        assert_eq!((none.text.as_str(), none.changed), (COURSE, false));
    }

    #[test]
    fn what_cannot_be_edited_safely_is_refused() {
        let hashed = "six==1.16.0 \\\n    --hash=sha256:1e61c37477a1626458e36f7b1d82aa5c9b094fa4802892072e49de9c60c4c926\n";
        assert_eq!(add(hashed, "numpy"), Err(Refusal::Hashes));
        assert_eq!(remove(hashed, "six"), Err(Refusal::Hashes));
        let continued = "numpy>=1.24 \\\n    ; python_version > '3.8'\n";
        assert_eq!(
            add(continued, "numpy>=2"),
            Err(Refusal::Continued {
                name: "numpy".into()
            })
        );
        let twice = "numpy<2 ; python_version < '3.9'\nnumpy>=2 ; python_version >= '3.9'\n";
        assert_eq!(
            remove(twice, "numpy"),
            Err(Refusal::Twice {
                name: "numpy".into()
            })
        );
        assert_eq!(
            add(COURSE, "seaborn==0.13.2"),
            Err(Refusal::FromAddress {
                name: "seaborn".into()
            })
        );
        assert_eq!(
            add("torch==${TORCH_VERSION}\n", "torch==2.5"),
            Err(Refusal::Variables {
                name: "torch".into()
            })
        );
        for bad in [
            "",
            "-e .",
            "numpy>>2",
            "https://x.org/a.whl",
            "name with spaces",
        ] {
            assert!(
                matches!(add("", bad), Err(Refusal::NotARequirement { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_listed_line_is_found_by_its_normalised_name() {
        assert_eq!(
            line_of(COURSE, "Pandas").as_deref(),
            Some("pandas[excel]==2.2.0 ; python_version >= \"3.9\"")
        );
        assert_eq!(line_of(COURSE, "numpy").as_deref(), Some("numpy>=1.24"));
        assert_eq!(line_of(COURSE, "scipy"), None);
    }

    #[test]
    fn the_file_names_what_it_lists_itself() {
        assert_eq!(
            names(COURSE),
            ["numpy", "pandas", "matplotlib", "seaborn"].map(String::from)
        );
        assert_eq!(names("a \\\n  >=1\n# b\nc\n"), ["a", "c"].map(String::from));
    }

    #[test]
    fn requirements_split_where_a_change_touches_them() {
        assert_eq!(
            parts("pandas[excel, plot] >=2,<3 ; python_version>'3.8'"),
            Some(Parts {
                name: "pandas",
                extras: Some("[excel, plot]"),
                spec: ">=2,<3",
                marker: Some("python_version>'3.8'"),
            })
        );
        assert_eq!(parts("numpy").unwrap().spec, "");
        assert_eq!(parts("torch==2.5.1+cpu").unwrap().spec, "==2.5.1+cpu");
        assert_eq!(parts("x~=1.4.2").unwrap().spec, "~=1.4.2");
        assert_eq!(parts("-r base.txt"), None);
    }
}
