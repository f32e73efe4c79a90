//! What the user can do about an error: the one place that finds it. Each part words the hints
//! of its own errors (a family); this walks an error's chain of causes from the top and asks
//! the families about each of the engine's errors it meets, until one has a hint. In the app's
//! words (what to click, never a command to type): the command line puts its commands in where
//! they help (`crates/cli/src/fix.rs`).

use std::error::Error as StdError;

use crate::error::Error;

/// The families, each for the errors of one part; each says `None` to the others' errors (the
/// tests hold them to it), so their order does not matter.
const FAMILIES: [fn(&Error) -> Option<String>; 13] = [
    crate::process::hint,
    crate::paths::hint,
    crate::project::hint::hint,
    crate::install::hint::hint,
    crate::install::way_out::hint,
    crate::jupyter::hint::hint,
    crate::project::backend::hint::hint,
    crate::packages::hint::hint,
    crate::storage::hint,
    crate::hub::hint,
    crate::trust::hint::hint,
    crate::course::hint::hint,
    crate::share::hint::hint,
];

/// One sentence the user can act on, or `None` when there is nothing better than the message:
/// the hint of the first of the engine's errors in `error`'s chain of causes that has one (a
/// change of packages that was undone, a start with current versions that changed nothing: the
/// cause has it).
pub fn hint(error: &(dyn StdError + 'static)) -> Option<String> {
    let mut next = Some(error);
    while let Some(error) = next {
        if let Some(hint) = engine_error(error).and_then(asked) {
            return Some(hint);
        }
        next = error.source();
    }
    None
}

/// `error` as the engine's own, when it is: a boxed cause (`source: Box<Error>`) shows itself as
/// the box, whose own `source` skips over what it holds.
fn engine_error<'a>(error: &'a (dyn StdError + 'static)) -> Option<&'a Error> {
    error
        .downcast_ref::<Error>()
        .or_else(|| error.downcast_ref::<Box<Error>>().map(|boxed| &**boxed))
}

fn asked(error: &Error) -> Option<String> {
    FAMILIES.iter().find_map(|family| family(error))
}

#[cfg(test)]
#[path = "hints_tests.rs"]
mod tests;
