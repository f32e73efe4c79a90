//! What to do about a project file that could not be written or opened: one family of
//! [`crate::hints::hint`], in the window's words.

use crate::error::CourseError;
use crate::error::Error;

pub(crate) fn hint(error: &Error) -> Option<String> {
    Some(match error {
        Error::Course(CourseError::ZipUnsafe { .. }) => "do not open this file: it tries to write outside its own folder; ask whoever sent it for a new one".into(),
        Error::Course(CourseError::ZipUnreadable { .. }) => "ask whoever sent it to share the project again with Share… → As a file; the file may also have been cut short while downloading".into(),
        Error::Course(CourseError::ShareNeedsEnvironment { .. }) => "press Start Notebook once so the project's packages are installed, then share it".into(),
        Error::Course(CourseError::ShareLargeFiles { .. }) => "choose whether to include the big files (the size box in Share…), or move them out of the project folder".into(),
        Error::Course(CourseError::ShareNoLink { .. }) => "share it as a file instead; a link works for a project that was opened from a public repository".into(),
        _ => return None,
    })
}
