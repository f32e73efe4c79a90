// The window's one store: every bit of state is reachable from `App`, in parts that each own
// theirs (Home, Packages, This computer, Settings, the server cards, the hubs, the updates), and
// every action is a method of a part (an intent). Views only read it and call intents. Each
// change schedules one redraw of the current view (store.ts). Loads start from intents such as
// `show`, never from a view.

import { api, type Status } from "./api";
import { Computer } from "./computer";
import { HomePart } from "./home";
import { Hubs } from "./hubs";
import { Packages } from "./packages";
import { ServerCards } from "./servers";
import { AppSettings } from "./settings";
import { batched } from "./store";
import { Updates } from "./updates";

export type View = "home" | "packages" | "servers" | "computer" | "settings";

/** How long after the window shows the instant start begins: starting JupyterLab competes for
 * the CPU with the window's first paint. Tests set 0. */
export const timing = { warmUpDelayMs: 1500 };

export class App {
  view: View = "home";
  servers: Status[] = [];
  /** Draws the window now; set by main.ts (tests set their own). Changes call `changed`. */
  render: () => void = () => {};
  /** Schedules the one redraw after the current turn; every part calls it on a change. */
  readonly changed = batched(() => this.render());
  readonly home = new HomePart(this.changed, {
    showHome: () => this.show("home"),
    running: (dir) => this.serverOf(dir) !== undefined,
    switched: (project) => {
      if (this.view === "packages") void this.packages.open(project.dir);
    },
  });
  /** The Packages view of the current project. */
  readonly packages = new Packages(this.changed);
  readonly computer = new Computer(this.changed);
  readonly settings = new AppSettings(this.changed, () => this.home.warmUp());
  readonly cards = new ServerCards(this.changed);
  readonly hubs = new Hubs(this.changed);
  readonly updates = new Updates(this.changed, () => this.servers.length);

  /** Shows a view; one that lists something of the project asks for it afresh, the others
   * ask for what they show the first time. */
  show(view: View): void {
    this.view = view;
    const dir = this.home.project?.dir;
    if (view === "packages" && dir) void this.packages.open(dir);
    if (view === "computer" && this.computer.unchecked) void this.computer.check();
    if (view === "settings" && this.settings.unread) void this.settings.load();
    this.changed();
  }

  serverOf(dir: string): Status | undefined {
    return this.servers.find((s) => s.dir === dir);
  }

  get busy(): boolean {
    return this.home.busy;
  }

  /** The project and the servers, asked at once; Home shows as soon as the project is known. */
  async load(): Promise<void> {
    const servers = this.loadServers();
    await this.home.load();
    await Promise.all([servers, this.hubs.load(), this.updates.load(), this.home.loadMore()]);
    setTimeout(() => this.home.warmUp(), timing.warmUpDelayMs);
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
    this.changed();
  }
}
