//! Course links on the command line: `darwinix start <LINK>` downloads (or finds) the course,
//! then starts it as any folder; `darwinix course update|start-over|list` are the app's Get the
//! teacher's updates, Start over from the teacher's version, and the list of courses.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use darwinix_core::course::{self, git::UpdateReport, open::OpenOptions};
use darwinix_core::paths::AppPaths;
use darwinix_core::reporter::Silent;
use darwinix_core::target::DefaultProject;

use crate::setup::Bar;

/// How `start <LINK>` places a course.
#[derive(Debug, Clone, clap::Args)]
pub struct LinkArgs {
    /// With a link: the folder courses go into (remembered for the next link; default
    /// ~/Darwinix).
    #[arg(long, value_name = "DIR")]
    into: Option<PathBuf>,
    /// With a link: download a repository even when it is bigger than 1 GB.
    #[arg(long)]
    allow_large: bool,
}

/// A link rather than a folder: what `start` hands to [`open`]. `ssh://` is a remote project's
/// address, not a link.
pub fn is_link(given: &Path) -> bool {
    let text = given.to_string_lossy();
    ["https://", "http://", "darwinix:", "file://"]
        .iter()
        .any(|scheme| {
            text.get(..scheme.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
        })
}

/// The course `link` names, downloaded or found again (with the teacher's updates): its
/// folder and the notebook to open in it. Says what happened on stderr unless `quiet`.
#[allow(clippy::print_stderr)]
pub async fn open(
    paths: &AppPaths,
    link: &Path,
    args: &LinkArgs,
    quiet: bool,
) -> anyhow::Result<(PathBuf, Option<String>)> {
    let link = course::link::parse(&link.to_string_lossy())?;
    let options = OpenOptions {
        into: args.into.clone(),
        allow_large: args.allow_large,
    };
    let opened = if quiet {
        course::open::open(paths, &link, &options, &Silent).await?
    } else {
        let bar = Bar::new();
        let opened = course::open::open(paths, &link, &options, &bar).await;
        bar.finish();
        opened?
    };
    if !quiet {
        let dir = opened.dir.display();
        match (&opened.update, opened.fresh) {
            (_, true) => eprintln!("Downloaded the course into {dir}"),
            (Some(report), false) => {
                eprintln!("The course is already in {dir}:");
                tell(report);
            }
            (None, false) => eprintln!("The course is already in {dir}."),
        }
    }
    Ok((opened.dir, opened.notebook))
}

/// A `Name.darwinix.zip` someone shared: what `start` hands to [`open_shared`].
pub fn is_shared_file(given: &Path) -> bool {
    given
        .to_string_lossy()
        .to_ascii_lowercase()
        .ends_with(darwinix_core::share::meta::EXTENSION)
}

/// The project in a shared file, unpacked into the courses folder (or found there again from
/// an earlier double-click): its folder and the notebook to open in it.
#[allow(clippy::print_stderr)]
pub async fn open_shared(
    paths: &AppPaths,
    file: &Path,
    quiet: bool,
) -> anyhow::Result<(PathBuf, Option<String>)> {
    let imported = darwinix_core::share::import_for_start(paths, file).await?;
    if !quiet {
        let offline = if imported.offline {
            " (its packages are inside: it installs without the network)"
        } else {
            ""
        };
        eprintln!(
            "The shared project is in {}{offline}",
            imported.dir.display()
        );
    }
    let notebook = imported.notebook.as_deref().and_then(|nb| {
        let relative = nb.strip_prefix(&imported.dir).ok()?;
        Some(
            relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
        )
    });
    Ok((imported.dir, notebook))
}

/// What the teacher's updates did, file by file.
#[allow(clippy::print_stderr)]
fn tell(report: &UpdateReport) {
    if report.already_current {
        eprintln!("  It already has the teacher's newest version.");
        return;
    }
    if report.files.is_empty() {
        eprintln!("  The teacher's new version changes none of the course's files.");
    }
    for file in &report.files {
        eprintln!("  {}: {}", file.path, file.words);
    }
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Sub,
}

#[derive(Debug, clap::Subcommand)]
enum Sub {
    /// Get the teacher's updates: files you did not change are updated, files you changed are
    /// kept (the teacher's version is put beside them), files you deleted come back, your new
    /// files are never touched. Says what happened, file by file.
    Update {
        /// The course folder (default: the project of the current folder).
        dir: Option<PathBuf>,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Start over from the teacher's version: your copy is moved to a dated folder beside it
    /// (nothing is deleted) and the teacher's version downloaded afresh.
    StartOver {
        /// The course folder (default: the project of the current folder).
        dir: Option<PathBuf>,
    },
    /// The folders opened from course links and shared files, with where each came from.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[allow(clippy::print_stdout)]
pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let paths = AppPaths::from_env()?;
    match args.command {
        Sub::Update { dir, json } => {
            let dir = folder(&paths, dir.as_deref(), "course update")?;
            let report = if json {
                course::open::update(&paths, &dir, &Silent).await?
            } else {
                let bar = Bar::new();
                let report = course::open::update(&paths, &dir, &bar).await;
                bar.finish();
                report?
            };
            if json {
                println!("{}", serde_json::to_string(&report)?);
            } else {
                tell(&report);
            }
        }
        Sub::StartOver { dir } => {
            let dir = folder(&paths, dir.as_deref(), "course start-over")?;
            let bar = Bar::new();
            let kept = course::open::start_over(&paths, &dir, &bar).await;
            bar.finish();
            println!(
                "Your copy is now in {}; {} has the teacher's version.",
                kept?.display(),
                dir.display()
            );
        }
        Sub::List { json } => {
            let courses = course::record::all(&paths)?;
            if json {
                println!("{}", serde_json::to_string(&courses)?);
            } else if courses.is_empty() {
                println!("No course opened from a link yet.");
            }
            for c in courses.iter().filter(|_| !json) {
                println!("{}\n  from {}", c.dir.display(), c.origin_words());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn folder(paths: &AppPaths, given: Option<&Path>, what: &str) -> anyhow::Result<PathBuf> {
    Ok(crate::target_arg::project(paths, given, DefaultProject::IfExists, what)?.dir)
}
