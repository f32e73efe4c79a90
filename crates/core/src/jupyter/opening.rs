//! Opening a server in the user's browser: a fresh sign-in link (the token stays with
//! Darwinix), handed to the browser, which is started and let go.

use std::path::PathBuf;

use super::browser;
use super::login::{self, NoLink};
use super::registry::Entry;
use crate::paths::AppPaths;
use crate::project::recent;
use crate::reporter::{Reporter, SetupEvent, SetupStep};

/// The browser on its way to a server.
pub struct Opening {
    /// Where it lands, without the token: JupyterLab or the notebook.
    pub address: String,
    /// The sign-in link the browser was given (single use, valid for a minute), when the
    /// server could make one.
    pub link: Option<String>,
    launch: Result<browser::Launch, String>,
}

impl Opening {
    /// `Err(why)` when the browser could not be opened: the launch failed, or failed within
    /// [`browser::SETTLE_TIME`]. The browser itself is never waited for beyond that.
    pub async fn settled(self) -> Result<(), String> {
        self.launch?.settle().await
    }
}

/// Where the browser's own messages go (it is started with no terminal).
fn browser_log(paths: &AppPaths) -> PathBuf {
    paths.log("browser.log")
}

/// Opens the browser on `entry`'s JupyterLab, or on `notebook` (relative to the project,
/// `/`-separated), and returns as soon as the browser is launched. Says so through `reporter`.
pub async fn open(
    paths: &AppPaths,
    entry: &Entry,
    notebook: Option<&str>,
    reporter: &dyn Reporter,
) -> Opening {
    let link = login::link(entry, notebook).await;
    open_with(
        paths,
        entry,
        notebook,
        link,
        &|link| Ok(link.url.clone()),
        reporter,
    )
    .await
}

/// What the browser is given for a sign-in link: the link itself, or a page that leads there.
pub(super) type HandOver<'a> = &'a (dyn Fn(&login::Link) -> Result<String, String> + Sync);

/// [`open`] with a `link` already asked for, handed to the browser as `hand_over` makes it.
pub(super) async fn open_with(
    paths: &AppPaths,
    entry: &Entry,
    notebook: Option<&str>,
    link: Result<login::Link, NoLink>,
    hand_over: HandOver<'_>,
    reporter: &dyn Reporter,
) -> Opening {
    reporter.report(SetupEvent::Step {
        step: SetupStep::OpeningBrowser,
        detail: match notebook {
            Some(nb) => format!("Opening {nb} in your browser"),
            None => "Opening JupyterLab in your browser".into(),
        },
    });
    if let Some(nb) = notebook {
        let _ = recent::touch_notebook(paths, &entry.dir.join(nb));
    }
    let fallback_address = entry.page(notebook);
    let (address, target, given) = match link {
        Ok(link) => {
            let given = hand_over(&link);
            (link.target, Ok(link.url), given)
        }
        Err(NoLink::Unsupported) => {
            let page = old_server_page(entry).ok_or_else(|| {
                "this JupyterLab is too old to make sign-in links: use Copy link".to_string()
            });
            (fallback_address, page.clone(), page)
        }
        Err(NoLink::Failed(why)) => (fallback_address, Err(why.clone()), Err(why)),
    };
    let launch = match &given {
        Ok(url) => {
            let _ = crate::fs::private::create_dir(&paths.logs());
            browser::launch(url, &browser_log(paths)).await
        }
        Err(why) => Err(why.clone()),
    };
    Opening {
        address,
        link: target.ok().filter(|t| t.starts_with("http")),
        launch,
    }
}

/// A JupyterLab too old to load Darwinix's extension (it does not read
/// `jupyter_server_config.py`) still writes its own redirect page: browsers that may read files
/// in hidden folders can use that.
fn old_server_page(entry: &Entry) -> Option<String> {
    if entry.guest.is_some() {
        return None;
    }
    let page = entry
        .runtime_dir
        .join(format!("jpserver-{}-open.html", entry.pid));
    page.is_file().then(|| page.to_string_lossy().into_owned())
}
