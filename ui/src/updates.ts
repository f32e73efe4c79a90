// Updates' part of the store: where updates stand (the app says so with `update-changed`: a
// background check, Check now, an install moving on), the notice's answers (Later, keep or stop
// the running notebooks) and the intents Check now, Install and restart, Open the download page.

import { api, asIpcError, type IpcError, type ServersOnUpdate, type UpdateStatus } from "./api";
import { Part } from "./store";

export class Updates extends Part<Updates> {
  status: UpdateStatus | null = null;
  /** What the user put off with Later (a version, or a refusal's message): hidden until
   * something else comes. */
  dismissed: string | null = null;
  /** Install and restart was clicked while notebooks run: keep them or stop them? */
  asking = false;
  /** Install and restart failed before the app could say so (the command itself). */
  installError: IpcError | null = null;
  /** Settings → Check now: running, and what went wrong. */
  checking = false;
  checkError: IpcError | null = null;

  /** `runningServers`: how many notebooks run now (the question is asked only then). */
  constructor(
    changed: () => void,
    private readonly runningServers: () => number,
  ) {
    super(changed);
  }

  async load(): Promise<void> {
    try {
      this.set(await api.updateStatus());
    } catch {
      // The next `update-changed` brings it.
    }
  }

  set(status: UpdateStatus): void {
    this.assign({ status });
  }

  /** What the notice is about, unless put off: an update, an install under way, a refusal. */
  get notice(): "available" | "installing" | "problem" | null {
    const state = this.status?.state;
    if (!state) return null;
    if (state.state === "installing") return "installing";
    if (this.installError) return "problem";
    if (state.state === "available") return this.dismissed === state.data.version ? null : "available";
    if (state.state === "problem" && state.data.refused) return this.dismissed === state.data.message ? null : "problem";
    return null;
  }

  later(): void {
    const state = this.status?.state;
    if (state?.state === "available") this.dismissed = state.data.version;
    if (state?.state === "problem") this.dismissed = state.data.message;
    this.assign({ asking: false, installError: null });
  }

  async checkNow(): Promise<void> {
    this.assign({ checking: true, checkError: null, dismissed: null });
    try {
      this.assign({ status: await api.checkUpdate(), checking: false });
    } catch (err) {
      this.assign({ checkError: asIpcError(err), checking: false });
    }
  }

  /** Install and restart: first the question about running notebooks, if any run. */
  install(): void {
    this.installError = null;
    if (this.runningServers() > 0) {
      this.assign({ asking: true });
    } else {
      void this.answer("stop");
    }
  }

  cancelQuestion(): void {
    this.assign({ asking: false });
  }

  /** Downloads, verifies, installs; the app restarts as the new version when it works. */
  async answer(servers: ServersOnUpdate): Promise<void> {
    this.assign({ asking: false });
    try {
      await api.installUpdate(servers);
    } catch (err) {
      this.assign({ installError: asIpcError(err) });
    }
  }

  async openDownloadPage(): Promise<void> {
    try {
      await api.openReleasePage();
    } catch (err) {
      this.assign({ installError: asIpcError(err) });
    }
  }
}
