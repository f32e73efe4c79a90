//! Download progress out of gix. gix counts on shared atomic counters that its worker threads
//! bump directly (`Count::counter()`), never through a callback, so the counters are polled from
//! a thread beside the download. The same poll enforces the size limit: past it, the interrupt
//! flag gix checks while reading the pack is raised.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use gix::progress::{Count, Id, MessageLevel, Step, StepShared, Unit};

use super::Progress;

/// gix's ids: objects indexed (its total is the pack's object count) and pack bytes read.
const OBJECTS: Id = *b"IWIO";
const BYTES: Id = *b"BWRB";
const POLL: Duration = Duration::from_millis(50);

#[derive(Default)]
struct Counters {
    objects: StepShared,
    /// The pack's object count plus one; 0 while unknown.
    total: AtomicUsize,
    bytes: StepShared,
}

/// What gix is handed as its progress: every child shares the two counters that matter.
#[derive(Clone)]
pub(super) struct Tracker {
    counters: Arc<Counters>,
    counter: StepShared,
    id: Id,
}

/// How the download went, as far as the counters tell.
pub(super) struct Watched {
    pub bytes: u64,
    pub too_large: bool,
}

/// Runs `work` with a tracker and the interrupt flag it must honour, reporting to
/// `on_progress` while it runs and once at the end.
pub(super) fn watch<T>(
    max_bytes: Option<u64>,
    on_progress: &(dyn Fn(Progress) + Sync),
    work: impl FnOnce(Tracker, &AtomicBool) -> T,
) -> (T, Watched) {
    let counters = Arc::new(Counters::default());
    let interrupt = AtomicBool::new(false);
    let done = AtomicBool::new(false);
    let too_large = AtomicBool::new(false);
    let result = std::thread::scope(|scope| {
        scope.spawn(|| {
            let mut last = None;
            loop {
                let finished = done.load(Ordering::Acquire);
                let now = read(&counters);
                if max_bytes.is_some_and(|max| now.bytes > max) {
                    too_large.store(true, Ordering::Release);
                    interrupt.store(true, Ordering::Release);
                }
                if last != Some(now) && (now.bytes > 0 || finished) {
                    on_progress(now);
                    last = Some(now);
                }
                if finished {
                    break;
                }
                std::thread::sleep(POLL);
            }
        });
        let _stop = Stop(&done);
        work(Tracker::new(counters.clone(), *b"ROOT"), &interrupt)
    });
    let bytes = read(&counters).bytes;
    // A small pack can be read whole between two polls: the limit is checked on the total too.
    let too_large = too_large.into_inner() || max_bytes.is_some_and(|max| bytes > max);
    (result, Watched { bytes, too_large })
}

/// Ends the poll however `work` ends: a panic must not leave the scope waiting on it.
struct Stop<'a>(&'a AtomicBool);

impl Drop for Stop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Release);
    }
}

fn read(counters: &Counters) -> Progress {
    let total = counters.total.load(Ordering::Acquire);
    Progress {
        received: counters.objects.load(Ordering::Acquire) as u64,
        total: (total > 0).then(|| total as u64 - 1),
        bytes: counters.bytes.load(Ordering::Acquire) as u64,
    }
}

impl Tracker {
    fn new(counters: Arc<Counters>, id: Id) -> Tracker {
        let counter = match id {
            OBJECTS => counters.objects.clone(),
            BYTES => counters.bytes.clone(),
            _ => StepShared::default(),
        };
        Tracker {
            counters,
            counter,
            id,
        }
    }
}

impl Count for Tracker {
    fn set(&self, step: Step) {
        self.counter.store(step, Ordering::Release);
    }

    fn step(&self) -> Step {
        self.counter.load(Ordering::Acquire)
    }

    fn inc_by(&self, step: Step) {
        self.counter.fetch_add(step, Ordering::AcqRel);
    }

    fn counter(&self) -> StepShared {
        self.counter.clone()
    }
}

impl gix::progress::Progress for Tracker {
    fn init(&mut self, max: Option<Step>, _unit: Option<Unit>) {
        if self.id == OBJECTS {
            let total = max.map_or(0, |m| m.saturating_add(1));
            self.counters.total.store(total, Ordering::Release);
        }
    }

    fn set_name(&mut self, _name: String) {}

    fn name(&self) -> Option<String> {
        None
    }

    fn id(&self) -> Id {
        self.id
    }

    fn message(&self, _level: MessageLevel, _message: String) {}
}

impl gix::progress::NestedProgress for Tracker {
    type SubProgress = Tracker;

    fn add_child(&mut self, _name: impl Into<String>) -> Tracker {
        Tracker::new(self.counters.clone(), *b"ANON")
    }

    fn add_child_with_id(&mut self, _name: impl Into<String>, id: Id) -> Tracker {
        Tracker::new(self.counters.clone(), id)
    }
}
