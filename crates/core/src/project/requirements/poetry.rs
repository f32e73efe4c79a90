//! Poetry's `[tool.poetry.dependencies]` and groups, as PEP 508 requirement lines: Poetry writes
//! its own constraints (`^1.2`, `~1.2`, `*`, a bare `1.2.3`), which the installer does not read.

use serde::Deserialize;

use super::table_spec::TableSpec;

/// `[tool.poetry]`: only the tables that say what to install.
#[derive(Deserialize, Default)]
pub struct Table {
    #[serde(default)]
    dependencies: toml::Table,
    /// Poetry before 1.2.
    #[serde(rename = "dev-dependencies", default)]
    dev_dependencies: toml::Table,
    #[serde(default)]
    group: toml::Table,
}

/// What a Poetry project declares.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Declared {
    pub declares: bool,
    pub requirements: Vec<String>,
    /// Dependencies that are not index packages: `name (a path: ../x)`.
    pub skipped: Vec<String>,
    /// The `python` dependency, as PEP 440.
    pub python: Option<String>,
}

impl Table {
    /// The main dependencies and those of the groups named in `groups` (`dev` included).
    /// Optional dependencies (extras) are left out, as `poetry install` does.
    pub fn requirements(&self, groups: &[&str]) -> Declared {
        let mut out = Declared {
            declares: !self.dependencies.is_empty()
                || !self.dev_dependencies.is_empty()
                || !self.group.is_empty(),
            ..Declared::default()
        };
        let mut tables = vec![&self.dependencies, &self.dev_dependencies];
        for name in groups {
            if let Some(toml::Value::Table(deps)) = self
                .group
                .get(*name)
                .and_then(|g| g.as_table())
                .and_then(|g| g.get("dependencies"))
            {
                tables.push(deps);
            }
        }
        for table in tables {
            for (name, value) in table {
                add(name, value, &mut out);
            }
        }
        out
    }
}

fn add(name: &str, value: &toml::Value, out: &mut Declared) {
    if name.eq_ignore_ascii_case("python") {
        out.python = value.as_str().map(constraint);
        return;
    }
    let entry = match value {
        toml::Value::String(version) => Entry {
            spec: TableSpec {
                version: Some(version.clone()),
                ..TableSpec::default()
            },
            ..Entry::default()
        },
        toml::Value::Table(t) => match t.clone().try_into::<Entry>() {
            Ok(entry) => entry,
            Err(_) => return,
        },
        // Several entries for several Pythons: the first one, as Poetry's own lock would for
        // the usual case of one Python.
        toml::Value::Array(items) => match items.first().cloned().map(|i| i.try_into::<Entry>()) {
            Some(Ok(entry)) => entry,
            _ => return,
        },
        _ => return,
    };
    if entry.optional {
        return;
    }
    if let Some(place) = entry.not_on_index() {
        out.skipped.push(format!("{name} ({place})"));
        return;
    }
    let version = entry.spec.version.as_deref().map(constraint);
    out.requirements
        .push(entry.spec.line(name, &version.unwrap_or_default()));
}

#[derive(Deserialize, Default)]
struct Entry {
    #[serde(flatten)]
    spec: TableSpec,
    #[serde(default)]
    optional: bool,
    git: Option<String>,
    path: Option<String>,
    url: Option<String>,
}

impl Entry {
    fn not_on_index(&self) -> Option<String> {
        if let Some(git) = &self.git {
            return Some(format!("from git: {git}"));
        }
        if let Some(path) = &self.path {
            return Some(format!("a path: {path}"));
        }
        self.url.as_ref().map(|url| format!("a download: {url}"))
    }
}

/// A Poetry constraint as PEP 440 (`^1.2` → `>=1.2,<2.0`); empty for "any version". Poetry's
/// `||` (either range) has no PEP 440 form: the constraint is dropped rather than guessed.
pub fn constraint(poetry: &str) -> String {
    let c = poetry.trim();
    if c.is_empty() || c == "*" || c.contains("||") {
        return String::new();
    }
    if c.contains(',') {
        return c.split(',').map(constraint).collect::<Vec<_>>().join(",");
    }
    if let Some(v) = c.strip_prefix('^') {
        return caret(v.trim());
    }
    if let Some(v) = c.strip_prefix('~').filter(|v| !v.starts_with('=')) {
        return tilde(v.trim());
    }
    if c.starts_with(|ch: char| ch.is_ascii_digit()) {
        return format!("=={c}");
    }
    c.replace(' ', "")
}

fn parts(v: &str) -> Vec<u64> {
    v.split('.').map_while(|p| p.parse().ok()).collect()
}

/// `^1.2.3` → `<2.0`; `^0.2.3` → `<0.3`; `^0.0.3` → `<0.0.4`: the first non-zero part is fixed.
fn caret(v: &str) -> String {
    let p = parts(v);
    let upper = match p.iter().position(|&n| n != 0) {
        Some(0) | None => format!("{}.0", p.first().copied().unwrap_or(0) + 1),
        Some(1) => format!("0.{}", p[1] + 1),
        Some(i) => {
            let mut fixed: Vec<String> = p[..i].iter().map(u64::to_string).collect();
            fixed.push((p[i] + 1).to_string());
            fixed.join(".")
        }
    };
    format!(">={v},<{upper}")
}

/// `~1.2.3` and `~1.2` → `<1.3`; `~1` → `<2`.
fn tilde(v: &str) -> String {
    let p = parts(v);
    let upper = match p.as_slice() {
        [] => return String::new(),
        [major] => (major + 1).to_string(),
        [major, minor, ..] => format!("{major}.{}", minor + 1),
    };
    format!(">={v},<{upper}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poetry_constraints_become_pep_440() {
        let cases = [
            ("^1.2.3", ">=1.2.3,<2.0"),
            ("^0.2.3", ">=0.2.3,<0.3"),
            ("^0.0.3", ">=0.0.3,<0.0.4"),
            ("~1.2.3", ">=1.2.3,<1.3"),
            ("~1", ">=1,<2"),
            ("*", ""),
            ("1.2.3", "==1.2.3"),
            ("1.2.*", "==1.2.*"),
            (">= 1.2, < 2", ">=1.2,<2"),
            ("~=1.4", "~=1.4"),
            ("^1.0 || ^2.0", ""),
        ];
        for (poetry, pep440) in cases {
            assert_eq!(constraint(poetry), pep440, "{poetry}");
        }
    }
}
