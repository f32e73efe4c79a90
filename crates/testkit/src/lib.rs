//! The one test context of Darwinix's tests (as uv's `TestContext`): a temporary home, project
//! folders, the built `darwinix` run with the context's environment, servers started and read
//! back, a stand-in browser, and filters that make printed output comparable. Unix only, as
//! the tests that use it. It does not depend on darwinix-core, so core's tests may use it.
#![cfg(unix)]

mod browser;
mod context;
mod env;
mod files;
mod filters;
pub mod git_server;
mod http;
mod mounts;
mod procs;
mod projects;
mod servers;
mod shared;

pub use browser::{CONFINED_BROWSER, RECORDING_BROWSER};
pub use context::TestContext;
pub use files::{json, json_lines, notebook, python_version, script};
pub use filters::Filters;
pub use http::{http, Reply};
pub use mounts::ReadOnlyView;
pub use procs::{alive, cmdline, descendants, pids_with};
pub use servers::{kernel_environ, run_code, server_token};
pub use shared::{
    dir_with_real_python, real_python, repo_path, shared_jupyter_project, shared_runtimes,
    shared_uv_dir, target_tmp,
};
