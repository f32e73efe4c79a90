// Where a project or a server is: this computer, or another one reached over SSH. Decided here,
// once, from the `host` the app sends; the views and the parts read what that allows instead of
// asking where the project is.

import type { ProjectView, Status } from "./api";

/** What the current project offers beyond Start, Open and Stop (which work anywhere). */
export interface Offers {
  /** The computer it runs on (`user@host:port`), for a remote project. */
  host: string | null;
  /** Its notebooks are listed on Home (a remote project's are listed in JupyterLab). */
  notebooks: boolean;
  /** Its own settings (where it runs, its Python): a remote project's are made on the remote. */
  settings: boolean;
  /** Kept started for an instant start (a remote server runs on someone's machine: only when
   * asked). */
  instantStart: boolean;
  /** What its notebooks import is read before a first start (Darwinix on the remote reads its
   * folder itself). */
  importScan: boolean;
}

export function offers(project: ProjectView): Offers {
  const here = !project.host;
  return { host: project.host ?? null, notebooks: here, settings: here, instantStart: here, importScan: here };
}

/** What a server's card says of where it runs. */
export interface Runs {
  /** The remote computer, or null for this one. */
  on: string | null;
  /** Its memory is known (a remote server's is the remote's). */
  memory: boolean;
  /** What its pid is called. */
  process: string;
}

export function runs(server: Status): Runs {
  return server.host
    ? { on: server.host, memory: false, process: "Process there" }
    : { on: null, memory: true, process: "Process" };
}
