//! `darwinix doctor`: run the engine's checks and show them to a person, or as JSON.

mod render;

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use darwinix_core::doctor::{self, DoctorOptions};
use darwinix_core::install;
use darwinix_core::paths::AppPaths;
use darwinix_core::python::interpreter::DEFAULT_PROBE_TIMEOUT;

use render::{render, render_project};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print one JSON object instead of the report.
    #[arg(long)]
    json: bool,

    /// Seconds each Python interpreter may take to answer before it is skipped as hung
    /// (raise it for interpreters on slow network drives).
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_PROBE_TIMEOUT.as_secs_f64(), value_parser = parse_seconds)]
    probe_timeout: f64,

    /// Also show how this project runs: where its packages come from, its JupyterLab and the
    /// Python its notebooks run in.
    #[arg(value_name = "PROJECT")]
    project: Option<std::path::PathBuf>,
}

fn parse_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(s) if s > 0.0 && s <= 600.0 => Ok(s),
        _ => Err(format!(
            "{text:?} is not a number of seconds between 0 and 600"
        )),
    }
}

#[allow(clippy::print_stdout, clippy::print_stderr)]
pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let paths = AppPaths::from_env().context("could not find Darwinix's data folder")?;
    let probe_timeout = Duration::from_secs_f64(args.probe_timeout);
    let project = match &args.project {
        Some(dir) => {
            let project = darwinix_core::project::Project::open(dir)?;
            Some((project.dir.clone(), install::describe(&paths, &project)?))
        }
        None => None,
    };
    let report = doctor::run(&DoctorOptions {
        paths,
        probe_timeout,
    })
    .await;
    if args.json {
        let mut value = serde_json::to_value(&report)?;
        if let Some((_, jupyter)) = &project {
            value["project"] = serde_json::to_value(jupyter)?;
        }
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        print!("{}", render(&report));
        if let Some((dir, jupyter)) = &project {
            print!("{}", render_project(dir, jupyter));
        }
    }
    if report.ready {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("darwinix: not ready: {}", report.ready_reason);
        Ok(ExitCode::FAILURE)
    }
}
