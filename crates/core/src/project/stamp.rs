//! The stamp: what a project's `.venv` was last built from. When nothing changed, setup does
//! no installer work at all.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::python::cache::Fingerprint;
use crate::settings::Installer;

const FILE: &str = "darwinix-stamp.json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// Hash of everything below that decides the environment's contents.
    pub hash: String,
    pub installer: Installer,
    pub packages: u32,
    /// Where the environment was built: venvs hold absolute paths, so a moved project's `.venv`
    /// no longer works and must be rebuilt.
    #[serde(default)]
    pub venv: PathBuf,
    /// The interpreter the user asked for (`--python` or settings), as given.
    #[serde(default)]
    pub requested_python: Option<PathBuf>,
    /// Where the project runs (`Backend::place`: `local`, `nix`, `wsl:DISTRO`); another place
    /// means another environment. Stamps from before places were recorded say `auto`.
    #[serde(default = "auto")]
    pub backend: String,
    /// The shared notebook kernel linked into the environment (`install::kernel_layer`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kernel_layer: Option<PathBuf>,
}

fn auto() -> String {
    "auto".into()
}

/// What decides an environment: the requirement files, the interpreter (by file identity), the
/// installer and where packages come from.
pub struct Inputs<'a> {
    pub requirements: &'a [u8],
    pub lock: Option<&'a [u8]>,
    pub python: &'a Fingerprint,
    /// `backend::stamp_input`: where it runs, and a Nix shell's flake.
    pub backend: &'a [u8],
    pub installer: Installer,
    pub index_url: Option<&'a str>,
    pub native_tls: bool,
}

impl Inputs<'_> {
    pub fn hash(&self) -> String {
        // Length-prefixed parts, so no two different inputs can concatenate to the same bytes.
        let mut bytes = Vec::new();
        let mut part = |p: &[u8]| {
            bytes.extend_from_slice(&(p.len() as u64).to_le_bytes());
            bytes.extend_from_slice(p);
        };
        part(self.requirements);
        part(self.lock.unwrap_or(b"\0no lock"));
        part(self.python.target.to_string_lossy().as_bytes());
        part(&self.python.mtime_ns.to_le_bytes());
        part(&self.python.size.to_le_bytes());
        part(self.backend);
        part(self.installer.to_string().as_bytes());
        part(self.index_url.unwrap_or("").as_bytes());
        part(&[u8::from(self.native_tls)]);
        crate::hash::hex_sha256(&bytes)
    }
}

pub fn path(venv: &Path) -> PathBuf {
    venv.join(FILE)
}

/// The stamp, if there is a readable one.
pub fn load(venv: &Path) -> Option<Stamp> {
    serde_json::from_slice(&std::fs::read(path(venv)).ok()?).ok()
}

pub fn save(venv: &Path, stamp: &Stamp) -> crate::Result<()> {
    let bytes = serde_json::to_vec_pretty(stamp).expect("stamp is plain data");
    crate::paths::write_atomically(&path(venv), &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_changes_with_every_input() {
        let fp = Fingerprint {
            target: "/usr/bin/python3.11".into(),
            mtime_ns: 1,
            size: 2,
        };
        let base = Inputs {
            requirements: b"six\n",
            lock: None,
            python: &fp,
            backend: b"auto",
            installer: Installer::Uv,
            index_url: None,
            native_tls: false,
        };
        let h = base.hash();
        assert_eq!(h, Inputs { ..base }.hash(), "stable");
        let other_fp = Fingerprint {
            mtime_ns: 9,
            ..fp.clone()
        };
        let variants = [
            Inputs {
                requirements: b"six\nidna\n",
                lock: None,
                python: &fp,
                backend: b"auto",
                installer: Installer::Uv,
                index_url: None,
                native_tls: false,
            },
            Inputs {
                requirements: b"six\n",
                lock: Some(b"six==1.17.0\n"),
                python: &fp,
                backend: b"auto",
                installer: Installer::Uv,
                index_url: None,
                native_tls: false,
            },
            Inputs {
                requirements: b"six\n",
                lock: None,
                python: &other_fp,
                backend: b"auto",
                installer: Installer::Uv,
                index_url: None,
                native_tls: false,
            },
            Inputs {
                requirements: b"six\n",
                lock: None,
                python: &fp,
                backend: b"wsl:Ubuntu",
                installer: Installer::Uv,
                index_url: None,
                native_tls: false,
            },
            Inputs {
                requirements: b"six\n",
                lock: None,
                python: &fp,
                backend: b"auto",
                installer: Installer::Pip,
                index_url: None,
                native_tls: false,
            },
            Inputs {
                requirements: b"six\n",
                lock: None,
                python: &fp,
                backend: b"auto",
                installer: Installer::Uv,
                index_url: Some("https://mirror/simple"),
                native_tls: false,
            },
            Inputs {
                requirements: b"six\n",
                lock: None,
                python: &fp,
                backend: b"auto",
                installer: Installer::Uv,
                index_url: None,
                native_tls: true,
            },
        ];
        for v in variants {
            assert_ne!(v.hash(), h);
        }
    }

    #[test]
    fn load_tolerates_garbage() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(dir.path()), None);
        std::fs::write(path(dir.path()), "garbage").unwrap();
        assert_eq!(load(dir.path()), None);
        let s = Stamp {
            hash: "h".into(),
            installer: Installer::Pip,
            packages: 3,
            venv: dir.path().to_path_buf(),
            requested_python: Some("python3".into()),
            backend: "nix".into(),
            kernel_layer: Some("/d/runtimes/ipykernel-x-py3.11".into()),
        };
        save(dir.path(), &s).unwrap();
        assert_eq!(load(dir.path()), Some(s));
        // A stamp written before backends existed was made by `auto`.
        std::fs::write(
            path(dir.path()),
            r#"{"hash":"h","installer":"uv","packages":1}"#,
        )
        .unwrap();
        assert_eq!(load(dir.path()).unwrap().backend, "auto");
    }
}
