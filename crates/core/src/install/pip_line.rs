//! A line of an environment.yml's `pip:` section as the installer's arguments (conda hands
//! these lines to pip as a requirements file; Darwinix passes them on the command line).

use std::path::Path;

use crate::error::Result;
use crate::project::backend::Backend;

/// A line of an environment.yml's `pip:` section as the installer's arguments: an option line
/// (`-r requirements.txt`, `-e .`) is two of them, its file read from the environment file's
/// folder, as conda's pip does; a requirement is one.
pub(super) fn args(line: &str, base: &Path, backend: &Backend) -> Result<Vec<String>> {
    let Some((flag, value)) = line
        .strip_prefix('-')
        .and_then(|_| line.split_once([' ', '=']))
    else {
        return Ok(vec![line.to_string()]);
    };
    let value = value.trim_start_matches(['=', ' ']).trim();
    let names_a_file = matches!(
        flag,
        "-r" | "--requirement" | "-c" | "--constraint" | "-e" | "--editable"
    ) && !value.contains("://")
        && !Path::new(value).is_absolute();
    let value = match names_a_file {
        true => backend
            .path(&base.join(value))?
            .to_string_lossy()
            .into_owned(),
        false => value.to_string(),
    };
    Ok(vec![flag.to_string(), value])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Python Data Science Handbook's environment.yml: `pip: [-r requirements.txt]`.
    #[test]
    fn an_option_line_is_two_arguments_with_its_file_beside_the_environment_file() {
        let base = Path::new("/home/ann/course/binder");
        let here = Backend::Local;
        assert_eq!(
            args("-r requirements.txt", base, &here).unwrap(),
            ["-r", "/home/ann/course/binder/requirements.txt"]
        );
        assert_eq!(
            args("-e .", base, &here).unwrap(),
            ["-e", "/home/ann/course/binder/."]
        );
        assert_eq!(
            args("--extra-index-url=https://x.example/simple", base, &here).unwrap(),
            ["--extra-index-url", "https://x.example/simple"]
        );
        assert_eq!(
            args("-e git+https://github.com/a/b#egg=b", base, &here).unwrap(),
            ["-e", "git+https://github.com/a/b#egg=b"]
        );
        assert_eq!(args("numpy>=1.26", base, &here).unwrap(), ["numpy>=1.26"]);
        assert_eq!(
            args("pandas == 2.2", base, &here).unwrap(),
            ["pandas == 2.2"]
        );
    }
}
