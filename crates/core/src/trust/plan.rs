//! What a setup would install and from where, read from the chosen setup file's lines: what
//! the trust prompt shows, and whether anything goes beyond plain packages from the index.

use std::path::Path;

use crate::error::Install;
use crate::project::requirements::Source;

/// Every install of `source` in `dir`, the folder's own package last. `index` is the package
/// index in use, in words ("PyPI" or its address).
pub fn installs(source: &Source, dir: &Path, index: &str) -> Vec<Install> {
    let base = source
        .file(dir)
        .and_then(|f| f.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| dir.to_path_buf());
    let mut all = Vec::new();
    for line in source.requirements(dir) {
        expand(&line, &base, index, 0, &mut all);
    }
    if source.installs_folder() {
        all.push(Install {
            what: "this folder's own package (setup.py or pyproject.toml)".into(),
            from: "this folder, whose build code runs while installing".into(),
            beyond_index: true,
        });
    }
    all
}

/// A line, or what the file it includes lists (`-r requirements.txt` in an environment.yml's
/// `pip:` section). Constraints (`-c`) only narrow versions: nothing of theirs is installed.
fn expand(line: &str, base: &Path, index: &str, depth: u8, all: &mut Vec<Install>) {
    match include_of(line) {
        Some(Include::Constraints) => {}
        Some(Include::Requirements(file)) if depth < 5 => {
            let path = base.join(file);
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let inner = path.parent().unwrap_or(base).to_path_buf();
            for line in text
                .lines()
                .map(|l| l.split(" #").next().unwrap_or("").trim())
            {
                if !line.is_empty() && !line.starts_with('#') {
                    expand(line, &inner, index, depth + 1, all);
                }
            }
        }
        _ => all.push(classify(line, index)),
    }
}

enum Include<'a> {
    Requirements(&'a str),
    Constraints,
}

fn include_of(line: &str) -> Option<Include<'_>> {
    let line = line.trim();
    let value = |flag: &str| {
        line.strip_prefix(flag)
            .filter(|rest| rest.starts_with([' ', '=']))
            .map(|rest| rest.trim_start_matches(['=', ' ']).trim())
    };
    if let Some(file) = value("-r").or_else(|| value("--requirement")) {
        return Some(Include::Requirements(file));
    }
    (value("-c").is_some() || value("--constraint").is_some()).then_some(Include::Constraints)
}

/// One requirement line, in words.
pub fn classify(line: &str, index: &str) -> Install {
    let (beyond_index, from) = match where_from(line.trim()) {
        Some(from) => (true, from),
        None => (false, index.to_string()),
    };
    Install {
        what: line.trim().to_string(),
        from,
        beyond_index,
    }
}

/// Installer options that only narrow what is taken from the index.
const HARMLESS_OPTIONS: [&str; 5] = [
    "--prefer-binary",
    "--only-binary",
    "--pre",
    "--require-hashes",
    "--no-deps",
];

/// Where a line installs from when it is not the package index; `None` for an index package.
fn where_from(line: &str) -> Option<String> {
    let lower = line.to_ascii_lowercase();
    if let Some(option) = lower.strip_prefix('-') {
        return option_source(line, option);
    }
    if let Some(vcs) = ["git+", "hg+", "svn+", "bzr+"]
        .iter()
        .find(|p| lower.contains(*p))
    {
        let kind = vcs.trim_end_matches('+');
        return Some(format!("a {kind} repository at {}", host_of(line)));
    }
    if lower.contains("file:") {
        return Some("a file on this computer".into());
    }
    if lower.contains("://") {
        return Some(format!("a download from {}", host_of(line)));
    }
    if looks_like_path(line) {
        return Some("a folder or file on this computer".into());
    }
    None
}

/// The package indexes Darwinix itself writes into a project (Make GPU-ready: PyTorch's
/// wheels for this computer's driver), over https: as trustworthy as PyPI.
const KNOWN_INDEXES: [&str; 1] = ["https://download.pytorch.org/whl/"];

/// `-e …`, `--extra-index-url …`, `--trusted-host …`: what the option makes the installer do.
fn option_source(line: &str, option: &str) -> Option<String> {
    let name = option.split([' ', '=']).next().unwrap_or("");
    let flag = format!("-{name}");
    if HARMLESS_OPTIONS.contains(&flag.as_str()) {
        return None;
    }
    let value = line[1 + name.len()..].trim_start_matches(['=', ' ']).trim();
    let index = matches!(flag.as_str(), "-i" | "--index-url" | "--extra-index-url");
    if index && KNOWN_INDEXES.iter().any(|known| value.starts_with(known)) {
        return None;
    }
    Some(match flag.as_str() {
        "-e" | "--editable" => match where_from(value) {
            Some(from) => format!("{from}, installed editable"),
            None => "a folder on this computer, installed editable".into(),
        },
        "-i" | "--index-url" => format!("another package index: {}", host_of(value)),
        "--extra-index-url" => format!("an extra package index: {}", host_of(value)),
        "-f" | "--find-links" => format!("packages found at {}", host_of(value)),
        "--trusted-host" => format!("{value}, without checking its certificate"),
        _ => format!("an installer option ({flag})"),
    })
}

/// The host of the first URL in `text`, or the text itself when it holds none.
fn host_of(text: &str) -> String {
    let Some(start) = text.find("://") else {
        return text.to_string();
    };
    let rest = &text[start + 3..];
    let end = rest.find(['/', '?', '#', ' ', '@']).unwrap_or(rest.len());
    // `git+https://user@host/…`: the user part is not the host.
    let host = match rest[..rest.find(['/', ' ']).unwrap_or(rest.len())].rsplit_once('@') {
        Some((_, host)) => host,
        None => &rest[..end],
    };
    host.to_string()
}

/// `./pkg`, `../lib`, `/opt/wheels/x.whl`, `C:\wheels\x.whl`, `dist/x-1.0.tar.gz`.
fn looks_like_path(line: &str) -> bool {
    let first = line.split_whitespace().next().unwrap_or("");
    first.starts_with(['.', '/', '~', '\\'])
        || first.contains(['/', '\\'])
        || first.get(1..3) == Some(":\\")
        || [".whl", ".tar.gz", ".zip", ".tgz"]
            .iter()
            .any(|ext| first.to_ascii_lowercase().ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(line: &str) -> Option<String> {
        let install = classify(line, "PyPI");
        install.beyond_index.then_some(install.from)
    }

    #[test]
    fn index_packages_come_from_the_index() {
        for line in [
            "numpy",
            "numpy>=1.26",
            "pandas[excel]==2.2; python_version >= '3.9'",
            "scikit-learn~=1.4 --hash=sha256:abc",
            "--prefer-binary",
            "--only-binary=:all:",
            // Make GPU-ready's own line.
            "--extra-index-url https://download.pytorch.org/whl/cu128",
        ] {
            assert_eq!(from(line), None, "{line}");
        }
        assert_eq!(classify("numpy", "PyPI").from, "PyPI");
    }

    #[test]
    fn everything_beyond_the_index_says_where_from() {
        let cases = [
            (
                "git+https://github.com/ann/tools.git@v1",
                "a git repository at github.com",
            ),
            (
                "tools @ git+ssh://git@gitlab.com/ann/tools",
                "a git repository at gitlab.com",
            ),
            (
                "tools @ https://files.example.org/tools-1.0.tar.gz",
                "a download from files.example.org",
            ),
            (
                "--extra-index-url https://evil.example/simple",
                "an extra package index: evil.example",
            ),
            (
                "--index-url=https://mirror.example/simple",
                "another package index: mirror.example",
            ),
            (
                "-i https://mirror.example/simple",
                "another package index: mirror.example",
            ),
            (
                "--trusted-host evil.example",
                "evil.example, without checking its certificate",
            ),
            (
                "-f https://wheels.example/list.html",
                "packages found at wheels.example",
            ),
            (
                "-e .",
                "a folder or file on this computer, installed editable",
            ),
            (
                "-e git+https://github.com/ann/x#egg=x",
                "a git repository at github.com, installed editable",
            ),
            ("./vendor/tool", "a folder or file on this computer"),
            ("../shared", "a folder or file on this computer"),
            (
                "/opt/wheels/tool-1.0-py3-none-any.whl",
                "a folder or file on this computer",
            ),
            ("tool-1.0.tar.gz", "a folder or file on this computer"),
            ("tool @ file:///home/ann/tool", "a file on this computer"),
            ("--no-binary=:all:", "an installer option (--no-binary)"),
            (
                "--extra-index-url http://download.pytorch.org/whl/cpu",
                "an extra package index: download.pytorch.org",
            ),
            (
                "--extra-index-url https://download.pytorch.org.evil.example/whl/cpu",
                "an extra package index: download.pytorch.org.evil.example",
            ),
        ];
        for (line, want) in cases {
            assert_eq!(from(line).as_deref(), Some(want), "{line}");
        }
    }

    /// An environment.yml whose `pip:` section includes requirements.txt (as the Python Data
    /// Science Handbook's does) installs what that file lists, from the index.
    #[test]
    fn an_included_file_is_judged_by_what_it_lists() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("requirements.txt"),
            "numpy==1.11.1\n# x\n-c pins.txt\n",
        )
        .unwrap();
        let spec = crate::project::requirements::conda::Spec {
            requirements: vec!["-r requirements.txt".into()],
            ..Default::default()
        };
        let source = Source::Conda {
            file: dir.path().join("environment.yml"),
            spec,
        };
        let all = installs(&source, dir.path(), "PyPI");
        assert_eq!(all.len(), 1, "{all:?}");
        assert_eq!(all[0].what, "numpy==1.11.1");
        assert!(!all[0].beyond_index);
        std::fs::write(
            dir.path().join("requirements.txt"),
            "-e git+https://github.com/x/y#egg=y\n",
        )
        .unwrap();
        assert!(installs(&source, dir.path(), "PyPI")[0].beyond_index);
    }

    #[test]
    fn the_folders_own_package_is_beyond_the_index() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("requirements.txt"), "numpy\n").unwrap();
        let source = Source::Requirements {
            file: dir.path().join("requirements.txt"),
            package: true,
        };
        let all = installs(&source, dir.path(), "PyPI");
        assert_eq!(all.len(), 2);
        assert!(!all[0].beyond_index);
        assert!(all[1].beyond_index);
    }
}
