// The current project's own settings: where it runs, the setup file and Python it is made with,
// and the choices a failed start offers. Darwinix remembers them; the project's files stay as
// they are.

import { api, asIpcError, type BackendChoice, type IpcError, type ProjectSettings } from "./api";
import { announce } from "./dom";
import { Part } from "./store";

/** What the settings need from the rest of Home. */
export interface SettingsContext {
  /** The current project's folder, and whether it has settings of its own here. */
  current(): { dir: string; settings: boolean } | null;
  busy(): boolean;
  running(dir: string): boolean;
  say(notice: string): void;
  /** The settings changed where the project runs: the server kept ready follows. */
  warmUp(): void;
}

export class ProjectSettingsPart extends Part<ProjectSettingsPart> {
  /** Null until asked. */
  value: ProjectSettings | null = null;
  error: IpcError | null = null;
  /** The section is open (kept across redraws as the user left it). */
  open = false;

  constructor(
    changed: () => void,
    private readonly home: SettingsContext,
  ) {
    super(changed);
  }

  private get dir(): string | null {
    return this.home.current()?.dir ?? null;
  }

  /** Remembered so that a redraw keeps the section as the user left it; the DOM already shows
   * it, hence no redraw. */
  keepOpen(open: boolean): void {
    this.open = open;
  }

  /** Another project became current. */
  reset(): void {
    this.assign({ value: null, error: null });
  }

  async load(): Promise<void> {
    const current = this.home.current();
    if (!current?.settings) return;
    const dir = current.dir;
    try {
      const value = await api.projectSettings(dir);
      if (this.dir === dir) this.value = value;
    } catch (err) {
      if (this.dir === dir) this.error = asIpcError(err);
    }
    this.changed();
  }

  /** Where the current project runs; its next start rebuilds `.venv` there. */
  async setBackend(backend: BackendChoice): Promise<void> {
    const dir = this.dir;
    if (!dir) return;
    try {
      const value = await api.setBackend(dir, backend);
      if (this.dir !== dir) return;
      this.assign({ value, error: null });
      this.home.say(
        this.home.running(dir)
          ? "Saved. Stop and start the notebook to run it there."
          : "Saved. The next start prepares the project there.",
      );
      this.home.warmUp();
    } catch (err) {
      this.assign({ error: asIpcError(err) });
    }
  }

  /** Adds PyTorch built for this computer's GPU (or CPU) to the current project. */
  async makeGpuReady(): Promise<void> {
    const dir = this.dir;
    if (!dir || this.home.busy()) return;
    try {
      const ready = await api.makeGpuReady(dir);
      this.assign({ error: null });
      const notice =
        ready.added.length || ready.replaced
          ? `Added ${ready.added.join(", ") || "the PyTorch index"} to requirements.txt (${ready.wheels}). Start Notebook installs it.`
          : `This project is GPU-ready already (${ready.wheels}).`;
      this.home.say(notice);
      announce(notice);
    } catch (err) {
      this.assign({ error: asIpcError(err) });
    }
  }

  /** Start with current versions: the project's pins that no longer install are left out. */
  setIgnorePins(ignore: boolean): Promise<boolean> {
    return this.change((dir) => api.setIgnorePins(dir, ignore));
  }

  /** Darwinix's JupyterLab for a project that lists its own (on), or the project's again. */
  setSharedJupyterlab(shared: boolean): Promise<boolean> {
    return this.change((dir) => api.setSharedJupyterlab(dir, shared));
  }

  /** Packages from: a setup file the user picked, or null for Darwinix's choice. */
  setSourceFile(file: string | null): Promise<boolean> {
    return this.change((dir) => api.setSourceFile(dir, file));
  }

  /** The Python the project's environment is made with, or null for what its files ask. */
  setPythonVersion(version: string | null): Promise<boolean> {
    return this.change((dir) => api.setPythonVersion(dir, version));
  }

  /** Changes a setting of the current project; whether it was saved. */
  async change(change: (dir: string) => Promise<ProjectSettings>): Promise<boolean> {
    const dir = this.dir;
    if (!dir) return false;
    try {
      this.assign({ value: await change(dir), error: null });
      return true;
    } catch (err) {
      this.assign({ error: asIpcError(err) });
      return false;
    }
  }
}
