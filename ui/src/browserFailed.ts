// Home's browser-failed panel: the browser could not be opened on a server, so Home shows where
// to go instead, with Open in browser (again) and Copy link.

import { api, asIpcError, type BrowserFailed } from "./api";
import { COPIED, type Said } from "./servers";
import { Part } from "./store";

export class BrowserFailedPart extends Part<BrowserFailedPart> {
  failed: BrowserFailed | null = null;
  /** The answer to the panel's last button. */
  said: Said | null = null;

  /** Shows the panel for `failed`, or takes it away (null). */
  show(failed: BrowserFailed | null): void {
    this.assign({ failed, said: null });
  }

  /** Open in browser: the panel goes once a browser opened. */
  async open(): Promise<void> {
    const failed = this.failed;
    if (!failed) return;
    try {
      await api.openServer(failed.dir, failed.notebook);
      this.show(null);
    } catch (err) {
      this.assign({ said: { error: asIpcError(err), title: "The browser still could not be opened" } });
    }
  }

  /** Copy link: the notebook's address, with the token that logs in. */
  async copyLink(): Promise<void> {
    const failed = this.failed;
    if (!failed) return;
    try {
      let link = await api.serverLink(failed.dir);
      if (failed.notebook) link = `${failed.address}?${link.split("?")[1]}`;
      await api.copy(link);
      this.assign({ said: { text: COPIED } });
    } catch (err) {
      this.assign({ said: { error: asIpcError(err) } });
    }
  }
}
