//! `darwinix add | remove | update | packages | search`: a project's packages, shaped like
//! uv's commands. They act on the project of the current folder (or the nearest one above
//! it, else the default project), or on `--project DIR`.

use std::path::PathBuf;
use std::process::ExitCode;

use darwinix_core::install::SetupOptions;
use darwinix_core::packages::{self, for_import, Change, Changed, Kind};
use darwinix_core::paths::AppPaths;
use darwinix_core::project::Project;
use darwinix_core::settings::Settings;
use darwinix_core::target::DefaultProject;

use crate::setup::{Bar, JsonLines};

#[derive(Debug, clap::Args)]
pub struct ProjectArgs {
    /// The project (default: the project of the current folder or the nearest one above it,
    /// else your default project).
    #[arg(long, value_name = "DIR")]
    pub(crate) project: Option<PathBuf>,

    /// Print progress and the result as JSON lines.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// Packages as you would write them in requirements.txt: `pandas`, `numpy>=2`.
    #[arg(required_unless_present = "for_import", value_name = "NAME[SPEC]")]
    packages: Vec<String>,
    /// Add the package that provides this import (`sklearn` → scikit-learn), as the Install
    /// button under a notebook's "No module named" error does.
    #[arg(long, value_name = "MODULE", conflicts_with = "packages")]
    for_import: Option<String>,
    #[command(flatten)]
    target: ProjectArgs,
}

#[derive(Debug, clap::Args)]
pub struct RemoveArgs {
    #[arg(required = true, value_name = "NAME")]
    names: Vec<String>,
    #[command(flatten)]
    target: ProjectArgs,
}

#[derive(Debug, clap::Args)]
pub struct UpdateArgs {
    /// Packages to update (default: every one the project asks for).
    #[arg(value_name = "NAME")]
    names: Vec<String>,
    #[command(flatten)]
    target: ProjectArgs,
}

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    #[command(flatten)]
    target: ProjectArgs,
}

#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// The package's name, as the index has it.
    name: String,
    #[command(flatten)]
    target: ProjectArgs,
}

pub(crate) fn context(target: &ProjectArgs) -> anyhow::Result<(AppPaths, Project, SetupOptions)> {
    let paths = AppPaths::from_env()?;
    let settings = Settings::load(&paths)?;
    let project = crate::target_arg::project(
        &paths,
        target.project.as_deref(),
        DefaultProject::Create,
        "packages",
    )?;
    Ok((paths, project, SetupOptions::from(&settings)))
}

pub async fn add(args: AddArgs) -> anyhow::Result<ExitCode> {
    if let Some(module) = &args.for_import {
        let (paths, project, options) = context(&args.target)?;
        let json = args.target.json;
        return add_for_import(&paths, &project, &options, module, json).await;
    }
    change(&args.target, Change::Add(args.packages)).await
}

pub async fn remove(args: RemoveArgs) -> anyhow::Result<ExitCode> {
    change(&args.target, Change::Remove(args.names)).await
}

pub async fn update(args: UpdateArgs) -> anyhow::Result<ExitCode> {
    change(&args.target, Change::Update(args.names)).await
}

#[allow(clippy::print_stdout)]
async fn change(target: &ProjectArgs, change: Change) -> anyhow::Result<ExitCode> {
    let (paths, project, options) = context(target)?;
    if target.json {
        let result = packages::apply(&paths, &project, &change, &options, &JsonLines).await;
        let event = match &result {
            Ok(changed) => serde_json::json!({"event": "changed", "data": changed}),
            Err(e) => {
                serde_json::json!({"event": "error", "data": {"message": e.to_string(), "hint": crate::fix::fix(e)}})
            }
        };
        println!("{event}");
        result?;
        return Ok(ExitCode::SUCCESS);
    }
    let bar = Bar::new();
    let result = packages::apply(&paths, &project, &change, &options, &bar).await;
    bar.finish();
    say(&change, &result?);
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::print_stdout)]
fn say(change: &Change, changed: &Changed) {
    let file = changed.file.display();
    let seconds = changed.elapsed_ms as f64 / 1000.0;
    match (change, changed.file_changed) {
        (Change::Add(p) | Change::Keep(p), true) => {
            println!("Added {} to {file} ({seconds:.1} s).", p.join(", "))
        }
        (Change::Remove(n), true) => {
            println!("Removed {} from {file} ({seconds:.1} s).", n.join(", "))
        }
        (Change::Update(_), true) => println!("Updated {file} ({seconds:.1} s)."),
        (Change::Update(_), false) => println!("Updated .venv ({seconds:.1} s)."),
        (_, false) => println!("Nothing to change: {file} already has that."),
    }
    for still in &changed.still_needed {
        println!(
            "{} stays installed: {} needs it.",
            still.name,
            still.by.join(", ")
        );
    }
    for check in &changed.gpu {
        println!("GPU: {}", check.summary);
        if let Some(fix) = &check.fix {
            println!("  fix: {fix}");
        }
    }
    if changed.restart_kernels {
        println!("The project's JupyterLab is running: restart its kernel to use the change.");
    }
}

#[allow(clippy::print_stdout)]
pub async fn list(args: ListArgs) -> anyhow::Result<ExitCode> {
    let (paths, project, _) = context(&args.target)?;
    let listing = packages::list(&paths, &project)?;
    if args.target.json {
        println!("{}", serde_json::to_string_pretty(&listing)?);
        return Ok(ExitCode::SUCCESS);
    }
    if listing.packages.is_empty() {
        println!(
            "{} has no packages installed yet: start it, or add one.",
            project.dir.display()
        );
    }
    let source = listing.source.as_deref();
    println!(
        "{}\n",
        darwinix_core::install::source::sentence(source, &listing.not_used)
    );
    let width = listing
        .packages
        .iter()
        .map(|p| p.name.len())
        .max()
        .unwrap_or(0);
    for p in &listing.packages {
        let kind = match p.kind {
            Kind::Requested => format!("requested in {}", source.unwrap_or("requirements.txt")),
            Kind::PulledIn if p.needed_by.is_empty() => "pulled in".to_string(),
            Kind::PulledIn => format!("for {}", p.needed_by.join(", ")),
            Kind::NotInProject => "not in the project (installed by hand)".to_string(),
        };
        println!("{:width$}  {:12}  {kind}", p.name, p.version);
    }
    if let Some(why) = &listing.not_editable {
        println!("\nChanges cannot be made here: {why}");
    }
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::print_stdout)]
pub async fn search(args: SearchArgs) -> anyhow::Result<ExitCode> {
    let (paths, project, options) = context(&args.target)?;
    let found = packages::search(&paths, &project, &args.name, &options).await?;
    if args.target.json {
        println!("{}", serde_json::to_string_pretty(&found)?);
        return Ok(ExitCode::SUCCESS);
    }
    let latest = found.latest.as_deref().unwrap_or("no released version");
    println!("{} {latest}", found.name);
    if let Some(summary) = &found.summary {
        println!("  {summary}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Installs the package that provides `module` and adds it to the project's setup file.
#[allow(clippy::print_stdout)]
async fn add_for_import(
    paths: &AppPaths,
    project: &Project,
    options: &SetupOptions,
    module: &str,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let result = install(paths, project, options, module, json).await;
    if json {
        let event = match &result {
            Ok((sentence, changed)) => serde_json::json!({"event": "changed", "data": {
                "sentence": sentence, "file": changed.file, "fileChanged": changed.file_changed,
            }}),
            Err(e) => serde_json::json!({"event": "error", "data": {
                "message": e.to_string(), "hint": crate::fix::fix(e),
            }}),
        };
        println!("{event}");
    }
    let (sentence, _) = result?;
    if !json {
        println!("{sentence} A running notebook can import it now: run the cell again.");
    }
    Ok(ExitCode::SUCCESS)
}

async fn install(
    paths: &AppPaths,
    project: &Project,
    options: &SetupOptions,
    module: &str,
    json: bool,
) -> darwinix_core::error::Result<(String, Changed)> {
    let (_, dist) = for_import::package(paths, project, module)?;
    let change = Change::Add(vec![dist.clone()]);
    let changed = if json {
        packages::apply(paths, project, &change, options, &JsonLines).await?
    } else {
        let bar = Bar::new();
        let changed = packages::apply(paths, project, &change, options, &bar).await;
        bar.finish();
        changed?
    };
    let layout = darwinix_core::project::config::load(paths, project)?
        .backend
        .layout();
    let sentence = for_import::installed_sentence(project, layout, &dist, &changed);
    Ok((sentence, changed))
}
