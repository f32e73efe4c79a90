//! Courses from links in the window: a link pasted in Open link…, or clicked on a web page
//! (`darwinix://`, which the system hands to this app), and a course's Get the teacher's updates
//! and Start over from the teacher's version.
//!
//! A clicked link is untrusted (any web page can make one): it is read here with the engine's
//! parser and only *shown* ("Open this course?", naming what and where); nothing is downloaded
//! until the user says so in the window, which then calls `open_link` with the same text.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use darwinix_core::course::git::{self, UpdateReport};
use darwinix_core::course::link::{self, Link};
use darwinix_core::course::open::{self, OpenOptions, Opened};
use darwinix_core::course::record::{self, Course};
use darwinix_core::paths::AppPaths;
use darwinix_core::reporter::SetupEvent;
use darwinix_core::settings::Settings;
use darwinix_core::target::Target;
use darwinix_tray::watcher::Watcher;
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Emitter, Manager, State};

use crate::home::ProjectView;
use crate::ipc_error::{IpcError, IpcResult};
use crate::progress::forward;
use crate::{opener, target, window};

/// Longer than any real course link: a page that hands over megabytes is refused unread.
const MAX_LINK: usize = 8 * 1024;

/// A link that arrived from outside, as the window asks about it.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct LinkOffer {
    /// The link as it arrived: what Open hands back to `open_link`.
    pub text: String,
    /// What it opens, when Darwinix understood it.
    pub link: Option<Link>,
    /// The course's folder when it is already here, else the folder it goes into.
    #[ts(type = "string | null")]
    pub place: Option<PathBuf>,
    /// Opened before: Open gets the teacher's updates instead of a second copy.
    pub already_here: bool,
    /// Why it is not opened (not https, credentials, a path out of the repository…).
    pub refused: Option<IpcError>,
}

/// The link the window has not seen yet (it is told with the opener's `pending` event).
#[derive(Default)]
pub struct LinkInbox(Mutex<Option<LinkOffer>>);

impl LinkInbox {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<LinkOffer>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// `darwinix:…`, whatever its case (a launcher may hand it over as it was typed).
pub fn is_link(arg: &str) -> bool {
    arg.get(..9)
        .is_some_and(|s| s.eq_ignore_ascii_case("darwinix:"))
}

/// The course link among a launch's arguments (Linux and Windows pass it as one).
pub fn link_argument(args: &[String]) -> Option<&str> {
    args.iter().skip(1).map(String::as_str).find(|a| is_link(a))
}

/// A link clicked somewhere: read, kept for the window, and the window told and shown.
pub fn link_arrived(app: &AppHandle, text: &str) {
    let offer = offer(&app.state::<AppPaths>(), text);
    *app.state::<LinkInbox>().lock() = Some(offer);
    window::show(app);
    let _ = app.emit(opener::PENDING, ());
}

fn offer(paths: &AppPaths, text: &str) -> LinkOffer {
    let refused = |error: IpcError| LinkOffer {
        text: String::new(),
        link: None,
        place: None,
        already_here: false,
        refused: Some(error),
    };
    if text.len() > MAX_LINK {
        return refused(IpcError::new(
            "Darwinix did not open a link: it is far too long to be a course link",
        ));
    }
    match link::parse(text) {
        Ok(link) => {
            let (place, already_here) = place_of(paths, &link);
            LinkOffer {
                text: text.to_string(),
                link: Some(link),
                place: Some(place),
                already_here,
                refused: None,
            }
        }
        Err(err) => LinkOffer {
            text: text.to_string(),
            ..refused(err.into())
        },
    }
}

/// Where `link` would open: the folder that already holds it, or the one courses go into.
fn place_of(paths: &AppPaths, link: &Link) -> (PathBuf, bool) {
    let known = match link {
        Link::Repository { url, branch, .. } => record::from_repository(paths, url)
            .into_iter()
            .map(|c| c.dir)
            .find(|dir| branch.is_none() || git::branch(dir) == *branch),
        Link::Notebook { url, .. } => record::from_notebook(paths, url).map(|c| c.dir),
    };
    match known {
        Some(dir) => (dir, true),
        None => (courses_parent(paths), false),
    }
}

fn courses_parent(paths: &AppPaths) -> PathBuf {
    Settings::load(paths)
        .ok()
        .and_then(|s| s.courses_dir)
        .unwrap_or_else(|| paths.courses.clone())
}

/// The link clicked while the window was not looking, if any (taken once).
#[tauri::command]
pub fn pending_link(inbox: State<'_, LinkInbox>) -> Option<LinkOffer> {
    inbox.lock().take()
}

/// Where courses go: the folder the user chose last, else `~/Darwinix`.
#[tauri::command]
pub fn course_place(paths: State<'_, AppPaths>) -> PathBuf {
    courses_parent(&paths)
}

/// A course, downloaded (or found again, with the teacher's updates) and made the current
/// project; the window starts it on `opened.notebook`.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct LinkOpened {
    pub project: ProjectView,
    pub opened: Opened,
}

/// Opens the course `link` names (read again here: the window's text is not trusted either).
/// `into`: the folder courses go into, chosen now (remembered); `allow_large`: Download anyway.
#[tauri::command]
pub async fn open_link(
    paths: State<'_, AppPaths>,
    link: String,
    into: Option<PathBuf>,
    allow_large: bool,
    on_event: Channel<SetupEvent>,
) -> IpcResult<LinkOpened> {
    let link = link::parse(&link)?;
    let options = OpenOptions { into, allow_large };
    let opened = open::open(&paths, &link, &options, &forward(on_event)).await?;
    let (target, _) = Target::named(&opened.dir)?;
    target.remember(&paths)?;
    Ok(LinkOpened {
        project: ProjectView::of(&target, vec![]),
        opened,
    })
}

/// Where a project came from, for its course actions.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "camelCase")]
pub struct CourseInfo {
    /// "https://github.com/ann/course", "the shared file Course.darwinix.zip".
    pub origin: String,
    /// A repository's clone: it has a teacher's version to update from and start over with.
    pub updatable: bool,
}

/// Whether the project at `dir` came from a course link or a shared file.
#[tauri::command]
pub async fn course_of(paths: State<'_, AppPaths>, dir: PathBuf) -> IpcResult<Option<CourseInfo>> {
    Ok(course_at(&paths, &dir).map(|course| CourseInfo {
        origin: course.origin_words(),
        updatable: course.repository().is_some(),
    }))
}

/// The record of `dir`, also when one of the two names it through a link (the window's
/// projects are resolved, the record keeps the folder as it was made).
fn course_at(paths: &AppPaths, dir: &Path) -> Option<Course> {
    record::of(paths, dir).or_else(|| {
        let wanted = std::fs::canonicalize(dir).ok()?;
        record::all(paths)
            .ok()?
            .into_iter()
            .find(|c| std::fs::canonicalize(&c.dir).is_ok_and(|d| d == wanted))
    })
}

/// The folder as the course record names it (`dir` itself when it has none: the engine then
/// says it is not a course).
fn course_dir(paths: &AppPaths, dir: &Path) -> PathBuf {
    course_at(paths, dir).map_or_else(|| dir.to_path_buf(), |c| c.dir)
}

/// Get the teacher's updates: what happened to each file, in words.
#[tauri::command]
pub async fn course_update(
    paths: State<'_, AppPaths>,
    dir: PathBuf,
    on_event: Channel<SetupEvent>,
) -> IpcResult<UpdateReport> {
    let dir = course_dir(&paths, &dir);
    Ok(open::update(&paths, &dir, &forward(on_event)).await?)
}

/// Start over from the teacher's version: the project's JupyterLab is stopped (its folder
/// moves), the student's folder kept in a dated one beside it (returned), and the teacher's
/// version downloaded afresh where it was.
#[tauri::command]
pub async fn course_start_over(
    paths: State<'_, AppPaths>,
    watcher: State<'_, Watcher>,
    dir: PathBuf,
    on_event: Channel<SetupEvent>,
) -> IpcResult<PathBuf> {
    target::of(&dir)?.stop(&paths).await?;
    watcher.refresh_servers().await;
    let dir = course_dir(&paths, &dir);
    Ok(open::start_over(&paths, &dir, &forward(on_event)).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_link_is_found_among_the_arguments_and_a_file_is_not_one() {
        let link = "darwinix://open?repo=https://github.com/ann/course";
        assert_eq!(link_argument(&args(&["app", link])), Some(link));
        assert_eq!(
            link_argument(&args(&["app", "--x", "DARWINIX://open?repo=y"])),
            Some("DARWINIX://open?repo=y")
        );
        assert_eq!(link_argument(&args(&["darwinix://app-itself"])), None);
        assert_eq!(link_argument(&args(&["app", "/home/ann/a.ipynb"])), None);
        assert_eq!(
            link_argument(&args(&["app", "file:///tmp/C.darwinix.zip"])),
            None
        );
    }

    #[test]
    fn a_clicked_link_is_read_and_placed_and_a_bad_one_refused_with_its_reason() {
        let home = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(home.path());
        let good = offer(
            &paths,
            "darwinix://open?repo=https://github.com/ann/course&path=a.ipynb",
        );
        assert!(good.refused.is_none());
        assert_eq!(good.place, Some(paths.courses.clone()));
        assert!(!good.already_here);
        assert!(
            matches!(good.link, Some(Link::Repository { path: Some(ref p), .. }) if p == "a.ipynb")
        );

        let bad = offer(&paths, "darwinix://open?repo=file:///etc");
        let refused = bad.refused.expect("a file:// repository is refused");
        assert!(refused.message.contains("file"), "{}", refused.message);
        assert!(
            refused.hint.is_some(),
            "the engine's hint says what to paste"
        );
        assert!(bad.link.is_none() && bad.place.is_none());

        let long = format!("darwinix://open?repo=https://x/{}", "a".repeat(MAX_LINK));
        assert!(offer(&paths, &long).refused.is_some());
    }
}
