//! `darwinix setup`: the project's `.venv`, with a progress bar (or JSON lines).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Duration;

use darwinix_core::install::{SetupOptions, SetupResult};
use darwinix_core::paths::AppPaths;
use darwinix_core::reporter::{Reporter, SetupEvent};
use darwinix_core::settings::{Installer, Settings};
use darwinix_core::target::DefaultProject;
use indicatif::{ProgressBar, ProgressStyle};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Project folder (default: the project of the current folder or the nearest one above it,
    /// else your default project, created on first use).
    dir: Option<PathBuf>,

    /// Who installs packages: uv (fast, fetched once if missing) or pip.
    #[arg(long, value_parser = parse_installer)]
    installer: Option<Installer>,

    /// Build the environment from this Python instead of the one `darwinix doctor` picks.
    #[arg(long, value_name = "PATH")]
    python: Option<PathBuf>,

    /// Install from this package index instead of PyPI.
    #[arg(long, value_name = "URL")]
    index_url: Option<String>,

    /// Trust the system's certificates (for networks that inspect TLS).
    #[arg(long)]
    native_tls: bool,

    /// Print progress as JSON lines, one event each.
    #[arg(long)]
    json: bool,

    #[command(flatten)]
    pins: crate::pins::PinsArgs,

    #[command(flatten)]
    source: crate::source_arg::SourceArgs,

    #[command(flatten)]
    trust: crate::trust::TrustArgs,
}

fn parse_installer(s: &str) -> Result<Installer, String> {
    match s {
        "uv" => Ok(Installer::Uv),
        "pip" => Ok(Installer::Pip),
        _ => Err(format!("{s:?} is not an installer: choose uv or pip")),
    }
}

#[allow(clippy::print_stdout)]
pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let paths = AppPaths::from_env()?;
    let settings = Settings::load(&paths)?;
    let request = crate::target_arg::request(&paths, args.dir.as_deref(), DefaultProject::Create)?;
    let target = &request.target;
    args.pins.apply(&paths, target)?;
    args.source.apply(&paths, target)?;
    args.trust.apply(&paths, target)?;
    let mut options = SetupOptions::from(&settings);
    if let Some(i) = args.installer {
        options.installer = i;
    }
    if args.python.is_some() {
        options.python = args.python;
    }
    if args.index_url.is_some() {
        options.index_url = args.index_url;
    }
    options.native_tls |= args.native_tls;

    if args.json {
        let result = target.setup(&paths, &options, &JsonLines).await;
        if let Err(e) = &result {
            let event = serde_json::json!({"event": "error", "data": {"message": e.to_string(), "hint": crate::fix::fix(e)}});
            println!("{event}");
        }
        result?;
        return Ok(ExitCode::SUCCESS);
    }
    let bar = Bar::new();
    let mut result = target.setup(&paths, &options, &bar).await;
    bar.finish();
    if let Err(e) = &result {
        if crate::trust::asked(&paths, e)? {
            let bar = Bar::new();
            result = target.setup(&paths, &options, &bar).await;
            bar.finish();
        }
    }
    println!("{}", done(&target.key(), result?.as_ref()));
    Ok(ExitCode::SUCCESS)
}

/// What a setup did, in one or two lines (`None`: done on a remote computer, which said how).
fn done(key: &std::path::Path, result: Option<&SetupResult>) -> String {
    let Some(done) = result else {
        return format!("Ready: {}", key.display());
    };
    let venv = key.join(darwinix_core::project::VENV);
    if done.skipped {
        format!(
            "Nothing changed: {} is up to date ({} packages, checked in {} ms).",
            venv.display(),
            done.packages,
            done.elapsed_ms
        )
    } else {
        format!(
            "Ready: {} packages in {} ({}, {:.1} s).\nFull log: {}",
            done.packages,
            venv.display(),
            done.installer,
            done.elapsed_ms as f64 / 1000.0,
            done.log.display()
        )
    }
}

/// One JSON object per event on stdout, for scripts and the app.
pub struct JsonLines;

impl Reporter for JsonLines {
    #[allow(clippy::print_stdout)]
    fn report(&self, event: SetupEvent) {
        if let Ok(line) = serde_json::to_string(&event) {
            println!("{line}");
        }
    }
}

/// Steps as lines, the current step's progress as a bar (on a terminal).
pub struct Bar {
    bar: ProgressBar,
    tty: bool,
    last_step: Mutex<Option<String>>,
}

impl Bar {
    pub fn new() -> Self {
        let tty = std::io::stderr().is_terminal();
        let bar = if tty {
            ProgressBar::new_spinner()
        } else {
            ProgressBar::hidden()
        };
        bar.enable_steady_tick(Duration::from_millis(120));
        Self {
            bar,
            tty,
            last_step: Mutex::new(None),
        }
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }

    #[allow(clippy::print_stderr)]
    fn say(&self, line: String) {
        if self.tty {
            self.bar.println(line);
        } else {
            eprintln!("{line}");
        }
    }
}

impl Reporter for Bar {
    fn report(&self, event: SetupEvent) {
        match event {
            SetupEvent::Step { step, detail } => {
                let mut last = self.last_step.lock().unwrap_or_else(|e| e.into_inner());
                if last.as_deref() != Some(step.describe()) {
                    *last = Some(step.describe().to_string());
                    self.say(format!("==> {}: {detail}", step.describe()));
                }
                self.bar.set_style(
                    ProgressStyle::with_template("{spinner} {msg}").expect("static template"),
                );
                self.bar.set_message(detail);
                self.bar.set_length(0);
            }
            SetupEvent::Progress {
                done, total, item, ..
            } => {
                if let Some(total) = total {
                    let style = ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
                        .expect("static template");
                    self.bar.set_style(style);
                    self.bar.set_length(u64::from(total));
                }
                self.bar.set_position(u64::from(done));
                if let Some(item) = item {
                    self.bar.set_message(item);
                }
            }
            SetupEvent::Source {
                used,
                ignored,
                python,
            } => {
                let said = darwinix_core::install::source::sentence(used.as_deref(), &ignored);
                self.say(format!("==> {said}"));
                if let Some(python) = python {
                    self.say(format!("==> {python}"));
                }
            }
            SetupEvent::Warning { message } => self.say(format!("warning: {message}")),
            SetupEvent::Log { .. } | SetupEvent::Done { .. } => {}
        }
    }
}
