// Open link…: a course from a link the user pasted, or one clicked on a web page (the app reads
// it and hands it over as an offer: "Open this course?"). Nothing is downloaded before the user
// presses Open; then the course is fetched (the step list's "Getting the course"), made the
// current project and started, the same list going on. The folder courses go into is shown and
// can be changed (the engine remembers the choice).

import { api, asIpcError, type CourseLink, type IpcError, type LinkOffer, type LinkOpened } from "./api";
import { announce } from "./dom";
import * as progress from "./progress";
import { Part, perFrame } from "./store";

/** What Open link… needs from Home. */
export interface OpenLinkContext {
  showHome(): void;
  /** Something else runs (a start, a course action): Open waits for it. */
  busy(): boolean;
  /** The course is on disk: make it current and start it, going on with `steps`. */
  opened(result: LinkOpened, steps: progress.Progress): Promise<void>;
}

/** Getting a course, until its start takes over (or it failed). */
export interface LinkRun {
  /** The link being opened (Download anyway opens it again). */
  text: string;
  progress: progress.Progress;
  error: IpcError | null;
}

export class OpenLinkPart extends Part<OpenLinkPart> {
  /** The panel is open: Open link… was pressed, or a link was clicked. */
  shown = false;
  /** What is in the box (kept across redraws; the box shows it already). */
  text = "";
  /** A clicked link, waiting for the user's answer (or refused, with why). */
  offer: LinkOffer | null = null;
  /** Where courses go (the folder chosen last, else ~/Darwinix); null until asked. */
  place: string | null = null;
  /** A folder chosen now with Change…: sent with Open, which remembers it. */
  chosen: string | null = null;
  run: LinkRun | null = null;

  constructor(
    changed: () => void,
    private readonly home: OpenLinkContext,
  ) {
    super(changed);
  }

  get busy(): boolean {
    return this.run !== null && !this.run.progress.finished;
  }

  /** Where the course goes: the folder chosen now, else the remembered one. */
  get into(): string | null {
    return this.chosen ?? this.place;
  }

  /** Open link…: the box, empty. */
  show(): void {
    if (this.busy) return;
    this.assign({ shown: true, offer: null, run: null, text: "" });
    void this.loadPlace();
  }

  close(): void {
    if (this.busy) return;
    this.assign({ shown: false, offer: null, run: null, text: "" });
  }

  edit(text: string): void {
    this.text = text;
  }

  /** A link clicked on a web page: shown with what it opens and where, for the user's Open. */
  arrived(offer: LinkOffer): void {
    if (this.busy) return;
    this.home.showHome();
    this.assign({ shown: true, offer, run: null, text: offer.text });
    void this.loadPlace();
    announce(offer.refused ? "Darwinix did not open a link" : "Open this course?");
  }

  private async loadPlace(): Promise<void> {
    try {
      this.assign({ place: await api.coursePlace() });
    } catch {
      // The engine picks its default when none is sent.
    }
  }

  /** Change…: the folder courses go into (this one and the next ones). */
  async choosePlace(): Promise<void> {
    const picked = await api.pickFolder("Where courses go");
    if (picked) this.assign({ chosen: picked });
  }

  /** Open: the course is fetched (or found again, with the teacher's updates), then started.
   * `allowLarge`: Download anyway, past the size the engine asks about. */
  async open(allowLarge = false): Promise<void> {
    const text = (this.run?.text ?? this.text).trim();
    if (!text || this.home.busy()) return;
    const run: LinkRun = { text, progress: progress.initial(progress.COURSE_TITLES), error: null };
    this.assign({ run });
    announce("Getting the course");
    const redraw = perFrame(this.changed);
    let result: LinkOpened;
    try {
      result = await api.openLink(text, this.chosen, allowLarge, (e) => {
        run.progress = progress.reduce(run.progress, e);
        redraw();
      });
    } catch (err) {
      run.progress = progress.fail(run.progress);
      run.error = asIpcError(err);
      announce(`Could not open the course: ${run.error.message}`);
      this.changed();
      return;
    }
    const steps = progress.continued(run.progress);
    this.assign({ shown: false, offer: null, run: null, text: "", chosen: null });
    await this.home.opened(result, steps);
  }
}

/** What a link opens, in words: "the repository https://github.com/ann/course (branch main),
 * notebook lesson 1.ipynb". */
export function linkWords(link: CourseLink): string {
  if (link.kind === "notebook") return `the notebook ${link.name} from ${link.url}`;
  const branch = link.branch ? ` (branch ${link.branch})` : "";
  const path = link.path ? `, opening ${link.path}` : "";
  return `the repository ${link.url}${branch}${path}`;
}
