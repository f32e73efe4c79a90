//! Every environment variable Darwinix reads, in one place.
//!
//! The `DARWINIX_*` variables change behaviour for users and double as test hooks: a test that
//! sets `DARWINIX_HOME` and `DARWINIX_PYTHON_SEARCH_PATH` sees nothing of the real machine's state.

/// Root of Darwinix's own data, config, cache and logs. Unset: the platform's app-data folder.
pub const DARWINIX_HOME: &str = "DARWINIX_HOME";

/// Replaces `PATH` (and every other well-known location) when looking for Python interpreters
/// and `uv`, so a test decides exactly which interpreters exist. Same syntax as `PATH`.
pub const DARWINIX_PYTHON_SEARCH_PATH: &str = "DARWINIX_PYTHON_SEARCH_PATH";

/// Set by `nix develop` / `nix-shell` (`pure` or `impure`): we already run inside a dev shell.
pub const IN_NIX_SHELL: &str = "IN_NIX_SHELL";

/// Set inside every WSL distro; names the distro.
pub const WSL_DISTRO_NAME: &str = "WSL_DISTRO_NAME";

/// A program to use instead of `wsl.exe` for projects that run in a WSL distro. On Windows a
/// way to pick another `wsl.exe`; elsewhere the test hook (a stand-in that runs the `--exec`
/// command locally) that lets the WSL backend run on Linux.
pub const DARWINIX_WSL_EXE: &str = "DARWINIX_WSL_EXE";

/// The variables `wsl.exe` forwards into the distro (`NAME[/flags]:…`); others stay behind.
pub const WSLENV: &str = "WSLENV";

/// pyenv's root (default `~/.pyenv`) and the version it selects for this shell.
pub const PYENV_ROOT: &str = "PYENV_ROOT";
pub const PYENV_VERSION: &str = "PYENV_VERSION";

/// Where uv keeps the Pythons it manages (default: the platform's data dir + `uv/python`).
pub const UV_PYTHON_INSTALL_DIR: &str = "UV_PYTHON_INSTALL_DIR";

/// The login shell, read on macOS to repair `PATH` for apps started from Finder.
pub const SHELL: &str = "SHELL";

/// The user's name, for Nix's per-user profile (`/etc/profiles/per-user/$USER`).
pub const USER: &str = "USER";

/// The executable search path.
pub const PATH: &str = "PATH";

/// Package index overrides that uv and pip honour; Darwinix names the index in its errors.
pub const UV_INDEX_URL: &str = "UV_INDEX_URL";
pub const PIP_INDEX_URL: &str = "PIP_INDEX_URL";

/// A program to open server addresses with (the URL is appended); a test hook and a way to use
/// a browser other than the default.
pub const DARWINIX_BROWSER: &str = "DARWINIX_BROWSER";

/// Variables the app set for its own web view (names, `:`-separated), which the browser it
/// opens must not get: they are not the user's.
pub const DARWINIX_APP_ENV: &str = "DARWINIX_APP_ENV";

/// Linux: WebKitGTK draws without OpenGL (see the app's `web_view_env`).
pub const WEBKIT_DISABLE_COMPOSITING_MODE: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

/// The variables named in [`DARWINIX_APP_ENV`], and that one.
pub fn app_only() -> Vec<String> {
    app_only_in(&std::env::var(DARWINIX_APP_ENV).unwrap_or_default())
}

fn app_only_in(named: &str) -> Vec<String> {
    let mut names: Vec<String> = named
        .split(':')
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .collect();
    if !named.is_empty() {
        names.push(DARWINIX_APP_ENV.to_owned());
    }
    names
}

/// Set (to anything but an empty value): the app never asks whether a new release exists, whatever
/// Settings → Updates says (managed installs, where updates come another way).
pub const DARWINIX_NO_UPDATE_CHECK: &str = "DARWINIX_NO_UPDATE_CHECK";

/// Debug builds only (ignored by release builds, see `src-tauri/src/updates/source.rs`): the
/// update manifest's address and the public key updates must be signed with, so tests can serve
/// updates signed with a throwaway key.
pub const DARWINIX_UPDATE_ENDPOINT: &str = "DARWINIX_UPDATE_ENDPOINT";
pub const DARWINIX_UPDATE_PUBKEY: &str = "DARWINIX_UPDATE_PUBKEY";

/// The conventional browser variable (`:`-separated commands, `%s` for the URL).
pub const BROWSER: &str = "BROWSER";

/// What `lookup.py` is asked (names, index, timeout) when it checks packages on the index: in
/// its environment, because an index address may carry credentials and argv is visible in `ps`.
pub const DARWINIX_LOOKUP: &str = "DARWINIX_LOOKUP";

/// Handed to JupyterLab in its environment, never on its command line (`ps` shows that).
pub const JUPYTER_TOKEN: &str = "JUPYTER_TOKEN";

/// Where JupyterLab writes `jpserver-<pid>.json`; a private folder per server.
pub const JUPYTER_RUNTIME_DIR: &str = "JUPYTER_RUNTIME_DIR";

/// Where Jupyter looks for configuration besides `~/.jupyter`; Darwinix puts its sign-in
/// links' folder first for the servers it starts.
pub const JUPYTER_CONFIG_PATH: &str = "JUPYTER_CONFIG_PATH";

/// Where Jupyter looks for data (kernels): a server from the shared runtime finds its one kernel
/// in its private folder, first on this list.
pub const JUPYTER_PATH: &str = "JUPYTER_PATH";

/// What an activated virtual environment or the user's shell sets for *its* Python. A Python
/// that Darwinix starts (an installer, a server, a probe) must not inherit them: see
/// [`crate::process::clean_python_env`].
pub const VIRTUAL_ENV: &str = "VIRTUAL_ENV";
pub const PYTHONPATH: &str = "PYTHONPATH";
pub const PYTHONHOME: &str = "PYTHONHOME";
/// Removed too: Darwinix's environments want their bytecode cache (later starts skip compiling).
pub const PYTHONDONTWRITEBYTECODE: &str = "PYTHONDONTWRITEBYTECODE";

/// uv's and pip's own settings, set for every installer command (no prompts, no progress bars,
/// no Python downloads unless asked, the system's certificates when the settings say so).
pub const UV_PYTHON_DOWNLOADS: &str = "UV_PYTHON_DOWNLOADS";
pub const UV_NO_PROGRESS: &str = "UV_NO_PROGRESS";
pub const UV_NATIVE_TLS: &str = "UV_NATIVE_TLS";
/// uv retries a failed request 3 times (8 s against a refused connection); the size check
/// before an install asks once (`install::size`): the install retries anyway.
pub const UV_HTTP_RETRIES: &str = "UV_HTTP_RETRIES";
/// `UV_NATIVE_TLS`'s newer name: uv 0.13 warns about the old one unless this is set too.
pub const UV_SYSTEM_CERTS: &str = "UV_SYSTEM_CERTS";
pub const PIP_DISABLE_PIP_VERSION_CHECK: &str = "PIP_DISABLE_PIP_VERSION_CHECK";
pub const PIP_NO_INPUT: &str = "PIP_NO_INPUT";

/// The environment `uv sync`/`uv add` work on: the project's `.venv` as the backend names it.
pub const UV_PROJECT_ENVIRONMENT: &str = "UV_PROJECT_ENVIRONMENT";

/// The user's data folder on Linux (default `~/.local/share`): uv keeps its Pythons under it.
pub const XDG_DATA_HOME: &str = "XDG_DATA_HOME";

/// An ssh configuration file to use instead of the user's `~/.ssh/config` (`ssh -F`): a test's
/// own host keys, client key and port, or a setup that keeps Darwinix's connections apart.
pub const DARWINIX_SSH_CONFIG: &str = "DARWINIX_SSH_CONFIG";

/// The `ssh` program to run (default: `ssh` on the search path).
pub const DARWINIX_SSH: &str = "DARWINIX_SSH";

/// Where hub API tokens are kept: `system` (the operating system's credential store, or fail),
/// `file` (a file only the user may read, in Darwinix's config folder). Unset: the system store
/// when there is one, the file otherwise. For headless machines and tests.
pub const DARWINIX_CREDENTIALS: &str = "DARWINIX_CREDENTIALS";

/// Bytes to download above which an install is a big one (default 1 GiB): the app asks before
/// it (Install (3.5 GB)), the command line says the size and goes on. Lowered by the tests so
/// that a tiny package counts as big.
pub const DARWINIX_BIG_INSTALL_BYTES: &str = "DARWINIX_BIG_INSTALL_BYTES";

#[cfg(test)]
mod app_env_tests {
    use super::*;

    #[test]
    fn the_app_only_variables_are_the_named_ones_and_the_list() {
        assert!(app_only_in("").is_empty());
        assert_eq!(
            app_only_in("WEBKIT_DISABLE_COMPOSITING_MODE:X"),
            ["WEBKIT_DISABLE_COMPOSITING_MODE", "X", DARWINIX_APP_ENV]
        );
    }
}
