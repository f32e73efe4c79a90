//! The trust question on the command line: `--trust` on `start`/`setup`/`restart`, the
//! question asked on a terminal when a setup stopped for it, and `darwinix trust` to list and
//! forget the answers (the window's Settings → Trusted folders).

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use darwinix_core::error::TrustAsk;
use darwinix_core::paths::AppPaths;
use darwinix_core::target::Target;
use darwinix_core::trust::{store, Choice};
use darwinix_core::Error;

#[derive(Debug, Clone, clap::Args)]
pub struct TrustArgs {
    /// Install the folder's packages even where Darwinix would ask first (another account's
    /// folder, one others may change, one from the internet, or requirements beyond the package
    /// index); remembered for the folder (`darwinix trust forget` takes it back).
    #[arg(long)]
    trust: bool,
}

impl TrustArgs {
    /// Remembers `--trust` for the target's folder.
    pub fn apply(&self, paths: &AppPaths, target: &Target) -> anyhow::Result<()> {
        if self.trust {
            let project = target.here("--trust")?;
            store::remember(paths, &project.dir, Choice::Trusted)?;
        }
        Ok(())
    }
}

/// After a setup stopped with [`Error::NotTrusted`]: on a terminal, asks the question and
/// remembers the answer; `true` when the command should run again. Elsewhere (a script, the
/// app's JSON) nothing is asked: the error says `--trust`.
pub fn asked(paths: &AppPaths, error: &Error) -> anyhow::Result<bool> {
    let Error::NotTrusted { dir, ask } = error else {
        return Ok(false);
    };
    let mut err = std::io::stderr().lock();
    write!(err, "{}", what_it_installs(&dir.display().to_string(), ask))?;
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        // The error that follows names `--trust`; what it would install is said above it.
        return Ok(false);
    }
    write!(err, "{CHOICES}")?;
    err.flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    let choice = match answer.trim().to_ascii_lowercase().as_str() {
        "t" | "trust" => Choice::Trusted,
        "s" | "start" => Choice::WithoutInstalling,
        _ => return Ok(false),
    };
    store::remember(paths, dir, choice)?;
    Ok(true)
}

const CHOICES: &str =
    "[t] Trust and start   [s] Start without installing   [c] Cancel\nYour choice (t/s/c): ";

/// Why Darwinix asks and what would come from where, as the window's prompt words it.
pub fn what_it_installs(dir: &str, ask: &TrustAsk) -> String {
    let mut text = format!("\nDarwinix asks before installing the packages of {dir}:\n");
    for reason in &ask.reasons {
        text.push_str(&format!("  - {reason}\n"));
    }
    match &ask.from_file {
        Some(file) => text.push_str(&format!("It would install, from {file}:\n")),
        None => text.push_str("It would install:\n"),
    }
    if ask.installs.is_empty() {
        text.push_str("  (nothing: Python and the kernel alone)\n");
    }
    let width = ask
        .installs
        .iter()
        .map(|i| i.what.chars().count())
        .max()
        .unwrap_or(0);
    for install in &ask.installs {
        let mark = match install.beyond_index {
            true => "  <- beyond the package index",
            false => "",
        };
        let pad = " ".repeat(width - install.what.chars().count());
        text.push_str(&format!(
            "  {}{pad}   from {}{mark}\n",
            install.what, install.from
        ));
    }
    text.push_str("Installing runs code from these places.\n");
    text
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Option<Sub>,
}

#[derive(Debug, clap::Subcommand)]
enum Sub {
    /// List the folders you answered for (the default).
    List,
    /// Forget the answer for a folder: its next start asks again.
    Forget {
        /// The project folder.
        dir: PathBuf,
    },
}

#[allow(clippy::print_stdout)]
pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let paths = AppPaths::from_env()?;
    match args.command.unwrap_or(Sub::List) {
        Sub::List => {
            let all = store::all(&paths)?;
            if all.is_empty() {
                println!("No answers to the trust question yet.");
            }
            for decision in all {
                let said = match decision.choice {
                    Choice::Trusted => "trusted",
                    Choice::WithoutInstalling => "started without installing",
                };
                println!("{said:<28} {}", decision.dir.display());
            }
        }
        Sub::Forget { dir } => {
            let dir = dunce::canonicalize(&dir).unwrap_or(dir);
            match store::forget(&paths, &dir)? {
                true => println!(
                    "Forgotten: {} is asked about again on its next start.",
                    dir.display()
                ),
                false => println!("No answer was kept for {}.", dir.display()),
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
