// The Packages view's state and actions: what the current project's `.venv` holds, a name
// looked up on the package index, and changes (add, remove, update, keep) that show the same
// live step list as Start. The project's file stays the truth: the engine edits it first.

import { api, asIpcError, type Change, type Changed, type GpuCheck, type IpcError, type Listing, type OnIndex } from "./api";
import { announce } from "./dom";
import * as progress from "./progress";
import { Part } from "./store";

export interface ChangeRun {
  progress: progress.Progress;
  error: IpcError | null;
  showLog: boolean;
}

export class Packages extends Part<Packages> {
  /** The project the list is of. */
  dir: string | null = null;
  listing: Listing | null = null;
  error: IpcError | null = null;
  query = "";
  found: OnIndex | null = null;
  searchError: IpcError | null = null;
  searching = false;
  run: ChangeRun | null = null;
  /** What the last change did, in words. */
  result: string | null = null;
  /** The project's JupyterLab runs: its kernels see the change after a restart. */
  restartNeeded = false;
  /** What PyTorch, JAX or TensorFlow can use after the last change. */
  gpu: GpuCheck[] = [];

  get busy(): boolean {
    return this.run !== null && !this.run.progress.finished;
  }

  /** Lists the packages again when the window comes back into view: an Install click in
   * JupyterLab (in the browser) may have added one meanwhile. */
  async refreshWhenBack(): Promise<void> {
    if (this.dir && !this.busy) await this.load();
  }

  showRunLog(open: boolean): void {
    if (this.run) this.run.showLog = open;
  }

  /** Shows `dir`'s packages (a new project starts afresh). */
  async open(dir: string): Promise<void> {
    if (this.dir !== dir) {
      Object.assign(this, { listing: null, error: null, found: null, searchError: null, query: "", run: null, result: null, restartNeeded: false, gpu: [] });
      this.dir = dir;
    }
    await this.load();
  }

  async load(): Promise<void> {
    const dir = this.dir;
    if (!dir) return;
    try {
      const listing = await api.packages(dir);
      if (this.dir === dir) [this.listing, this.error] = [listing, null];
    } catch (err) {
      if (this.dir === dir) this.error = asIpcError(err);
    }
    this.changed();
  }

  async search(name: string): Promise<void> {
    const dir = this.dir;
    this.query = name.trim();
    if (!dir || !this.query) return;
    this.assign({ searching: true, found: null, searchError: null });
    try {
      const found = await api.searchPackage(dir, this.query);
      this.assign({ found, searching: false });
      announce(`${found.name} ${found.latest ?? ""} found`);
    } catch (err) {
      const searchError = asIpcError(err);
      this.assign({ searchError, searching: false });
      announce(searchError.message);
    }
  }

  add(requirement: string): Promise<void> {
    return this.change({ kind: "add", names: [requirement] }, `Added ${requirement}`);
  }

  remove(name: string): Promise<void> {
    return this.change({ kind: "remove", names: [name] }, `Removed ${name}`);
  }

  keep(name: string): Promise<void> {
    return this.change({ kind: "keep", names: [name] }, `${name} is now part of the project`);
  }

  update(names: string[]): Promise<void> {
    const what = names.length ? names.join(", ") : "every requested package";
    return this.change({ kind: "update", names }, `Updated ${what}`);
  }

  private async change(change: Change, success: string): Promise<void> {
    const dir = this.dir;
    if (!dir || this.busy) return;
    const run: ChangeRun = { progress: progress.initial(progress.CHANGE_TITLES), error: null, showLog: this.run?.showLog ?? false };
    this.assign({ run, result: null });
    announce(`${success.split(" ")[0]}…`);
    try {
      const changed = await api.changePackages(dir, change, (e) => {
        run.progress = progress.reduce(run.progress, e);
        this.changed();
      });
      run.progress = progress.succeed(run.progress);
      this.result = describe(success, changed);
      this.restartNeeded = this.restartNeeded || changed.restart_kernels;
      this.gpu = changed.gpu ?? [];
      this.found = null;
      announce(this.result);
    } catch (err) {
      run.progress = progress.fail(run.progress);
      run.error = asIpcError(err);
      announce(run.error.message);
    }
    await this.load();
  }

  /** Freeze versions: `requirements.lock` pins what is installed now. */
  async freeze(): Promise<void> {
    if (!this.dir || this.busy) return;
    try {
      const count = await api.freezeVersions(this.dir);
      this.assign({
        result: `Froze ${count} versions in requirements.lock: the project installs exactly these until you update.`,
        error: null,
      });
    } catch (err) {
      this.assign({ error: asIpcError(err) });
    }
  }

  async restartKernels(): Promise<void> {
    if (!this.dir) return;
    try {
      const count = await api.restartKernels(this.dir);
      const result = count === 1 ? "Restarted the notebook's kernel." : `Restarted ${count} kernels.`;
      this.assign({ restartNeeded: false, result });
      announce(result);
    } catch (err) {
      this.assign({ error: asIpcError(err) });
    }
  }
}

function describe(success: string, changed: Changed): string {
  const file = changed.file.split(/[\\/]/).pop() ?? "requirements.txt";
  const parts = [changed.file_changed ? `${success} (${file} updated).` : `${success}.`];
  for (const still of changed.still_needed) {
    parts.push(`${still.name} stays installed: ${still.by.join(", ")} needs it.`);
  }
  return parts.join(" ");
}
