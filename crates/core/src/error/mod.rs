//! The engine's one error type. Every variant names the path or command it is about and keeps
//! its cause, as plain data: the ground floor, which knows nothing of the parts that raise it.
//! What the user can do about it is `crate::hints::hint`'s to say.

mod course;
mod install;
mod ssh;
mod trust;

use std::{io, path::PathBuf, time::Duration};

use crate::format::{biggest_said, human_bytes, log_end, spoken};

pub use course::CourseError;
pub use install::{Missing, Unbuildable};
pub use ssh::{SshLogin, SshProblem};
pub use trust::{Install, TrustAsk};

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
    /// reads it from the installer's output, `install::way_out` has its ways out).
    #[error("{0}")]
    CannotBuild(Box<Unbuildable>),

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
        human_bytes(*free),
        human_bytes(*needed)
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
        human_bytes(*bytes),
        biggest_said(biggest, *bytes)
    )]
    BigInstall {
        dir: PathBuf,
        bytes: u64,
        /// The biggest packages and their download sizes, biggest first.
        biggest: Vec<(String, u64)>,
    },

    /// A folder Darwinix has no reason to trust is not set up before the user says so (the
    /// app's Trust and start, the CLI's question or `--trust`).
    #[error(
        "`{}` was not set up: Darwinix asks before installing it, because {}",
        dir.display(),
        ask.reasons.join(", and ")
    )]
    NotTrusted { dir: PathBuf, ask: TrustAsk },

    #[error(
        "the packages of this install download {} and take about {} once unpacked, but the disk that holds `{}` has {} free; nothing was downloaded",
        human_bytes(*download),
        human_bytes(*needed),
        path.display(),
        human_bytes(*free)
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

    /// Asked before a stop (`jupyter::busy`): a stop interrupts the cells, and what they have
    /// not saved is lost. `project`: the server that was to stop; `None`: every server.
    #[error(
        "{} still running in {}, so {}",
        if notebooks.len() == 1 { "a cell is" } else { "cells are" },
        notebooks.join(", "),
        project.as_ref().map_or("no server was stopped".into(), |p| format!("the server of `{}` was not stopped", p.display()))
    )]
    CellsRunning {
        project: Option<PathBuf>,
        notebooks: Vec<String>,
    },

    #[error("`{input}` is not a remote folder's address: {why}")]
    RemoteAddress { input: String, why: String },

    #[error("{what} works on projects on this computer; {address} is on another one")]
    NotOnRemote { what: String, address: String },

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

    #[error("could not reach {} over SSH:\n{detail}", login.label())]
    Ssh {
        login: SshLogin,
        problem: SshProblem,
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

    /// A notebook's missing module that Darwinix offers no package for.
    #[error("{why}")]
    NoPackageForImport { module: String, why: String },

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

    /// A part of a requirement holds a line break, tab, escape or other control character:
    /// written into a setup file, a line break would start a line (an option) of its own.
    #[error("the {part} of `{name}` holds {character}; nothing was changed")]
    ControlCharacter {
        name: String,
        part: &'static str,
        character: String,
    },

    /// A search for text that is not a project name (PEP 508): never sent to any index.
    #[error("{}", if text.is_empty() { "no package name was given".to_string() } else { format!("`{text}` is not a package name: {why}") })]
    NotAPackageName { text: String, why: String },

    /// The index was reached, or may have been, but the look-up did not finish.
    #[error(
        "looking up packages on the package index {index} failed: {detail}; nothing was changed"
    )]
    IndexLookup { index: String, detail: String },

    #[error("`{}` is a link to `{}`, which does not exist", path.display(), target.display())]
    DanglingLink { path: PathBuf, target: PathBuf },

    /// Plain `http://` to another computer, not confirmed by the user: refused before any
    /// request, so the token never crosses the network readable.
    #[error("{url} is plain http:// to another computer: the token would cross the network unencrypted, so nothing was sent to it")]
    HubPlainHttp { url: String },

    /// The hub took the connection but sent no answer in time: not the same as unreachable.
    #[error("the hub at {url} did not answer within {secs} s")]
    HubNoAnswer { url: String, secs: u64 },

    /// `.` and `..` would be read as folders in the request's address, not as a server.
    #[error("`{name}` cannot be a server's name on a hub: in an address it means a folder")]
    HubServerName { name: String },

    /// A course link or a shared project file (`crate::course`, `crate::share`).
    #[error(transparent)]
    Course(#[from] CourseError),
}
