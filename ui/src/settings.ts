// Settings' part of the store: the app's settings (shared with the CLI), the open-at-login
// switch and the Storage figures, read the first time the view shows.

import { api, asIpcError, type IpcError, type LanguageChoices, type Settings } from "./api";
import { Storage } from "./storage";
import { Part } from "./store";
import { TrustedFolders } from "./trusted";

export class AppSettings extends Part<AppSettings> {
  loaded: Settings | null = null;
  /** Settings → Language's list and this computer's language; null until known (or when the
   * engine could not say: the list then holds the saved choice alone). */
  languages: LanguageChoices | null = null;
  /** Whether Darwinix opens at login; null until known. */
  atLogin: boolean | null = null;
  error: IpcError | null = null;
  saved = false;
  /** Settings → Storage: what Darwinix takes on disk, asked with the settings. */
  readonly storage = new Storage(this.changed);
  /** Settings → Trusted folders: the trust prompt's answers. */
  readonly trusted = new TrustedFolders(this.changed);
  private loading = false;

  /** `onSaved` lets the instant start follow the new settings. */
  constructor(
    changed: () => void,
    private readonly onSaved: () => void,
  ) {
    super(changed);
  }

  /** Nothing read yet (a failed read is shown, not retried on every visit). */
  get unread(): boolean {
    return !this.loaded && !this.error;
  }

  async load(): Promise<void> {
    if (this.loading) return;
    this.loading = true;
    void this.storage.load();
    void this.trusted.load();
    const languages = api.languages().catch(() => null);
    try {
      this.loaded = await api.getSettings();
    } catch (err) {
      this.error = asIpcError(err);
    }
    this.languages = await languages;
    try {
      this.atLogin = await api.openAtLogin.get();
    } catch {
      this.atLogin = false;
    }
    this.loading = false;
    this.changed();
  }

  async save(settings: Settings): Promise<void> {
    try {
      this.assign({ loaded: await api.saveSettings(settings), saved: true, error: null });
      this.onSaved();
    } catch (err) {
      this.assign({ saved: false, error: asIpcError(err) });
    }
  }

  async setOpenAtLogin(on: boolean): Promise<void> {
    try {
      await api.openAtLogin.set(on);
      this.assign({ atLogin: on });
    } catch (err) {
      this.assign({ saved: false, error: asIpcError(err) });
    }
  }
}
