// How the window's state changes: each part's fields change through its `assign` (or, for what
// lives inside them, a call of `changed`), and every change schedules the one redraw that runs
// after the current turn, or at the end of the user's event that made it. An intent that
// changes five things draws once; no code draws by hand.

/** The draws asked for and not run yet. */
const queued = new Set<() => void>();
let drawing = false;

/** `draw`, run once after the current turn however often the returned function is called. */
export function batched(draw: () => void): () => void {
  return () => {
    if (queued.has(draw)) return;
    queued.add(draw);
    queueMicrotask(() => {
      if (queued.delete(draw)) run(draw);
    });
  };
}

/** Runs the draws asked for now: at the end of the user's event (a click), so that the window
 * answers it in the same frame. */
export function drawNow(): void {
  for (const draw of [...queued]) {
    queued.delete(draw);
    run(draw);
  }
}

/** `handler` for a DOM event: the changes it makes are drawn once, when it returns. */
export function inEvent<E>(handler: (event: E) => unknown): (event: E) => void {
  return (event) => {
    try {
      handler(event);
    } finally {
      drawNow();
    }
  };
}

function run(draw: () => void): void {
  // An event raised by the drawing itself (a focused button removed) waits for the next turn.
  if (drawing) {
    queued.add(draw);
    queueMicrotask(() => {
      if (queued.delete(draw)) run(draw);
    });
    return;
  }
  drawing = true;
  try {
    draw();
  } finally {
    drawing = false;
  }
}

/** As `batched`, at most once a frame: for a stream of changes (an installer's lines) that
 * arrive many times a second, each in a turn of its own. */
export function perFrame(changed: () => void): () => void {
  let frame = 0;
  return () => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      changed();
    });
  };
}

/** A part of the window's state (Home, Packages, Settings…): it owns its fields and says when
 * they changed. `Self` is the part's own class (`class Hubs extends Part<Hubs>`). */
export abstract class Part<Self> {
  constructor(protected readonly changed: () => void) {}

  /** Changes some of the part's fields; the window redraws once, after this turn. */
  protected assign(patch: Partial<Self>): void {
    Object.assign(this, patch);
    this.changed();
  }
}
