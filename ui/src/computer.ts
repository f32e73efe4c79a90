// This computer's part of the store: the doctor's report, asked the first time the view shows
// and again on "Check again".

import { api, asIpcError, type IpcError, type Report } from "./api";

export class Computer {
  report: Report | null = null;
  error: IpcError | null = null;
  loading = false;

  constructor(private readonly render: () => void) {}

  /** Nothing asked yet (a failed check waits for "Check again"). */
  get unchecked(): boolean {
    return !this.report && !this.loading && !this.error;
  }

  async check(): Promise<void> {
    this.loading = true;
    this.render();
    try {
      this.report = await api.doctor();
      this.error = null;
    } catch (err) {
      this.error = asIpcError(err);
    }
    this.loading = false;
    this.render();
  }
}
