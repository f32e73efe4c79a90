//! `darwinix package-for MODULE` and `darwinix add --for-import MODULE`: what the Install
//! button under a notebook's "No module named" error asks (through Darwinix's server extension),
//! usable by hand too.

use std::process::ExitCode;

use darwinix_core::install::SetupOptions;
use darwinix_core::packages::{self, for_import, Change};
use darwinix_core::paths::AppPaths;
use darwinix_core::project::Project;

use crate::packages::{context, ProjectArgs};
use crate::setup::{Bar, JsonLines};

#[derive(Debug, clap::Args)]
pub struct PackageForArgs {
    /// The module as the notebook imports it: `sklearn`, `cv2`, `PIL.Image`.
    module: String,
    #[command(flatten)]
    target: ProjectArgs,
}

#[allow(clippy::print_stdout)]
pub fn package_for(args: PackageForArgs) -> anyhow::Result<ExitCode> {
    let (paths, project, _) = context(&args.target)?;
    let offer = for_import::offer(&paths, &project, &args.module);
    if args.target.json {
        println!("{}", serde_json::to_string(&offer)?);
    } else {
        println!("{}", offer.sentence);
        match (&offer.package, &offer.file) {
            (Some(package), Some(file)) => println!(
                "It is provided by {package}: `darwinix add --for-import {}` installs it and adds it to {file}.",
                offer.module
            ),
            _ => return Ok(ExitCode::FAILURE),
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Installs the package that provides `module` and adds it to the project's setup file.
#[allow(clippy::print_stdout)]
pub async fn add(
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
) -> darwinix_core::error::Result<(String, packages::Changed)> {
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
