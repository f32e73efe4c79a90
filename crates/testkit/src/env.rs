//! The environment variables the context sets on `darwinix` (core's `env_vars` documents them;
//! they are spelled again here so that this crate does not depend on core).

pub const HOME: &str = "DARWINIX_HOME";
pub const SEARCH_PATH: &str = "DARWINIX_PYTHON_SEARCH_PATH";
pub const BROWSER: &str = "DARWINIX_BROWSER";
/// Where the stand-in browser records its launches (read by the script, not by Darwinix).
pub const BROWSER_CALLS: &str = "DARWINIX_TEST_BROWSER_CALLS";
