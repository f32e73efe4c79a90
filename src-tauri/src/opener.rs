//! What reaches the window from outside a command: a notebook to open (a double-click in the
//! file manager, a second launch with a path) and a browser that could not be opened. Both
//! are kept until the window takes them (it may be closed, or still loading), and the window
//! is told to look.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use darwinix_core::jupyter::Opening;
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager};

/// The window listens for this and then calls the `pending` command.
pub const PENDING: &str = "pending";

/// The browser could not be opened on a server: the window shows the address instead.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct BrowserFailed {
    /// The project.
    pub dir: PathBuf,
    /// The notebook that was to open (relative to the project), if any.
    pub notebook: Option<String>,
    /// Where the browser was to go, without the token.
    pub address: String,
    pub why: String,
}

/// What the window has not seen yet.
#[derive(Debug, Default, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Pending {
    /// A folder or notebook to open, as given to the app.
    pub open: Option<PathBuf>,
    pub browser_failed: Option<BrowserFailed>,
}

/// The opener's state: what the window has not taken yet.
pub struct Inbox(Mutex<Pending>);

impl Inbox {
    /// With the folder or notebook the app was launched with, if any.
    pub fn new(open: Option<PathBuf>) -> Self {
        Self(Mutex::new(Pending {
            open,
            browser_failed: None,
        }))
    }

    /// Takes what is pending (the window calls this when it loads and when told to).
    pub fn take(&self) -> Pending {
        std::mem::take(&mut *self.lock())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Pending> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn tell_window(app: &AppHandle) {
    crate::window::show(app);
    let _ = app.emit(PENDING, ());
}

/// The path the app was launched with (a notebook or a folder), if any: the first argument
/// that is not an option, relative to `cwd`.
pub fn path_argument(args: &[String], cwd: &Path) -> Option<PathBuf> {
    let arg = args.iter().skip(1).find(|a| !a.starts_with('-'))?;
    // A file manager may hand over a file:// address instead of a path.
    let path = match arg.strip_prefix("file://") {
        Some(_) => tauri::Url::parse(arg).ok()?.to_file_path().ok()?,
        None => PathBuf::from(arg),
    };
    Some(if path.is_absolute() {
        path
    } else {
        cwd.join(path)
    })
}

/// A notebook or folder to open, from the command line or a second launch.
pub fn request_open(app: &AppHandle, path: PathBuf) {
    app.state::<Inbox>().lock().open = Some(path);
    tell_window(app);
}

/// Watches the browser started for `dir`; when it could not be opened, the window shows where
/// to go instead. Never waits for the browser itself (see `Opening::settled`).
pub fn watch(app: &AppHandle, dir: PathBuf, notebook: Option<String>, opening: Opening) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let address = opening.address.clone();
        if let Err(why) = opening.settled().await {
            let failed = BrowserFailed {
                dir,
                notebook,
                address,
                why,
            };
            app.state::<Inbox>().lock().browser_failed = Some(failed);
            tell_window(&app);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_comes_from_the_first_plain_argument() {
        let cwd = Path::new("/home/ann");
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(path_argument(&args(&["darwinix-app"]), cwd), None);
        assert_eq!(
            path_argument(&args(&["darwinix-app", "--flag", "notes/a b.ipynb"]), cwd),
            Some(PathBuf::from("/home/ann/notes/a b.ipynb"))
        );
        assert_eq!(
            path_argument(
                &args(&["app", "file:///tmp/my%20notes%20%C3%BC/x.ipynb"]),
                cwd
            ),
            Some(PathBuf::from("/tmp/my notes ü/x.ipynb"))
        );
        assert_eq!(
            path_argument(&args(&["app", "/abs/x.ipynb"]), cwd),
            Some(PathBuf::from("/abs/x.ipynb"))
        );
    }
}
