//! `darwinix backend`: show or choose where a project runs (this computer, its Nix dev shell,
//! or a WSL distro).

use std::path::PathBuf;
use std::process::ExitCode;

use darwinix_core::paths::AppPaths;
use darwinix_core::project::backend::{self, BackendChoice, FLAKE};
use darwinix_core::project::Project;
use darwinix_core::target::DefaultProject;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Project folder (default: your default project).
    dir: Option<PathBuf>,
    /// Run the project: `auto` (its Nix dev shell when it has a flake.nix and Nix is
    /// installed), `this-computer`, `nix`, or `wsl:DISTRO` (Windows; see `wsl -l -v`). The
    /// next setup rebuilds .venv for the new place.
    #[arg(long, value_name = "WHERE", value_parser = parse_choice)]
    set: Option<BackendChoice>,
    /// Print the choice as JSON: {"kind": "auto"|"thisComputer"|"nix"|"wsl", "distro"?}.
    #[arg(long)]
    json: bool,
}

fn parse_choice(text: &str) -> Result<BackendChoice, String> {
    BackendChoice::parse(text).ok_or_else(|| {
        format!("`{text}` is not one of: auto, this-computer, nix, wsl:DISTRO (a WSL distro name)")
    })
}

/// The choice as `--set` takes it.
fn choice_arg(choice: &BackendChoice) -> String {
    match choice {
        BackendChoice::Auto => "auto".into(),
        BackendChoice::ThisComputer => "this-computer".into(),
        BackendChoice::Nix => "nix".into(),
        BackendChoice::Wsl { distro } => format!("wsl:{distro}"),
    }
}

fn describe(choice: &BackendChoice, project: &Project) -> String {
    let has_flake = project.dir.join(FLAKE).is_file();
    match choice {
        BackendChoice::Auto if has_flake => {
            "automatic: its Nix dev shell (it has a flake.nix), or this computer when Nix is not installed".into()
        }
        BackendChoice::Auto => "automatic: this computer (no flake.nix in the folder)".into(),
        BackendChoice::ThisComputer => "this computer".into(),
        BackendChoice::Nix => "its Nix dev shell".into(),
        BackendChoice::Wsl { distro } => format!("the WSL distro {distro}"),
    }
}

#[allow(clippy::print_stdout)]
pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let paths = AppPaths::from_env()?;
    let request = crate::target_arg::request(&paths, args.dir.as_deref(), DefaultProject::Create)?;
    let set = args.set.as_ref().map(choice_arg);
    let mut pass = vec!["backend"];
    if let Some(set) = &set {
        pass.extend(["--set", set]);
    }
    if args.json {
        pass.push("--json");
    }
    // A remote project's place is for Darwinix there to choose and say.
    if let Some(said) = request.target.on_remote(&paths, &pass).await? {
        print!("{said}");
        return Ok(ExitCode::SUCCESS);
    }
    let project = request.target.here("backend")?;
    if let Some(choice) = &args.set {
        if let BackendChoice::Wsl { distro } = choice {
            // Refused now rather than at the next start: a malformed name, or no WSL here.
            // (Whether the distro exists is wsl.exe's answer, at the next setup.)
            backend::Wsl::new(distro)?;
        }
        backend::save_choice(&paths, project, choice)?;
    }
    let choice = backend::load_choice(&paths, project)?;
    if args.json {
        println!("{}", serde_json::to_string(&choice)?);
    } else {
        println!("{} runs in {}.", project.name(), describe(&choice, project));
    }
    Ok(ExitCode::SUCCESS)
}
