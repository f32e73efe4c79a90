//! The file system, used safely: files and folders only the user may read, and lock files
//! that let one holder at a time do a job. The ground floor: every part of the engine writes
//! files, and nothing here knows which part it writes for.

pub mod lock;
pub mod private;
