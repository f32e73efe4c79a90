// Updates' part of the store: where updates stand (the app says so with `update-changed`: a
// background check, Check now, an install moving on), the notice's answers (Later, keep or stop
// the running notebooks) and the intents Check now, Install and restart, Open the download page.

import { api, asIpcError, type IpcError, type ServersOnUpdate, type UpdateStatus } from "./api";

export class Updates {
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
    private readonly render: () => void,
    private readonly runningServers: () => number,
  ) {}

  async load(): Promise<void> {
    try {
      this.set(await api.updateStatus());
    } catch {
      // The next `update-changed` brings it.
    }
  }

  set(status: UpdateStatus): void {
    this.status = status;
    this.render();
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
    [this.asking, this.installError] = [false, null];
    this.render();
  }

  async checkNow(): Promise<void> {
    [this.checking, this.checkError, this.dismissed] = [true, null, null];
    this.render();
    try {
      this.status = await api.checkUpdate();
    } catch (err) {
      this.checkError = asIpcError(err);
    }
    this.checking = false;
    this.render();
  }

  /** Install and restart: first the question about running notebooks, if any run. */
  install(): void {
    this.installError = null;
    if (this.runningServers() > 0) {
      this.asking = true;
      this.render();
    } else {
      void this.answer("stop");
    }
  }

  cancelQuestion(): void {
    this.asking = false;
    this.render();
  }

  /** Downloads, verifies, installs; the app restarts as the new version when it works. */
  async answer(servers: ServersOnUpdate): Promise<void> {
    this.asking = false;
    this.render();
    try {
      await api.installUpdate(servers);
    } catch (err) {
      this.installError = asIpcError(err);
      this.render();
    }
  }

  async openDownloadPage(): Promise<void> {
    try {
      await api.openReleasePage();
    } catch (err) {
      this.installError = asIpcError(err);
      this.render();
    }
  }
}
