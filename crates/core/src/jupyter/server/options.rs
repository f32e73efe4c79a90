//! What a start is asked for: the setup's options, the browser, the notebook, JupyterLab's
//! extra arguments, how long to wait, and whether it is a spare.

use std::time::Duration;

use crate::install::SetupOptions;

#[derive(Debug, Clone)]
pub struct StartOptions {
    pub setup: SetupOptions,
    pub open_browser: bool,
    /// The notebook to open (relative to the project, `/`-separated) instead of JupyterLab's
    /// start page.
    pub notebook: Option<String>,
    /// More `--Option=value` arguments for JupyterLab (from settings).
    pub extra_args: Vec<String>,
    pub ready_timeout: Duration,
    /// Start it ahead of time for the instant start: no browser, and unseen until claimed.
    pub spare: bool,
    /// The token a new server gets, when the caller made it (a remote project's: made on the
    /// user's computer and handed over on standard input); else a fresh one.
    pub token: Option<String>,
}

impl Default for StartOptions {
    fn default() -> Self {
        Self {
            setup: SetupOptions::default(),
            open_browser: true,
            notebook: None,
            extra_args: vec![],
            ready_timeout: Duration::from_secs(90),
            spare: false,
            token: None,
        }
    }
}

impl StartOptions {
    /// What the user's settings ask for (installer, Python, index, extra arguments).
    pub fn from_settings(settings: &crate::settings::Settings, open_browser: bool) -> Self {
        Self {
            setup: SetupOptions::from(settings),
            open_browser,
            extra_args: settings.extra_args.clone(),
            ..Self::default()
        }
    }
}
