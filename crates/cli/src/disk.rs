//! `darwinix disk`: what Darwinix takes on this computer; `darwinix clean`: give it back.

use std::path::PathBuf;
use std::process::ExitCode;

use darwinix_core::format::human_bytes;
use darwinix_core::paths::AppPaths;
use darwinix_core::storage::{
    self, Cleaned, Problem, ProjectSpace, Removed, RuntimeSpace, StorageReport,
};

#[derive(Debug, clap::Args)]
pub struct DiskArgs {
    /// Print the figures as JSON (sizes in bytes).
    #[arg(long)]
    json: bool,
}

/// With no option: what can be cleaned, how much each would free, and the option that does it.
#[derive(Debug, clap::Args)]
pub struct CleanArgs {
    /// Prune uv's cache: remove the entries no environment uses any more (`uv cache prune`).
    #[arg(long)]
    uv_cache: bool,
    /// Remove the JupyterLab runtimes and kernels of earlier Darwinix versions that no running
    /// server uses.
    #[arg(long)]
    runtimes: bool,
    /// Remove the .venv of the project PROJECT (its own files stay; its next start makes the
    /// environment again). Can be given more than once.
    #[arg(long, value_name = "PROJECT")]
    venv: Vec<PathBuf>,
    /// Remove the .venv of every project not opened for 90 days (and not running).
    #[arg(long)]
    stale_venvs: bool,
    /// All of --uv-cache, --runtimes and --stale-venvs.
    #[arg(long)]
    all: bool,
    /// Print what was removed as JSON (sizes in bytes).
    #[arg(long)]
    json: bool,
}

#[allow(clippy::print_stdout)]
pub async fn disk(args: DiskArgs) -> anyhow::Result<ExitCode> {
    let paths = AppPaths::from_env()?;
    let report = storage::report(&paths).await;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", table(&report, now()));
    }
    Ok(ExitCode::SUCCESS)
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The readable table of `darwinix disk`.
fn table(report: &StorageReport, now: u64) -> String {
    let mut out = String::new();
    let mut problems: Vec<&Problem> = Vec::new();
    let runtimes: u64 = report.runtimes.iter().map(|r| r.bytes).sum();
    row(&mut out, "JupyterLab runtimes", runtimes, "");
    for r in &report.runtimes {
        row(
            &mut out,
            &format!("  {}", r.name),
            r.bytes,
            runtime_state(r),
        );
        problems.extend(&r.problems);
    }
    let cache = &report.uv_cache;
    let place = match (&cache.uv, &cache.path) {
        (_, Some(path)) => path.display().to_string(),
        (None, _) => "no uv yet".into(),
        (Some(_), None) => "uv did not say where".into(),
    };
    row(&mut out, "uv cache", cache.bytes, &place);
    problems.extend(&cache.problems);
    row(
        &mut out,
        "Darwinix's own data",
        report.own.bytes,
        "settings, logs, caches",
    );
    problems.extend(&report.own.problems);
    let venvs: u64 = report.projects.iter().map(|p| p.bytes).sum();
    row(&mut out, "Project environments (.venv)", venvs, "");
    for p in &report.projects {
        row(
            &mut out,
            &format!("  {}", p.name),
            p.bytes,
            &project_note(p, now),
        );
        problems.extend(&p.problems);
    }
    if report.projects.is_empty() {
        out.push_str(
            "  (none known: the app's recent projects and the default project are listed)\n",
        );
    }
    for p in problems {
        out.push_str(&problem_line(p));
    }
    out.push_str(&format!(
        "\nTotal {}. Each figure is what `du -sk` says of that folder: files uv hard-links from its cache into a .venv count in both.\n`darwinix clean` shows what can be given back.\n",
        human_bytes(runtimes + cache.bytes + report.own.bytes + venvs)
    ));
    out
}

fn row(out: &mut String, label: &str, bytes: u64, note: &str) {
    out.push_str(&format!("{label:<40} {:>9}  {note}\n", human_bytes(bytes)));
}

fn runtime_state(r: &RuntimeSpace) -> &'static str {
    match (r.current, r.in_use) {
        (true, _) => "current",
        (false, true) => "earlier version, in use by a running server",
        (false, false) => "earlier version, unused",
    }
}

fn project_note(p: &ProjectSpace, now: u64) -> String {
    let when = match p.last_opened {
        Some(at) => match now.saturating_sub(at) / 86_400 {
            0 => "opened today".to_string(),
            1 => "opened yesterday".to_string(),
            d => format!("opened {d} days ago"),
        },
        None => "never opened".to_string(),
    };
    let mark = match (p.has_venv, p.running, p.stale) {
        (false, _, _) => "  no .venv".to_string(),
        (_, true, _) => "  running".to_string(),
        (_, _, true) => "  ! not opened for 90 days".to_string(),
        _ => String::new(),
    };
    format!("{when}{mark}  {}", p.dir.display())
}

fn problem_line(p: &Problem) -> String {
    match &p.hint {
        Some(hint) => format!("warning: {}\n  fix: {hint}\n", p.message),
        None => format!("warning: {}\n", p.message),
    }
}

#[allow(clippy::print_stdout, clippy::print_stderr)]
pub async fn clean(args: CleanArgs) -> anyhow::Result<ExitCode> {
    let paths = AppPaths::from_env()?;
    let nothing_asked =
        !args.uv_cache && !args.runtimes && !args.stale_venvs && !args.all && args.venv.is_empty();
    if nothing_asked {
        let report = storage::report(&paths).await;
        if args.json {
            println!("{}", serde_json::to_string_pretty(&report)?);
        } else {
            print!("{}", cleanable(&report));
        }
        return Ok(ExitCode::SUCCESS);
    }
    let mut done = Cleaned::default();
    let mut failed = Vec::new();
    if args.runtimes || args.all {
        merge(&mut done, storage::remove_unused_runtimes(&paths).await);
    }
    let mut venvs = args.venv.clone();
    if args.stale_venvs || args.all {
        let report = storage::report(&paths).await;
        venvs.extend(
            report
                .projects
                .iter()
                .filter(|p| p.stale)
                .map(|p| p.dir.clone()),
        );
    }
    for dir in venvs {
        match storage::remove_venv(&paths, &dir).await {
            Ok(removed) => done.removed.push(removed),
            Err(e) => failed.push(e),
        }
    }
    // Last: removing environments can leave cache entries nothing uses.
    if args.uv_cache || args.all {
        merge(&mut done, storage::prune_uv_cache(&paths).await);
    }
    say_cleaned(&done, &failed, args.json)?;
    let ok = done.problems.is_empty() && failed.is_empty();
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// What was removed and freed, and what could not be, as text or JSON.
#[allow(clippy::print_stdout, clippy::print_stderr)]
fn say_cleaned(done: &Cleaned, failed: &[darwinix_core::Error], json: bool) -> anyhow::Result<()> {
    if json {
        let out = serde_json::json!({
            "removed": done.removed,
            "problems": done.problems.iter().cloned().chain(failed.iter().map(Problem::from)).collect::<Vec<_>>(),
            "freed": done.freed(),
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    print!("{}", removed_lines(&done.removed));
    println!("Freed {} in total.", human_bytes(done.freed()));
    for p in &done.problems {
        eprint!("{}", problem_line(p));
    }
    for e in failed {
        eprintln!("darwinix: {e}");
        if let Some(fix) = crate::fix::fix(e) {
            eprintln!("  fix: {fix}");
        }
    }
    Ok(())
}

fn merge(into: &mut Cleaned, more: Cleaned) {
    into.removed.extend(more.removed);
    into.problems.extend(more.problems);
}

/// One line per thing removed, with its size.
pub fn removed_lines(removed: &[Removed]) -> String {
    removed
        .iter()
        .map(|r| {
            let place = r.path.as_ref().map(|p| format!("  {}", p.display()));
            format!(
                "Removed {} ({}){}\n",
                r.what,
                human_bytes(r.bytes),
                place.unwrap_or_default()
            )
        })
        .collect()
}

/// What `darwinix clean` without options says.
fn cleanable(report: &StorageReport) -> String {
    let mut out = String::from("What can be given back:\n");
    let unused: Vec<_> = report.runtimes.iter().filter(|r| r.removable()).collect();
    out.push_str(&format!(
        "  {:>9}  {} runtime(s) of earlier versions nobody uses       darwinix clean --runtimes\n",
        human_bytes(report.unused_runtimes_bytes()),
        unused.len()
    ));
    out.push_str(&format!(
        "  {:>9}  uv's cache (pruning keeps what environments use)   darwinix clean --uv-cache\n",
        human_bytes(report.uv_cache.bytes)
    ));
    out.push_str(
        "            (the figure is the whole cache; pruning frees the part no environment uses)\n",
    );
    let stale: Vec<_> = report.projects.iter().filter(|p| p.stale).collect();
    let stale_bytes: u64 = stale.iter().map(|p| p.bytes).sum();
    out.push_str(&format!(
        "  {:>9}  .venv of {} project(s) not opened for 90 days    darwinix clean --stale-venvs\n",
        human_bytes(stale_bytes),
        stale.len()
    ));
    for p in report.projects.iter().filter(|p| p.has_venv && !p.running) {
        out.push_str(&format!(
            "  {:>9}  .venv of {:<30}       darwinix clean --venv \"{}\"\n",
            human_bytes(p.bytes),
            p.name,
            p.dir.display()
        ));
    }
    out.push_str("A removed .venv is made again the next time its project starts; the notebooks and other files are never touched.\n");
    out
}
