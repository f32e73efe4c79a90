//! The shipped data files (`crates/core/data/`), parsed once on first use: pipreqs' table of
//! import names, Darwinix's own entries over it, and the list of well-known distributions.

use std::collections::HashMap;
use std::sync::LazyLock;

const PIPREQS: &str = include_str!("../../../../data/import-names.txt");
const OURS: &str = include_str!("../../../../data/import-names-darwinix.txt");
const TOP: &str = include_str!("../../../../data/top-pypi.txt");

/// What Darwinix's own table says about an import name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Entry {
    Distribution(&'static str),
    /// Only a hosted notebook service has it.
    Hosted,
    /// Too generic to trust: treated as a name no package is known by.
    Unknown,
    /// A prefix several distributions share (`google.cloud.storage`).
    Namespace,
}

/// pipreqs' table: an import name → every distribution listed for it, in file order.
static MAPPED: LazyLock<HashMap<&'static str, Vec<&'static str>>> = LazyLock::new(|| {
    let mut table: HashMap<_, Vec<_>> = HashMap::new();
    for (import, dist) in pairs(PIPREQS) {
        table.entry(import).or_default().push(dist);
    }
    table
});

static OVERRIDES: LazyLock<HashMap<&'static str, Entry>> = LazyLock::new(|| {
    pairs(OURS)
        .map(|(import, what)| {
            let entry = match what {
                "@hosted" => Entry::Hosted,
                "@unknown" => Entry::Unknown,
                "@namespace" => Entry::Namespace,
                dist => Entry::Distribution(dist),
            };
            (import, entry)
        })
        .collect()
});

/// The well-known distributions and their place in the list (0: the most downloaded).
static TOP_LIST: LazyLock<HashMap<&'static str, usize>> =
    LazyLock::new(|| lines(TOP).enumerate().map(|(i, n)| (n, i)).collect());

/// The distributions pipreqs lists for `import` (several for a namespace).
pub(super) fn mapped(import: &str) -> Option<&'static [&'static str]> {
    MAPPED.get(import).map(Vec::as_slice)
}

/// Darwinix's own entry for `import` (one or two dotted parts).
pub(super) fn ours(import: &str) -> Option<Entry> {
    OVERRIDES.get(import).copied()
}

/// Where `name` (normalised with [`canonical`]) stands among the most-downloaded distributions.
pub(super) fn rank(name: &str) -> Option<usize> {
    TOP_LIST.get(name).copied()
}

/// A distribution or import name as the index compares them (PEP 503): lowercase, every run of
/// `-`, `_` and `.` one `-`.
pub fn canonical(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// The lines of a data file that are not comments or blank.
fn lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// `import:what` lines (a line without a colon is skipped; the tests keep the files clean).
fn pairs(text: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    lines(text).filter_map(|l| l.split_once(':'))
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn the_data_files_parse_completely() {
        for (file, text) in [("import-names.txt", PIPREQS), ("ours", OURS)] {
            for line in lines(text) {
                let (import, what) = line.split_once(':').unwrap_or_else(|| {
                    panic!("{file}: `{line}` is not import:distribution");
                });
                assert!(!import.is_empty() && !what.is_empty(), "{file}: `{line}`");
                assert!(!what.contains(':'), "{file}: `{line}`");
            }
        }
        assert!(MAPPED.len() > 800, "pipreqs' table: {} names", MAPPED.len());
        assert_eq!(TOP_LIST.len(), 15_000);
        for name in TOP_LIST.keys() {
            assert_eq!(*name, canonical(name), "top-pypi.txt is normalised");
        }
    }

    #[test]
    fn our_table_has_no_name_twice() {
        let mut seen = HashSet::new();
        for (import, _) in pairs(OURS) {
            assert!(seen.insert(import), "`{import}` is listed twice");
            assert!(
                import.split('.').count() <= 2,
                "`{import}`: at most two parts"
            );
        }
        assert_eq!(seen.len(), OVERRIDES.len());
    }

    #[test]
    fn pipreqs_names_listed_more_than_once_keep_every_distribution() {
        assert_eq!(mapped("yaml"), Some(&["PyYAML"][..]));
        let azure = mapped("azure").unwrap();
        assert!(azure.len() > 5 && azure.contains(&"azure_storage"));
        // No line is there twice (a copy gone wrong would show here).
        let all: Vec<_> = pairs(PIPREQS).collect();
        let unique: HashSet<_> = all.iter().collect();
        assert_eq!(all.len(), unique.len());
    }

    #[test]
    fn names_are_compared_as_the_index_does() {
        assert_eq!(canonical("Jupyter__Lab.ext"), "jupyter-lab-ext");
        assert_eq!(canonical("scikit_learn"), "scikit-learn");
        assert!(rank("numpy").is_some() && rank("scikit-learn").is_some());
        assert_eq!(rank("boto3"), Some(0));
        assert_eq!(rank("darwinix-no-such-module-4711"), None);
    }
}
