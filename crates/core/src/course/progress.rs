//! gix works on a thread of its own (its HTTP client blocks); its progress comes back here to
//! the reporter as the step list's "received / total objects", a few times a second at most.

use std::time::{Duration, Instant};

use super::git::Progress;
use crate::error::CourseError;
use crate::error::{Error, Result};
use crate::reporter::{Reporter, SetupEvent, SetupStep};

/// Often enough to move a bar, rarely enough not to flood the window or a JSON-lines reader.
const EVERY: Duration = Duration::from_millis(150);

/// Runs `work` on a blocking thread, reporting its progress while it runs.
pub(super) async fn blocking<T: Send + 'static>(
    reporter: &dyn Reporter,
    work: impl FnOnce(&(dyn Fn(Progress) + Sync)) -> Result<T> + Send + 'static,
) -> Result<T> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Progress>();
    let task = tokio::task::spawn_blocking(move || {
        let send = move |p: Progress| {
            // The receiver goes only when the caller is gone: nobody to tell.
            let _ = tx.send(p);
        };
        work(&send)
    });
    let mut last: Option<(Instant, Progress)> = None;
    while let Some(p) = rx.recv().await {
        let due = last.as_ref().is_none_or(|(at, before)| {
            at.elapsed() >= EVERY
                || p.total
                    .is_some_and(|t| p.received >= t && before.received < t)
        });
        if due {
            report(reporter, &p);
            last = Some((Instant::now(), p));
        }
    }
    task.await.map_err(|e| {
        Error::Course(CourseError::CloneFailed {
            url: String::new(),
            why: format!("the download stopped unexpectedly ({e})"),
        })
    })?
}

fn report(reporter: &dyn Reporter, p: &Progress) {
    reporter.report(SetupEvent::Progress {
        step: SetupStep::GettingCourse,
        done: u32::try_from(p.received).unwrap_or(u32::MAX),
        total: p.total.map(|t| u32::try_from(t).unwrap_or(u32::MAX)),
        item: Some(format!("{} received", crate::format::human_bytes(p.bytes))),
    });
}
