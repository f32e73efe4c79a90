// The window's one store: every bit of state is reachable from `App` (its parts for Packages,
// This computer, Settings and the server cards live next to it), and every action is a method
// (an intent). Views only read it and call intents; each change calls `render`, which redraws
// the current view. Loads start here, from intents such as `show`, never from a view.

import {
  api,
  asIpcError,
  type BackendChoice,
  type BrowserFailed,
  type Home,
  type IpcError,
  type NotebookView,
  type ProjectSettings,
  type ProjectView,
  type Status,
  type Template,
  type WayOut,
} from "./api";
import { Computer } from "./computer";
import { Hubs } from "./hubs";
import { announce } from "./dom";
import { Packages } from "./packages";
import * as progress from "./progress";
import { COPIED, ServerCards, type Said } from "./servers";
import { AppSettings } from "./settings";
import { Updates } from "./updates";

export type View = "home" | "packages" | "servers" | "computer" | "settings";

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
  progress: progress.Progress;
  error: IpcError | null;
  showLog: boolean;
}

/** How long after the window shows the instant start begins: starting JupyterLab competes for
 * the CPU with the window's first paint. Tests set 0. */
export const timing = { warmUpDelayMs: 1500 };

export class App {
  view: View = "home";
  home: Home | null = null;
  homeError: IpcError | null = null;
  servers: Status[] = [];
  run: Run | null = null;
  notice: string | null = null;
  /** The current project's own settings (where it runs); null until asked. */
  projectSettings: ProjectSettings | null = null;
  projectSettingsError: IpcError | null = null;
  projectSettingsOpen = false;
  /** The current project's notebooks, newest first; null until asked. */
  notebooks: NotebookView[] | null = null;
  showAllNotebooks = false;
  /** The browser could not be opened: Home shows where to go instead. */
  browserFailed: BrowserFailed | null = null;
  /** The answer to the last button of the browser-failed panel. */
  browserFailedSaid: Said | null = null;
  /** A notebook handed over while a start was running: opened when it is done. */
  queuedOpen: string | null = null;
  /** Packages found in a bare folder's notebooks, waiting for the user's yes. */
  found: FoundPackages | null = null;
  /** Redraws the window; set by main.ts (tests set their own). */
  render: () => void = () => {};
  /** The Packages view of the current project. */
  readonly packages = new Packages(() => this.render());
  readonly computer = new Computer(() => this.render());
  readonly settings = new AppSettings(
    () => this.render(),
    () => this.warmUp(),
  );
  readonly cards = new ServerCards(() => this.render());
  readonly hubs = new Hubs(() => this.render());
  readonly updates = new Updates(
    () => this.render(),
    () => this.servers.length,
  );

  /** Shows a view; one that lists something of the project asks for it afresh, the others
   * ask for what they show the first time. */
  show(view: View): void {
    this.view = view;
    const dir = this.project?.dir;
    if (view === "packages" && dir) void this.packages.open(dir);
    if (view === "computer" && this.computer.unchecked) void this.computer.check();
    if (view === "settings" && this.settings.unread) void this.settings.load();
    this.render();
  }

  get project(): ProjectView | null {
    return this.home?.project ?? null;
  }

  serverOf(dir: string): Status | undefined {
    return this.servers.find((s) => s.dir === dir);
  }

  get busy(): boolean {
    return this.run !== null && !this.run.progress.finished;
  }

  /** The project and the servers, asked at once; Home shows as soon as the project is known. */
  async load(): Promise<void> {
    const servers = this.loadServers();
    try {
      this.home = await api.home();
      this.homeError = null;
      const added = this.home.project.added;
      if (added.length > 0) this.notice = `Your notebook folder is ready: ${this.home.project.dir}`;
    } catch (err) {
      this.homeError = asIpcError(err);
    }
    this.render();
    await Promise.all([servers, this.hubs.load(), this.updates.load(), this.loadProjectSettings(), this.loadNotebooks(), this.takePending()]);
    setTimeout(() => this.warmUp(), timing.warmUpDelayMs);
  }

  /** The current project's notebooks, for Home's list. */
  async loadNotebooks(): Promise<void> {
    const dir = this.project?.dir;
    if (!dir || this.project?.host) return;
    try {
      const notebooks = await api.notebooks(dir);
      if (this.project?.dir === dir) this.notebooks = notebooks;
    } catch {
      if (this.project?.dir === dir) this.notebooks = [];
    }
    this.render();
  }

  /** What arrived while the window was not looking: a notebook to open (a double-click in the
   * file manager), a browser that could not be opened. */
  async takePending(): Promise<void> {
    let pending;
    try {
      pending = await api.pending();
    } catch {
      return;
    }
    if (pending.browser_failed) {
      this.setBrowserFailed(pending.browser_failed);
      this.view = "home";
      announce("Your browser could not be opened");
      this.render();
    }
    if (pending.open) await this.openPath(pending.open);
  }

  /** Opens a folder or a notebook: its project becomes current, and a notebook is started. */
  async openPath(path: string): Promise<void> {
    if (this.busy) {
      this.queuedOpen = path;
      return;
    }
    try {
      const target = await api.openPath(path);
      this.view = "home";
      this.switchTo(target.project);
      if (target.notebook) await this.start(target.notebook);
    } catch (err) {
      this.view = "home";
      this.homeError = asIpcError(err);
      this.render();
    }
  }

  /** Instant start: the engine keeps the current project's JupyterLab ready (when Settings
   * allow it and the project needs no setup work), so Start Notebook only opens the browser. */
  warmUp(): void {
    // A remote project's server starts only when asked: it runs on someone's machine.
    if (this.project?.host) return;
    const dir = this.project?.dir;
    // Best effort: when it cannot, Start Notebook simply does the whole start.
    if (dir) api.keepReady(dir).catch(() => {});
  }

  async loadProjectSettings(): Promise<void> {
    const dir = this.project?.dir;
    if (!dir || this.project?.host) return;
    try {
      const settings = await api.projectSettings(dir);
      if (this.project?.dir === dir) this.projectSettings = settings;
    } catch (err) {
      if (this.project?.dir === dir) this.projectSettingsError = asIpcError(err);
    }
    this.render();
  }

  /** Where the current project runs; its next start rebuilds `.venv` there. */
  async setBackend(backend: BackendChoice): Promise<void> {
    const dir = this.project?.dir;
    if (!dir) return;
    try {
      const settings = await api.setBackend(dir, backend);
      if (this.project?.dir !== dir) return;
      this.projectSettings = settings;
      this.projectSettingsError = null;
      this.notice = this.serverOf(dir)
        ? "Saved. Stop and start the notebook to run it there."
        : "Saved. The next start prepares the project there.";
      this.warmUp();
    } catch (err) {
      this.projectSettingsError = asIpcError(err);
    }
    this.render();
  }

  /** Adds PyTorch built for this computer's GPU (or CPU) to the current project. */
  async makeGpuReady(): Promise<void> {
    const dir = this.project?.dir;
    if (!dir || this.busy) return;
    try {
      const ready = await api.makeGpuReady(dir);
      this.projectSettingsError = null;
      this.notice =
        ready.added.length || ready.replaced
          ? `Added ${ready.added.join(", ") || "the PyTorch index"} to requirements.txt (${ready.wheels}). Start Notebook installs it.`
          : `This project is GPU-ready already (${ready.wheels}).`;
      announce(this.notice);
    } catch (err) {
      this.projectSettingsError = asIpcError(err);
    }
    this.render();
  }

  /** The servers running when the window opens; after that, changes come from the app's
   * `servers-changed` event (`setServers`) only. */
  private async loadServers(): Promise<void> {
    try {
      this.setServers(await api.servers());
    } catch {
      // The watcher's next event brings them.
    }
  }

  setServers(servers: Status[]): void {
    this.servers = servers;
    this.render();
  }

  toggleAllNotebooks(): void {
    this.showAllNotebooks = !this.showAllNotebooks;
    this.render();
  }

  /** Remembered so that a redraw keeps the section as the user left it; the DOM already shows
   * it, hence no render. */
  setProjectSettingsOpen(open: boolean): void {
    this.projectSettingsOpen = open;
  }

  /** The found list as the user edits it (no render: the text box already shows it). */
  editFound(text: string): void {
    if (this.found) this.found.text = text;
  }

  showRunLog(open: boolean): void {
    if (this.run) this.run.showLog = open;
  }

  pickPlace(): Promise<string | null> {
    return api.pickFolder("Where to create the project");
  }

  private setBrowserFailed(failed: BrowserFailed | null): void {
    this.browserFailed = failed;
    this.browserFailedSaid = null;
  }

  /** The browser-failed panel's "Open in browser": the panel goes once a browser opened. */
  async openFailedBrowser(): Promise<void> {
    const failed = this.browserFailed;
    if (!failed) return;
    try {
      await api.openServer(failed.dir, failed.notebook);
      this.setBrowserFailed(null);
    } catch (err) {
      this.browserFailedSaid = { error: asIpcError(err), title: "The browser still could not be opened" };
    }
    this.render();
  }

  /** The browser-failed panel's "Copy link": the notebook's address, with the token that logs
   * in. */
  async copyFailedLink(): Promise<void> {
    const failed = this.browserFailed;
    if (!failed) return;
    try {
      let link = await api.serverLink(failed.dir);
      if (failed.notebook) link = `${failed.address}?${link.split("?")[1]}`;
      await api.copy(link);
      this.browserFailedSaid = { text: COPIED };
    } catch (err) {
      this.browserFailedSaid = { error: asIpcError(err) };
    }
    this.render();
  }

  private switchTo(project: ProjectView): void {
    if (!this.home) return;
    const recent = [project, ...this.home.recent.filter((p) => p.dir !== project.dir)];
    this.home = { ...this.home, project, recent };
    this.run = null;
    this.projectSettings = null;
    this.projectSettingsError = null;
    this.notebooks = null;
    this.showAllNotebooks = false;
    this.setBrowserFailed(null);
    void this.loadProjectSettings();
    void this.loadNotebooks();
    this.warmUp();
    this.found = null;
    if (this.view === "packages") void this.packages.open(project.dir);
    this.notice = project.added.length ? `Added ${project.added.join(", ")} to ${project.name}.` : null;
    announce(`Project ${project.name}`);
    this.render();
  }

  async openProject(dir: string): Promise<void> {
    try {
      this.switchTo(await api.openProject(dir));
    } catch (err) {
      this.homeError = asIpcError(err);
      this.render();
    }
  }

  /** Open remote folder… → Test connection: `onStep` gets each step's words as it happens. */
  async testRemote(address: string, onStep: (text: string) => void): Promise<IpcError | null> {
    try {
      await api.testRemote(address, (e) => {
        if (e.event === "step") onStep(e.data.detail);
      });
      return null;
    } catch (err) {
      return asIpcError(err);
    }
  }

  async chooseFolder(): Promise<void> {
    const dir = await api.pickFolder("Open a project folder");
    if (dir) await this.openProject(dir);
  }

  async newProject(dir: string, template: Template): Promise<IpcError | null> {
    try {
      this.switchTo(await api.newProject(dir, template));
      return null;
    } catch (err) {
      return asIpcError(err);
    }
  }

  /** The one button: prepare, start (or reuse) and open the current project's JupyterLab —
   * or one of its notebooks. */
  async start(notebook: string | null = null): Promise<void> {
    const dir = this.project?.dir;
    if (!dir || this.busy) return;
    this.setBrowserFailed(null);
    if (await this.askAboutImports(dir, notebook)) return;
    await this.track(
      dir,
      (onEvent) => api.startNotebook(dir, notebook, onEvent),
      notebook ? `${notebook} is open in your browser.` : "JupyterLab is open in your browser.",
    );
    // Opening a notebook changes the recent ones.
    if (notebook) void this.refreshHome();
  }

  /** A folder with no list of packages whose notebooks import some: the list is shown first
   * (Home's "Found in your notebooks"), and the start waits for the user. */
  private async askAboutImports(dir: string, notebook: string | null): Promise<boolean> {
    if (this.project?.host) return false; // Darwinix on the remote reads its folder itself.
    let found;
    try {
      found = await api.packagesFound(dir);
    } catch {
      return false; // The start itself says what is wrong.
    }
    if (!found || found.packages.length === 0) return false;
    this.found = { dir, notebook, text: found.packages.join("\n"), warnings: found.warnings };
    this.run = null;
    announce(`Found ${found.packages.length} packages in your notebooks`);
    this.render();
    return true;
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
      this.homeError = asIpcError(err);
      this.render();
      return;
    }
    this.found = null;
    this.notice = `Wrote requirements.txt with ${packages.length} packages; edit it any time.`;
    await this.start(found.notebook);
  }

  cancelFound(): void {
    this.found = null;
    this.render();
  }

  /** Start with current versions: the project's pins that no longer install are left out
   * (Darwinix remembers it; the project's files stay unchanged). */
  async setIgnorePins(ignore: boolean): Promise<void> {
    const dir = this.project?.dir;
    if (!dir) return;
    try {
      this.projectSettings = await api.setIgnorePins(dir, ignore);
      this.projectSettingsError = null;
    } catch (err) {
      this.projectSettingsError = asIpcError(err);
    }
    this.render();
  }

  /** Darwinix's JupyterLab for a project that lists its own (on), or the project's again. */
  async setSharedJupyterlab(shared: boolean): Promise<void> {
    await this.changeProjectSettings((dir) => api.setSharedJupyterlab(dir, shared));
  }

  /** Packages from: a setup file the user picked, or null for Darwinix's choice. */
  async setSourceFile(file: string | null): Promise<void> {
    await this.changeProjectSettings((dir) => api.setSourceFile(dir, file));
  }

  /** The Python the project's environment is made with, or null for what its files ask. */
  async setPythonVersion(version: string | null): Promise<void> {
    await this.changeProjectSettings((dir) => api.setPythonVersion(dir, version));
  }

  private async changeProjectSettings(change: (dir: string) => Promise<ProjectSettings>): Promise<void> {
    const dir = this.project?.dir;
    if (!dir) return;
    try {
      this.projectSettings = await change(dir);
      this.projectSettingsError = null;
    } catch (err) {
      this.projectSettingsError = asIpcError(err);
    }
    this.render();
  }

  async startWithCurrentVersions(): Promise<void> {
    await this.setIgnorePins(true);
    if (!this.projectSettingsError) await this.start();
  }

  /** One of a failed install's ways out (Use Python 3.10, Start without box2d-py, …):
   * Darwinix remembers it for the project (its files stay unchanged), then starts again. */
  async takeWayOut(way: WayOut): Promise<void> {
    const dir = this.project?.dir;
    if (!dir) return;
    try {
      this.projectSettings = await api.takeWayOut(dir, way);
      this.projectSettingsError = null;
    } catch (err) {
      this.projectSettingsError = asIpcError(err);
      this.render();
      return;
    }
    await this.start();
  }

  /** Use Darwinix's JupyterLab instead of the one the project lists, which did not come up
   * (Darwinix remembers it; the project's files stay unchanged), and start again. */
  async startWithSharedJupyterlab(): Promise<void> {
    const dir = this.project?.dir;
    if (!dir) return;
    try {
      this.projectSettings = await api.setSharedJupyterlab(dir, true);
      this.projectSettingsError = null;
    } catch (err) {
      this.projectSettingsError = asIpcError(err);
      this.render();
      return;
    }
    await this.start();
  }

  /** Install (3.5 GB): the user says yes to a big install (Darwinix remembers the size, so a
   * retry does not ask again), and the start goes on. */
  async installBig(bytes: number): Promise<void> {
    const dir = this.project?.dir;
    if (!dir) return;
    try {
      this.projectSettings = await api.confirmBigInstall(dir, bytes);
      this.projectSettingsError = null;
    } catch (err) {
      this.projectSettingsError = asIpcError(err);
      this.render();
      return;
    }
    await this.start();
  }

  /** The recent lists, after a notebook was opened. */
  async refreshHome(): Promise<void> {
    try {
      const home = await api.home();
      if (this.home) this.home = { ...this.home, recent_notebooks: home.recent_notebooks };
      this.render();
    } catch {
      // The lists stay as they were.
    }
  }

  async restart(dir: string): Promise<void> {
    if (this.busy) return;
    this.view = "home";
    await this.track(dir, (onEvent) => api.restartServer(dir, onEvent), "JupyterLab restarted.");
  }

  private async track(
    dir: string,
    call: (onEvent: (e: import("./api").SetupEvent) => void) => Promise<unknown>,
    success: string,
  ): Promise<void> {
    const run: Run = { dir, progress: progress.initial(), error: null, showLog: this.run?.showLog ?? false };
    this.run = run;
    this.notice = null;
    announce("Starting your notebook");
    this.render();
    let frame = 0;
    const redraw = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        this.render();
      });
    };
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
    this.render();
    const next = this.queuedOpen;
    this.queuedOpen = null;
    if (next) await this.openPath(next);
  }

  /** The card goes when the app says the servers changed. */
  stop(dir: string): Promise<void> {
    return this.cards.act(dir, "stop", async () => {
      await api.stopServer(dir);
      announce("Server stopped");
    });
  }
}
