//! The user's language: which of JupyterLab's language packs fits the languages the computer
//! prefers, and the Settings choice (follow the computer, English, or one pack).
//!
//! JupyterLab itself is translated by packs from PyPI (`jupyterlab-language-pack-xx-XX`, GUIDE
//! §10); English needs none. The OS is asked for an ordered list of languages and the first
//! one with a pack wins — unless an English one comes before it: a user who put English first
//! reads English, even with French second.

use serde::{Deserialize, Serialize};

/// One JupyterLab language pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pack {
    /// As PyPI spells it in the package name: `fr-FR`.
    pub code: &'static str,
    /// The language in its own words, for the Settings list.
    pub name: &'static str,
}

/// A [`Pack`] in one line of [`PACKS`].
const fn pack(code: &'static str, name: &'static str) -> Pack {
    Pack { code, name }
}

/// Every pack on PyPI (checked 2026-12-06), with its language's name for itself.
pub const PACKS: &[Pack] = &[
    pack("ar-SA", "العربية"),
    pack("ca-ES", "Català"),
    pack("cs-CZ", "Čeština"),
    pack("da-DK", "Dansk"),
    pack("de-DE", "Deutsch"),
    pack("el-GR", "Ελληνικά"),
    pack("es-ES", "Español"),
    pack("et-EE", "Eesti"),
    pack("fi-FI", "Suomi"),
    pack("fr-FR", "Français"),
    pack("he-IL", "עברית"),
    pack("hu-HU", "Magyar"),
    pack("hy-AM", "Հայերեն"),
    pack("id-ID", "Bahasa Indonesia"),
    pack("it-IT", "Italiano"),
    pack("ja-JP", "日本語"),
    pack("ko-KR", "한국어"),
    pack("lt-LT", "Lietuvių"),
    pack("nl-NL", "Nederlands"),
    pack("no-NO", "Norsk"),
    pack("pl-PL", "Polski"),
    pack("pt-BR", "Português (Brasil)"),
    pack("ro-RO", "Română"),
    pack("ru-RU", "Русский"),
    pack("tr-TR", "Türkçe"),
    pack("uk-UA", "Українська"),
    pack("vi-VN", "Tiếng Việt"),
    pack("zh-CN", "中文（简体）"),
    pack("zh-TW", "中文（繁體）"),
];

impl Pack {
    /// The pack with this code (`fr-FR`, `fr_FR` or `fr-fr`).
    pub fn by_code(code: &str) -> Option<Pack> {
        let wanted = code.replace('_', "-");
        PACKS
            .iter()
            .find(|p| p.code.eq_ignore_ascii_case(&wanted))
            .copied()
    }

    /// JupyterLab's `locale` setting for it: `fr_FR`.
    pub fn locale(&self) -> String {
        self.code.replace('-', "_")
    }

    /// The package to install: `jupyterlab-language-pack-fr-FR`.
    pub fn package(&self) -> String {
        format!("jupyterlab-language-pack-{}", self.code)
    }

    /// How its installed `.dist-info` folder starts, lower-cased (wheels write the name with
    /// `_`, and some tools lower-case it): `jupyterlab_language_pack_fr_fr-`.
    pub fn dist_info_prefix(&self) -> String {
        format!("{}-", self.package().replace('-', "_").to_ascii_lowercase())
    }
}

/// What one locale name means for JupyterLab.
#[derive(Debug, PartialEq, Eq)]
enum Meaning {
    English,
    Pack(Pack),
    /// A language no pack translates to (Swedish…): the next one is looked at.
    Other,
}

/// `fr_BE.UTF-8@euro`, `zh-Hant-TW`, `C`… → what JupyterLab can show for it.
fn meaning(locale: &str) -> Meaning {
    // The encoding and modifier say nothing about the language.
    let name = locale.split(['.', '@']).next().unwrap_or("").trim();
    let mut parts = name.split(['_', '-']).filter(|p| !p.is_empty());
    let language = parts.next().unwrap_or("").to_ascii_lowercase();
    let rest: Vec<String> = parts.map(|p| p.to_ascii_lowercase()).collect();
    let has = |tag: &str| rest.iter().any(|p| p == tag);
    let code = match language.as_str() {
        "" | "c" | "posix" | "en" => return Meaning::English,
        "zh" if has("hant") || has("tw") || has("hk") || has("mo") => "zh-TW",
        "zh" => "zh-CN",
        // The one Portuguese pack is Brazil's; Norwegian Bokmål and Nynorsk share one.
        "pt" => "pt-BR",
        "nb" | "nn" | "no" => "no-NO",
        // Older names that some systems still report.
        "iw" => "he-IL",
        "in" => "id-ID",
        other => {
            // One pack per language besides Chinese: the language decides, whatever region.
            return PACKS
                .iter()
                .find(|p| p.code.split('-').next() == Some(other))
                .map_or(Meaning::Other, |p| Meaning::Pack(*p));
        }
    };
    Pack::by_code(code).map_or(Meaning::Other, Meaning::Pack)
}

/// The pack for the user's languages, most preferred first; `None`: English (the first
/// language with meaning is English, or none of them has a pack).
pub fn pack_for(locales: &[String]) -> Option<Pack> {
    locales.iter().find_map(|l| match meaning(l) {
        Meaning::English => Some(None),
        Meaning::Pack(p) => Some(Some(p)),
        Meaning::Other => None,
    })?
}

/// The languages this computer's user prefers, most preferred first. macOS and Windows: the
/// system's list (an app started from Finder or the Start menu has no `LANG`), else the
/// environment; elsewhere the environment, as gettext reads it.
pub fn preferred() -> Vec<String> {
    #[cfg(any(target_os = "macos", windows))]
    {
        let system: Vec<String> = sys_locale::get_locales().collect();
        if !system.is_empty() {
            return system;
        }
    }
    from_env(|name| std::env::var(name).ok())
}

// Read here only (env_vars.rs lists what changes Darwinix's own behaviour; these are the
// system's, and their meaning is gettext's).
/// The languages wanted, `:`-separated (GNU gettext), before the locale's own.
const LANGUAGE: &str = "LANGUAGE";
/// The locale for everything; wins over the two below.
const LC_ALL: &str = "LC_ALL";
/// The locale for messages.
const LC_MESSAGES: &str = "LC_MESSAGES";
/// The default locale.
const LANG: &str = "LANG";

/// gettext's order: `LC_ALL`, else `LC_MESSAGES`, else `LANG` names the locale; `LANGUAGE`, a
/// `:` list, comes before it unless that locale is `C`/`POSIX` (then it is ignored).
fn from_env(var: impl Fn(&str) -> Option<String>) -> Vec<String> {
    let set = |name: &str| var(name).filter(|v| !v.trim().is_empty());
    let locale = set(LC_ALL)
        .or_else(|| set(LC_MESSAGES))
        .or_else(|| set(LANG));
    let plain = locale
        .as_deref()
        .is_some_and(|l| matches!(l.split('.').next(), Some("C" | "POSIX")));
    let mut list: Vec<String> = match set(LANGUAGE) {
        Some(languages) if !plain => languages
            .split(':')
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect(),
        _ => Vec::new(),
    };
    list.extend(locale);
    list
}

/// Settings → Language: follow the computer (the default), English, or one pack.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum Language {
    #[default]
    Auto,
    English,
    /// A pack's code, as [`Pack::code`] spells it.
    Pack(String),
}

/// `auto`, `en` or a pack's code. Anything else (a pack a newer Darwinix knew, a typo in the
/// file) means the default: a settings file must always load.
impl From<String> for Language {
    fn from(text: String) -> Self {
        Self::parse(&text).unwrap_or_default()
    }
}

impl From<Language> for String {
    fn from(language: Language) -> Self {
        language.to_string()
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Language::Auto => "auto",
            Language::English => "en",
            Language::Pack(code) => code,
        })
    }
}

impl Language {
    /// `auto`, `en`/`English`, or a pack's code in any case (`fr-FR`, `fr_fr`); `None` otherwise.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "" | "auto" => Some(Language::Auto),
            "en" | "english" => Some(Language::English),
            code => Pack::by_code(code).map(|p| Language::Pack(p.code.to_string())),
        }
    }

    /// The pack JupyterLab uses: this choice, or for `auto` the one for the computer's
    /// `locales` ([`preferred`]); `None`: English.
    pub fn effective(&self, locales: &[String]) -> Option<Pack> {
        match self {
            Language::Auto => pack_for(locales),
            Language::English => None,
            Language::Pack(code) => Pack::by_code(code),
        }
    }
}

/// One entry of Settings → Language: `en` or a pack's code, and its name in its own words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct LanguageOption {
    pub code: String,
    pub name: String,
}

impl LanguageOption {
    fn of(pack: Option<Pack>) -> Self {
        match pack {
            Some(p) => Self {
                code: p.code.into(),
                name: p.name.into(),
            },
            None => Self {
                code: "en".into(),
                name: "English".into(),
            },
        }
    }
}

/// What the window's Settings → Language shows, and the language its own words use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct LanguageChoices {
    /// The setting as saved: `auto`, `en` or a pack's code.
    pub chosen: String,
    /// What this computer's languages come to ("Same as this computer (Français)").
    pub detected: LanguageOption,
    /// What the setting comes to now: `en` or a pack's code.
    pub effective: String,
    /// English, then every pack.
    pub options: Vec<LanguageOption>,
}

impl LanguageChoices {
    /// For `chosen`, with the computer's languages `locales` ([`preferred`]).
    pub fn new(chosen: &Language, locales: &[String]) -> Self {
        Self {
            chosen: chosen.to_string(),
            detected: LanguageOption::of(pack_for(locales)),
            effective: LanguageOption::of(chosen.effective(locales)).code,
            options: std::iter::once(LanguageOption::of(None))
                .chain(PACKS.iter().map(|p| LanguageOption::of(Some(*p))))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests;
