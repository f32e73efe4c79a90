// Home's part of the store: the current project and the recent ones, the project's notebooks,
// switching to another project, and what arrived while the window was not looking. Its start
// (start.ts), its own settings (projectSettings.ts), the browser-failed panel
// (browserFailed.ts), Open link… (openLink.ts) and a course's actions (course.ts) are parts of
// it; what the project offers is decided once (place.ts).

import {
  api,
  asIpcError,
  type Home,
  type IpcError,
  type LinkOpened,
  type NotebookView,
  type ProjectSettings,
  type ProjectView,
  type Template,
  type TrustChoice,
  type WayOut,
} from "./api";
import { BrowserFailedPart } from "./browserFailed";
import { CoursePart } from "./course";
import { announce } from "./dom";
import { OpenLinkPart } from "./openLink";
import { offers, type Offers } from "./place";
import type { Progress } from "./progress";
import { ProjectSettingsPart } from "./projectSettings";
import { mayStop } from "./servers";
import { EXTENSION } from "./share";
import { Starts } from "./start";
import { Part } from "./store";
import { loadLanguage, t } from "./i18n";

/** What Home needs from the window around it. */
export interface HomeContext {
  showHome(): void;
  /** Whether the project in `dir` has a running server. */
  running(dir: string): boolean;
  /** Another project became current (the Packages view follows it). */
  switched(project: ProjectView): void;
}

export class HomePart extends Part<HomePart> {
  data: Home | null = null;
  error: IpcError | null = null;
  notice: string | null = null;
  /** The current project's notebooks, newest first; null until asked. */
  notebooks: NotebookView[] | null = null;
  showAllNotebooks = false;
  readonly browser: BrowserFailedPart;
  readonly settings: ProjectSettingsPart;
  readonly starts: Starts;
  readonly links: OpenLinkPart;
  readonly course: CoursePart;

  constructor(
    changed: () => void,
    private readonly app: HomeContext,
  ) {
    super(changed);
    const current = () => (this.project && this.offers ? { dir: this.project.dir, ...this.offers } : null);
    const say = (notice: string | null) => this.assign({ notice });
    this.browser = new BrowserFailedPart(changed);
    this.settings = new ProjectSettingsPart(changed, {
      current,
      say,
      busy: () => this.busy,
      running: (dir) => app.running(dir),
      warmUp: () => this.warmUp(),
    });
    this.starts = new Starts(changed, {
      current,
      say,
      starting: () => this.browser.show(null),
      failed: (error) => this.assign({ error }),
      openPath: (path) => this.openPath(path),
      notebookOpened: () => void this.refresh(),
      showHome: () => app.showHome(),
    });
    this.links = new OpenLinkPart(changed, {
      showHome: () => app.showHome(),
      busy: () => this.busy,
      opened: (result, steps) => this.courseOpened(result, steps),
    });
    this.course = new CoursePart(changed);
  }

  get project(): ProjectView | null {
    return this.data?.project ?? null;
  }

  /** What the current project offers here: the one place that asks where it is. */
  get offers(): Offers | null {
    return this.project ? offers(this.project) : null;
  }

  get busy(): boolean {
    return this.starts.busy || this.links.busy || this.course.busy;
  }

  /** The project; Home shows as soon as it is known. */
  async load(): Promise<void> {
    try {
      // The window's language (Settings → Language) is known before Home is first drawn.
      const [data] = await Promise.all([api.home(), loadLanguage()]);
      this.assign({ data, error: null });
      if (data.project.added.length > 0) this.assign({ notice: t("home.folderReady", { dir: data.project.dir }) });
    } catch (err) {
      this.assign({ error: asIpcError(err) });
    }
  }

  /** What Home shows of the project beyond its name, and what arrived before the window. */
  loadMore(): Promise<unknown> {
    return Promise.all([this.settings.load(), this.loadNotebooks(), this.loadCourse(), this.takePending()]);
  }

  /** Where the current project came from, when from a course link or a shared file. */
  async loadCourse(): Promise<void> {
    const dir = this.project?.dir;
    if (dir && this.offers?.settings) await this.course.load(dir);
  }

  /** The current project's notebooks, for Home's list. */
  async loadNotebooks(): Promise<void> {
    const dir = this.project?.dir;
    if (!dir || !this.offers?.notebooks) return;
    try {
      const notebooks = await api.notebooks(dir);
      if (this.project?.dir === dir) this.notebooks = notebooks;
    } catch {
      if (this.project?.dir === dir) this.notebooks = [];
    }
    this.changed();
  }

  /** What arrived while the window was not looking: a notebook or a shared file to open (a
   * double-click in the file manager), a course link clicked on a web page (asked about first),
   * a browser that could not be opened. */
  async takePending(): Promise<void> {
    const link = await api.pendingLink().catch(() => null);
    if (link) {
      this.links.arrived(link);
      // The question is at the top of Home, wherever the window was scrolled.
      requestAnimationFrame(() => document.getElementById("open-link")?.scrollIntoView({ block: "start" }));
    }
    let pending;
    try {
      pending = await api.pending();
    } catch {
      return;
    }
    if (pending.browser_failed) {
      this.browser.show(pending.browser_failed);
      this.app.showHome();
      announce(t("home.browserFailed"));
    }
    if (pending.open) await this.openPath(pending.open);
  }

  /** Opens a folder or a notebook: its project becomes current, and a notebook is started. A
   * shared project file is unpacked first. */
  async openPath(path: string): Promise<void> {
    if (this.starts.queue(path)) return;
    if (path.toLowerCase().endsWith(EXTENSION)) return this.openShared(path);
    try {
      const target = await api.openPath(path);
      this.app.showHome();
      this.switchTo(target.project);
      if (target.notebook) await this.starts.start(target.notebook);
    } catch (err) {
      this.app.showHome();
      this.assign({ error: asIpcError(err) });
    }
  }

  /** A shared project file (`Name.darwinix.zip`): unpacked into a new folder where courses go,
   * made current and started (the trust prompt asks before its first install). */
  async openShared(file: string): Promise<void> {
    this.app.showHome();
    try {
      const target = await api.openShared(file);
      this.switchTo(target.project);
      this.assign({ notice: t("home.openedShared", { dir: target.project.dir }) });
      await this.starts.start(target.notebook);
    } catch (err) {
      this.assign({ error: asIpcError(err) });
    }
  }

  /** A course is on disk (Open link…): it becomes current, what the teacher's updates did is
   * shown (a course that was already here), and it starts on the link's notebook, the step
   * list going on from "Getting the course". */
  private async courseOpened(result: LinkOpened, steps: Progress): Promise<void> {
    this.app.showHome();
    this.switchTo(result.project);
    this.course.showOpened(result.project.dir, result.opened);
    await this.starts.start(result.opened.notebook, steps);
  }

  /** Get the teacher's updates; the notebooks listed change with them. */
  async updateCourse(): Promise<void> {
    const dir = this.project?.dir;
    if (!dir || this.busy) return;
    await this.course.update(dir);
    void this.loadNotebooks();
  }

  /** Start over from the teacher's version (asked first: views/course.ts). */
  async startOverCourse(): Promise<void> {
    const dir = this.project?.dir;
    if (!dir || this.busy) return;
    // Its JupyterLab is stopped first (the folder moves): asked when a cell still runs.
    if (!(await mayStop(dir))) return;
    this.starts.reset();
    await this.course.startOver(dir);
    void this.loadNotebooks();
    void this.settings.load();
  }

  /** Instant start: the engine keeps the current project's JupyterLab ready (when Settings
   * allow it and the project needs no setup work), so Start Notebook only opens the browser. */
  warmUp(): void {
    const dir = this.project?.dir;
    // Best effort: when it cannot, Start Notebook simply does the whole start.
    if (dir && this.offers?.instantStart) api.keepReady(dir).catch(() => {});
  }

  private switchTo(project: ProjectView): void {
    if (!this.data) return;
    const recent = [project, ...this.data.recent.filter((p) => p.dir !== project.dir)];
    this.assign({
      data: { ...this.data, project, recent },
      notebooks: null,
      showAllNotebooks: false,
      notice: project.added.length ? t("home.added", { files: project.added.join(", "), name: project.name }) : null,
    });
    this.starts.reset();
    this.settings.reset();
    this.course.reset();
    this.browser.show(null);
    void this.settings.load();
    void this.loadNotebooks();
    void this.loadCourse();
    this.warmUp();
    this.app.switched(project);
    announce(t("home.switched", { name: project.name }));
  }

  async openProject(dir: string): Promise<void> {
    try {
      this.switchTo(await api.openProject(dir));
    } catch (err) {
      this.assign({ error: asIpcError(err) });
    }
  }

  async chooseFolder(): Promise<void> {
    const dir = await api.pickFolder(t("home.pickFolder"));
    if (dir) await this.openProject(dir);
  }

  pickPlace(): Promise<string | null> {
    return api.pickFolder(t("home.pickPlace"));
  }

  async newProject(dir: string, template: Template): Promise<IpcError | null> {
    try {
      this.switchTo(await api.newProject(dir, template));
      return null;
    } catch (err) {
      return asIpcError(err);
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

  /** The recent lists, after a notebook was opened. */
  async refresh(): Promise<void> {
    try {
      const home = await api.home();
      if (this.data) this.assign({ data: { ...this.data, recent_notebooks: home.recent_notebooks } });
    } catch {
      // The lists stay as they were.
    }
  }

  toggleAllNotebooks(): void {
    this.assign({ showAllNotebooks: !this.showAllNotebooks });
  }

  /** Start with current versions: the pins that no longer install are left out (Darwinix
   * remembers it; the project's files stay unchanged), and the start goes on. */
  startWithCurrentVersions(): Promise<void> {
    return this.startAfter((dir) => api.setIgnorePins(dir, true));
  }

  /** One of a failed install's ways out (Use Python 3.10, Start without box2d-py, …). */
  takeWayOut(way: WayOut): Promise<void> {
    return this.startAfter((dir) => api.takeWayOut(dir, way));
  }

  /** Use Darwinix's JupyterLab instead of the one the project lists, which did not come up. */
  startWithSharedJupyterlab(): Promise<void> {
    return this.startAfter((dir) => api.setSharedJupyterlab(dir, true));
  }

  /** Install (3.5 GB): the user says yes to a big install (remembered, so a retry does not ask
   * again). */
  installBig(bytes: number): Promise<void> {
    return this.startAfter((dir) => api.confirmBigInstall(dir, bytes));
  }

  /** The trust prompt's answer: Trust and start, or Start without installing (JupyterLab with
   * Python alone). Remembered for the folder; Settings → Trusted folders forgets it. */
  answerTrust(choice: TrustChoice): Promise<void> {
    return this.startAfter((dir) => api.trustFolder(dir, choice));
  }

  /** Cancel: the prompt goes, nothing is installed or remembered. */
  cancelTrust(): void {
    this.starts.reset();
  }

  /** Starts again once a setting that a failed start offered is saved. */
  private async startAfter(change: (dir: string) => Promise<ProjectSettings>): Promise<void> {
    if (await this.settings.change(change)) await this.starts.retry();
  }
}
