//! How long Darwinix waits for a hub. Each wait is at least as long as the hub's own limit for
//! the same thing, so Darwinix never gives up on a hub that is only doing what it was set up to
//! do; a wait that runs out is said as "the hub did not answer within N s", never as
//! "unreachable" (that is for a connection that could not be made).
//!
//! JupyterHub's own limits (defaults): it holds a start request open up to `slow_spawn_timeout`
//! (10 s) before it answers 202, a stop up to `slow_stop_timeout` (10 s); a spawn fails after
//! `Spawner.start_timeout` (60 s) plus `Spawner.http_timeout` (30 s). Administrators raise them:
//! KubeSpawner's `start_timeout` is 300 s, and some hubs hold starts open far longer than 10 s.

use std::time::Duration;

/// One read (`GET …/user`) for the list of hubs: a hub that takes longer is shown without its
/// servers, and the other hubs are not kept waiting. The hub has no limit of its own here.
pub const LIST_WAIT: Duration = Duration::from_secs(5);

/// One read while the user waits on this hub (adding it, during a start or a stop): a hub busy
/// spawning for a whole class answers slowly. As long as the hub itself gives a new server to
/// answer (`http_timeout`).
pub const ACTION_WAIT: Duration = Duration::from_secs(30);

/// A whole start, and the start request's own limit: the hub answers that request within its
/// `slow_spawn_timeout`, which may be as long as the spawn's `start_timeout`; this only ends a
/// wait the hub never ends.
pub const SPAWN_DEADLINE: Duration = Duration::from_secs(600);

/// A whole stop, and the stop request's own limit: the hub stops a server within its
/// `http_timeout` or kills it, and answers within `slow_stop_timeout`.
pub const STOP_DEADLINE: Duration = Duration::from_secs(120);
