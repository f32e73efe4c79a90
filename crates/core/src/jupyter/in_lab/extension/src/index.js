// Darwinix's plugins for JupyterLab's page (the Install button is src/install.js):
//
// - Saving before Darwinix stops the server: Darwinix asks its server extension, which sends
//   an event on JupyterLab's event bus; every open page saves its documents and says so. Pages
//   tell the server they are open (and when they close), so a stop waits for nobody else.
// - The first run counts: a cell run (Shift+Enter…) before the notebook's page has connected
//   to its kernel would otherwise open "Select Kernel" or do nothing; it now waits for the
//   connection (Darwinix started the kernel already) and then runs.

import { URLExt } from '@jupyterlab/coreutils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ServerConnection } from '@jupyterlab/services';

const SAVE_ALL = 'https://darwinix.org/events/lab/save-all';
const HELLO_EVERY_MS = 10000;
const RUN_COMMANDS = new Set([
  'notebook:run-cell',
  'notebook:run-cell-and-select-next',
  'notebook:run-cell-and-insert-below',
  'notebook:run-all-above',
  'notebook:run-all-below',
  'notebook:run-all-cells',
  'runmenu:run',
  'runmenu:run-all'
]);
// How long a run waits for the kernel's connection before it goes ahead as JupyterLab would.
const KERNEL_WAIT_MS = 60000;

function pageId() {
  const random = globalThis.crypto && globalThis.crypto.randomUUID;
  return random ? globalThis.crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
}

function xsrfToken() {
  const found = document.cookie.match(/(?:^|; )_xsrf=([^;]*)/);
  return found ? decodeURIComponent(found[1]) : '';
}

const saveBeforeStop = {
  id: 'darwinix-jupyterlab:save-before-stop',
  description: 'Saves every open document when Darwinix is about to stop this server.',
  autoStart: true,
  activate: app => {
    const settings = app.serviceManager.serverSettings;
    const page = pageId();
    const url = path => URLExt.join(settings.baseUrl, path);
    const post = (path, body) =>
      ServerConnection.makeRequest(url(path), { method: 'POST', body: JSON.stringify(body) }, settings).catch(
        () => undefined
      );
    const hello = () => post('darwinix/pages', { page });
    void hello();
    setInterval(hello, HELLO_EVERY_MS);
    // A closing tab says so (keepalive outlives the page), so no stop waits for it.
    window.addEventListener('pagehide', () => {
      void fetch(url('darwinix/pages'), {
        method: 'POST',
        keepalive: true,
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-XSRFToken': xsrfToken() },
        body: JSON.stringify({ page, closed: true })
      }).catch(() => undefined);
    });
    app.serviceManager.events.stream.connect((_, event) => {
      if (event.schema_id !== SAVE_ALL) {
        return;
      }
      void app.restored
        .then(() => app.commands.execute('docmanager:save-all'))
        .catch(() => undefined)
        .then(() => post('darwinix/saved', { id: event.id, page }));
    });
  }
};

async function connected(sessionContext) {
  if (sessionContext.session && sessionContext.session.kernel) {
    return;
  }
  const timeout = new Promise(resolve => setTimeout(resolve, KERNEL_WAIT_MS));
  await Promise.race([sessionContext.ready.catch(() => undefined), timeout]);
}

const firstRunCounts = {
  id: 'darwinix-jupyterlab:first-run-counts',
  description: "Runs a cell asked for before the notebook's page has connected to its kernel.",
  autoStart: true,
  requires: [INotebookTracker],
  activate: (app, tracker) => {
    const commands = app.commands;
    const execute = commands.execute.bind(commands);
    // Keyboard shortcuts, menus and toolbar buttons all go through `execute`.
    commands.execute = async (id, args) => {
      const panel = RUN_COMMANDS.has(id) ? tracker.currentWidget : null;
      if (panel) {
        await connected(panel.sessionContext);
      }
      return execute(id, args);
    };
  }
};

export default [saveBeforeStop, firstRunCounts];
