//! Read-only folders for the tests of refusals (Linux bind mounts, as root).

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// `src` seen read-only at `dst` (a read-only bind mount: permission bits do not stop root, and
/// CI runs as root), for as long as the value lives. Where bind mounts are not allowed the
/// test fails and says why: a skipped check would look like a passed one.
pub struct ReadOnlyView(PathBuf);

impl ReadOnlyView {
    pub fn of(src: &Path, dst: &Path) -> Self {
        std::fs::create_dir_all(dst).unwrap();
        let run = |args: &[&OsStr]| {
            std::process::Command::new("mount")
                .args(args)
                .status()
                .is_ok_and(|s| s.success())
        };
        assert!(
            run(&["--bind".as_ref(), src.as_os_str(), dst.as_os_str()]),
            "this test needs a read-only bind mount: run the tests as root, as `./dev test` in CI does"
        );
        let view = Self(dst.to_path_buf());
        let ro = run(&["-o".as_ref(), "remount,bind,ro".as_ref(), dst.as_os_str()]);
        assert!(ro, "could not make the bind mount read-only");
        view
    }
}

impl Drop for ReadOnlyView {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}
