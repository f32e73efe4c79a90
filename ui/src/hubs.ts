// The JupyterHub part of the store: the user's hubs with their servers (from the app's
// hubs-changed event), and what each server's row shows beyond that: the button under way, the
// start's last step, the answer to its last button.

import { api, asIpcError, type HubStatus, type IpcError } from "./api";
import type { Said } from "./servers";
import { Part } from "./store";

export interface Row {
  acting: string | null;
  /** The hub's last word while a start is under way ("Server requested", "Spawning…"). */
  step: string | null;
  said: Said | null;
}

/** A hub's server, as rows are keyed: the hub's address and the server's name ("" = default). */
export const rowKey = (url: string, server: string) => `${url}#${server}`;

/**
 * Whether the token would cross the network unencrypted: plain http:// to anything but this
 * computer's loopback (127.0.0.0/8, [::1], localhost), the engine's rule. An address without a
 * scheme is taken as https://, as the engine takes it.
 */
export function isPlainRemote(address: string): boolean {
  const text = address.trim();
  if (!/^http:\/\//i.test(text)) return false;
  let host: string;
  try {
    host = new URL(text).hostname.toLowerCase();
  } catch {
    return false;
  }
  return !(host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host));
}

export class Hubs extends Part<Hubs> {
  list: HubStatus[] = [];
  private readonly rows = new Map<string, Row>();
  /** The whole section's last answer (Remove). */
  said: Said | null = null;

  row(url: string, server: string): Row {
    const key = rowKey(url, server);
    let row = this.rows.get(key);
    if (!row) {
      row = { acting: null, step: null, said: null };
      this.rows.set(key, row);
    }
    return row;
  }

  set(list: HubStatus[]): void {
    // No hubs before and none now (most people's case): nothing to redraw.
    if (list.length === 0 && this.list.length === 0) return;
    this.assign({ list });
  }

  /** The hubs when the window opens; after that, changes come from the app's event. */
  async load(): Promise<void> {
    try {
      this.set(await api.hubs());
    } catch {
      // The watcher's next event brings them.
    }
  }

  private async act(url: string, server: string, action: string, fn: (row: Row) => Promise<unknown>): Promise<void> {
    const row = this.row(url, server);
    row.acting = action;
    row.said = null;
    this.changed();
    try {
      await fn(row);
    } catch (err) {
      row.said = { error: asIpcError(err) };
    } finally {
      row.acting = null;
      row.step = null;
      this.changed();
    }
  }

  /** Starts the server with the hub's progress, then opens it. */
  start(url: string, server: string): Promise<void> {
    return this.act(url, server, "start", (row) =>
      api.hubStart(url, server || null, (e) => {
        if (e.event === "step") row.step = e.data.detail;
        if (e.event === "progress" && e.data.item) row.step = e.data.item;
        this.changed();
      }),
    );
  }

  stop(url: string, server: string): Promise<void> {
    return this.act(url, server, "stop", () => api.hubStop(url, server || null));
  }

  open(url: string, server: string): Promise<void> {
    return this.act(url, server, "open", () => api.hubOpen(url, server || null));
  }

  async remove(url: string): Promise<void> {
    try {
      await api.hubRemove(url);
      this.assign({ said: { text: `Removed ${url}; its token was deleted from this computer.` } });
    } catch (err) {
      this.assign({ said: { error: asIpcError(err) } });
    }
  }

  /**
   * Add a JupyterHub: the dialog stays open with the error when the hub or token is refused.
   * `allowInsecureHttp`: the user pressed Connect without encryption for a plain http:// hub.
   */
  async add(url: string, token: string, allowInsecureHttp = false): Promise<IpcError | null> {
    try {
      const info = await api.hubAdd(url, token, allowInsecureHttp);
      const clear = info.unencrypted ? " Its token crosses the network unencrypted." : "";
      this.assign({
        said: { text: `Added ${info.url} (JupyterHub ${info.version}) for ${info.user}; the token is kept in ${info.keptIn}.${clear}` },
      });
      return null;
    } catch (err) {
      return asIpcError(err);
    }
  }
}
