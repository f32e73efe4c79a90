//! The lock that goes into a shared file: exactly what the project's `.venv` holds (as
//! `darwinix lock` lists it: `uv pip freeze` of the environment, so the notebook kernel that
//! Darwinix links in from its own folder is not part of it), resolved again by uv with
//! `--generate-hashes` so that every file the other computer downloads is checked against
//! what was installed here. A requirements file, not `pylock.toml`: the setup Darwinix already
//! has installs it (and plain `pip install -r` does too).

use std::time::Duration;

use super::tools::Tools;
use crate::error::{Error, Result};
use crate::process;
use crate::project::requirements::Source;
use crate::project::Project;
use crate::reporter::{Reporter, SetupEvent, SetupStep};

/// A resolution that takes longer is given up.
const COMPILE_TIMEOUT: Duration = Duration::from_secs(300);

/// The lock, made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Locked {
    /// `3.11`.
    pub python: String,
    /// The project's own index options (Make GPU-ready's PyTorch index), then one line per
    /// package: `six==1.17.0 --hash=sha256:… --hash=sha256:…`.
    pub lines: Vec<String>,
    pub packages: usize,
    /// What is installed but cannot be named by a version from an index (the folder's own
    /// package, installed editable; a local path; a git checkout): left out, and said so.
    pub not_locked: Vec<String>,
}

impl Locked {
    /// The file's text. Offline, the wheels beside it are the only place packages come from:
    /// uv and pip read `--find-links wheels` from the lock's own folder.
    pub fn text(&self, name: &str, offline: bool) -> String {
        let mut text = format!(
            "# The exact versions installed in the .venv of {name} (Python {}, {}), with their hashes.\n# Written by `darwinix share`; Darwinix installs from it (`pip install -r` works too).\n",
            self.python,
            super::meta::platform()
        );
        if offline {
            text.push_str(&format!(
                "--no-index\n--find-links {}\n",
                super::meta::WHEELS
            ));
        }
        for line in &self.lines {
            text.push_str(line);
            text.push('\n');
        }
        text
    }
}

/// Locks what `project`'s environment holds.
pub(super) async fn lock(
    tools: &Tools,
    project: &Project,
    picked: Option<&str>,
    reporter: &dyn Reporter,
) -> Result<Locked> {
    reporter.report(SetupEvent::Step {
        step: SetupStep::Resolving,
        detail: "Locking the exact versions installed, with their hashes".into(),
    });
    let (pins, not_locked) = split(freeze(tools, project).await?);
    let options = index_options(project, picked);
    let mut lines = options.clone();
    if !pins.is_empty() {
        let mut input = options.join("\n");
        input.push('\n');
        input.push_str(&pins.join("\n"));
        lines.extend(hashed(tools, project, &input).await?);
    }
    Ok(Locked {
        python: tools.python_version.clone(),
        packages: lines.len() - options.len(),
        lines,
        not_locked,
    })
}

/// `uv pip freeze` of the environment.
async fn freeze(tools: &Tools, project: &Project) -> Result<Vec<String>> {
    let mut cmd = tools.uv();
    cmd.args(["pip", "freeze", "--python"]).arg(&tools.python);
    let out = process::output(tools.finish(cmd)?, Duration::from_secs(60)).await?;
    if !out.success() {
        return Err(Error::Freeze {
            dir: project.dir.clone(),
            what: "Listing packages".into(),
            detail: out.stderr_text().trim().to_string(),
        });
    }
    Ok(crate::install::freeze::frozen(&out.stdout_text()))
}

/// `name==version` pins apart from what no index can give (`-e file:///…`, `x @ git+…`).
fn split(frozen: Vec<String>) -> (Vec<String>, Vec<String>) {
    frozen
        .into_iter()
        .partition(|l| !l.starts_with('-') && l.contains("==") && !l.contains(" @ "))
}

/// The index options of the project's setup file (`--extra-index-url` of Make GPU-ready): the
/// pins were installed from there, so they are locked (and installed again) from there.
fn index_options(project: &Project, picked: Option<&str>) -> Vec<String> {
    let Ok(Some(source)) = Source::of(&project.dir, picked) else {
        return Vec::new();
    };
    let is_index = |l: &str| {
        ["--index-url", "--extra-index-url", "-i "]
            .iter()
            .any(|flag| l.starts_with(flag))
    };
    let mut options: Vec<String> = source
        .requirements(&project.dir)
        .into_iter()
        .filter(|l| is_index(l))
        .collect();
    options.dedup();
    options
}

/// The pins resolved again with their hashes: for every platform when that resolves (the
/// file may be opened on another system), else for this one.
async fn hashed(tools: &Tools, project: &Project, input: &str) -> Result<Vec<String>> {
    let mut said = String::new();
    for universal in [true, false] {
        let mut cmd = tools.uv();
        cmd.args(["pip", "compile", "-", "--generate-hashes", "--no-header"])
            .args(["--no-annotate", "--quiet", "--python-version"])
            .arg(&tools.python_version);
        if universal {
            cmd.arg("--universal");
        }
        let cmd = tools.finish(cmd)?;
        let out = process::output_with_input(cmd, Some(input.as_bytes().to_vec()), COMPILE_TIMEOUT)
            .await?;
        if out.success() {
            return Ok(joined(&out.stdout_text()));
        }
        said = out.stderr_text().trim().to_string();
    }
    Err(Error::Freeze {
        dir: project.dir.clone(),
        what: "Locking the packages with their hashes".into(),
        detail: said,
    })
}

/// uv's output with each requirement on one line (its hashes after it, as pip also reads
/// them): a line per package is what Darwinix's setup and the trust prompt read.
fn joined(compiled: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for raw in compiled.lines() {
        let line = raw.split(" #").next().unwrap_or("").trim();
        let (part, continues) = match line.strip_suffix('\\') {
            Some(part) => (part.trim_end(), true),
            None => (line, false),
        };
        if !part.is_empty() && !part.starts_with('#') {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(part);
        }
        if !continues && !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_requirement_is_one_line_with_its_hashes() {
        let compiled = "idna==3.21 \\\n    --hash=sha256:13c8 \\\n    --hash=sha256:387a\n# a comment\nsix==1.17.0 ; python_version >= '3' \\\n    --hash=sha256:4721\ntyping-extensions==4.12.2\n";
        assert_eq!(
            joined(compiled),
            [
                "idna==3.21 --hash=sha256:13c8 --hash=sha256:387a",
                "six==1.17.0 ; python_version >= '3' --hash=sha256:4721",
                "typing-extensions==4.12.2",
            ]
        );
    }

    #[test]
    fn what_no_index_has_is_not_locked() {
        let frozen = [
            "idna==3.21",
            "-e file:///home/ann/course",
            "mine @ file:///tmp/mine",
            "tool @ git+https://x/y@abc",
        ]
        .map(String::from)
        .to_vec();
        let (pins, not_locked) = split(frozen);
        assert_eq!(pins, ["idna==3.21"]);
        assert_eq!(not_locked.len(), 3);
    }

    #[test]
    fn an_offline_lock_finds_its_wheels_beside_it() {
        let locked = Locked {
            python: "3.11".into(),
            lines: vec!["six==1.17.0 --hash=sha256:4721".into()],
            packages: 1,
            not_locked: vec![],
        };
        let text = locked.text("Course", true);
        let body: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(
            body,
            [
                "--no-index",
                "--find-links wheels",
                "six==1.17.0 --hash=sha256:4721"
            ]
        );
        assert!(!locked.text("Course", false).contains("--no-index"));
    }
}
