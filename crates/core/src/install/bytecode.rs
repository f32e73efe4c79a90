//! Bytecode for JupyterLab's own modules, written ahead of the first start.
//!
//! uv does not compile `.pyc` files while installing, so the first server start after an
//! install compiles the ≈ 760 modules it imports: measured here (2 cores) 5.8–7.5 s for that
//! first start against 3.0 s for later ones. Compiling everything at install time
//! (`uv pip install --compile-bytecode`) made setup 6 s longer; `compileall` of the server's
//! packages took 5–6 s (they hold far more than the server imports). The cheapest exact way is
//! to import what the server imports, once, in a background Python right after the install:
//! - after a standalone `setup` (`darwinix setup`, entering the Nix shell) it is done before
//!   the next start, which then finds the bytecode (measured: first start = later starts);
//! - when a start follows at once, the warm-up runs beside the starting server on another core,
//!   importing from the other end of the server's import graph, so the two meet in the middle
//!   instead of compiling the same modules twice: first start after an install 6.7 s instead of
//!   7.7 s (median of 5 alternating runs, minimal template, 2 cores).

use std::path::Path;

use crate::error::Result;
use crate::process;
use crate::project::backend::Backend;
use crate::project::Project;

/// What `jupyter lab` imports at start — the server, the app and its default extensions — in
/// the reverse of the server's own order (see above). A module missing here is skipped.
const WARM_UP: &str = r#"
import importlib
for name in ("httpx", "terminado", "send2trash", "prometheus_client", "tornado.web",
             "jupyter_events.logger", "nbformat", "jupyter_client.ioloop", "jupyter_client.manager",
             "notebook_shim", "jupyter_server_terminals", "jupyter_lsp", "jupyterlab_server",
             "jupyterlab.labapp", "jupyter_server.serverapp"):
    try:
        importlib.import_module(name)
    except Exception:
        pass
"#;

/// Starts the warm-up in the background (it outlives a CLI `setup`); its output goes to `log`.
/// Only for an environment with JupyterLab, and never with `PYTHONDONTWRITEBYTECODE` (the point
/// is to write it).
pub fn warm_up(project: &Project, backend: &Backend, log: &Path) -> Result<()> {
    warm_up_env(&project.venv(), &project.dir, backend, log)
}

/// The same for any environment with JupyterLab in it.
pub fn warm_up_env(env: &Path, cwd: &Path, backend: &Backend, log: &Path) -> Result<()> {
    let layout = backend.layout();
    if std::fs::symlink_metadata(layout.program(env, "jupyter-lab")).is_err() {
        return Ok(());
    }
    warm_up_python(&layout.python(env), cwd, backend, log)
}

/// The warm-up in `python` (a path of this computer, or the backend's own name for it: the
/// shared runtime inside a WSL distro), running in `cwd`.
pub fn warm_up_python(python: &Path, cwd: &Path, backend: &Backend, log: &Path) -> Result<()> {
    let mut cmd = process::command(backend.path(python)?);
    // -I: the project folder is not on sys.path, so none of the user's files (a `csv.py`) runs.
    cmd.args(["-I", "-c", WARM_UP]).current_dir(cwd);
    process::clean_python_env(&mut cmd);
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .map_err(|source| crate::error::Error::WriteFile {
            path: log.to_path_buf(),
            source,
        })?;
    process::spawn_detached(backend.finish(cmd)?, log)?;
    Ok(())
}
