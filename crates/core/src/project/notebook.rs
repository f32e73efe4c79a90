//! A notebook as a place to start: `darwinix start analysis.ipynb`, a double-click in the file
//! manager. Its project is the nearest folder at or above it that is a project, else its own.
//! Also the project's notebooks, most recently changed first, for Home.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::Serialize;

use crate::error::{Error, Result};

/// What a path given to `start`/`open` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The project folder (absolute, canonical).
    pub dir: PathBuf,
    /// The notebook, relative to `dir`, `/`-separated; `None` for a folder.
    pub notebook: Option<String>,
}

/// Whether `name` is a notebook file.
pub fn is_notebook(name: &Path) -> bool {
    name.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ipynb"))
}

/// The files that say what a folder needs, as Binder reads them (a `binder/` folder holds them).
const SETUP_FILES: [&str; 9] = [
    super::REQUIREMENTS,
    "pyproject.toml",
    "environment.yml",
    "environment.yaml",
    "Pipfile",
    "Pipfile.lock",
    "setup.py",
    "binder",
    ".binder",
];

/// A folder is a project when it says what it needs, or Darwinix made its environment.
pub fn is_project(dir: &Path) -> bool {
    SETUP_FILES.iter().any(|f| dir.join(f).exists())
        || super::stamp::path(&dir.join(super::VENV)).is_file()
}

/// The project `dir` is in: the nearest folder at or above it that is a project, searched as
/// for a notebook (the user's own folders, below their home); `None` when there is none.
pub fn nearest_project(dir: &Path) -> Option<PathBuf> {
    let home = crate::paths::home_dir().and_then(|h| dunce::canonicalize(h).ok())?;
    let found = project_of(dir, Some(&home));
    (found != dir || is_project(dir)).then_some(found)
}

/// A folder, or a notebook file and its project. Errors name the path.
pub fn resolve(path: &Path) -> Result<Target> {
    let canonical = match dunce::canonicalize(path) {
        Ok(p) => p,
        Err(_) if is_notebook(path) => {
            let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
            return Err(super::dangling_link(&path).unwrap_or(Error::NotebookMissing { path }));
        }
        // Project::open words what is wrong with a folder.
        Err(_) => {
            return super::Project::open(path).map(|p| Target {
                dir: p.dir,
                notebook: None,
            })
        }
    };
    if canonical.is_dir() {
        return Ok(Target {
            dir: canonical,
            notebook: None,
        });
    }
    if !is_notebook(&canonical) {
        return Err(Error::NotAFolder { path: canonical });
    }
    let folder = canonical.parent().unwrap_or(Path::new("/"));
    let home = crate::paths::home_dir().and_then(|h| dunce::canonicalize(h).ok());
    let dir = project_of(folder, home.as_deref());
    let relative = canonical
        .strip_prefix(&dir)
        .expect("an ancestor of the file")
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    Ok(Target {
        dir,
        notebook: Some(relative),
    })
}

/// The project of a notebook in `folder`: the nearest folder at or above it that is a project,
/// else `folder` itself. Only the user's own folders are searched — the project's files are
/// installed and run without a question — so the search stops below the home folder (a
/// `requirements.txt` in `~` or `/` belongs to no notebook), at the filesystem's root, and at
/// a folder that is not the user's or that anyone may write to (`/tmp`).
fn project_of(folder: &Path, home: Option<&Path>) -> PathBuf {
    let Some(home) = home else {
        return folder.to_path_buf();
    };
    folder
        .ancestors()
        .take_while(|d| {
            *d == folder || (d.parent().is_some() && !home.starts_with(d) && is_users(d, home))
        })
        .find(|d| is_project(d))
        .unwrap_or(folder)
        .to_path_buf()
}

/// Whether `dir` belongs to the owner of `home` and only they may write to it.
#[cfg(unix)]
fn is_users(dir: &Path, home: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(dir), std::fs::metadata(home)) {
        (Ok(d), Ok(h)) => d.uid() == h.uid() && d.mode() & 0o002 == 0,
        _ => false,
    }
}

// Windows: a folder's owner is an ACL question; the drive's root and the folders above the
// user's profile are already left out by `project_of`.
#[cfg(not(unix))]
fn is_users(_dir: &Path, _home: &Path) -> bool {
    true
}

/// A notebook of the project, as Home lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct NotebookView {
    /// Relative to the project, `/`-separated.
    pub path: String,
    /// The file's name without `.ipynb`.
    pub name: String,
    /// Seconds since the epoch.
    #[ts(type = "number")]
    pub modified: u64,
}

/// Folders never searched for notebooks: environments, caches, version control, and anything
/// hidden (JupyterLab's own checkpoints among them).
fn skipped(name: &str) -> bool {
    name.starts_with('.')
        || matches!(
            name,
            "node_modules" | "__pycache__" | "venv" | "env" | "site-packages" | "build" | "dist"
        )
}

/// The project's notebooks, most recently changed first. The search stops at `MAX_DEPTH`
/// folders down and after `MAX_SEEN` entries, so a huge folder cannot stall Home.
pub fn list(dir: &Path) -> Vec<NotebookView> {
    const MAX_DEPTH: usize = 4;
    const MAX_SEEN: usize = 20_000;
    let mut found = Vec::new();
    let mut seen = 0;
    let mut stack = vec![(dir.to_path_buf(), 0)];
    while let Some((folder, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            seen += 1;
            if seen > MAX_SEEN {
                break;
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let path = entry.path();
            if kind.is_dir() {
                if depth < MAX_DEPTH && !skipped(&name) {
                    stack.push((path, depth + 1));
                }
            } else if is_notebook(&path) && !name.starts_with('.') {
                found.push(view(dir, &path, &name, &entry));
            }
        }
    }
    found.sort_by(|a, b| b.modified.cmp(&a.modified).then(a.path.cmp(&b.path)));
    found
}

fn view(dir: &Path, path: &Path, name: &str, entry: &std::fs::DirEntry) -> NotebookView {
    let modified = entry
        .metadata()
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs());
    let relative = path
        .strip_prefix(dir)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    NotebookView {
        path: relative,
        name: name[..name.len() - ".ipynb".len()].to_string(),
        modified,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(path: &Path, age_secs: u64) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "{}").unwrap();
        let when = SystemTime::now() - std::time::Duration::from_secs(age_secs);
        std::fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(when)
            .unwrap();
    }

    #[test]
    fn a_notebook_belongs_to_the_nearest_project_above_it() {
        let root = tempfile::tempdir().unwrap();
        let root = dunce::canonicalize(root.path()).unwrap();
        let project = root.join("course");
        std::fs::create_dir_all(&project).unwrap();
        std::fs::write(project.join("requirements.txt"), "numpy\n").unwrap();
        let nb = project
            .join("week 1")
            .join("my notes ü")
            .join("analysis.ipynb");
        touch(&nb, 0);
        let target = resolve(&nb).unwrap();
        assert_eq!(target.dir, project);
        assert_eq!(
            target.notebook.as_deref(),
            Some("week 1/my notes ü/analysis.ipynb")
        );
        // pyproject.toml marks a project too; without any marker, the notebook's own folder.
        let other = root.join("paper").join("figs");
        touch(&other.join("plot.IPYNB"), 0);
        std::fs::write(root.join("paper").join("pyproject.toml"), "[project]\n").unwrap();
        assert_eq!(
            resolve(&other.join("plot.IPYNB")).unwrap().dir,
            root.join("paper")
        );
        let loose = root.join("loose");
        touch(&loose.join("x.ipynb"), 0);
        let t = resolve(&loose.join("x.ipynb")).unwrap();
        assert_eq!((t.dir, t.notebook.as_deref()), (loose, Some("x.ipynb")));
    }

    #[test]
    fn folders_and_bad_paths() {
        let root = tempfile::tempdir().unwrap();
        let dir = dunce::canonicalize(root.path()).unwrap();
        assert_eq!(
            resolve(&dir).unwrap(),
            Target {
                dir: dir.clone(),
                notebook: None
            }
        );
        std::fs::write(dir.join("notes.txt"), "").unwrap();
        assert!(matches!(
            resolve(&dir.join("notes.txt")),
            Err(Error::NotAFolder { .. })
        ));
        assert!(matches!(
            resolve(&dir.join("gone.ipynb")),
            Err(Error::NotebookMissing { .. })
        ));
        assert!(matches!(
            resolve(&dir.join("gone")),
            Err(Error::ProjectMissing { .. })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn the_search_stays_in_the_users_own_folders() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        let root = dunce::canonicalize(root.path()).unwrap();
        let home = root.join("home");
        let nb_dir = home.join("Downloads").join("x");
        std::fs::create_dir_all(&nb_dir).unwrap();
        // A requirements.txt in the home folder, or above it, is nobody's project.
        std::fs::write(home.join("requirements.txt"), "evil\n").unwrap();
        std::fs::write(root.join("requirements.txt"), "evil\n").unwrap();
        assert_eq!(project_of(&nb_dir, Some(&home)), nb_dir);
        // …but a notebook right in the home folder is in its own folder.
        assert_eq!(project_of(&home, Some(&home)), home);
        // A folder anyone may write to is not climbed into.
        let shared = root.join("shared");
        let sub = shared.join("sub");
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(shared.join("requirements.txt"), "evil\n").unwrap();
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o777)).unwrap();
        assert_eq!(project_of(&sub, Some(&home)), sub);
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(
            project_of(&sub, Some(&home)),
            shared,
            "the user's own folder is"
        );
        // Without a home folder, only the notebook's own.
        assert_eq!(project_of(&sub, None), sub);
    }

    #[test]
    fn notebooks_newest_first_without_environments_and_checkpoints() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path();
        touch(&dir.join("old.ipynb"), 3600);
        touch(&dir.join("sub/new.ipynb"), 10);
        touch(&dir.join(".venv/share/x.ipynb"), 0);
        touch(&dir.join(".ipynb_checkpoints/old-checkpoint.ipynb"), 0);
        touch(&dir.join("node_modules/y.ipynb"), 0);
        touch(&dir.join("data.csv"), 0);
        let names: Vec<_> = list(dir).into_iter().map(|n| (n.path, n.name)).collect();
        assert_eq!(
            names,
            [
                ("sub/new.ipynb".to_string(), "new".to_string()),
                ("old.ipynb".to_string(), "old".to_string())
            ]
        );
    }
}
