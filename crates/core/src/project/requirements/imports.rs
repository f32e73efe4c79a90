//! A folder with notebooks and no list of packages: what its notebooks and `.py` files import
//! (`import x`, `from x import y`) and install (`%pip install …`) is the list.
//!
//! An import is installed only when a package is known by that name (see [`names::resolve`]):
//! the project's own modules are never installed, and a name nobody publishes is listed
//! instead, since installing whatever an import names invites look-alike packages.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::names::{self, Resolved};

/// Scanning stops after this many files: a home folder or a data set is not a project.
pub const MAX_FILES: usize = 2000;
/// Larger files are skipped (a notebook full of pictures still has its code in the first MBs,
/// but one this large is data).
const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;
/// Folders that hold installed or generated code, never the user's own imports.
const SKIPPED_DIRS: &[&str] = &[
    "node_modules",
    "__pycache__",
    "site-packages",
    "build",
    "dist",
];
/// How many files a note names before "and N more".
const NAMED_FILES: usize = 3;

/// What the scan found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Found {
    /// Distribution names, sorted, without duplicates.
    pub packages: Vec<String>,
    /// Imports not installed because no package of that name is known (the project's own
    /// modules are not among them), sorted.
    pub unknown: Vec<String>,
    /// Said to the user: unreadable notebooks, imports no package provides, a scan cut short.
    pub warnings: Vec<String>,
    #[ts(type = "number")]
    pub files: usize,
}

/// The notebooks, `.py` files and folders below the project.
#[derive(Default)]
struct Tree {
    files: Vec<PathBuf>,
    folders: Vec<PathBuf>,
    truncated: bool,
}

/// What the files say, before names are looked up.
#[derive(Default)]
struct Read {
    imports: BTreeSet<String>,
    installs: BTreeSet<String>,
    python2: Vec<PathBuf>,
    warnings: Vec<String>,
}

/// Scans `dir` (below it, not into hidden folders or environments).
pub fn scan(dir: &Path) -> Found {
    let tree = collect(dir);
    let local = Local::of(dir, &tree);
    let read = read_all(&tree.files);
    let mut warnings = read.warnings;
    let mut packages = read.installs;
    let mut hosted = BTreeSet::new();
    let mut unknown = BTreeSet::new();
    for module in &read.imports {
        let top = module.split('.').next().unwrap_or(module);
        if names::is_stdlib(top) || local.code.contains(top) {
            continue;
        }
        match names::resolve(module) {
            Resolved::Package(dist) => {
                packages.insert(dist);
            }
            Resolved::Hosted(name) => {
                hosted.insert(name);
            }
            // A folder of that name, even without code, is the project's own.
            Resolved::Unknown(_) if local.folders.contains(top) => {}
            Resolved::Unknown(name) => {
                unknown.insert(name);
            }
        }
    }
    warnings.extend(hosted.iter().map(|name| {
        format!("`import {name}` is left out: no package on the index provides it (it exists only in a hosted notebook service)")
    }));
    warnings.extend(not_installed(&unknown));
    warnings.extend(python2_note(dir, &read.python2));
    if tree.truncated {
        warnings.push(format!(
            "{} has more than {MAX_FILES} files: only the first {MAX_FILES} were read",
            dir.display()
        ));
    }
    Found {
        packages: packages.into_iter().collect(),
        unknown: unknown.into_iter().collect(),
        warnings,
        files: tree.files.len(),
    }
}

/// Whether `module` (a top-level name) is one of the folder's own modules, as [`scan`] counts
/// them: a `.py` file or a folder holding code anywhere below `dir`.
pub fn is_local_module(dir: &Path, module: &str) -> bool {
    Local::of(dir, &collect(dir)).code.contains(module)
}

/// The notebooks and `.py` files below `dir`, and its folders, breadth first.
fn collect(dir: &Path) -> Tree {
    let mut tree = Tree::default();
    let mut queue = std::collections::VecDeque::from([dir.to_path_buf()]);
    let mut seen = 0usize;
    while let Some(folder) = queue.pop_front() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            seen += 1;
            if seen > MAX_FILES * 5 || tree.files.len() >= MAX_FILES {
                tree.truncated = true;
                return tree;
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let path = entry.path();
            if kind.is_dir() {
                let environment = path.join("pyvenv.cfg").exists();
                if !name.starts_with('.') && !environment && !SKIPPED_DIRS.contains(&name.as_str())
                {
                    tree.folders.push(path.clone());
                    queue.push_back(path);
                }
            } else if kind.is_file() && (name.ends_with(".ipynb") || name.ends_with(".py")) {
                tree.files.push(path);
            }
        }
    }
    tree
}

/// Modules the folder itself provides, as pipreqs counts them: never installed.
struct Local {
    /// `.py` stems and the folders holding Python code, at any depth (`helpers.py`, a
    /// `utils/` package): these win even over a well-known name.
    code: BTreeSet<String>,
    /// Every folder's name, the project's own and each notebook's included. One without code
    /// only stands for a name no package is known by: a `pandas/` folder of lessons still
    /// means the library.
    folders: BTreeSet<String>,
}

impl Local {
    fn of(root: &Path, tree: &Tree) -> Self {
        let name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
        let mut code = BTreeSet::new();
        for file in tree
            .files
            .iter()
            .filter(|f| f.extension() == Some("py".as_ref()))
        {
            code.extend(file.file_stem().map(|s| s.to_string_lossy().into_owned()));
            // Every folder holding Python code can be imported from beside it.
            let parents = file.ancestors().skip(1).take_while(|p| *p != root);
            code.extend(parents.filter_map(name));
        }
        let folders = std::iter::once(root)
            .chain(tree.folders.iter().map(PathBuf::as_path))
            .filter_map(name)
            .collect();
        Local { code, folders }
    }
}

/// Reads every file; one that cannot be read is named and passed over.
fn read_all(files: &[PathBuf]) -> Read {
    let mut read = Read::default();
    for file in files {
        let code = match read_code(file) {
            Ok(code) => code,
            Err(why) => {
                read.warnings
                    .push(format!("Skipped {}: {why}", file.display()));
                continue;
            }
        };
        let mut python2 = code.python2;
        for line in code.text.lines() {
            python2 |= looks_like_python2(line);
            parse_line(line, &mut read.imports, &mut read.installs);
        }
        if python2 {
            read.python2.push(file.clone());
        }
    }
    read
}

/// The warning for imports that are not installed.
fn not_installed(unknown: &BTreeSet<String>) -> Option<String> {
    let names: Vec<String> = unknown.iter().map(|n| format!("`{n}`")).collect();
    match names.as_slice() {
        [] => None,
        [one] => Some(format!(
            "not installed: {one} — no package of that name is known; add it in Packages if you need it"
        )),
        many => Some(format!(
            "not installed: {} — no packages of these names are known; add them in Packages if you need them",
            many.join(", ")
        )),
    }
}

/// A note (not an error) for files written for Python 2: their imports were read all the same.
fn python2_note(root: &Path, files: &[PathBuf]) -> Option<String> {
    if files.is_empty() {
        return None;
    }
    let shown: Vec<String> = files
        .iter()
        .take(NAMED_FILES)
        .map(|f| f.strip_prefix(root).unwrap_or(f).display().to_string())
        .collect();
    let more = match files.len().saturating_sub(NAMED_FILES) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    Some(format!(
        "{}{more} look written for Python 2 (`print` without brackets, or a Python 2 kernel): their imports were read, but their code needs changes to run on Python 3",
        shown.join(", ")
    ))
}

/// A file's code, and whether its notebook says it was written for Python 2.
struct Code {
    text: String,
    python2: bool,
}

/// A notebook's code cells, or a `.py` file's text.
fn read_code(file: &Path) -> Result<Code, String> {
    let size = std::fs::metadata(file).map_err(|e| e.to_string())?.len();
    if size > MAX_FILE_BYTES {
        return Err(format!("larger than {} MB", MAX_FILE_BYTES >> 20));
    }
    let bytes = std::fs::read(file).map_err(|e| e.to_string())?;
    if file.extension().is_some_and(|e| e == "py") {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        return Ok(Code {
            text,
            python2: false,
        });
    }
    let notebook: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| format!("it is not a readable notebook ({e})"))?;
    let cells = notebook["cells"]
        .as_array()
        .ok_or("it is not a readable notebook (it has no cells)")?;
    let mut text = String::new();
    for cell in cells.iter().filter(|c| c["cell_type"] == "code") {
        match &cell["source"] {
            serde_json::Value::String(s) => text.push_str(s),
            serde_json::Value::Array(parts) => parts
                .iter()
                .filter_map(|p| p.as_str())
                .for_each(|p| text.push_str(p)),
            _ => {}
        }
        text.push('\n');
    }
    let meta = &notebook["metadata"];
    let python2 = meta["kernelspec"]["name"] == "python2"
        || meta["language_info"]["version"]
            .as_str()
            .is_some_and(|v| v.starts_with("2."));
    Ok(Code { text, python2 })
}

/// `print "x"`, `print >>f, x`, `print x`: a statement Python 3 cannot run. Prose such as a
/// docstring's "print the table" has more words, and is not counted.
fn looks_like_python2(line: &str) -> bool {
    let Some(rest) = line.trim_start().strip_prefix("print ") else {
        return false;
    };
    let rest = rest.trim();
    rest.starts_with(['"', '\'']) || rest.starts_with(">>") || {
        rest.starts_with(|c: char| c.is_alphanumeric() || c == '_')
            && !rest.contains(char::is_whitespace)
    }
}

/// One line of code: the modules it imports, the packages it installs.
fn parse_line(line: &str, imports: &mut BTreeSet<String>, installs: &mut BTreeSet<String>) {
    let line = line.split('#').next().unwrap_or("").trim();
    if let Some(rest) = [
        "%pip install ",
        "!pip install ",
        "%pip3 install ",
        "!pip3 install ",
    ]
    .iter()
    .find_map(|p| line.strip_prefix(p))
    {
        installs.extend(
            rest.split_whitespace()
                .filter(|w| !w.starts_with('-') && !w.contains('/') && !w.starts_with('$'))
                .map(|w| w.trim_matches(|c| c == '"' || c == '\'').to_string())
                .filter(|w| !w.is_empty()),
        );
    } else if let Some(rest) = line.strip_prefix("import ") {
        for part in rest.split(',') {
            let name = part.split_whitespace().next().unwrap_or("");
            if is_module_name(name) {
                imports.insert(name.to_string());
            }
        }
    } else if let Some(rest) = line.strip_prefix("from ") {
        parse_from(rest, imports);
    }
}

/// `from module import a, b as c`: `module.a`, `module.b` — the names may be subpackages that
/// decide the distribution (`from google.cloud import storage`) — or `module` alone.
fn parse_from(rest: &str, imports: &mut BTreeSet<String>) {
    let Some((module, names)) = rest.split_once(" import ") else {
        return;
    };
    let module = module.trim();
    // `from . import x`, `from .utils import y`: the folder's own code.
    if !is_module_name(module) {
        return;
    }
    let mut named = 0;
    for part in names.split(',') {
        let name = part.trim_matches(|c: char| c == '(' || c == ')' || c.is_whitespace());
        let name = name.split_whitespace().next().unwrap_or("");
        if is_module_name(name) && !name.contains('.') {
            imports.insert(format!("{module}.{name}"));
            named += 1;
        }
    }
    if named == 0 {
        imports.insert(module.to_string());
    }
}

fn is_module_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name.split('.').all(|part| {
            part.chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '_')
                && part.chars().all(|c| c.is_alphanumeric() || c == '_')
        })
}

#[cfg(test)]
#[path = "imports_tests.rs"]
mod tests;
