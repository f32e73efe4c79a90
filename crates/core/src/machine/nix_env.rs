//! A project's Nix dev shell, without a shell: the variables `nix print-dev-env --json` reports
//! for its `flake.nix`, ready to put on the commands that set the project up and run Jupyter.
//! The answer is cached on flake.nix + flake.lock + the Nix version, because evaluating a real
//! flake costs seconds (minutes the first time, while nixpkgs downloads).

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use super::nix::EXPERIMENTAL_FEATURES;
use crate::error::{Error, Result};
use crate::paths::{write_atomically, AppPaths};
use crate::process;

/// The first evaluation of a real flake downloads nixpkgs.
const PRINT_DEV_ENV_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// Variables of the build sandbox that mean nothing (or harm) outside it; `nix develop` drops
/// the same ones.
const SANDBOX_ONLY: &[&str] = &[
    "BASHOPTS",
    "HOME",
    "NIX_BUILD_TOP",
    "NIX_ENFORCE_PURITY",
    "NIX_LOG_FD",
    "NIX_REMOTE",
    "PPID",
    "SHELLOPTS",
    "SSL_CERT_FILE",
    "TEMP",
    "TEMPDIR",
    "TERM",
    "TMP",
    "TMPDIR",
    "TZ",
    "UID",
    "PWD",
    "OLDPWD",
    "SHLVL",
    "builder",
    "out",
    "outputs",
];

/// The dev shell's environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DevEnv {
    /// Exported variables, `PATH` already merged (the shell's folders first).
    pub vars: BTreeMap<String, String>,
    /// The shell's own `PATH` folders, where its Python is looked for.
    pub path_dirs: Vec<PathBuf>,
}

#[derive(Deserialize)]
struct Printed {
    variables: BTreeMap<String, Variable>,
}

#[derive(Deserialize)]
struct Variable {
    #[serde(rename = "type")]
    kind: String,
    value: serde_json::Value,
}

/// Reads `nix print-dev-env --json` output; `host_path` is appended to the shell's `PATH`, as
/// `nix develop` does.
pub fn parse(json: &str, host_path: &OsStr) -> std::result::Result<DevEnv, String> {
    let printed: Printed = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let mut vars = BTreeMap::new();
    for (name, var) in printed.variables {
        if var.kind != "exported" || SANDBOX_ONLY.contains(&name.as_str()) {
            continue;
        }
        if let serde_json::Value::String(value) = var.value {
            vars.insert(name, value);
        }
    }
    let path_dirs: Vec<PathBuf> = vars
        .get("PATH")
        .map(|p| {
            std::env::split_paths(p)
                .filter(|d| d.is_absolute())
                .collect()
        })
        .unwrap_or_default();
    let merged = std::env::join_paths(
        path_dirs
            .iter()
            .cloned()
            .chain(std::env::split_paths(host_path)),
    )
    .map_err(|e| e.to_string())?;
    vars.insert("PATH".into(), merged.to_string_lossy().into_owned());
    Ok(DevEnv { vars, path_dirs })
}

fn cache_file(paths: &AppPaths, dir: &Path, nix_version: &str) -> PathBuf {
    let mut key = Vec::new();
    for name in ["flake.nix", "flake.lock"] {
        key.extend(std::fs::read(dir.join(name)).unwrap_or_default());
        key.push(0);
    }
    key.extend(nix_version.as_bytes());
    key.push(0);
    key.extend(dir.to_string_lossy().as_bytes());
    let digest = crate::hash::hex_sha256(&key);
    paths
        .cache
        .join("nix-dev-env")
        .join(format!("{}.json", &digest[..24]))
}

/// The dev shell of the flake in `dir`, from the cache or from `nix print-dev-env`.
pub async fn load(
    paths: &AppPaths,
    nix: &Path,
    nix_version: &str,
    dir: &Path,
    host_path: &OsStr,
) -> Result<DevEnv> {
    let cache = cache_file(paths, dir, nix_version);
    if let Ok(json) = std::fs::read_to_string(&cache) {
        if let Ok(env) = parse(&json, host_path) {
            return Ok(env);
        }
    }
    let mut cmd = process::command(nix);
    cmd.args(EXPERIMENTAL_FEATURES)
        // `.` from inside the folder: Nix 2.8 refuses a path with a space as a flake URL.
        .args(["print-dev-env", "--json", "."])
        .current_dir(dir);
    let failed = |detail: String| Error::NixDevShell {
        dir: dir.to_path_buf(),
        detail,
    };
    let out = process::output(cmd, PRINT_DEV_ENV_TIMEOUT)
        .await
        .map_err(|e| failed(e.to_string()))?;
    if !out.success() {
        let said = out.stderr_text();
        let start = said.lines().count().saturating_sub(12);
        return Err(failed(
            said.lines().skip(start).collect::<Vec<_>>().join("\n"),
        ));
    }
    let json = out.stdout_text();
    let env = parse(&json, host_path).map_err(|e| failed(format!("unreadable answer: {e}")))?;
    // Only a good answer is kept; a failed evaluation is asked again next time.
    let _ = write_atomically(&cache, json.as_bytes());
    Ok(env)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRINTED: &str = r#"{"bashFunctions":{"genericBuild":"..."},"variables":{
        "BASH":{"type":"var","value":"/usr/bin/bash"},
        "DARWINIX_FLAKE_GREETING":{"type":"exported","value":"hello from the flake"},
        "HOME":{"type":"exported","value":"/homeless-shelter"},
        "TMPDIR":{"type":"exported","value":"/build"},
        "IN_NIX_SHELL":{"type":"exported","value":"impure"},
        "PATH":{"type":"exported","value":"/nix/store/abc-python3-3.12.8/bin:/nix/store/def-uv/bin"},
        "buildInputs":{"type":"exported","value":""},
        "outputs":{"type":"exported","value":"out"},
        "pkgsHostTarget":{"type":"array","value":["a","b"]}
    }}"#;

    #[test]
    fn keeps_the_shells_exported_variables_and_puts_its_path_first() {
        let env = parse(PRINTED, OsStr::new("/usr/bin:/bin")).unwrap();
        assert_eq!(env.vars["DARWINIX_FLAKE_GREETING"], "hello from the flake");
        assert_eq!(env.vars["IN_NIX_SHELL"], "impure");
        assert_eq!(
            env.vars["PATH"],
            "/nix/store/abc-python3-3.12.8/bin:/nix/store/def-uv/bin:/usr/bin:/bin"
        );
        assert_eq!(
            env.path_dirs,
            vec![
                PathBuf::from("/nix/store/abc-python3-3.12.8/bin"),
                PathBuf::from("/nix/store/def-uv/bin")
            ]
        );
        for sandbox_only in ["HOME", "TMPDIR", "outputs", "BASH", "pkgsHostTarget"] {
            assert!(!env.vars.contains_key(sandbox_only), "{sandbox_only}");
        }
    }

    #[test]
    fn garbage_is_an_error_not_an_empty_environment() {
        assert!(parse("error: flake has no devShell", OsStr::new("")).is_err());
        assert!(parse("{}", OsStr::new("")).is_err());
    }

    #[test]
    fn the_cache_key_follows_the_flake_the_lock_and_nix() {
        let tmp = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(&tmp.path().join("home"));
        let dir = tmp.path().join("p");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("flake.nix"), "{ outputs = _: {}; }").unwrap();
        let a = cache_file(&paths, &dir, "2.8.0");
        assert_eq!(a, cache_file(&paths, &dir, "2.8.0"));
        assert_ne!(a, cache_file(&paths, &dir, "2.28.2"));
        std::fs::write(dir.join("flake.lock"), "{}").unwrap();
        assert_ne!(a, cache_file(&paths, &dir, "2.8.0"));
    }
}
