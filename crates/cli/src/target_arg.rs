//! The `[PATH]` most commands take, resolved once into a [`Target`]: a folder, a notebook in
//! one, an `ssh://` address, or nothing — the project of the current folder or of the nearest
//! folder above it (as git and uv find theirs), else the default project. Also the words for
//! the next command to type, which work from where the user is.

use std::path::Path;

use darwinix_core::paths::AppPaths;
use darwinix_core::project::Project;
use darwinix_core::target::{DefaultProject, Found, Request, Target};

/// What `given` names, else the project of the current folder, else the default project
/// (made on first use when `default` says so). Says on stderr when the default project was
/// taken, and which folder was looked in.
pub fn request(
    paths: &AppPaths,
    given: Option<&Path>,
    default: DefaultProject,
) -> anyhow::Result<Request> {
    let cwd = std::env::current_dir()?;
    let request = Target::request(paths, given, &cwd, default)?;
    tell(&request);
    Ok(request)
}

/// The project on this computer that `given` (or the current folder) names; a remote address
/// is refused with the name of the command.
pub fn project(
    paths: &AppPaths,
    given: Option<&Path>,
    default: DefaultProject,
    what: &str,
) -> anyhow::Result<Project> {
    Ok(request(paths, given, default)?.target.here(what)?.clone())
}

#[allow(clippy::print_stderr)]
fn tell(request: &Request) {
    if let Found::Default { cwd, created } = &request.found {
        let dir = request.target.key();
        if *created {
            eprintln!("Created your default project in {}", dir.display());
        }
        eprintln!(
            "No project in {} or the folders above it: using your default project, {}.",
            cwd.display(),
            dir.display()
        );
    }
}

/// `darwinix CMD` as the user should type it next: with the target when they named it, bare
/// when it was found from the current folder (it will be again).
pub fn next_step(cmd: &str, request: &Request) -> String {
    match request.found {
        Found::Given => format!(
            "darwinix {cmd} {}",
            quoted(&request.target.key().to_string_lossy())
        ),
        Found::FromFolder { .. } | Found::Default { .. } => format!("darwinix {cmd}"),
    }
}

/// `text` as one word for the user's shell.
pub fn quoted(text: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-:@+=,~".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        return text.to_string();
    }
    shell_quote(text)
}

// POSIX shells: single quotes keep everything but a single quote, written as '\''.
#[cfg(not(windows))]
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

// PowerShell and cmd both take double quotes around a path (a path cannot hold `"`).
#[cfg(windows)]
fn shell_quote(text: &str) -> String {
    format!("\"{text}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_steps_name_a_given_target_quoted_and_leave_a_found_one_bare() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("my project");
        std::fs::create_dir_all(&dir).unwrap();
        let paths = AppPaths::under(&tmp.path().join("home"));
        let given =
            Target::request(&paths, Some(&dir), tmp.path(), DefaultProject::IfExists).unwrap();
        let canonical = dunce::canonicalize(&dir).unwrap();
        assert_eq!(
            next_step("stop", &given),
            format!(
                "darwinix stop {}",
                shell_quote(&canonical.to_string_lossy())
            )
        );
        let remote = Target::request(
            &paths,
            Some(Path::new("ssh://me@lab/home/me/p")),
            tmp.path(),
            DefaultProject::IfExists,
        )
        .unwrap();
        assert_eq!(
            next_step("open", &remote),
            "darwinix open ssh://me@lab/home/me/p"
        );
        std::fs::write(dir.join("requirements.txt"), "").unwrap();
        let found = Target::request(&paths, None, &dir, DefaultProject::IfExists).unwrap();
        assert!(matches!(found.found, Found::FromFolder { .. }));
        assert_eq!(next_step("stop", &found), "darwinix stop");
    }

    #[test]
    fn quoting_keeps_plain_paths_plain() {
        assert_eq!(quoted("/home/me/thesis"), "/home/me/thesis");
        assert_ne!(quoted("/home/me/my thesis"), "/home/me/my thesis");
        #[cfg(not(windows))]
        assert_eq!(quoted("/it's"), r"'/it'\''s'");
    }
}
