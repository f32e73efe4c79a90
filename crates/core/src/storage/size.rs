//! How much disk a folder takes, as `du -sk` counts it: the space allocated to each file and
//! folder (`st_blocks` × 512), each hard-linked file once, symbolic links never followed (a
//! link counts only its own blocks). A missing path is 0. A folder that cannot be read is left
//! out and named, and the walk goes on (as `du` does).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// What one walk found.
#[derive(Debug, Default)]
pub struct Measured {
    pub bytes: u64,
    /// The folders (or files) it could not read, with why; their contents are not counted.
    pub unreadable: Vec<Error>,
}

/// The space `paths` take together (a file linked from two of them counts once), leaving out
/// everything at or below `skip`.
pub fn measure(paths: &[&Path], skip: &[&Path]) -> Measured {
    let mut walk = Walk {
        seen: HashSet::new(),
        found: Measured::default(),
        skip,
    };
    for path in paths {
        walk.visit(path);
    }
    walk.found
}

/// The space one folder or file takes.
pub fn of(path: &Path) -> Measured {
    measure(&[path], &[])
}

struct Walk<'a> {
    /// (device, inode) of every file with more than one link counted so far.
    seen: HashSet<(u64, u64)>,
    found: Measured,
    skip: &'a [&'a Path],
}

impl Walk<'_> {
    fn visit(&mut self, root: &Path) {
        let mut stack: Vec<PathBuf> = vec![root.to_path_buf()];
        while let Some(path) = stack.pop() {
            if self.skip.iter().any(|s| path.starts_with(s)) {
                continue;
            }
            let meta = match std::fs::symlink_metadata(&path) {
                Ok(meta) => meta,
                // Gone since its folder was listed, or never there: nothing to count.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(source) => {
                    self.found.unreadable.push(unreadable(&path, source));
                    continue;
                }
            };
            self.count(&meta);
            if !meta.is_dir() {
                continue;
            }
            match std::fs::read_dir(&path) {
                Ok(entries) => {
                    for entry in entries {
                        match entry {
                            Ok(entry) => stack.push(entry.path()),
                            Err(source) => {
                                self.found.unreadable.push(unreadable(&path, source));
                                break;
                            }
                        }
                    }
                }
                Err(source) => self.found.unreadable.push(unreadable(&path, source)),
            }
        }
    }

    fn count(&mut self, meta: &std::fs::Metadata) {
        if let Some(bytes) = allocated(meta, &mut self.seen) {
            self.found.bytes += bytes;
        }
    }
}

fn unreadable(path: &Path, source: std::io::Error) -> Error {
    Error::Unreadable {
        path: path.to_path_buf(),
        source,
    }
}

/// The bytes a file or folder has on disk; `None` for a hard link already counted.
#[cfg(unix)]
fn allocated(meta: &std::fs::Metadata, seen: &mut HashSet<(u64, u64)>) -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    if !meta.is_dir() && meta.nlink() > 1 && !seen.insert((meta.dev(), meta.ino())) {
        return None;
    }
    Some(meta.blocks() * 512)
}

// Windows: the standard library has no allocation size nor a stable file id, so a file counts
// its length (what Explorer's "Size" says) and hard links count each time; folders count 0.
#[cfg(windows)]
fn allocated(meta: &std::fs::Metadata, _seen: &mut HashSet<(u64, u64)>) -> Option<u64> {
    Some(if meta.is_dir() { 0 } else { meta.len() })
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::{symlink, MetadataExt, PermissionsExt};

    fn du_k(path: &Path) -> u64 {
        let out = std::process::Command::new("du")
            .arg("-sk")
            .arg(path)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        text.split_whitespace().next().unwrap().parse().unwrap()
    }

    fn kib(bytes: u64) -> u64 {
        bytes.div_ceil(1024)
    }

    fn tree(root: &Path) {
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::write(root.join("a/one"), vec![1u8; 10_000]).unwrap();
        std::fs::write(root.join("a/b/two"), vec![2u8; 100_000]).unwrap();
        std::fs::write(root.join("small"), b"x").unwrap();
    }

    #[test]
    fn a_tree_counts_what_du_counts() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("t");
        tree(&root);
        let m = of(&root);
        assert!(m.unreadable.is_empty());
        assert_eq!(kib(m.bytes), du_k(&root));
        assert!(
            m.bytes >= 110_001,
            "at least the bytes written: {}",
            m.bytes
        );
    }

    #[test]
    fn hard_links_count_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("t");
        tree(&root);
        let before = of(&root).bytes;
        std::fs::hard_link(root.join("a/b/two"), root.join("two-again")).unwrap();
        std::fs::hard_link(root.join("a/b/two"), root.join("a/two-thrice")).unwrap();
        assert_eq!(
            of(&root).bytes,
            before,
            "links to a counted file add nothing"
        );
        assert_eq!(kib(of(&root).bytes), du_k(&root));
        // Measured apart, the linked file counts in each (as `du` of each folder does).
        let outside = dir.path().join("outside");
        std::fs::create_dir(&outside).unwrap();
        std::fs::hard_link(root.join("a/b/two"), outside.join("two")).unwrap();
        let alone = of(&outside).bytes;
        assert_eq!(kib(alone), du_k(&outside));
        assert!(alone >= 100_000);
        assert_eq!(
            measure(&[&root, &outside], &[]).bytes,
            before + alone - {
                let meta = std::fs::metadata(outside.join("two")).unwrap();
                meta.blocks() * 512
            }
        );
    }

    #[test]
    fn symbolic_links_are_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big");
        tree(&big);
        let root = dir.path().join("t");
        std::fs::create_dir(&root).unwrap();
        let alone = of(&root).bytes;
        symlink(&big, root.join("to-folder")).unwrap();
        symlink(big.join("a/b/two"), root.join("to-file")).unwrap();
        symlink(dir.path().join("nowhere"), root.join("dangling")).unwrap();
        let with_links = of(&root).bytes;
        assert!(with_links - alone < 4096 * 3, "only the links' own blocks");
        assert_eq!(kib(with_links), du_k(&root));
        // A link given as the path itself is not followed either.
        assert_eq!(of(&root.join("to-folder")).bytes, {
            let meta = std::fs::symlink_metadata(root.join("to-folder")).unwrap();
            meta.blocks() * 512
        });
    }

    #[test]
    fn missing_is_zero_and_skipped_paths_are_left_out() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(of(&dir.path().join("none")).bytes, 0);
        let root = dir.path().join("t");
        tree(&root);
        let whole = of(&root).bytes;
        let b = of(&root.join("a/b")).bytes;
        assert_eq!(measure(&[&root], &[&root.join("a/b")]).bytes, whole - b);
    }

    #[test]
    fn a_path_that_cannot_be_read_is_named_and_the_rest_counted() {
        // A link to itself: reading through it fails (too many levels of links) even as root.
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("t");
        tree(&root);
        let looped = dir.path().join("loop");
        symlink(&looped, &looped).unwrap();
        let m = measure(&[&root, &looped.join("inside")], &[]);
        assert_eq!(m.unreadable.len(), 1);
        let said = m.unreadable[0].to_string();
        assert!(said.contains("loop/inside"), "{said}");
        assert_eq!(m.bytes, of(&root).bytes, "the rest is still counted");
    }

    #[test]
    fn an_unreadable_folder_is_named_and_the_rest_counted() {
        if rustix::process::geteuid().is_root() {
            // Root reads every folder whatever its mode: nothing to test here.
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("t");
        tree(&root);
        let locked = root.join("a/b");
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        let m = of(&root);
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(m.unreadable.len(), 1);
        assert!(
            m.unreadable[0].to_string().contains("a/b"),
            "{}",
            m.unreadable[0]
        );
        assert!(m.bytes >= 10_000);
    }
}
