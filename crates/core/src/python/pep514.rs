//! Pythons registered in the Windows registry under PEP 514
//! (`HKCU`/`HKLM` `Software\Python\<Company>\<Tag>\InstallPath`). Reading the registry is Windows
//! code; turning its entries into executables is a pure function tested everywhere.

use std::path::PathBuf;

/// One `<Company>\<Tag>` key, with the values of its `InstallPath` subkey.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryInstall {
    pub company: String,
    pub tag: String,
    /// `InstallPath`'s default value: the folder.
    pub install_path: Option<String>,
    /// `InstallPath\ExecutablePath`, when the installer wrote it (3.5+ from python.org does).
    pub executable_path: Option<String>,
}

/// The interpreters these entries point at. `PyLauncher` registers the `py` launcher under the
/// same key but is not a Python (PEP 514 says to skip it).
pub fn executables(installs: &[RegistryInstall]) -> Vec<PathBuf> {
    installs
        .iter()
        .filter(|i| i.company != "PyLauncher")
        .filter_map(|i| {
            if let Some(exe) = i
                .executable_path
                .as_deref()
                .filter(|e| !e.trim().is_empty())
            {
                return Some(PathBuf::from(exe.trim()));
            }
            let dir = i
                .install_path
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty())?;
            let sep = if dir.ends_with('\\') || dir.ends_with('/') {
                ""
            } else {
                "\\"
            };
            Some(PathBuf::from(format!("{dir}{sep}python.exe")))
        })
        .collect()
}

/// Every PEP 514 entry, per user first (the user's own installs win over machine-wide ones).
#[cfg(windows)]
pub fn read() -> Vec<RegistryInstall> {
    use winreg::enums::{HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE};
    use winreg::RegKey;

    let roots = [
        (HKEY_CURRENT_USER, r"Software\Python"),
        (HKEY_LOCAL_MACHINE, r"Software\Python"),
        (HKEY_LOCAL_MACHINE, r"Software\WOW6432Node\Python"),
    ];
    let mut out = Vec::new();
    for (hive, path) in roots {
        let Ok(root) = RegKey::predef(hive).open_subkey(path) else {
            continue;
        };
        for company in root.enum_keys().flatten() {
            let Ok(company_key) = root.open_subkey(&company) else {
                continue;
            };
            for tag in company_key.enum_keys().flatten() {
                let Ok(install) = company_key.open_subkey(format!(r"{tag}\InstallPath")) else {
                    continue;
                };
                out.push(RegistryInstall {
                    company: company.clone(),
                    tag,
                    install_path: install.get_value::<String, _>("").ok(),
                    executable_path: install.get_value::<String, _>("ExecutablePath").ok(),
                });
            }
        }
    }
    out
}

// The registry exists only on Windows.
#[cfg(not(windows))]
pub fn read() -> Vec<RegistryInstall> {
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(company: &str, install: Option<&str>, exe: Option<&str>) -> RegistryInstall {
        RegistryInstall {
            company: company.into(),
            tag: "3.12".into(),
            install_path: install.map(Into::into),
            executable_path: exe.map(Into::into),
        }
    }

    #[test]
    fn executable_path_wins_then_install_path() {
        let found = executables(&[
            entry(
                "PythonCore",
                Some(r"C:\Python312\"),
                Some(r"C:\Python312\python.exe"),
            ),
            entry(
                "PythonCore",
                Some(r"C:\Users\José\AppData\Local\Programs\Python\Python311"),
                None,
            ),
            entry("ContinuumAnalytics", Some(r"D:\Anaconda3\"), Some("")),
            entry("PyLauncher", Some(r"C:\Windows\"), None),
            entry("Broken", None, None),
        ]);
        assert_eq!(
            found,
            [
                PathBuf::from(r"C:\Python312\python.exe"),
                PathBuf::from(r"C:\Users\José\AppData\Local\Programs\Python\Python311\python.exe"),
                PathBuf::from(r"D:\Anaconda3\python.exe"),
            ]
        );
    }
}
