//! The engine's one error type. Every variant names the path or command it is about and keeps
//! its cause; [`Error::hint`] tells the user what they can do about it.

use std::{io, path::PathBuf, time::Duration};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("could not start `{}`", program.display())]
    Spawn {
        program: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("the operating system's random number generator failed")]
    Random {
        #[source]
        source: getrandom::Error,
    },

    #[error("`{}` did not finish within {} s and was stopped", program.display(), after.as_secs_f32())]
    Timeout { program: PathBuf, after: Duration },

    #[error("`{}` printed nothing for {} and was stopped", program.display(), spoken(*after))]
    NoOutput { program: PathBuf, after: Duration },

    #[error("could not read the output of `{}`", program.display())]
    ReadOutput {
        program: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("could not create the folder `{}`", path.display())]
    CreateDir {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("could not write `{}`", path.display())]
    WriteFile {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("no folder for Darwinix's data could be found: the home directory is unknown")]
    NoHome,

    #[error("could not read `{}`", path.display())]
    ReadFile {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("`{}` is damaged: {source}", path.display())]
    CorruptFile {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },

    #[error("the project folder `{}` does not exist", path.display())]
    ProjectMissing { path: PathBuf },

    #[error("`{}` is a file, not a folder", path.display())]
    NotAFolder { path: PathBuf },

    #[error("the notebook `{}` does not exist", path.display())]
    NotebookMissing { path: PathBuf },

    #[error("the project folder `{}` is read-only", path.display())]
    ReadOnly { path: PathBuf },

    #[error("`{}` has no requirements.txt", dir.display())]
    NoRequirements { dir: PathBuf },

    #[error("`{}` exists but is not a Python environment", path.display())]
    NotAVenv { path: PathBuf },

    #[error("no Python {min} or newer with the venv module was found on this computer")]
    NoPython { min: String },

    #[error("`{}` is not a usable Python: {why}", path.display())]
    BadPython { path: PathBuf, why: String },

    #[error(
        "no Python {min} or newer was found, and uv could not install Python {version}: {detail}"
    )]
    UvPython {
        min: String,
        version: String,
        detail: String,
    },

    #[error("could not create the Python environment `{}`: {detail}", path.display())]
    CreateVenv {
        path: PathBuf,
        detail: String,
        /// The Debian/Ubuntu package that provides what was missing.
        apt_package: Option<String>,
        /// Set when seeding pip failed because this package index could not be reached.
        unreachable_index: Option<String>,
    },

    #[error("{installer} could not install the packages of `{}`:\n{detail}", dir.display())]
    Install {
        dir: PathBuf,
        installer: String,
        detail: String,
        /// The index could not be reached (as opposed to a package that does not exist).
        network: bool,
        index: String,
        /// The project's list the installer was given (`requirements.txt`, `environment.yml`),
        /// when it was one: the file to check when a name or version is wrong. Boxed: the
        /// error stays small (Windows paths are larger).
        file: Option<Box<std::path::Path>>,
    },

    /// A package had to be built from its source here and could not be (`install::failure`
    /// words it and its ways out).
    #[error("{}", crate::install::way_out::cannot_build_message(_0))]
    CannotBuild(Box<crate::install::way_out::Unbuildable>),

    /// Start with current versions was on, and the failure is not about pins (or relaxing them
    /// did not help): the real cause, said as such.
    #[error("Start with current versions changed nothing: {source}")]
    NothingRelaxed {
        #[source]
        source: Box<Error>,
    },

    #[error("could not get uv: {detail}")]
    GetUv { detail: String },

    #[error("{what} of `{}` failed: {detail}", dir.display())]
    Freeze {
        dir: PathBuf,
        what: String,
        detail: String,
    },

    #[error("JupyterLab is not installed in the environment of `{}`", dir.display())]
    NoJupyter { dir: PathBuf },

    #[error(
        "the disk that holds `{}` is full: {} free, and the install needs about {}",
        path.display(),
        crate::doctor::human_bytes(*free),
        crate::doctor::human_bytes(*needed)
    )]
    DiskFull {
        path: PathBuf,
        free: u64,
        needed: u64,
    },

    /// Asked before it starts (the app's Install (3.5 GB) button says yes).
    #[error(
        "the packages of `{}` download {}{}; Darwinix asks before an install this large",
        dir.display(),
        crate::doctor::human_bytes(*bytes),
        crate::install::size::biggest_said(biggest, *bytes)
    )]
    BigInstall {
        dir: PathBuf,
        bytes: u64,
        /// The biggest packages and their download sizes, biggest first.
        biggest: Vec<(String, u64)>,
    },

    #[error(
        "the packages of this install download {} and take about {} once unpacked, but the disk that holds `{}` has {} free; nothing was downloaded",
        crate::doctor::human_bytes(*download),
        crate::doctor::human_bytes(*needed),
        path.display(),
        crate::doctor::human_bytes(*free)
    )]
    NoRoomForInstall {
        path: PathBuf,
        download: u64,
        needed: u64,
        free: u64,
    },

    #[error("`{}` asks for versions that no longer install here: {}{}", file.display(), pins.join(", "), needs_python.as_ref().map(|p| format!(" (they are made for Python {p})")).unwrap_or_default())]
    OldPins {
        file: PathBuf,
        pins: Vec<String>,
        detail: String,
        /// The nearest Python the pins install on (`3.10`), when the installer says.
        needs_python: Option<String>,
    },

    #[error("`{}` has both a binder/ and a .binder/ folder: Binder refuses such a folder, and Darwinix cannot tell which one holds the setup files", dir.display())]
    TwoBinderFolders { dir: PathBuf },

    #[error("{from} asks for Python {version}: notebooks written for Python 2 cannot run in any Python Darwinix can set up, so nothing was installed")]
    Python2 { version: String, from: String },

    #[error("`{}` cannot be read, line {line}: {message}", path.display())]
    BadProjectFile {
        path: PathBuf,
        line: usize,
        message: String,
    },

    #[error("setting up JupyterLab in `{}` failed: {detail}", dir.display())]
    Runtime { dir: PathBuf, detail: String },

    /// `own_jupyterlab`: the project's own JupyterLab (Darwinix's shared one is the way out).
    #[error("JupyterLab stopped before it was ready{}", log_end(tail))]
    ServerDied {
        log: PathBuf,
        tail: String,
        own_jupyterlab: bool,
    },

    #[error("JupyterLab did not become ready within {seconds} s{}", log_end(tail))]
    ServerTimeout {
        seconds: u64,
        log: PathBuf,
        tail: String,
        own_jupyterlab: bool,
    },

    #[error("this JupyterLab's jupyter_server {version} reports port 0 instead of the port it listens on (a bug of jupyter_server 2.0.2 to 2.19, fixed in 2.20.0), so Darwinix cannot reach it")]
    ServerPortZero {
        version: String,
        log: PathBuf,
        own_jupyterlab: bool,
    },

    #[error("no Darwinix server is running for `{}`", dir.display())]
    NotRunning { dir: PathBuf },

    #[error("the JupyterLab of `{}` (pid {pid}) is running but not answering", dir.display())]
    NotResponding { dir: PathBuf, pid: u32 },

    #[error("JupyterLab for `{}` started without requiring its token, so Darwinix stopped it", dir.display())]
    ServerUnprotected { dir: PathBuf },

    #[error("the Nix dev shell of `{}` could not be entered:\n{detail}", dir.display())]
    NixDevShell { dir: PathBuf, detail: String },

    #[error("the WSL distro {distro} cannot run the project: {detail}")]
    Wsl { distro: String, detail: String },

    #[error("`{}` cannot be opened inside the WSL distro {distro}: {why}", path.display())]
    WslPath {
        path: PathBuf,
        distro: String,
        why: String,
    },

    #[error("the WSL distro {distro} has no Python 3.9 or newer with venv ({tried})")]
    WslNoPython { distro: String, tried: String },

    #[error("could not reach {} over SSH:\n{detail}", address.host_label())]
    Ssh {
        address: crate::remote::SshAddress,
        problem: crate::remote::SshProblem,
        detail: String,
    },

    #[error("on {host}: {detail}")]
    Remote {
        host: String,
        detail: String,
        /// What the remote's Darwinix advised, in the window's words.
        hint: Option<String>,
    },

    #[error("the extra JupyterLab argument `{arg}` is not allowed: {why}")]
    UnsafeServerArg { arg: String, why: &'static str },

    #[error(
        "there is no package called `{name}` on the package index {index}; nothing was changed"
    )]
    PackageNotFound { name: String, index: String },

    #[error("{name} has no version {spec}{}; nothing was changed", latest.as_ref().map(|l| format!(" (the newest is {l})")).unwrap_or_default())]
    NoSuchVersion {
        name: String,
        spec: String,
        latest: Option<String>,
    },

    #[error("the package index {index} could not be reached ({detail}); nothing was changed")]
    IndexUnreachable { index: String, detail: String },

    #[error("Darwinix cannot change `{}` safely: {why}; it was left as it was", path.display())]
    CannotEdit { path: PathBuf, why: String },

    #[error("`{text}` is not a package name with an optional version")]
    NotARequirement { text: String },

    #[error("`{name}` is not one of the packages `{}` asks for", file.display())]
    NotListed { name: String, file: PathBuf },

    #[error("`{input}` is not a hub address: {why}")]
    HubAddress { input: String, why: String },

    #[error("could not reach the hub at {url}: {detail}")]
    HubUnreachable { url: String, detail: String },

    #[error("{url} is not a JupyterHub: {detail}")]
    NotAHub { url: String, detail: String },

    #[error(
        "the hub at {url} refused the token: it was revoked, has expired, or is not this hub's"
    )]
    HubTokenRefused { url: String },

    #[error("the token for {url} cannot be used: {why}")]
    HubBadToken { url: String, why: String },

    #[error("the token for {url} may not {missing}")]
    HubScopes { url: String, missing: String },

    #[error("the hub at {url} said no ({status}): {message}")]
    HubRefused {
        url: String,
        status: u16,
        message: String,
    },

    #[error("{server} on {url} did not {action}: {message}")]
    HubServerFailed {
        url: String,
        server: String,
        action: &'static str,
        message: String,
    },

    #[error("the hub {url} has not been added")]
    HubNotAdded { url: String },

    #[error("the token for {url} could not be {what}: {detail}")]
    HubCredentials {
        url: String,
        what: &'static str,
        detail: String,
    },

    #[error("could not read `{}` to measure the space it takes", path.display())]
    Unreadable {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("`{}` is not removed: {why}", path.display())]
    NotRemovable { path: PathBuf, why: String },

    #[error("the notebook server of `{}` is running", dir.display())]
    ServerRunning { dir: PathBuf },

    #[error("could not remove `{}`", path.display())]
    Remove {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("uv could not {action} its cache: {detail}")]
    UvCache {
        action: &'static str,
        detail: String,
    },

    #[error("{source}\n`{}` and the environment were put back as they were", file.display())]
    ChangeUndone {
        file: PathBuf,
        #[source]
        source: Box<Error>,
    },
}

/// A duration as people say it: "15 minutes", "40 s".
fn spoken(d: Duration) -> String {
    match d.as_secs() {
        s if s >= 120 => format!("{} minutes", s / 60),
        s => format!("{:.0} s", d.as_secs_f32().max(s as f32)),
    }
}

impl Error {
    /// One sentence the user can act on, or `None` when there is nothing better than the
    /// message. In the app's words (what to click, never a command to type): the command line
    /// puts its commands in where they help (`crates/cli/src/fix.rs`).
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::Spawn { source, .. } if source.kind() == io::ErrorKind::NotFound => {
                Some("it is not installed or not on PATH".into())
            }
            Error::Spawn { source, .. } if source.kind() == io::ErrorKind::PermissionDenied => {
                Some("the file is not executable: check its permissions".into())
            }
            Error::Spawn { .. } | Error::ReadOutput { .. } | Error::Random { .. } => None,
            Error::Timeout { .. } | Error::NoOutput { .. } => Some("the program may be stuck; try again, and use Copy details to ask for help if it happens again".into()),
            Error::CreateDir { path, .. } | Error::WriteFile { path, .. } => Some(format!("check that `{}` is on a writable disk with free space", path.display())),
            Error::NoHome => Some("your account has no home folder for Darwinix's data; ask whoever manages this computer".into()),
            Error::ReadFile { .. } => Some("check that the file exists and that you may read it".into()),
            Error::CorruptFile { path, .. } => Some(format!("fix or delete `{}`; Darwinix will start from defaults", path.display())),
            Error::ProjectMissing { .. } => Some("choose another folder with Open folder…, or make a new one with New project…".into()),
            Error::NotAFolder { .. } => Some("choose a folder or a notebook (.ipynb)".into()),
            Error::NotebookMissing { .. } => Some("check its name and folder: it may have been moved or renamed".into()),
            Error::ReadOnly { path } => Some(format!("copy the project to a folder you can write to, or make `{}` writable", path.display())),
            Error::NoRequirements { dir } => Some(format!("list the packages you need in `{}`, one per line, or make a project with New project…", dir.join("requirements.txt").display())),
            Error::NotAVenv { path } => Some(format!("rename or remove `{}`; Darwinix will create a fresh environment there", path.display())),
            Error::NoPython { .. } => Some(no_python_fix().into()),
            Error::UvPython { .. } => Some(format!(
                "check the network (uv downloads Python from GitHub), or {}",
                no_python_fix()
            )),
            Error::BadPython { .. } => Some("choose another interpreter in Settings, or leave the choice to Darwinix (the This computer tab lists them)".into()),
            Error::CreateVenv { unreachable_index: Some(index), .. } => Some(unreachable(index)),
            Error::CreateVenv { apt_package: Some(pkg), .. } => Some(format!("install {pkg} with your software center, or choose uv in Settings → Installer")),
            Error::CreateVenv { .. } => Some("Show details has the full output; the This computer tab checks your Python".into()),
            // Behind a proxy that re-signs TLS the index is reached: `way_out` says what to do.
            Error::Install { network: true, index, detail, .. }
                if !crate::install::tls::is_untrusted_certificate(detail) =>
            {
                Some(unreachable(index))
            }
            Error::Install { .. }
            | Error::CannotBuild(_)
            | Error::OldPins { .. }
            | Error::NothingRelaxed { .. } => crate::install::way_out::hint(self),
            Error::GetUv { .. } => Some("choose pip in Settings → Installer, or check the network and try again".into()),
            Error::Freeze { .. } => Some("press Start Notebook first so the environment exists".into()),
            Error::DiskFull { .. } => Some("make room on that disk (empty the trash, move or delete large files), then press Start Notebook again; what the install had added was taken out again".into()),
            Error::BigInstall { bytes, .. } => Some(format!("press Install ({}) to download them, or take the large packages out of the project's list of packages", crate::doctor::human_bytes(*bytes))),
            Error::NoRoomForInstall { .. } => Some("make room on that disk (empty the trash, move or delete large files), or take large packages out of the project's list, then press Start Notebook again".into()),
            Error::TwoBinderFolders { dir } => Some(format!("remove or rename one of `{}` and `{}`, or choose the file to install from in Project settings → Packages from", dir.join("binder").display(), dir.join(".binder").display())),
            Error::Python2 { from, .. } => Some(format!("the notebooks need to be brought to Python 3 (ask whoever made the project); to install anyway, choose Python 3 in Project settings → Python, which overrides {from}")),
            Error::BadProjectFile { path, line, .. } => Some(format!("fix line {line} of `{}` (or ask whoever made the project), then press Start Notebook again", path.display())),
            Error::Runtime { .. } => Some("check the network and press Start Notebook again; Show details has the installer's output".into()),
            Error::NoJupyter { dir } => Some(format!("add `jupyterlab` to `{}`", dir.join("requirements.txt").display())),
            Error::ServerDied { .. }
            | Error::ServerTimeout { .. }
            | Error::ServerPortZero { .. }
            | Error::NotRunning { .. }
            | Error::NotResponding { .. }
            | Error::UnsafeServerArg { .. }
            | Error::ServerUnprotected { .. } => self.server_hint(),
            Error::NixDevShell { .. }
            | Error::Wsl { .. }
            | Error::WslPath { .. }
            | Error::WslNoPython { .. }
            | Error::Ssh { .. }
            | Error::Remote { .. } => self.place_hint(),
            Error::PackageNotFound { .. }
            | Error::NoSuchVersion { .. }
            | Error::IndexUnreachable { .. }
            | Error::CannotEdit { .. }
            | Error::NotARequirement { .. }
            | Error::NotListed { .. }
            | Error::ChangeUndone { .. } => self.package_hint(),
            Error::Unreadable { .. }
            | Error::NotRemovable { .. }
            | Error::ServerRunning { .. }
            | Error::Remove { .. }
            | Error::UvCache { .. } => crate::storage::hint(self),
            // The JupyterHub variants, all of them (the `every_variant_has_a_hint_or_says_why_not`
            // test holds `hub::hint` to each).
            _ => crate::hub::hint(self),
        }
    }

    /// [`Error::hint`] for a notebook server that died, is not there, or would be unsafe.
    fn server_hint(&self) -> Option<String> {
        Some(match self {
            Error::ServerDied { own_jupyterlab: true, .. } | Error::ServerTimeout { own_jupyterlab: true, .. } => format!("{USE_SHARED_LAB}; Logs in Running servers has the whole log"),
            Error::ServerPortZero { own_jupyterlab: true, .. } => format!("{USE_SHARED_LAB}, or ask for jupyter_server 2.20 or newer in the project's list of packages"),
            Error::ServerDied { .. } | Error::ServerTimeout { .. } | Error::ServerPortZero { .. } => "Logs in Running servers has the whole log".into(),
            Error::NotRunning { .. } => "press Start Notebook to start it".into(),
            Error::NotResponding { .. } => "wait a moment, or Stop it in Running servers and start it again".into(),
            Error::UnsafeServerArg { .. } => "remove it from Settings → Extra server arguments".into(),
            Error::ServerUnprotected { .. } => "a Jupyter configuration turns authentication off (an empty token, or XSRF checks disabled, in ~/.jupyter or the project's .venv/etc/jupyter) — remove that setting".into(),
            _ => return None,
        })
    }

    /// [`Error::hint`] for where a project runs: its Nix shell, a WSL distro, a remote computer.
    fn place_hint(&self) -> Option<String> {
        Some(match self {
            Error::NixDevShell { dir, .. } => format!("fix `{}`, or choose This computer in Project settings", dir.join("flake.nix").display()),
            Error::Wsl { .. } => "choose another place to run the project in Project settings".into(),
            Error::WslPath { distro, .. } => format!(
                "move the project to a folder on a local drive (C:\\…) or inside {distro} (\\\\wsl$\\{distro}\\…)"
            ),
            Error::WslNoPython { distro, .. } => format!("install Python (python3 and python3-venv) in {distro}, or choose This computer in Project settings"),
            Error::Ssh { address, problem, .. } => crate::remote::ssh_hint(*problem, &address.host),
            Error::Remote { hint, .. } => hint.clone().unwrap_or_else(|| "Show details has what the remote computer said; Test connection checks the way there".into()),
            _ => return None,
        })
    }

    /// [`Error::hint`] for a change of packages (Packages view, `darwinix add`/`remove`).
    fn package_hint(&self) -> Option<String> {
        match self {
            Error::PackageNotFound { .. } => Some("check the spelling: it is the name you would find on pypi.org (for example scikit-learn, not sklearn)".into()),
            Error::NoSuchVersion { .. } => Some("choose one of the versions the search shows, or leave the version out to get the newest".into()),
            Error::IndexUnreachable { index, .. } => Some(unreachable(index)),
            Error::CannotEdit { path, .. } => Some(format!("open `{}` in your editor and make the change there", path.display())),
            Error::NotARequirement { .. } => Some("write the name as pypi.org shows it, with a version if you need one: numpy, numpy>=2 or pandas==2.2.3".into()),
            Error::NotListed { .. } => Some("pick it from the list of packages the project asks for".into()),
            Error::ChangeUndone { source, .. } => match source.as_ref() {
                // The window's ways out of a start are not offered for a change of packages.
                Error::Install { network: false, .. } | Error::CannotBuild(_) => Some("that package (at that version) does not install here: try another version, or another package that does the same".into()),
                other => other.hint(),
            },
            _ => None,
        }
    }
}

/// How to install a Python by hand, for this platform.
fn no_python_fix() -> &'static str {
    if cfg!(windows) {
        "install Python 3.12 from python.org (tick \"Add to PATH\")"
    } else if cfg!(target_os = "macos") {
        "install Python 3.12 from python.org"
    } else {
        "install Python 3 with its venv module (python3 and python3-venv) from your software center"
    }
}

/// The way out when a project's own JupyterLab does not come up (the window's button, the
/// command line's `--shared-jupyterlab`).
const USE_SHARED_LAB: &str = "press Use Darwinix's JupyterLab instead: the notebooks keep the project's packages and Python, only JupyterLab around them is Darwinix's (the project's files stay unchanged)";

/// The end of a server's log under its error, when it wrote anything.
fn log_end(tail: &str) -> String {
    match tail.trim() {
        "" => String::new(),
        tail => format!("; the end of its log:\n{tail}"),
    }
}

fn unreachable(index: &str) -> String {
    format!("could not reach the package index {index}: check your internet connection, proxy (HTTPS_PROXY) or the index URL")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One of every variant whose fix could name a command.
    fn samples() -> Vec<Error> {
        let p = || PathBuf::from("/home/ann/notes");
        let io = || io::Error::other("x");
        vec![
            Error::Spawn {
                program: p(),
                source: io::Error::from(io::ErrorKind::NotFound),
            },
            Error::Timeout {
                program: p(),
                after: Duration::from_secs(1),
            },
            Error::CreateDir {
                path: p(),
                source: io(),
            },
            Error::WriteFile {
                path: p(),
                source: io(),
            },
            Error::NoHome,
            Error::Ssh {
                address: crate::remote::SshAddress::parse("ssh://me@lab/p").unwrap(),
                problem: crate::remote::SshProblem::KeyRefused,
                detail: "x".into(),
            },
            Error::Remote {
                host: "lab".into(),
                detail: "x".into(),
                hint: None,
            },
            Error::ReadFile {
                path: p(),
                source: io(),
            },
            Error::CorruptFile {
                path: p(),
                source: serde_json::from_str::<u8>("x").unwrap_err(),
            },
            Error::ProjectMissing { path: p() },
            Error::NotAFolder { path: p() },
            Error::NotebookMissing { path: p() },
            Error::ReadOnly { path: p() },
            Error::NoRequirements { dir: p() },
            Error::NotAVenv { path: p() },
            Error::NoPython { min: "3.9".into() },
            Error::BadPython {
                path: p(),
                why: "x".into(),
            },
            Error::UvPython {
                min: "3.9".into(),
                version: "3.12".into(),
                detail: "x".into(),
            },
            Error::CreateVenv {
                path: p(),
                detail: "x".into(),
                apt_package: Some("python3.11-venv".into()),
                unreachable_index: None,
            },
            Error::CreateVenv {
                path: p(),
                detail: "x".into(),
                apt_package: None,
                unreachable_index: None,
            },
            Error::Install {
                dir: p(),
                installer: "uv".into(),
                detail: "x".into(),
                network: false,
                index: "i".into(),
                file: None,
            },
            Error::GetUv { detail: "x".into() },
            Error::Freeze {
                dir: p(),
                what: "x".into(),
                detail: "x".into(),
            },
            Error::NoJupyter { dir: p() },
            Error::DiskFull {
                path: p(),
                free: 1,
                needed: 2,
            },
            Error::BigInstall {
                dir: p(),
                bytes: 3 << 30,
                biggest: vec![("torch".into(), 2 << 30)],
            },
            Error::NoRoomForInstall {
                path: p(),
                download: 1,
                needed: 3,
                free: 2,
            },
            Error::OldPins {
                file: p(),
                pins: vec!["pandas==0.18.1".into()],
                detail: "x".into(),
                needs_python: None,
            },
            Error::BadProjectFile {
                path: p(),
                line: 3,
                message: "x".into(),
            },
            Error::Runtime {
                dir: p(),
                detail: "x".into(),
            },
            Error::ServerDied {
                log: p(),
                tail: "x".into(),
                own_jupyterlab: false,
            },
            Error::ServerDied {
                log: p(),
                tail: "x".into(),
                own_jupyterlab: true,
            },
            Error::ServerTimeout {
                seconds: 1,
                log: p(),
                tail: String::new(),
                own_jupyterlab: true,
            },
            Error::ServerPortZero {
                version: "2.14.2".into(),
                log: p(),
                own_jupyterlab: true,
            },
            Error::NotRunning { dir: p() },
            Error::NotResponding { dir: p(), pid: 1 },
            Error::ServerUnprotected { dir: p() },
            Error::NixDevShell {
                dir: p(),
                detail: "x".into(),
            },
            Error::Wsl {
                distro: "Ubuntu".into(),
                detail: "x".into(),
            },
            Error::WslPath {
                path: p(),
                distro: "Ubuntu".into(),
                why: "x".into(),
            },
            Error::WslNoPython {
                distro: "Ubuntu".into(),
                tried: "x".into(),
            },
            Error::UnsafeServerArg {
                arg: "--refused".into(),
                why: "x",
            },
            Error::PackageNotFound {
                name: "x".into(),
                index: "i".into(),
            },
            Error::NoSuchVersion {
                name: "x".into(),
                spec: "==9".into(),
                latest: Some("1".into()),
            },
            Error::IndexUnreachable {
                index: "i".into(),
                detail: "x".into(),
            },
            Error::CannotEdit {
                path: p(),
                why: "x".into(),
            },
            Error::NotListed {
                name: "x".into(),
                file: p(),
            },
            Error::NotARequirement { text: "x".into() },
            Error::ChangeUndone {
                file: p(),
                source: Box::new(Error::NoJupyter { dir: p() }),
            },
        ]
        .into_iter()
        .chain(install_samples())
        .chain(hub_samples())
        .chain(storage_samples())
        .collect()
    }

    fn install_samples() -> Vec<Error> {
        let p = || PathBuf::from("/home/ann/notes");
        let cannot_build = |missing, ready_made: Option<&str>, needs_python: Option<&str>| {
            Error::CannotBuild(Box::new(crate::install::way_out::Unbuildable {
                dir: p(),
                package: "box2d-py".into(),
                version: Some("2.3.8".into()),
                needed_by: None,
                missing,
                ready_made: ready_made.map(String::from),
                needs_python: needs_python.map(String::from),
                detail: "x".into(),
            }))
        };
        use crate::install::build_failure::Missing;
        vec![
            Error::Install {
                dir: p(),
                installer: "uv".into(),
                detail: "Because numpy==9 was not found in the package registry".into(),
                network: false,
                index: "i".into(),
                file: Some(p().join("requirements.txt").into()),
            },
            cannot_build(Some(Missing::Swig), None, None),
            cannot_build(None, Some("2.3.10"), Some("3.8")),
            Error::OldPins {
                file: p(),
                pins: vec!["django==6.0".into()],
                detail: "x".into(),
                needs_python: Some("3.12".into()),
            },
            Error::NothingRelaxed {
                source: Box::new(cannot_build(Some(Missing::Swig), None, None)),
            },
        ]
    }

    fn hub_samples() -> Vec<Error> {
        let url = || "https://hub.example.org/".to_string();
        let x = || "x".to_string();
        vec![
            Error::HubAddress {
                input: x(),
                why: x(),
            },
            Error::HubUnreachable {
                url: url(),
                detail: x(),
            },
            Error::NotAHub {
                url: url(),
                detail: x(),
            },
            Error::HubTokenRefused { url: url() },
            Error::HubBadToken {
                url: url(),
                why: x(),
            },
            Error::HubScopes {
                url: url(),
                missing: x(),
            },
            Error::HubRefused {
                url: url(),
                status: 400,
                message: x(),
            },
            Error::HubServerFailed {
                url: url(),
                server: x(),
                action: "start",
                message: x(),
            },
            Error::HubNotAdded { url: url() },
            Error::HubCredentials {
                url: url(),
                what: "found",
                detail: x(),
            },
            Error::HubCredentials {
                url: url(),
                what: "kept",
                detail: x(),
            },
        ]
    }

    fn storage_samples() -> Vec<Error> {
        let p = || PathBuf::from("/home/ann/notes/.venv");
        vec![
            Error::Unreadable {
                path: p(),
                source: io::Error::other("x"),
            },
            Error::NotRemovable {
                path: p(),
                why: "x".into(),
            },
            Error::ServerRunning { dir: p() },
            Error::Remove {
                path: p(),
                source: io::Error::other("x"),
            },
            Error::UvCache {
                action: "prune",
                detail: "x".into(),
            },
        ]
    }

    #[test]
    fn a_server_that_did_not_come_up_shows_its_last_lines_and_the_way_out() {
        let timed_out = |tail: &str, own_jupyterlab| Error::ServerTimeout {
            seconds: 90,
            log: PathBuf::from("/d/p.jupyter.log"),
            tail: tail.into(),
            own_jupyterlab,
        };
        let said = timed_out("[W] one\n[E] two", true);
        assert_eq!(
            said.to_string(),
            "JupyterLab did not become ready within 90 s; the end of its log:\n[W] one\n[E] two"
        );
        assert!(said
            .hint()
            .unwrap()
            .contains("Use Darwinix's JupyterLab instead"));
        let bare = timed_out("", false);
        assert_eq!(
            bare.to_string(),
            "JupyterLab did not become ready within 90 s"
        );
        assert!(!bare.hint().unwrap().contains("Darwinix's JupyterLab"));
    }

    /// `hint` ends in a catch-all for the hub's variants: each of them must still get one.
    #[test]
    fn every_variant_has_a_hint_or_says_why_not() {
        let silent = |e: &Error| {
            matches!(
                e,
                Error::Spawn { .. } | Error::ReadOutput { .. } | Error::Random { .. }
            )
        };
        for err in samples() {
            assert!(err.hint().is_some() || silent(&err), "{err:?} has no hint");
        }
    }

    #[test]
    fn the_window_is_never_told_to_type_a_command() {
        let typed = [
            "darwinix ",
            "sudo ",
            "apt install",
            "brew ",
            "wsl ",
            "wsl.exe",
            "nix develop",
            "--",
            "DARWINIX_",
            "by hand",
            "settings.json",
        ];
        for err in samples() {
            let Some(hint) = err.hint() else {
                continue;
            };
            for word in typed {
                assert!(
                    !hint.contains(word),
                    "{err:?}: the app's fix says {word:?}: {hint}"
                );
            }
        }
    }
}
