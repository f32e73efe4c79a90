//! `darwinix gpu`: make a project GPU-ready (PyTorch wheels for this machine's GPU, or CPU).

use std::path::PathBuf;
use std::process::ExitCode;

use darwinix_core::paths::AppPaths;
use darwinix_core::project::gpu;
use darwinix_core::target::DefaultProject;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Project folder (default: your default project).
    dir: Option<PathBuf>,
    /// Print what changed as JSON: {wheels, added, replaced}.
    #[arg(long)]
    json: bool,
}

#[allow(clippy::print_stdout)]
pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let paths = AppPaths::from_env()?;
    let project =
        crate::target_arg::project(&paths, args.dir.as_deref(), DefaultProject::Create, "gpu")?;
    let ready = gpu::make_ready_here(&project).await?;
    if args.json {
        println!("{}", serde_json::to_string(&ready)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("PyTorch for this computer: {}.", ready.wheels);
    if let Some(old) = &ready.replaced {
        println!("  replaced  {old}");
    }
    for line in &ready.added {
        println!("  added     {line}");
    }
    if ready.added.is_empty() && ready.replaced.is_none() {
        println!(
            "{} was GPU-ready already.",
            project.requirements().display()
        );
    } else {
        println!(
            "\nNext: darwinix setup \"{}\" (or start) installs it.",
            project.dir.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}
