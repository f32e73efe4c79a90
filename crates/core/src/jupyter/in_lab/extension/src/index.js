// Saving before Darwinix stops the server: Darwinix asks its server extension, which sends an
// event on JupyterLab's event bus; every open page saves its documents and says so. Pages tell
// the server they are open, so a stop with no page open waits for nobody.

import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

const SAVE_ALL = 'https://darwinix.org/events/lab/save-all';
const HELLO_EVERY_MS = 20000;

function pageId() {
  const random = globalThis.crypto && globalThis.crypto.randomUUID;
  return random ? globalThis.crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
}

const plugin = {
  id: 'darwinix-jupyterlab:save-before-stop',
  description: 'Saves every open document when Darwinix is about to stop this server.',
  autoStart: true,
  activate: app => {
    const settings = app.serviceManager.serverSettings;
    const page = pageId();
    const post = (path, body) =>
      ServerConnection.makeRequest(
        URLExt.join(settings.baseUrl, path),
        { method: 'POST', body: JSON.stringify(body) },
        settings
      ).catch(() => undefined);
    const hello = () => post('darwinix/pages', { page });
    void hello();
    setInterval(hello, HELLO_EVERY_MS);
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

export default plugin;
