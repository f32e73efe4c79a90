//! `darwinix lock`: freeze what works.

use std::path::PathBuf;
use std::process::ExitCode;

use darwinix_core::install::freeze;
use darwinix_core::paths::AppPaths;
use darwinix_core::target::DefaultProject;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Project folder (default: your default project).
    dir: Option<PathBuf>,
}

#[allow(clippy::print_stdout)]
pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let paths = AppPaths::from_env()?;
    let project =
        crate::target_arg::project(&paths, args.dir.as_deref(), DefaultProject::Create, "lock")?;
    let (file, count) = freeze::write_lock(&paths, &project).await?;
    println!("Wrote {} with {count} exact versions.", file.display());
    println!("`darwinix setup` now installs exactly these; delete the file to let versions float.");
    Ok(ExitCode::SUCCESS)
}
