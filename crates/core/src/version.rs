//! The engine's version, as the package says it: in `doctor`'s report and the mark each
//! server start writes into its log.

pub const VERSION: &str = env!("CARGO_PKG_VERSION");
