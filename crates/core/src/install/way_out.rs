//! The words of a failed install and its ways out: what could not be built and why, the hint
//! in the window's words, and the choices Darwinix applies itself (Use Python 3.10 for this
//! project, Use box2d-py 2.3.10, Start without box2d-py, Start with current versions) — the
//! window's buttons and `darwinix start`'s flags, remembered for the project.

use super::hint::unreachable;
use super::{pins, tls};
use crate::error::{Error, Unbuildable};
use crate::project::config::ProjectConfig;
use crate::project::requirements::pep508::name_of;

/// One way out of a failed install that Darwinix applies itself, remembered for the project
/// (its files stay unchanged); the window offers each as a button, the command line as an option.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum WayOut {
    /// Use this version (ready-made here) instead of the one the project asks for.
    UseVersion { package: String, version: String },
    /// Make the project's environment with this Python (`3.10`).
    UsePython { version: String },
    /// Install everything else.
    StartWithout { package: String },
    /// Leave out the version pins that no longer install.
    StartWithCurrentVersions,
}

/// The ways out of `error`, the likeliest first: for a package needed by another, the Python
/// its version is made for comes before a newer version of it (which the other may not work
/// with).
pub fn ways_out(error: &Error) -> Vec<WayOut> {
    match error {
        Error::OldPins { needs_python, .. } => needs_python
            .iter()
            .map(|version| WayOut::UsePython {
                version: version.clone(),
            })
            .chain([WayOut::StartWithCurrentVersions])
            .collect(),
        Error::CannotBuild(b) => {
            let version = b.ready_made.iter().map(|version| WayOut::UseVersion {
                package: b.package.clone(),
                version: version.clone(),
            });
            let python = b.needs_python.iter().map(|version| WayOut::UsePython {
                version: version.clone(),
            });
            let mut ways: Vec<WayOut> = match b.needed_by {
                Some(_) => python.chain(version).collect(),
                None => version.chain(python).collect(),
            };
            ways.push(WayOut::StartWithout {
                package: b.needed_by.as_ref().unwrap_or(&b.package).clone(),
            });
            ways
        }
        Error::NothingRelaxed { source } => ways_out(source),
        _ => Vec::new(),
    }
}

/// Takes `way` for the project: remembered in its settings (never in its files), so every
/// later start installs that way until the user changes it.
pub fn take(way: &WayOut, config: &mut ProjectConfig) {
    match way {
        WayOut::UseVersion { package, version } => {
            let package = name_of(package).unwrap_or_else(|| package.clone());
            config
                .instead
                .retain(|r| name_of(r).as_ref() != Some(&package));
            config.instead.push(format!("{package}=={version}"));
            config.without.retain(|n| *n != package);
        }
        WayOut::UsePython { version } => config.python = Some(version.clone()),
        WayOut::StartWithout { package } => {
            let package = name_of(package).unwrap_or_else(|| package.clone());
            if !config.without.contains(&package) {
                config.without.push(package);
            }
        }
        WayOut::StartWithCurrentVersions => {
            config.ignore_pins = true;
            config.relaxed_pins.clear();
        }
    }
}

/// What to press when an install failed, in the window's words — one family of
/// [`crate::hints::hint`]; `None` for the other errors, and for a start with current versions
/// that changed nothing (its cause has the hint).
pub fn hint(error: &Error) -> Option<String> {
    const KEPT: &str = "your previous environment, if there was one, was kept";
    Some(match error {
        Error::Install { detail, .. } if tls::is_untrusted_certificate(detail) => "the network re-signs secure connections, and this computer's certificates do not trust it either: ask whoever runs the network to add its certificate to this computer, then press Start Notebook again".into(),
        Error::Install { network: true, index, .. } => unreachable(index),
        Error::Install {
            file: Some(file),
            detail,
            ..
        } if pins::about_names_or_versions(detail) => format!(
            "check the package names and versions in `{}`; {KEPT}",
            file.display()
        ),
        Error::Install { .. } => format!("Show details has the installer's whole output; {KEPT}"),
        Error::OldPins {
            file,
            needs_python,
            ..
        } => {
            let current = format!("Start with current versions: Darwinix installs the same packages at versions that work today, without changing `{}`", file.display());
            match needs_python {
                Some(p) => format!("press Use Python {p} for this project, the Python these versions were made for; or {current}"),
                None => format!("press {current}"),
            }
        }
        Error::CannotBuild(b) => cannot_build_hint(error, b),
        _ => return None,
    })
}

/// The buttons for a package that cannot be built, the likeliest first; then the tool.
fn cannot_build_hint(error: &Error, b: &Unbuildable) -> String {
    let buttons: Vec<String> = ways_out(error)
        .iter()
        .map(|way| match way {
            WayOut::UseVersion { package, version } => {
                format!("Use {package} {version} (ready-made for this computer)")
            }
            WayOut::UsePython { version } => {
                format!("Use Python {version} for this project (the package is ready-made for it)")
            }
            WayOut::StartWithout { package } => {
                format!("Start without {package} (the other packages are installed)")
            }
            WayOut::StartWithCurrentVersions => "Start with current versions".into(),
        })
        .collect();
    let mut hint = format!(
        "press {}; the project's files stay unchanged",
        buttons.join(", or ")
    );
    if let Some(tool) = &b.missing {
        hint.push_str(&format!(
            "; or install {tool} (from your software center, or ask whoever manages this computer), then press Start Notebook again"
        ));
    }
    hint
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Missing;
    use crate::hints::hint;
    use std::path::PathBuf;

    fn install(detail: &str) -> Error {
        Error::Install {
            dir: PathBuf::from("/p"),
            installer: "uv".into(),
            detail: detail.into(),
            network: false,
            index: "https://pypi.org/simple".into(),
            file: Some(PathBuf::from("/p/binder/requirements.txt").into()),
        }
    }

    pub(crate) fn unbuildable(package: &str, missing: Option<Missing>) -> Unbuildable {
        Unbuildable {
            dir: PathBuf::from("/p"),
            package: package.into(),
            version: Some("2.3.8".into()),
            needed_by: None,
            missing,
            ready_made: None,
            needs_python: None,
            detail: "error: command 'swig' failed: No such file or directory".into(),
        }
    }

    #[test]
    fn a_missing_tool_is_named_with_the_way_round_it_and_the_tool() {
        let error = Error::CannotBuild(Box::new(unbuildable("box2d-py", Some(Missing::Swig))));
        let message = error.to_string();
        assert!(
            message.starts_with(
                "box2d-py could not be built: it needs SWIG, which this computer does not have"
            ),
            "{message}"
        );
        let said = hint(&error).unwrap();
        assert!(said.starts_with("press Start without box2d-py"), "{said}");
        assert!(said.contains("install SWIG"), "{said}");
    }

    #[test]
    fn the_generic_hint_names_the_file_used_and_only_for_names_and_versions() {
        let names = install("  cause: Because numpy==9.9 was not found in the package registry and you require numpy==9.9, we can conclude that your requirements are unsatisfiable.");
        let said = hint(&names).unwrap();
        assert!(said.contains("`/p/binder/requirements.txt`"), "{said}");
        let other = install("error: Failed to install: six-1.16.0-py2.py3-none-any.whl\n  Caused by: Permission denied (os error 13)");
        let said = hint(&other).unwrap();
        assert!(!said.contains("requirements.txt"), "{said}");
        assert!(said.contains("Show details"), "{said}");
    }

    #[test]
    fn a_dependency_that_needs_an_older_python_names_who_needs_it() {
        let pymc3 = Error::CannotBuild(Box::new(Unbuildable {
            package: "scipy".into(),
            version: Some("1.7.3".into()),
            needed_by: Some("pymc3".into()),
            ready_made: Some("1.17.1".into()),
            needs_python: Some("3.10".into()),
            detail: "RuntimeError: Running cythonize failed!".into(),
            ..unbuildable("scipy", None)
        }));
        let message = pymc3.to_string();
        assert!(message.starts_with("pymc3 does not install on this Python: it needs scipy 1.7.3, which has no ready-made version for this Python"), "{message}");
        let said = hint(&pymc3).unwrap();
        assert!(
            said.starts_with("press Use Python 3.10 for this project"),
            "{said}"
        );
        assert!(said.contains(", or Use scipy 1.17.1"), "{said}");
        assert!(said.contains("Start without pymc3"), "{said}");
        assert_eq!(
            ways_out(&pymc3),
            [
                WayOut::UsePython {
                    version: "3.10".into()
                },
                WayOut::UseVersion {
                    package: "scipy".into(),
                    version: "1.17.1".into()
                },
                WayOut::StartWithout {
                    package: "pymc3".into()
                },
            ]
        );
        let nothing = Error::NothingRelaxed {
            source: Box::new(pymc3),
        };
        assert!(nothing
            .to_string()
            .starts_with("Start with current versions changed nothing: pymc3 does not install"));
        assert!(hint(&nothing).unwrap().contains("Start without pymc3"));
    }

    #[test]
    fn each_way_out_is_remembered_for_the_project() {
        let mut config = ProjectConfig::default();
        let without = WayOut::StartWithout {
            package: "Box2D_py".into(),
        };
        take(&without, &mut config);
        take(&without, &mut config);
        assert_eq!(config.without, ["box2d-py"]);
        take(
            &WayOut::UseVersion {
                package: "box2d-py".into(),
                version: "2.3.10".into(),
            },
            &mut config,
        );
        assert_eq!(config.instead, ["box2d-py==2.3.10"]);
        assert!(config.without.is_empty(), "the version is used instead");
        take(
            &WayOut::UsePython {
                version: "3.10".into(),
            },
            &mut config,
        );
        assert_eq!(config.python.as_deref(), Some("3.10"));
        config.relaxed_pins = vec!["x==1".into()];
        take(&WayOut::StartWithCurrentVersions, &mut config);
        assert!(config.ignore_pins && config.relaxed_pins.is_empty());
        // What crosses to the window.
        assert_eq!(
            serde_json::to_value(&without).unwrap(),
            serde_json::json!({"kind": "startWithout", "package": "Box2D_py"})
        );
    }
}
