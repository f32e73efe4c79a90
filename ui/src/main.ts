// Boots the window: one App (the store), its views, and the servers the app tells us about
// (its watcher sends `servers-changed` when the list, an uptime minute or the memory shown
// changes, so nothing here polls).

import { api } from "./api";
import { App, type View } from "./app";
import { mount } from "./dom";
import { inEvent } from "./store";
import { computerView } from "./views/computer";
import { homeView } from "./views/home";
import { packagesView } from "./views/packages";
import { serversView } from "./views/servers";
import { settingsView } from "./views/settings";
import { updateNotice } from "./views/updates";

const VIEWS: Record<View, (app: App) => HTMLElement> = {
  home: homeView,
  packages: packagesView,
  servers: serversView,
  computer: computerView,
  settings: settingsView,
};

export function render(app: App): void {
  const main = document.getElementById("view");
  if (!main) return;
  // Keep focus on the control that had it when the view is redrawn (keyboard users).
  const focused = document.activeElement as HTMLElement | null;
  const focusKey = focused?.id || focused?.getAttribute("aria-label");
  mount(main, VIEWS[app.view](app));
  const notice = document.getElementById("update-notice");
  if (notice) mount(notice, updateNotice(app));
  if (focusKey) {
    const again = (document.getElementById(focusKey) ??
      main.querySelector(`[aria-label="${CSS.escape(focusKey)}"]`)) as HTMLElement | null;
    again?.focus();
  }
  for (const tab of document.querySelectorAll<HTMLButtonElement>("nav [data-view]")) {
    if (tab.dataset.view === app.view) tab.setAttribute("aria-current", "page");
    else tab.removeAttribute("aria-current");
  }
  const count = document.getElementById("server-count");
  if (count) {
    count.hidden = app.servers.length === 0;
    count.textContent = String(app.servers.length);
  }
}

export async function boot(): Promise<App> {
  const app = new App();
  // Asked first, so the answer is on its way while the rest is wired up.
  const loading = app.load();
  app.render = () => render(app);
  for (const tab of document.querySelectorAll<HTMLButtonElement>("nav [data-view]")) {
    tab.addEventListener(
      "click",
      inEvent(() => {
        app.show(tab.dataset.view as View);
        document.getElementById("view")?.focus();
      }),
    );
  }
  await api.onServersChanged((servers) => app.setServers(servers));
  await api.onHubsChanged((hubs) => app.hubs.set(hubs));
  // An update found (at most one check a day, in the background), refused, or installing.
  await api.onUpdateChanged((status) => app.updates.set(status));
  // A notebook double-clicked in the file manager, or a browser that could not be opened.
  await api.onPending(() => void app.home.takePending());
  // Back from the browser, where an Install click may have added a package.
  window.addEventListener("focus", () => void app.packages.refreshWhenBack());
  app.render();
  await loading;
  app.render();
  return app;
}

if (!import.meta.env?.VITEST) void boot();
