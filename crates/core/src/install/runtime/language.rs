//! JupyterLab in the user's language, saving every 10 seconds: the shared runtime gets the
//! language pack of Settings → Language (by default the computer's language, `locale`), and
//! its `overrides.json` presets JupyterLab's `locale` and `autosaveInterval` (GUIDE §10).
//!
//! A warm start spawns nothing: one `read_dir` of site-packages finds the pack's dist-info and
//! one small read finds `overrides.json` as it should be. Only a missing pack runs the installer
//! (`uv pip install --python <runtime> jupyterlab-language-pack-xx-XX`, ≈ 220 KB, no
//! dependencies), with the runtime's own index and certificate options. If that fails (offline,
//! an index without the pack) JupyterLab stays in English: one warning, never a failed start,
//! and the next start tries again.
//!
//! These are presets: what the user changes in JupyterLab's own Settings (kept in their
//! `~/.jupyter/lab/user-settings`) wins over `overrides.json`.

use std::path::Path;
use std::time::Duration;

use super::super::log::SetupLog;
use super::super::tool::installer_env;
use super::super::SetupOptions;
use crate::locale::Pack;
use crate::paths::AppPaths;
use crate::project::backend::Backend;
use crate::project::Layout;
use crate::reporter::{Reporter, SetupEvent};
use crate::settings::Settings;

/// Where JupyterLab reads the presets, relative to the runtime (its `sys.prefix`).
pub const OVERRIDES_FILE: &str = "share/jupyter/lab/settings/overrides.json";
/// How often JupyterLab saves an open notebook, in seconds (its own default: 120).
pub const AUTOSAVE_SECONDS: u64 = 10;
/// Far longer than a pack's download (≈ 220 KB, 0.4 s here) on a slow line; an index that
/// accepts the connection and never answers must not hold the start any longer.
const INSTALL_LIMIT: Duration = Duration::from_secs(60);

/// Makes the runtime at `dir` show JupyterLab in the language Settings ask for, and autosave.
/// Never fails: what goes wrong leaves English, with a warning through `reporter`.
pub async fn ensure_pack(
    paths: &AppPaths,
    dir: &Path,
    backend: &Backend,
    options: &SetupOptions,
    reporter: &dyn Reporter,
) {
    // A settings file that does not read is reported by whatever reads it for the start.
    let wanted = Settings::load(paths).unwrap_or_default().language_pack();
    let layout = backend.layout();
    let pack = match wanted {
        Some(pack) if installed(dir, layout, &pack) => Some(pack),
        Some(pack) => install(paths, dir, backend, options, &pack, reporter)
            .await
            .then_some(pack),
        None => None,
    };
    if let Err(e) = write_overrides(dir, pack.as_ref()) {
        reporter.report(SetupEvent::Warning {
            message: format!("JupyterLab's language and autosave could not be set: {e}"),
        });
    }
}

/// Whether the pack's dist-info is in the runtime's site-packages (no Python asked).
pub fn installed(dir: &Path, layout: Layout, pack: &Pack) -> bool {
    let prefix = pack.dist_info_prefix();
    layout.site_packages(dir).iter().any(|site| {
        std::fs::read_dir(site).is_ok_and(|entries| {
            entries.flatten().any(|e| {
                let name = e.file_name().to_string_lossy().to_ascii_lowercase();
                name.starts_with(&prefix) && name.ends_with(".dist-info")
            })
        })
    })
}

/// Installs the pack into the runtime, holding the runtime's lock (several starts may want it
/// at once). `false`: it is not there, and the user was told why.
async fn install(
    paths: &AppPaths,
    dir: &Path,
    backend: &Backend,
    options: &SetupOptions,
    pack: &Pack,
    reporter: &dyn Reporter,
) -> bool {
    let Ok(_guard) = super::lock(dir, reporter).await else {
        return false;
    };
    if installed(dir, backend.layout(), pack) {
        return true;
    }
    let mut log = SetupLog::create(&paths.log("language-pack.setup.log"));
    reporter.report(SetupEvent::Log {
        line: format!(
            "Installing JupyterLab in {} ({})",
            pack.name,
            pack.package()
        ),
    });
    let failed = match run_installer(paths, dir, backend, options, pack, reporter, &mut log).await {
        Ok(()) if installed(dir, backend.layout(), pack) => return true,
        Ok(()) => "the installer finished without it".to_string(),
        Err(why) => why,
    };
    log.line(&format!("FAILED: {failed}"));
    let last = failed.lines().last().unwrap_or("").trim().to_string();
    reporter.report(SetupEvent::Warning {
        message: format!(
            "JupyterLab stays in English: {} could not be installed ({last}). Darwinix tries again at the next start; details in {}",
            pack.package(),
            log.path().display()
        ),
    });
    false
}

/// `uv pip install` (or the runtime's pip) of the pack, as the runtime itself was installed.
async fn run_installer(
    paths: &AppPaths,
    dir: &Path,
    backend: &Backend,
    options: &SetupOptions,
    pack: &Pack,
    reporter: &dyn Reporter,
    log: &mut SetupLog,
) -> Result<(), String> {
    let picked = super::super::interpreter::here_python_and_tool(
        paths, backend, false, options, None, reporter, log,
    )
    .await;
    let (_, tool) = picked.map_err(|e| e.to_string())?;
    let python = backend
        .path(&backend.layout().python(dir))
        .map_err(|e| e.to_string())?;
    let mut cmd = tool.pip_install(&python);
    cmd.arg(pack.package());
    installer_env(&mut cmd, options);
    // The start waits for this: uv's 3 retries against an index that is not there cost 12 s on
    // every start while offline; with none it fails at once, and the next start asks again.
    cmd.env(crate::env_vars::UV_HTTP_RETRIES, "0");
    let cmd = backend.finish(cmd).map_err(|e| e.to_string())?;
    log.command(&cmd);
    let out = crate::process::output(cmd, INSTALL_LIMIT)
        .await
        .map_err(|e| e.to_string())?;
    for line in out.stdout_text().lines().chain(out.stderr_text().lines()) {
        log.line(line);
    }
    if out.success() {
        Ok(())
    } else {
        Err(out.stderr_text().trim().to_string())
    }
}

/// What `overrides.json` holds: the runtime's own presets (`runtime/overrides.json`), the
/// language (`en` without a pack), and the autosave interval.
pub fn overrides(pack: Option<&Pack>) -> serde_json::Value {
    let mut all: serde_json::Value =
        serde_json::from_str(super::OVERRIDES).expect("runtime/overrides.json is JSON");
    let locale = pack.map_or_else(|| "en".to_string(), Pack::locale);
    all["@jupyterlab/translation-extension:plugin"] = serde_json::json!({ "locale": locale });
    all["@jupyterlab/docmanager-extension:plugin"] = serde_json::json!({
        "autosave": true,
        "autosaveInterval": AUTOSAVE_SECONDS,
    });
    all
}

/// Writes `overrides.json` when its content differs: servers running from this runtime read it
/// at their start, so it is replaced whole (written beside it, then renamed) and never
/// rewritten for nothing.
fn write_overrides(dir: &Path, pack: Option<&Pack>) -> crate::Result<()> {
    let path = OVERRIDES_FILE
        .split('/')
        .fold(dir.to_path_buf(), |p, s| p.join(s));
    let text = serde_json::to_string_pretty(&overrides(pack)).expect("plain JSON") + "\n";
    if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    crate::paths::write_atomically(&path, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::Language;
    use crate::reporter::Silent;

    fn fr() -> Pack {
        Pack::by_code("fr-FR").unwrap()
    }

    /// A runtime folder with the pack's dist-info (as uv names it) in its site-packages.
    fn runtime_with(dist_info: Option<&str>) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let site = if cfg!(windows) {
            dir.path().join("Lib").join("site-packages")
        } else {
            dir.path()
                .join("lib")
                .join("python3.12")
                .join("site-packages")
        };
        std::fs::create_dir_all(&site).unwrap();
        if let Some(name) = dist_info {
            std::fs::create_dir(site.join(name)).unwrap();
        }
        dir
    }

    fn overrides_in(dir: &Path) -> serde_json::Value {
        let path = dir.join(OVERRIDES_FILE);
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    #[test]
    fn the_overrides_set_the_language_and_autosave_and_keep_the_runtimes_own() {
        let french = overrides(Some(&fr()));
        assert_eq!(
            french["@jupyterlab/translation-extension:plugin"]["locale"],
            "fr_FR"
        );
        let docs = &french["@jupyterlab/docmanager-extension:plugin"];
        assert_eq!(docs["autosaveInterval"], 10);
        assert_eq!(docs["autosave"], true);
        assert_eq!(
            french["@jupyterlab/extensionmanager-extension:plugin"]["enabled"],
            false
        );
        let english = overrides(None);
        assert_eq!(
            english["@jupyterlab/translation-extension:plugin"]["locale"],
            "en"
        );
        assert_eq!(
            english["@jupyterlab/docmanager-extension:plugin"]["autosaveInterval"],
            10
        );
    }

    #[test]
    fn a_pack_is_found_by_its_dist_info_in_any_case() {
        for name in [
            "jupyterlab_language_pack_fr_FR-4.5.post3.dist-info",
            "jupyterlab_language_pack_fr_fr-4.5.post3.dist-info",
        ] {
            let dir = runtime_with(Some(name));
            assert!(installed(dir.path(), Layout::NATIVE, &fr()), "{name}");
            let de = Pack::by_code("de-DE").unwrap();
            assert!(!installed(dir.path(), Layout::NATIVE, &de));
        }
        assert!(!installed(runtime_with(None).path(), Layout::NATIVE, &fr()));
    }

    #[cfg(unix)]
    #[test]
    fn the_file_is_rewritten_only_when_it_changes() {
        use std::os::unix::fs::MetadataExt;
        let dir = runtime_with(None);
        let inode = || {
            std::fs::metadata(dir.path().join(OVERRIDES_FILE))
                .unwrap()
                .ino()
        };
        write_overrides(dir.path(), Some(&fr())).unwrap();
        let first = inode();
        write_overrides(dir.path(), Some(&fr())).unwrap();
        assert_eq!(inode(), first, "the same content: left alone");
        write_overrides(dir.path(), None).unwrap();
        assert_eq!(
            overrides_in(dir.path())["@jupyterlab/translation-extension:plugin"]["locale"],
            "en"
        );
    }

    /// Both run nothing: English needs no pack, and a pack that is there is only looked at.
    #[tokio::test]
    async fn a_warm_start_or_english_installs_nothing() {
        let home = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(home.path());
        let options = SetupOptions::default();
        let save = |language: Language| {
            let settings = Settings {
                language,
                ..Settings::default()
            };
            settings.save(&paths).unwrap();
        };
        save(Language::English);
        let dir = runtime_with(None);
        ensure_pack(&paths, dir.path(), &Backend::Local, &options, &Silent).await;
        let locale = |dir: &Path| {
            overrides_in(dir)["@jupyterlab/translation-extension:plugin"]["locale"].clone()
        };
        assert_eq!(locale(dir.path()), "en");
        save(Language::Pack("fr-FR".into()));
        let dir = runtime_with(Some("jupyterlab_language_pack_fr_FR-4.5.post3.dist-info"));
        ensure_pack(&paths, dir.path(), &Backend::Local, &options, &Silent).await;
        assert_eq!(locale(dir.path()), "fr_FR");
        assert!(
            !paths.log("language-pack.setup.log").exists(),
            "no installer ran"
        );
    }
}
