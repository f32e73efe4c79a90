//! `darwinix`: the command-line face of the Darwinix engine.

mod backend;
mod course;
mod disk;
mod doctor;
mod fix;
mod for_import;
mod gpu;
mod hub;
mod lab_choice;
mod listing;
mod lock;
mod new;
mod packages;
mod pins;
mod remote_side;
mod server;
mod settings_cmd;
mod setup;
mod share;
mod source_arg;
mod target_arg;
mod trust;
mod uninstall;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Darwinix: JupyterLab notebooks with one command, in a Python environment of their own.
///
/// Start with `darwinix doctor` to see what this computer has and what is missing.
#[derive(Debug, Parser)]
#[command(
    name = "darwinix",
    version,
    about,
    long_about,
    propagate_version = true
)]
#[command(
    after_help = "Environment:\n  DARWINIX_HOME                 where Darwinix keeps its data, settings and caches\n  DARWINIX_PYTHON_SEARCH_PATH   folders to search for Python instead of PATH and the usual places\n  DARWINIX_WSL_EXE              the program to run WSL projects with (default: wsl.exe)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check this computer: Python, Nix, WSL, GPU, memory and disk, and what to fix.
    ///
    /// Exits with 0 when Darwinix can run notebooks here (a usable Python, or uv to get one),
    /// and 1 otherwise.
    Doctor(doctor::Args),

    /// Create a project folder with a requirements.txt and a welcome notebook.
    New(new::Args),

    /// Give a project its own Python environment (.venv) with its requirements installed.
    ///
    /// Does nothing when nothing changed since the last setup. The full installer output goes
    /// to a log file, named at the end.
    Setup(setup::Args),

    /// Write requirements.lock with the exact versions installed now ("freeze what works").
    Lock(lock::Args),

    /// Share the project as one file, Name.darwinix.zip: notebooks, data, setup file and a lock
    /// of exactly what is installed.
    ///
    /// Opened with Darwinix (double-click, or `darwinix start FILE`), the file becomes a new
    /// project that installs those exact versions, their hashes checked. With --offline the
    /// wheels for this computer go in too, for a room without internet. Hidden files, .venv,
    /// .git and caches stay out; files over --max-file-size are asked about.
    Share(share::Args),

    /// Make a project GPU-ready: add PyTorch, from the wheels this computer's GPU can use.
    ///
    /// CUDA wheels matching the NVIDIA driver, CPU wheels without one (PyPI's Linux wheels
    /// bundle gigabytes of CUDA), the default wheels on a Mac (Metal on Apple silicon). Lines
    /// already in requirements.txt are kept; an outdated PyTorch index line is replaced.
    Gpu(gpu::Args),

    /// Show or choose where a project runs: this computer, its Nix dev shell, or a WSL distro.
    ///
    /// Without --set it prints the current choice. The default, `auto`, runs a project that has
    /// a flake.nix inside its Nix dev shell when Nix is installed.
    Backend(backend::Args),

    /// Start JupyterLab for a project (setting it up first if needed) and open your browser.
    ///
    /// The server listens on 127.0.0.1 only, on a free port, protected by a fresh secret token,
    /// and keeps running after this command ends. Starting a project that already runs opens
    /// it again instead of starting a second server.
    Start(server::StartArgs),

    /// Stop a project's server (or all of them), with its kernels.
    Stop(server::StopArgs),

    /// Show the running servers: folder, address, pid, uptime, memory.
    List(server::ListArgs),

    /// Open a running server in your browser again.
    Open(server::OpenArgs),

    /// Show a server's log.
    Logs(server::LogsArgs),

    /// Stop a project's server and start it again.
    Restart(server::RestartArgs),

    /// Add packages to the project: written into requirements.txt, then installed.
    ///
    /// Each is checked on the package index first. When installing fails, requirements.txt and
    /// .venv are put back as they were.
    Add(packages::AddArgs),

    /// Remove packages from the project's requirements.txt and from .venv.
    ///
    /// What only they needed goes too; a package another one still needs stays installed.
    Remove(packages::RemoveArgs),

    /// Update packages (default: every one the project asks for) to their newest versions.
    ///
    /// An exact pin (`==`) in requirements.txt is rewritten to the newest version; any other
    /// line is upgraded within what it allows.
    Update(packages::UpdateArgs),

    /// List the packages in the project's .venv: asked for, pulled in, or installed by hand.
    Packages(packages::ListArgs),

    /// Look a package up on the package index: its newest version and summary.
    Search(packages::SearchArgs),

    /// Which package provides an import (`sklearn` → scikit-learn), as the notebook's Install
    /// button offers it; no button for the project's own modules or names nobody publishes.
    PackageFor(for_import::PackageForArgs),

    /// Your servers on JupyterHubs: add a hub with its API token, list, start, stop, open.
    Hub(hub::Args),

    /// Show the disk space Darwinix takes: JupyterLab runtimes, uv's cache, its own data, and
    /// each known project's .venv (projects not opened for 90 days marked).
    Disk(disk::DiskArgs),

    /// Give disk space back: prune uv's cache, remove unused runtimes, remove .venv folders.
    ///
    /// Without options it shows what can be cleaned and how much each option frees. A removed
    /// .venv is made again on its project's next start; the project's files are never touched.
    Clean(disk::CleanArgs),

    /// Remove everything Darwinix made outside your projects (with --purge).
    ///
    /// Stops the servers, then removes Darwinix's data, settings and caches, the hub tokens kept
    /// for it and its Start at login entry, and says what it left: the projects and their .venv
    /// folders. Without --purge it only says what it would do. Then remove the program itself
    /// (README, "Uninstall").
    Uninstall(uninstall::Args),

    /// The folders you told Darwinix to trust (or to start without installing), and forgetting
    /// an answer.
    ///
    /// Darwinix asks before installing a folder that belongs to another account, that others
    /// may change, that came from the internet, or whose first setup installs from beyond the
    /// package index (git or URL requirements, local paths, extra indexes, its own setup.py).
    Trust(trust::Args),

    /// Courses opened from a link: get the teacher's updates, start over from the teacher's
    /// version, list them. (`darwinix start LINK` opens one.)
    Course(course::Args),

    /// Settings shared with the app's window: `darwinix settings language [auto|en|fr-FR]`.
    Settings(settings_cmd::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => return fail(&anyhow::Error::new(e).context("could not start the async runtime")),
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Doctor(args) => doctor::run(args).await,
            Command::New(args) => new::run(args).await,
            Command::Setup(args) => setup::run(args).await,
            Command::Lock(args) => lock::run(args).await,
            Command::Share(args) => share::run(args).await,
            Command::Gpu(args) => gpu::run(args).await,
            Command::Backend(args) => backend::run(args).await,
            Command::Start(args) => server::start(args).await,
            Command::Stop(args) => server::stop(args).await,
            Command::List(args) => server::list(args).await,
            Command::Open(args) => server::open(args).await,
            Command::Logs(args) => server::logs(args).await,
            Command::Restart(args) => server::restart(args).await,
            Command::Add(args) => packages::add(args).await,
            Command::Remove(args) => packages::remove(args).await,
            Command::Update(args) => packages::update(args).await,
            Command::Packages(args) => packages::list(args).await,
            Command::Search(args) => packages::search(args).await,
            Command::PackageFor(args) => for_import::package_for(args),
            Command::Hub(args) => hub::run(args).await,
            Command::Disk(args) => disk::disk(args).await,
            Command::Clean(args) => disk::clean(args).await,
            Command::Uninstall(args) => uninstall::run(args).await,
            Command::Trust(args) => trust::run(args).await,
            Command::Course(args) => course::run(args).await,
            Command::Settings(args) => settings_cmd::run(args).await,
        }
    });
    // A detector stuck in a blocking call (a wedged GPU driver) must not keep the program alive
    // after its answer is printed.
    runtime.shutdown_background();
    match result {
        Ok(code) => code,
        Err(e) => fail(&e),
    }
}

/// Prints an error with its causes and, when the engine has one, the fix.
#[allow(clippy::print_stderr)]
fn fail(error: &anyhow::Error) -> ExitCode {
    let said = error.to_string();
    eprintln!("darwinix: {said}");
    // A cause the message already tells is not told twice.
    for cause in error.chain().skip(1) {
        let cause = cause.to_string();
        if !said.contains(&cause) {
            eprintln!("  because: {cause}");
        }
    }
    if let Some(hint) = error
        .downcast_ref::<darwinix_core::Error>()
        .and_then(fix::fix)
    {
        eprintln!("  fix: {hint}");
    }
    ExitCode::FAILURE
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
    }
}
