//! `darwinix settings language [auto|en|fr-FR]`: the settings the window's Settings view
//! shows, from a terminal (the same settings file). Only the language so far.

use std::process::ExitCode;

use anyhow::Context;
use darwinix_core::locale::{self, Language, PACKS};
use darwinix_core::paths::AppPaths;
use darwinix_core::settings::Settings;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Sub,
}

#[derive(Debug, clap::Subcommand)]
enum Sub {
    /// JupyterLab's language: show it, or choose `auto` (this computer's, the default), `en`
    /// (English) or a language pack's code (`fr-FR`, `de-DE`, `ja-JP`…; `--list` shows them).
    /// Used from the next start of a notebook.
    Language {
        /// `auto`, `en` or a pack's code; without it, the current choice is shown.
        choice: Option<String>,
        /// List the languages there are, each with its code.
        #[arg(long, conflicts_with = "choice")]
        list: bool,
    },
}

#[allow(clippy::print_stdout)]
pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let paths = AppPaths::from_env()?;
    let Sub::Language { choice, list } = args.command;
    if list {
        println!("{:<8} English", "en");
        for pack in PACKS {
            println!("{:<8} {}", pack.code, pack.name);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let mut settings = Settings::load(&paths)?;
    if let Some(choice) = choice {
        settings.language = Language::parse(&choice).with_context(|| {
            format!("`{choice}` is not a language Darwinix knows: use auto, en or a code from `darwinix settings language --list`")
        })?;
        settings.save(&paths)?;
    }
    println!("{}", describe(&settings.language));
    Ok(ExitCode::SUCCESS)
}

/// `auto (this computer: Français, fr-FR)`, `en (English)`, `de-DE (Deutsch)`.
fn describe(language: &Language) -> String {
    let name = |pack: Option<locale::Pack>| pack.map_or("English", |p| p.name);
    match language {
        Language::Auto => match locale::pack_for(&locale::preferred()) {
            Some(pack) => format!("auto (this computer: {}, {})", pack.name, pack.code),
            None => "auto (this computer: English)".to_string(),
        },
        other => format!("{other} ({})", name(other.effective(&[]))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_choice_is_shown_with_its_language() {
        assert_eq!(describe(&Language::English), "en (English)");
        let ja = Language::parse("ja_JP").unwrap();
        assert_eq!(describe(&ja), "ja-JP (日本語)");
        assert!(describe(&Language::Auto).starts_with("auto (this computer: "));
    }
}
