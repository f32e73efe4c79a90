//! The stamp: what a project's `.venv` was last built from. When nothing changed, setup does
//! no installer work at all.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::project::backend::Place;
use crate::project::requirements::Source;
use crate::project::Layout;
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
    /// Where the project runs (`Backend::place`); another place means another environment.
    #[serde(default = "unrecorded")]
    pub backend: Place,
    /// The shared notebook kernel linked into the environment (`install::kernel_layer`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kernel_layer: Option<PathBuf>,
    /// The Python the project asked for when the environment was made (`3.9 from
    /// runtime.txt`): another wish means another environment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub python_wish: Option<String>,
}

fn unrecorded() -> Place {
    Place::Unrecorded
}

/// What decides an environment: the requirement files, the interpreter (by file identity), the
/// installer and where packages come from.
struct Inputs<'a> {
    requirements: &'a [u8],
    lock: Option<&'a [u8]>,
    python: &'a Fingerprint,
    backend: &'a [u8],
    installer: Installer,
    index_url: Option<&'a str>,
    native_tls: bool,
}

impl Inputs<'_> {
    fn hash(&self) -> String {
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

/// What the installer was asked to put into an environment, besides the interpreter: every
/// input of the stamp's hash is assembled here, for the no-op check and for the stamp written
/// after an install alike.
pub struct Recipe<'a> {
    pub source: &'a Source,
    pub dir: &'a Path,
    /// What Darwinix adds for the notebook kernel (`KernelPlan::input`).
    pub kernel: String,
    /// The pins left out or relaxed at the user's word (Start with current versions).
    pub relaxed: Option<&'a [String]>,
    pub left_out: &'a [String],
    /// Packages the user chose to start without, and requirements chosen instead of the
    /// project's (`ProjectConfig::without`, `instead`).
    pub without: &'a [String],
    pub instead: &'a [String],
    /// `darwinix lock`'s file, when there is one.
    pub lock: Option<Vec<u8>>,
    /// `backend::stamp_input`: where it runs, and a Nix shell's flake.
    pub place: Vec<u8>,
    /// The installer *asked for* counts, not the one used: when uv cannot be had and pip stands
    /// in, the next run is still a no-op instead of trying uv again and reinstalling.
    pub installer: Installer,
    pub index_url: Option<&'a str>,
    pub native_tls: bool,
    /// The Python the project asks for (`python_wish::Wish::key`).
    pub python_wish: Option<String>,
}

impl Recipe<'_> {
    /// The bytes that decide the environment besides the interpreter: the source's files and
    /// what Darwinix adds. `None` when that cannot be known (local or editable packages): then
    /// the installer always runs, and uv makes that cheap.
    fn requirements(&self) -> Option<Vec<u8>> {
        let mut bytes = self.source.inputs(self.dir)?;
        bytes.push(0);
        bytes.extend(self.source.describe().as_bytes());
        bytes.push(0);
        bytes.extend(self.kernel.as_bytes());
        if let Some(relaxed) = self.relaxed {
            bytes.extend(b"\0relaxed:");
            bytes.extend(relaxed.join("\n").as_bytes());
        }
        if !self.left_out.is_empty() {
            bytes.extend(b"\0left out:");
            bytes.extend(self.left_out.join("\n").as_bytes());
        }
        if !self.without.is_empty() || !self.instead.is_empty() {
            bytes.extend(b"\0without:");
            bytes.extend(self.without.join("\n").as_bytes());
            bytes.extend(b"\0instead:");
            bytes.extend(self.instead.join("\n").as_bytes());
        }
        if let Some(wish) = &self.python_wish {
            bytes.extend(b"\0python:");
            bytes.extend(wish.as_bytes());
        }
        Some(bytes)
    }

    /// The stamp's hash with `python`, or `None` when the inputs cannot be known.
    pub fn hash(&self, python: &Fingerprint) -> Option<String> {
        Some(self.hash_of(&self.requirements()?, python))
    }

    /// The hash to write after an install: unknowable inputs get one that never matches.
    pub fn hash_after_install(&self, python: &Fingerprint) -> String {
        self.hash_of(&self.requirements().unwrap_or_default(), python)
    }

    fn hash_of(&self, requirements: &[u8], python: &Fingerprint) -> String {
        Inputs {
            requirements,
            lock: self.lock.as_deref(),
            python,
            backend: &self.place,
            installer: self.installer,
            index_url: self.index_url,
            native_tls: self.native_tls,
        }
        .hash()
    }
}

/// The environment's interpreter as a file identity. A Linux venv seen from Windows (WSL) has
/// a link this side cannot follow: its `pyvenv.cfg`, rewritten whenever the venv is made,
/// stands in.
pub fn python_fingerprint(venv: &Path, layout: Layout) -> Option<Fingerprint> {
    if layout.is_foreign() {
        Fingerprint::of(&venv.join("pyvenv.cfg"))
    } else {
        Fingerprint::of(&layout.python(venv))
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

    const PINNED_HASH: &str = "decae9ca1a7587b325fb25cb1081226837e80c9184cde8ed3c4a5ff2619a0d53";

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
        // Pinned: a change of the hash's layout makes every user's environment reinstall once,
        // so it must be deliberate (update this value with a note in the changelog).
        assert_eq!(h, PINNED_HASH, "the stamp's hash changed");
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
    fn the_recipe_counts_what_darwinix_adds_and_leaves_out() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("requirements.txt"), "six==1.0\n").unwrap();
        let fp = Fingerprint {
            target: "/usr/bin/python3".into(),
            mtime_ns: 1,
            size: 2,
        };
        let pins = vec!["six==1.0".to_string()];
        let recipe =
            |kernel: &str, relaxed: Option<&[String]>, left_out: &[String], without: &[String]| {
                Recipe {
                    source: &Source::requirements_txt(dir.path()),
                    dir: dir.path(),
                    kernel: kernel.into(),
                    relaxed,
                    left_out,
                    without,
                    instead: &[],
                    lock: None,
                    place: b"local".to_vec(),
                    installer: Installer::Uv,
                    index_url: None,
                    native_tls: false,
                    python_wish: None,
                }
                .hash(&fp)
                .unwrap()
            };
        let plain = recipe("ipykernel", None, &[], &[]);
        assert_eq!(plain, recipe("ipykernel", None, &[], &[]));
        for other in [
            recipe("own", None, &[], &[]),
            recipe("ipykernel", Some(&pins), &[], &[]),
            recipe("ipykernel", None, &pins, &[]),
            recipe("ipykernel", None, &[], &pins),
        ] {
            assert_ne!(other, plain);
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
            backend: Place::Nix,
            kernel_layer: Some("/d/runtimes/ipykernel-x-py3.11".into()),
            python_wish: None,
        };
        save(dir.path(), &s).unwrap();
        assert_eq!(load(dir.path()), Some(s));
        // A stamp written before backends existed was made by `auto`.
        std::fs::write(
            path(dir.path()),
            r#"{"hash":"h","installer":"uv","packages":1}"#,
        )
        .unwrap();
        assert_eq!(load(dir.path()).unwrap().backend, Place::Unrecorded);
    }
}
