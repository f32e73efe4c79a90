//! `darwinix share`: the project as one file, `Name.darwinix.zip`, to send to someone (or to
//! carry into a room without internet, with `--offline`).

use std::path::PathBuf;
use std::process::ExitCode;

use darwinix_core::format::human_bytes;
use darwinix_core::paths::AppPaths;
use darwinix_core::reporter::Silent;
use darwinix_core::share::{self, LargeFiles, ShareOptions, Shared};
use darwinix_core::target::DefaultProject;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Project folder (default: the project of the current folder or the nearest one above it,
    /// else your default project).
    dir: Option<PathBuf>,

    /// Put the packages' wheels for this computer inside too: the file then installs with no
    /// network at all (on the same system and Python version).
    #[arg(long)]
    offline: bool,

    /// Write the file here (default: <folder name>.darwinix.zip beside the project folder). A
    /// file already there is never replaced: the new one is numbered.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,

    /// Files bigger than this are put in only with --include-large, left out with
    /// --leave-out-large; with neither, nothing is written and they are listed.
    #[arg(long, value_name = "MB", default_value_t = share::DEFAULT_MAX_FILE_BYTES >> 20)]
    max_file_size: u64,

    /// Put in the files bigger than --max-file-size too.
    #[arg(long, conflicts_with = "leave_out_large")]
    include_large: bool,

    /// Leave out the files bigger than --max-file-size.
    #[arg(long)]
    leave_out_large: bool,

    /// Share as a link instead: print the darwinix:// link that opens this project's public
    /// https git repository (for a project that is a checkout of one).
    #[arg(long, conflicts_with_all = ["offline", "out", "include_large", "leave_out_large"])]
    link: bool,

    /// Print what was made as one JSON object.
    #[arg(long)]
    json: bool,
}

pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let paths = AppPaths::from_env()?;
    let project = crate::target_arg::project(
        &paths,
        args.dir.as_deref(),
        DefaultProject::IfExists,
        "share",
    )?;
    if args.link {
        let link = darwinix_core::course::darwinix_link(&project.dir)?;
        #[allow(clippy::print_stdout)]
        match args.json {
            true => println!("{}", serde_json::json!({ "link": link })),
            false => println!("{link}"),
        }
        return Ok(ExitCode::SUCCESS);
    }
    let options = ShareOptions {
        offline: args.offline,
        max_file_bytes: args.max_file_size.saturating_mul(1 << 20),
        large: match (args.include_large, args.leave_out_large) {
            (true, _) => LargeFiles::Include,
            (_, true) => LargeFiles::LeaveOut,
            _ => LargeFiles::Ask,
        },
        out: args.out,
    };
    let shared = match args.json {
        true => share::export(&paths, &project.dir, &options, &Silent).await,
        false => {
            let bar = crate::setup::Bar::new();
            let shared = share::export(&paths, &project.dir, &options, &bar).await;
            bar.finish();
            shared
        }
    };
    let shared = shared?;
    print(&shared, args.json)?;
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::print_stdout)]
fn print(shared: &Shared, json: bool) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(shared)?);
        return Ok(());
    }
    println!(
        "Shared as {} ({}).",
        shared.file.display(),
        human_bytes(shared.bytes)
    );
    println!("  {} files: {}", shared.files.len(), listed(&shared.files));
    let offline = match shared.wheels {
        0 => String::new(),
        n => format!(", with {n} wheels for offline use"),
    };
    println!(
        "  {} packages locked with their hashes{offline}",
        shared.packages
    );
    if !shared.left_out.is_empty() {
        let big: Vec<String> = shared
            .left_out
            .iter()
            .map(|f| format!("{} ({})", f.path, human_bytes(f.bytes)))
            .collect();
        println!("  Left out, as you chose: {}", big.join(", "));
    }
    if !shared.skipped.is_empty() {
        println!(
            "  Left out (links, or names other computers cannot hold): {}",
            listed(&shared.skipped)
        );
    }
    if !shared.not_locked.is_empty() {
        println!(
            "  Not in the lock (installed from a folder or a repository, not an index): {}",
            shared.not_locked.join(", ")
        );
    }
    println!("Opened with Darwinix (double-click, or `darwinix start FILE`), it becomes a new project that installs exactly these packages.");
    Ok(())
}

/// The first few names, and how many more.
fn listed(names: &[String]) -> String {
    const SHOWN: usize = 8;
    let mut text = names
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}
