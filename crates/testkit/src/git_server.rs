//! A git server on 127.0.0.1 (`tests/support/git_server.py`: `git http-backend` over HTTP) and a
//! teacher who puts courses on it with the real `git`, so the course tests clone and fetch
//! exactly what a git host would serve.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::shared::repo_path;

/// The server; stopped when dropped.
pub struct GitServer {
    child: Child,
    port: u16,
}

impl GitServer {
    /// Serves the bare repositories under `root` (`root/NAME.git`).
    pub fn start(root: &Path) -> GitServer {
        let mut child = Command::new("python3")
            .arg(repo_path("tests/support/git_server.py"))
            .arg(root)
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 runs the test git server");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("piped");
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the git server prints its port");
        let port = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("the git server printed {line:?}, not its port"));
        GitServer { child, port }
    }

    /// `http://127.0.0.1:PORT/repo.git`; `repo` may carry the server's test prefixes
    /// (`drop/name`, `slow/name`, `html/name`, `private/name`).
    pub fn url(&self, repo: &str) -> String {
        format!("http://127.0.0.1:{}/{repo}.git", self.port)
    }
}

impl Drop for GitServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A teacher's course: the bare repository the server serves (`root/NAME.git`) and the
/// teacher's own checkout it is pushed from.
pub struct Course {
    pub bare: PathBuf,
    pub work: PathBuf,
}

impl Course {
    /// An empty course on branch `main`.
    pub fn new(root: &Path, name: &str) -> Course {
        let bare = root.join(format!("{name}.git"));
        let work = root.join(format!("{name}.teacher"));
        git(root, &["init", "-q", "--bare", "-b", "main"], Some(&bare));
        git(root, &["init", "-q", "-b", "main"], Some(&work));
        Course { bare, work }
    }

    /// Writes `path` (with `/`) in the teacher's checkout, folders made as needed.
    pub fn write(&self, path: &str, text: &str) -> &Self {
        let file = self.work.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, text).unwrap();
        self
    }

    /// Writes `path` with raw `bytes` (data that does not compress).
    pub fn write_bytes(&self, path: &str, bytes: &[u8]) -> &Self {
        let file = self.work.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, bytes).unwrap();
        self
    }

    pub fn remove(&self, path: &str) -> &Self {
        std::fs::remove_file(self.work.join(path)).unwrap();
        self
    }

    /// Commits everything and pushes the current branch to the bare repository.
    pub fn commit(&self, message: &str) -> &Self {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
        self.git(&["push", "-q", self.bare.to_str().unwrap(), "HEAD"]);
        self
    }

    /// Starts branch `name` (pushed by the next `commit`).
    pub fn branch(&self, name: &str) -> &Self {
        self.git(&["checkout", "-q", "-b", name]);
        self
    }

    /// `git ARGS` in the teacher's checkout; its output.
    pub fn git(&self, args: &[&str]) -> String {
        git(&self.work, args, None)
    }
}

/// `git ARGS [target]` in `dir` as the teacher, away from this machine's own git settings; its
/// standard output. Panics when git fails.
pub fn git(dir: &Path, args: &[&str], target: Option<&Path>) -> String {
    let out = Command::new("git")
        .args(["-c", "user.name=Teacher", "-c", "user.email=t@example.org"])
        .args(args)
        .args(target)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}
