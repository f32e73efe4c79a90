//! What to tell a user whose Python cannot make a virtual environment.

/// Debian/Ubuntu split `venv`'s pip wheels into `pythonX.Y-venv`. `python -m venv` then prints
/// (to stdout) "…ensurepip is not available… apt install python3.11-venv" and exits 1, leaving a
/// half-made folder. Returns the package it names.
pub fn apt_package_from_venv_failure(output: &str) -> Option<String> {
    // The message is wrapped at a fixed width, so compare with the line breaks taken out.
    let words: Vec<&str> = output.split_whitespace().collect();
    if !words.join(" ").contains("ensurepip is not available") {
        return None;
    }
    // It names the generic `python3-venv` in prose and the versioned package in the command.
    let packages: Vec<&str> = words
        .into_iter()
        .map(|w| w.trim_matches(|c: char| c == '`' || c == '\'' || c == '"' || c == '.'))
        .filter(|w| w.starts_with("python3") && w.ends_with("-venv"))
        .collect();
    let versioned = packages.iter().find(|p| p.starts_with("python3."));
    versioned.or(packages.first()).map(|p| p.to_string())
}

/// The fix for a Python without `ensurepip`, as one sentence.
pub fn missing_ensurepip_fix(short_version: &str, externally_managed: bool) -> String {
    if externally_managed {
        format!("install python{short_version}-venv (sudo apt install python{short_version}-venv), or Darwinix will use uv")
    } else {
        "reinstall this Python with pip included, or Darwinix will use uv".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEBIAN: &str =
        "The virtual environment was not created successfully because ensurepip is not\n\
available.  On Debian/Ubuntu systems, you need to install the python3-venv\n\
package using the following command.\n\
\n\
    apt install python3.11-venv\n\
\n\
You may need to use sudo with that command.  After installing the python3-venv\n\
package, recreate your virtual environment.\n\
\n\
Failing command: /tmp/p/.venv/bin/python3\n";

    #[test]
    fn debian_no_ensurepip_names_the_package() {
        assert_eq!(
            apt_package_from_venv_failure(DEBIAN).as_deref(),
            Some("python3.11-venv")
        );
        assert_eq!(
            apt_package_from_venv_failure("Error: [Errno 13] Permission denied"),
            None
        );
    }

    #[test]
    fn fix_text() {
        assert!(missing_ensurepip_fix("3.11", true).contains("python3.11-venv"));
        assert!(missing_ensurepip_fix("3.12", false).contains("uv"));
    }
}
