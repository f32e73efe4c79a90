//! `darwinix new`: a project folder from a template.

use std::path::PathBuf;
use std::process::ExitCode;

use darwinix_core::paths::AppPaths;
use darwinix_core::project::template::{self, Template};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder to create (default: your default project). Existing files are never overwritten.
    dir: Option<PathBuf>,

    /// What goes in requirements.txt: default (numpy, pandas, requests, JupyterLab), minimal
    /// (JupyterLab only) or ai (default + Jupyter AI).
    #[arg(long, default_value = "default")]
    template: Template,

    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

#[allow(clippy::print_stdout)]
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let paths = AppPaths::from_env()?;
    let dir = args.dir.unwrap_or_else(|| paths.default_project.clone());
    let created = template::create(&dir, args.template)?;
    if args.json {
        println!("{}", serde_json::to_string(&created)?);
        return Ok(ExitCode::SUCCESS);
    }
    for f in &created.written {
        println!("  created  {}", f.display());
    }
    for f in &created.kept {
        println!("  kept     {} (already there, left as it was)", f.display());
    }
    println!("\nNext: darwinix setup \"{}\"", created.dir.display());
    Ok(ExitCode::SUCCESS)
}
