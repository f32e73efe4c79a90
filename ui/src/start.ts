// Home's one big button at work: Start Notebook (prepare, start or reuse, open) and Restart, with
// the live step list. A bare folder's packages, found in its notebooks, are asked about first; a
// notebook handed over meanwhile is opened once the run is done.

import { api, asIpcError, type IpcError, type SetupEvent } from "./api";
import { announce } from "./dom";
import * as progress from "./progress";
import { Part, perFrame } from "./store";

/** A folder without a list of packages: what its notebooks import, shown (and editable)
 * before anything is installed. */
export interface FoundPackages {
  dir: string;
  /** The notebook the start was for, if any. */
  notebook: string | null;
  /** One package per line, as the user may edit it. */
  text: string;
  warnings: string[];
}

export interface Run {
  dir: string;
  /** The notebook the start opens, if any (a retry opens it too). */
  notebook: string | null;
  progress: progress.Progress;
  error: IpcError | null;
  showLog: boolean;
}

/** What a start needs from the rest of Home. */
export interface StartContext {
  /** The current project's folder, and whether its notebooks' imports are read first. */
  current(): { dir: string; importScan: boolean } | null;
  /** A start begins (the browser-failed panel goes). */
  starting(): void;
  say(notice: string | null): void;
  failed(err: IpcError): void;
  /** Opens a folder or a notebook (one handed over during a run). */
  openPath(path: string): Promise<void>;
  /** A notebook was opened: the recent lists changed. */
  notebookOpened(): void;
  showHome(): void;
}

export class Starts extends Part<Starts> {
  run: Run | null = null;
  /** Packages found in a bare folder's notebooks, waiting for the user's yes. */
  found: FoundPackages | null = null;
  /** A notebook handed over while a start was running: opened when it is done. */
  private queued: string | null = null;

  constructor(
    changed: () => void,
    private readonly home: StartContext,
  ) {
    super(changed);
  }

  get busy(): boolean {
    return this.run !== null && !this.run.progress.finished;
  }

  /** Another project became current: its runs and findings are not this one's. */
  reset(): void {
    this.assign({ run: null, found: null });
  }

  /** Keeps `path` for when the run is done; false when none runs. */
  queue(path: string): boolean {
    if (!this.busy) return false;
    this.queued = path;
    return true;
  }

  /** Remembered so that a redraw keeps the log as the user left it (the DOM shows it already). */
  showRunLog(open: boolean): void {
    if (this.run) this.run.showLog = open;
  }

  /** The one button: prepare, start (or reuse) and open the current project's JupyterLab — or
   * one of its notebooks. `from`: the steps so far (a course's download), which it goes on. */
  async start(notebook: string | null = null, from?: progress.Progress): Promise<void> {
    const current = this.home.current();
    if (!current || this.busy) return;
    this.home.starting();
    if (await this.askAboutImports(current, notebook)) return;
    const dir = current.dir;
    await this.track(
      { dir, notebook, from },
      (onEvent) => api.startNotebook(dir, notebook, onEvent),
      notebook ? `${notebook} is open in your browser.` : "JupyterLab is open in your browser.",
    );
    // Opening a notebook changes the recent ones.
    if (notebook) this.home.notebookOpened();
  }

  /** The same start again (after the answer it stopped for: the trust prompt, a fix). */
  retry(): Promise<void> {
    return this.start(this.run?.notebook ?? null);
  }

  async restart(dir: string): Promise<void> {
    if (this.busy) return;
    this.home.showHome();
    await this.track({ dir, notebook: null }, (onEvent) => api.restartServer(dir, onEvent), "JupyterLab restarted.");
  }

  /** A folder with no list of packages whose notebooks import some: the list is shown first
   * (Home's "Found in your notebooks"), and the start waits for the user. */
  private async askAboutImports(current: { dir: string; importScan: boolean }, notebook: string | null): Promise<boolean> {
    if (!current.importScan) return false;
    let found;
    try {
      found = await api.packagesFound(current.dir);
    } catch {
      return false; // The start itself says what is wrong.
    }
    if (!found || found.packages.length === 0) return false;
    this.assign({
      found: { dir: current.dir, notebook, text: found.packages.join("\n"), warnings: found.warnings },
      run: null,
    });
    announce(`Found ${found.packages.length} packages in your notebooks`);
    return true;
  }

  /** The found list as the user edits it (the text box already shows it). */
  editFound(text: string): void {
    if (this.found) this.found.text = text;
  }

  cancelFound(): void {
    this.assign({ found: null });
  }

  /** The user's yes to the found list (as edited): it becomes the folder's new
   * requirements.txt, and the start goes on. */
  async installFound(): Promise<void> {
    const found = this.found;
    if (!found) return;
    const packages = found.text.split("\n").map((l) => l.trim()).filter((l) => l.length > 0);
    try {
      await api.writeRequirements(found.dir, packages);
    } catch (err) {
      this.home.failed(asIpcError(err));
      return;
    }
    this.assign({ found: null });
    this.home.say(`Wrote requirements.txt with ${packages.length} packages; edit it any time.`);
    await this.start(found.notebook);
  }

  private async track(
    what: { dir: string; notebook: string | null; from?: progress.Progress },
    call: (onEvent: (e: SetupEvent) => void) => Promise<unknown>,
    success: string,
  ): Promise<void> {
    const { dir, notebook, from } = what;
    const showLog = this.run?.showLog ?? false;
    const run: Run = { dir, notebook, progress: from ?? progress.initial(), error: null, showLog };
    this.home.say(null);
    this.assign({ run });
    announce("Starting your notebook");
    const redraw = perFrame(this.changed);
    try {
      await call((e) => {
        run.progress = progress.reduce(run.progress, e);
        redraw();
      });
      run.progress = progress.succeed(run.progress);
      announce(success);
    } catch (err) {
      run.progress = progress.fail(run.progress);
      run.error = asIpcError(err);
      announce(`Could not start: ${run.error.message}`);
    }
    this.changed();
    const next = this.queued;
    this.queued = null;
    if (next) await this.home.openPath(next);
  }
}
