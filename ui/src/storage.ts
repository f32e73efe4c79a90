// Settings → Storage's part of the store: the figures (asked when Settings first shows, and
// again after every button) and the buttons' intents.

import { api, asIpcError, type IpcError } from "./api";
import type { Cleaned } from "./bindings/Cleaned";
import type { PurgeReport } from "./bindings/PurgeReport";
import type { StorageReport } from "./bindings/StorageReport";
import { bytes } from "./format";
import type { Said } from "./servers";
import { Part } from "./store";

export class Storage extends Part<Storage> {
  report: StorageReport | null = null;
  error: IpcError | null = null;
  /** The button at work: "uv", "runtimes" or a project's folder. */
  busy: string | null = null;
  /** The project whose "Remove .venv" waits for the user's yes. */
  confirming: string | null = null;
  /** The answer to the last button. */
  said: Said | null = null;
  /** Remove Darwinix's data: what it would remove and leave, shown until the user's yes. */
  purgePreview: PurgeReport | null = null;
  /** What Remove Darwinix's data did: the window then offers Quit. */
  purged: PurgeReport | null = null;
  private loading = false;

  async load(): Promise<void> {
    if (this.loading) return;
    this.loading = true;
    try {
      this.assign({ report: await api.storage(), error: null });
    } catch (err) {
      this.assign({ error: asIpcError(err) });
    }
    this.loading = false;
  }

  freeUvCache(): Promise<void> {
    return this.act("uv", () => api.freeUvCache(), "uv's cache was not pruned");
  }

  removeUnusedRuntimes(): Promise<void> {
    return this.act("runtimes", () => api.removeUnusedRuntimes(), "The unused runtimes were not removed");
  }

  askRemoveVenv(dir: string): void {
    this.assign({ confirming: dir, said: null });
  }

  cancel(): void {
    this.assign({ confirming: null });
  }

  removeVenv(dir: string): Promise<void> {
    this.confirming = null;
    return this.act(dir, () => api.removeVenv(dir), "The .venv was not removed");
  }

  async askPurge(): Promise<void> {
    this.assign({ busy: "purge", said: null });
    try {
      this.assign({ purgePreview: await api.purgePreview(), busy: null });
    } catch (err) {
      this.assign({ said: { error: asIpcError(err), title: "Darwinix's data could not be listed" }, busy: null });
    }
  }

  cancelPurge(): void {
    this.assign({ purgePreview: null });
  }

  /** On the user's yes: everything of Darwinix's outside the projects goes. The figures are
   * not asked again: what the window shows now is what was removed, and Quit. */
  async purge(): Promise<void> {
    this.assign({ busy: "purge", said: null, purgePreview: null });
    try {
      this.assign({ purged: await api.purgeData(), busy: null });
    } catch (err) {
      this.assign({ said: { error: asIpcError(err), title: "Darwinix's data was not removed" }, busy: null });
    }
  }

  quit(): Promise<void> {
    return api.quitApp();
  }

  private async act(key: string, call: () => Promise<Cleaned>, failed: string): Promise<void> {
    this.assign({ busy: key, said: null });
    try {
      this.said = saidOf(await call(), failed);
    } catch (err) {
      this.said = { error: asIpcError(err), title: failed };
    }
    this.busy = null;
    // The figures are asked again; the redraw comes with them.
    await this.load();
  }
}

/** What a clean-up did, in words, or its first problem as an error with its fix. */
export function saidOf(c: Cleaned, failed: string): Said {
  const problem = c.problems[0];
  if (problem) {
    const details = c.problems.map((p) => p.message).join("\n");
    return { error: { message: problem.message, hint: problem.hint, details, action: null }, title: failed };
  }
  const freed = c.removed.reduce((sum, r) => sum + r.bytes, 0);
  if (c.removed.length === 0) return { text: "Nothing to remove." };
  return { text: `Freed ${bytes(freed)}.` };
}
