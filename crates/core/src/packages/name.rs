//! What may be searched for: a project name as PEP 508 and PEP 503 define it. The name becomes
//! part of the index address the look-up asks (`<index>/<name>/`), so anything else — an
//! address, `../x`, a space, `ñ`, nothing at all — is refused before a request is made, with
//! what is wrong with it rather than a failed request's words.

use crate::error::{Error, Result};
use crate::project::requirements::control::shown;

/// No project on PyPI comes near it; a longer text is not a name anyone typed.
pub const MAX_LEN: usize = 200;

/// `text` without its surrounding whitespace, when that is a project name.
pub fn checked(text: &str) -> Result<&str> {
    let name = text.trim();
    let refused = |why: &str| Error::NotAPackageName {
        text: shown(name),
        why: why.to_string(),
    };
    if name.is_empty() {
        return Err(refused("it is empty"));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        return Err(refused(
            "names use only unaccented letters (a–z), digits, `.`, `-` and `_`",
        ));
    }
    let ends = [name.chars().next(), name.chars().last()];
    if !ends.iter().flatten().all(char::is_ascii_alphanumeric) {
        return Err(refused("names start and end with a letter or a digit"));
    }
    if name.len() > MAX_LEN {
        return Err(refused(&format!(
            "names are at most {MAX_LEN} characters long"
        )));
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_project_names_are_searched() {
        let letters = "names use only unaccented letters (a–z), digits, `.`, `-` and `_`";
        let cases: &[(&str, String)] = &[
            ("", "no package name was given".into()),
            ("   ", "no package name was given".into()),
            ("ñ", format!("`ñ` is not a package name: {letters}")),
            (
                "http://127.0.0.1:9/x",
                format!("`http://127.0.0.1:9/x` is not a package name: {letters}"),
            ),
            ("../x", format!("`../x` is not a package name: {letters}")),
            ("a b", format!("`a b` is not a package name: {letters}")),
            (
                "a\u{1b}[2Jb",
                format!("`a<U+001B>[2Jb` is not a package name: {letters}"),
            ),
            (
                ".x",
                "`.x` is not a package name: names start and end with a letter or a digit".into(),
            ),
            (
                "x-",
                "`x-` is not a package name: names start and end with a letter or a digit".into(),
            ),
        ];
        for (text, want) in cases {
            assert_eq!(checked(text).unwrap_err().to_string(), *want, "{text:?}");
        }
        let long = "a".repeat(MAX_LEN + 1);
        assert!(checked(&long)
            .unwrap_err()
            .to_string()
            .ends_with("names are at most 200 characters long"));
        for name in [
            "numpy",
            "scikit-learn",
            "ruamel.yaml",
            "Jupyter_Lab",
            "x",
            "a1",
        ] {
            assert_eq!(checked(name).unwrap(), name);
        }
        assert_eq!(checked(" numpy\n").unwrap(), "numpy");
        assert!(checked(&"a".repeat(MAX_LEN)).is_ok());
    }
}
