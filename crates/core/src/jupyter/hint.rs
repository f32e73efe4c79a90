//! What to do about a notebook server that died, is not there, or would be unsafe — one family
//! of [`crate::hints::hint`], in the window's words.

use crate::error::Error;

/// The way out when a project's own JupyterLab does not come up (the window's button, the
/// command line's `--shared-jupyterlab`).
const USE_SHARED_LAB: &str = "press Use Darwinix's JupyterLab instead: the notebooks keep the project's packages and Python, only JupyterLab around them is Darwinix's (the project's files stay unchanged)";

/// The hint for a notebook server's errors; `None` for the others.
pub fn hint(error: &Error) -> Option<String> {
    Some(match error {
        Error::ServerDied { own_jupyterlab: true, .. } | Error::ServerTimeout { own_jupyterlab: true, .. } => format!("{USE_SHARED_LAB}; Logs in Running servers has the whole log"),
        Error::ServerPortZero { own_jupyterlab: true, .. } => format!("{USE_SHARED_LAB}, or ask for jupyter_server 2.20 or newer in the project's list of packages"),
        Error::ServerDied { .. } | Error::ServerTimeout { .. } | Error::ServerPortZero { .. } => "Logs in Running servers has the whole log".into(),
        Error::NotRunning { .. } => "press Start Notebook to start it".into(),
        Error::CellsRunning { .. } => "wait for the cells to finish, or press Stop anyway: the cells are interrupted and what they have not saved is lost".into(),
        Error::NotResponding { .. } => "wait a moment, or Stop it in Running servers and start it again".into(),
        Error::UnsafeServerArg { .. } => "remove it from Settings → Extra server arguments".into(),
        Error::ServerUnprotected { .. } => "a Jupyter configuration turns authentication off (an empty token, or XSRF checks disabled, in ~/.jupyter or the project's .venv/etc/jupyter) — remove that setting".into(),
        _ => return None,
    })
}
