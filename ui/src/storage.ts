// Settings → Storage's part of the store: the figures (asked when Settings first shows, and
// again after every button) and the buttons' intents.

import { api, asIpcError, type IpcError } from "./api";
import type { Cleaned } from "./bindings/Cleaned";
import type { StorageReport } from "./bindings/StorageReport";
import { bytes } from "./format";
import type { Said } from "./servers";

export class Storage {
  report: StorageReport | null = null;
  error: IpcError | null = null;
  /** The button at work: "uv", "runtimes" or a project's folder. */
  busy: string | null = null;
  /** The project whose "Remove .venv" waits for the user's yes. */
  confirming: string | null = null;
  /** The answer to the last button. */
  said: Said | null = null;
  private loading = false;

  constructor(private readonly render: () => void) {}

  async load(): Promise<void> {
    if (this.loading) return;
    this.loading = true;
    try {
      [this.report, this.error] = [await api.storage(), null];
    } catch (err) {
      this.error = asIpcError(err);
    }
    this.loading = false;
    this.render();
  }

  freeUvCache(): Promise<void> {
    return this.act("uv", () => api.freeUvCache(), "uv's cache was not pruned");
  }

  removeUnusedRuntimes(): Promise<void> {
    return this.act("runtimes", () => api.removeUnusedRuntimes(), "The unused runtimes were not removed");
  }

  askRemoveVenv(dir: string): void {
    [this.confirming, this.said] = [dir, null];
    this.render();
  }

  cancel(): void {
    this.confirming = null;
    this.render();
  }

  removeVenv(dir: string): Promise<void> {
    this.confirming = null;
    return this.act(dir, () => api.removeVenv(dir), "The .venv was not removed");
  }

  private async act(key: string, call: () => Promise<Cleaned>, failed: string): Promise<void> {
    [this.busy, this.said] = [key, null];
    this.render();
    try {
      this.said = saidOf(await call(), failed);
    } catch (err) {
      this.said = { error: asIpcError(err), title: failed };
    }
    this.busy = null;
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
