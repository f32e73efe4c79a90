// Settings → Trusted folders' part of the store: the answers given to the trust prompt, and
// forgetting one (that folder's next start asks again).

import { api, asIpcError, type Decision, type IpcError } from "./api";
import { Part } from "./store";

export class TrustedFolders extends Part<TrustedFolders> {
  list: Decision[] | null = null;
  error: IpcError | null = null;

  async load(): Promise<void> {
    try {
      this.assign({ list: await api.trustedFolders(), error: null });
    } catch (err) {
      this.assign({ error: asIpcError(err) });
    }
  }

  async forget(dir: string): Promise<void> {
    try {
      this.assign({ list: await api.forgetTrust(dir), error: null });
    } catch (err) {
      this.assign({ error: asIpcError(err) });
    }
  }
}
