//! `darwinix lock`: freeze what works.

use std::path::PathBuf;
use std::process::ExitCode;

use darwinix_core::install::freeze;
use darwinix_core::paths::AppPaths;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Project folder (default: your default project).
    dir: Option<PathBuf>,
}

#[allow(clippy::print_stdout)]
pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let paths = AppPaths::from_env()?;
    let project = crate::project_arg::resolve(&paths, args.dir)?;
    let (file, count) = freeze::write_lock(&paths, &project).await?;
    println!("Wrote {} with {count} exact versions.", file.display());
    println!("`darwinix setup` now installs exactly these; delete the file to let versions float.");
    Ok(ExitCode::SUCCESS)
}
