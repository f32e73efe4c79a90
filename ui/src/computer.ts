// This computer's part of the store: the doctor's report, asked the first time the view shows
// and again on "Check again".

import { api, asIpcError, type IpcError, type Report } from "./api";
import { Part } from "./store";

export class Computer extends Part<Computer> {
  report: Report | null = null;
  error: IpcError | null = null;
  loading = false;

  /** Nothing asked yet (a failed check waits for "Check again"). */
  get unchecked(): boolean {
    return !this.report && !this.loading && !this.error;
  }

  async check(): Promise<void> {
    this.assign({ loading: true });
    try {
      this.assign({ report: await api.doctor(), error: null, loading: false });
    } catch (err) {
      this.assign({ error: asIpcError(err), loading: false });
    }
  }
}
