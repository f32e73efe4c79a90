// Settings' part of the store: the app's settings (shared with the CLI), the open-at-login
// switch and the Storage figures, read the first time the view shows.

import { api, asIpcError, type IpcError, type Settings } from "./api";
import { Storage } from "./storage";

export class AppSettings {
  loaded: Settings | null = null;
  /** Whether Darwinix opens at login; null until known. */
  atLogin: boolean | null = null;
  error: IpcError | null = null;
  saved = false;
  /** Settings → Storage: what Darwinix takes on disk, asked with the settings. */
  readonly storage = new Storage(() => this.render());
  private loading = false;

  /** `onSaved` lets the instant start follow the new settings. */
  constructor(
    private readonly render: () => void,
    private readonly onSaved: () => void,
  ) {}

  /** Nothing read yet (a failed read is shown, not retried on every visit). */
  get unread(): boolean {
    return !this.loaded && !this.error;
  }

  async load(): Promise<void> {
    if (this.loading) return;
    this.loading = true;
    void this.storage.load();
    try {
      this.loaded = await api.getSettings();
    } catch (err) {
      this.error = asIpcError(err);
    }
    try {
      this.atLogin = await api.openAtLogin.get();
    } catch {
      this.atLogin = false;
    }
    this.loading = false;
    this.render();
  }

  async save(settings: Settings): Promise<void> {
    try {
      this.loaded = await api.saveSettings(settings);
      [this.saved, this.error] = [true, null];
      this.onSaved();
    } catch (err) {
      [this.saved, this.error] = [false, asIpcError(err)];
    }
    this.render();
  }

  async setOpenAtLogin(on: boolean): Promise<void> {
    try {
      await api.openAtLogin.set(on);
      this.atLogin = on;
    } catch (err) {
      [this.saved, this.error] = [false, asIpcError(err)];
    }
    this.render();
  }
}
