// The Install button under a cell that failed on a missing module (or ran `pip install`): a
// renderer for the MIME type Darwinix's kernel hook displays. It is "safe" (it writes text,
// never HTML), so it shows in a notebook reopened untrusted too. The click posts to Darwinix's
// server extension through JupyterLab's own connection (login and XSRF token); the server takes
// the package's name from Darwinix's import table, never from the output.

import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { Widget } from '@lumino/widgets';

export const MIME_TYPE = 'application/vnd.darwinix.install+json';

// The button's name never comes from the output (a saved notebook can say anything): a
// module's package is asked from Darwinix's import table; packages a cell installed with pip are
// installed only after the question page, where the user confirms them.
async function what(data) {
  const settings = ServerConnection.makeSettings();
  if (typeof data.module === 'string' && data.module) {
    const url = URLExt.join(settings.baseUrl, 'darwinix/install') + '?' + new URLSearchParams({ module: data.module, format: 'json' });
    const response = await ServerConnection.makeRequest(url, {}, settings);
    const offer = response.ok ? await response.json() : {};
    if (typeof offer.package !== 'string' || !offer.package) {
      return { sentence: offer.sentence };
    }
    return { sentence: offer.sentence, label: `Install ${offer.package}`, body: { module: data.module }, name: offer.package };
  }
  const packages = Array.isArray(data.packages) ? data.packages.filter(p => typeof p === 'string') : [];
  if (packages.length) {
    const query = new URLSearchParams(packages.map(p => ['package', p]));
    return { label: `Install and record ${packages.join(', ')}…`, page: URLExt.join(settings.baseUrl, 'darwinix/install') + '?' + query };
  }
  return {};
}

async function install(body) {
  const settings = ServerConnection.makeSettings();
  const response = await ServerConnection.makeRequest(
    URLExt.join(settings.baseUrl, 'darwinix/install'),
    { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } },
    settings
  );
  if (!response.ok) {
    throw new Error(`the server answered ${response.status} ${response.statusText}`);
  }
  return response.json();
}

// `sklearn` in Darwinix's sentences is code: shown as such, never as HTML.
function words(text) {
  return String(text || '')
    .split('`')
    .map((part, i) => {
      if (i % 2 === 0) {
        return document.createTextNode(part);
      }
      const code = document.createElement('code');
      code.textContent = part;
      return code;
    });
}

export class InstallOffer extends Widget {
  constructor(options) {
    super();
    this._mimeType = options.mimeType;
    this.addClass('darwinix-install');
  }

  async renderModel(model) {
    const data = model.data[this._mimeType] || {};
    const sentence = document.createElement('span');
    sentence.className = 'darwinix-install-sentence';
    sentence.replaceChildren(...words(data.sentence));
    this.node.replaceChildren(sentence);
    let offer = {};
    try {
      offer = await what(data);
    } catch (error) {
      offer = {};
    }
    if (offer.sentence) {
      sentence.replaceChildren(...words(offer.sentence));
    }
    if (!offer.label) {
      return;
    }
    const button = document.createElement('button');
    button.className = 'jp-Button jp-mod-styled jp-mod-accept darwinix-install-button';
    button.textContent = offer.label;
    const status = document.createElement('div');
    status.className = 'darwinix-install-status';
    status.setAttribute('role', 'status');
    button.addEventListener('click', () =>
      offer.page ? window.open(offer.page, '_blank', 'noopener') : void this._click(offer, button, status)
    );
    this.node.append(' ', button, status);
  }

  async _click(offer, button, status) {
    button.disabled = true;
    status.textContent = `Installing ${offer.name}…`;
    try {
      const answer = await install(offer.body);
      status.textContent = answer.ok ? `${answer.message} Run the cell again.` : answer.message;
      status.classList.toggle('darwinix-install-failed', !answer.ok);
      button.disabled = !!answer.ok;
    } catch (error) {
      status.textContent = `Darwinix could not install ${offer.name}: ${error.message}`;
      status.classList.add('darwinix-install-failed');
      button.disabled = false;
    }
  }
}

const extension = {
  id: 'darwinix-jupyterlab:install',
  rendererFactory: {
    safe: true,
    mimeTypes: [MIME_TYPE],
    defaultRank: 10,
    createRenderer: options => new InstallOffer(options)
  },
  rank: 10,
  dataType: 'json'
};

export default extension;
