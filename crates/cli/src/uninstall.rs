//! `darwinix uninstall --purge`: remove everything Darwinix made outside the projects, then say
//! what was left on purpose.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use darwinix_core::format::human_bytes;
use darwinix_core::paths::AppPaths;
use darwinix_core::storage::{self, PurgeReport};

/// Without --purge: what it would remove and what it would leave, and nothing is touched.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Stop the servers, then remove Darwinix's data, settings and caches (runtimes, logs), the
    /// hub tokens kept for it and its Start at login entry. The projects and their .venv stay.
    #[arg(long)]
    purge: bool,
    /// Do not ask for confirmation (needed when standard input is not a terminal).
    #[arg(long)]
    yes: bool,
    /// Print the report as JSON (sizes in bytes).
    #[arg(long)]
    json: bool,
}

#[allow(clippy::print_stdout, clippy::print_stderr)]
pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let paths = AppPaths::from_env()?;
    let preview = storage::purge(&paths, false).await;
    if !args.purge {
        if args.json {
            println!("{}", serde_json::to_string_pretty(&preview)?);
        } else {
            print!("{}", describe(&preview));
            println!("\nNothing was removed. Run `darwinix uninstall --purge` to do this; then remove the program itself (see the README's Uninstall section).");
        }
        return Ok(ExitCode::SUCCESS);
    }
    if !args.yes {
        let stdin = std::io::stdin();
        if !stdin.is_terminal() {
            anyhow::bail!("uninstall --purge asks before it removes anything; add --yes to confirm without a terminal");
        }
        eprint!("{}", describe(&preview));
        eprint!("\nQuit the Darwinix app first. Remove all of this? [y/N] ");
        std::io::stderr().flush()?;
        let mut answer = String::new();
        stdin.lock().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes" | "Yes") {
            eprintln!("Nothing was removed.");
            return Ok(ExitCode::FAILURE);
        }
    }
    let done = storage::purge(&paths, true).await;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&done)?);
    } else {
        print!("{}", describe(&done));
    }
    Ok(if done.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The report in words: what goes (or went), what stays, what could not be done.
fn describe(r: &PurgeReport) -> String {
    let (stop, remove) = match r.done {
        true => ("Stopped", "Removed"),
        false => ("Would stop", "Would remove"),
    };
    let mut out = String::new();
    if r.servers > 0 {
        out.push_str(&format!("{stop} {} running server(s).\n", r.servers));
    }
    out.push_str(&format!(
        "{remove} ({} in all):\n",
        human_bytes(r.removed_bytes())
    ));
    for item in &r.removed {
        let place = item.path.as_ref().map(|p| format!("  {}", p.display()));
        out.push_str(&format!(
            "  {:>9}  {}{}\n",
            human_bytes(item.bytes),
            item.what,
            place.unwrap_or_default()
        ));
    }
    if r.removed.is_empty() {
        out.push_str("  nothing: Darwinix has no files here\n");
    }
    let left = &r.left;
    out.push_str(&format!(
        "Left in place: your projects and their .venv folders ({} in all):\n",
        human_bytes(left.venvs_bytes)
    ));
    for p in &left.projects {
        out.push_str(&format!(
            "  {:>9}  {}\n",
            human_bytes(p.bytes),
            p.venv.display()
        ));
    }
    if left.projects.is_empty() {
        out.push_str("  (no known projects)\n");
    }
    if let Some(cache) = &left.uv_cache.path {
        out.push_str(&format!(
            "Also left: uv's cache, shared with any uv on this computer ({}): {} (`uv cache clean` empties it)\n",
            human_bytes(left.uv_cache.bytes),
            cache.display()
        ));
    }
    for host in &left.remote_hosts {
        out.push_str(&format!(
            "Also left: Darwinix's agent on the remote computer {host}, in ~/.local/share/darwinix there (remove that folder over ssh)\n"
        ));
    }
    for p in &r.problems {
        out.push_str(&format!("warning: {}\n", p.message));
        if let Some(hint) = &p.hint {
            out.push_str(&format!("  fix: {hint}\n"));
        }
    }
    out
}
