//! `darwinix package-for MODULE`: what the Install button under a notebook's "No module named"
//! error offers (`darwinix add --for-import MODULE`, in `packages`, is what its click does).

use std::process::ExitCode;

use darwinix_core::packages::for_import;

use crate::packages::{context, ProjectArgs};

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
