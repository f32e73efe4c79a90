//! `darwinix new`: a project folder from a template.

use std::path::PathBuf;
use std::process::ExitCode;

use darwinix_core::paths::AppPaths;
use darwinix_core::project::template::{self, Template};
use darwinix_core::project::{gpu, Project};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder to create (default: your default project). Existing files are never overwritten.
    dir: Option<PathBuf>,

    /// What goes in requirements.txt: default (numpy, pandas, requests, JupyterLab), minimal
    /// (JupyterLab only), ai (default + Jupyter AI) or gpu (default + PyTorch for this
    /// computer's GPU, see `darwinix gpu`).
    #[arg(long, default_value = "default")]
    template: Template,

    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

#[allow(clippy::print_stdout)]
pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let paths = AppPaths::from_env()?;
    let dir = args.dir.unwrap_or_else(|| paths.default_project.clone());
    let created = template::create(&dir, args.template)?;
    let gpu = match args.template {
        Template::Gpu => Some(gpu::make_ready_here(&Project::open(&created.dir)?).await?),
        _ => None,
    };
    if args.json {
        let mut out = serde_json::to_value(&created)?;
        out["gpu"] = serde_json::to_value(&gpu)?;
        println!("{out}");
        return Ok(ExitCode::SUCCESS);
    }
    for f in &created.written {
        println!("  created  {}", f.display());
    }
    for f in &created.kept {
        println!("  kept     {} (already there, left as it was)", f.display());
    }
    if let Some(gpu) = gpu {
        println!("  PyTorch  {} ({})", gpu.wheels, gpu.added.join(", "));
    }
    println!("\nNext: darwinix setup \"{}\"", created.dir.display());
    Ok(ExitCode::SUCCESS)
}
