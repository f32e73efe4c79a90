// Share…: what the dialog says, worked out from what the engine sends (pure, tested without a
// window). As a link when the project is a public repository's checkout; as a file
// (`Name.darwinix.zip`) with the project's files, the exact list of what is installed and, for
// offline rooms, the packages themselves.

import { api, asIpcError, type IpcError, type SetupEvent, type ShareView, type Shared } from "./api";
import { bytes } from "./format";

/** An answer of the engine, or why not. */
export type Answer<T> = { ok: T } | { error: IpcError };

async function answer<T>(call: Promise<T>): Promise<Answer<T>> {
  try {
    return { ok: await call };
  } catch (err) {
    return { error: asIpcError(err) };
  }
}

/** The choices of Share… → As a file. */
export interface FileChoice {
  offline: boolean;
  includeLarge: boolean;
  /** Where the file goes; null: beside the project folder. */
  out: string | null;
}

/** Share…'s questions to the engine (the dialog keeps its own state: it lives while open). */
export const sharing = {
  /** What a file would hold, and the link when the project has one. */
  plan: (dir: string) => answer(api.sharePlan(dir)),
  /** Makes the file; `onStep` gets what it is doing, in words. */
  save: (dir: string, choice: FileChoice, onStep: (text: string) => void) =>
    answer(
      api.shareExport(dir, choice.offline, choice.includeLarge, choice.out, (e: SetupEvent) => {
        if (e.event === "step") onStep(e.data.detail);
        if (e.event === "log") onStep(e.data.line);
      }),
    ),
  /** Copy link; false when the clipboard refused. */
  copy: (link: string) => api.copy(link).then(() => true, () => false),
  /** The system's save dialog, starting at `path`. */
  chooseFile: (path: string) => api.pickSaveFile("Save the shared project", path),
};

export const EXTENSION = ".darwinix.zip";

/** Where the file goes unless the user chooses: beside the project folder (never inside it,
 * where the next share would find it among the files). */
export function defaultOut(view: ShareView): string {
  const dir = view.plan.dir;
  const i = Math.max(dir.lastIndexOf("/"), dir.lastIndexOf("\\"));
  const sep = dir.includes("\\") && !dir.includes("/") ? "\\" : "/";
  const parent = i > 0 ? dir.slice(0, i) : dir;
  return `${parent}${sep}${view.plan.name}${EXTENSION}`;
}

/** "12 files, 3.4 MB" of what goes in, with the big files or without them. */
export function contentLine(view: ShareView, includeLarge: boolean): string {
  const left = includeLarge ? [] : view.big;
  const count = view.plan.files.length - left.length;
  const total = view.plan.totalBytes - left.reduce((sum, f) => sum + f.bytes, 0);
  return `${count === 1 ? "1 file" : `${count} files`}, ${bytes(total)}`;
}

/** What was made, in lines for people. */
export function sharedLines(shared: Shared): string[] {
  const lines = [
    `Saved ${shared.file} (${bytes(shared.bytes)}): ${shared.files.length} files and the exact versions of ${shared.packages} packages.`,
  ];
  if (shared.wheels > 0) lines.push(`The packages are inside (${shared.wheels} files): it installs with no network.`);
  if (shared.leftOut.length > 0) {
    lines.push(`Left out, as you chose: ${shared.leftOut.map((f) => `${f.path} (${bytes(f.bytes)})`).join(", ")}.`);
  }
  if (shared.skipped.length > 0) {
    lines.push(`Left out (links, or names another computer cannot hold): ${shared.skipped.join(", ")}.`);
  }
  if (shared.notLocked.length > 0) {
    lines.push(`Not in the list of versions (installed from this computer's own files): ${shared.notLocked.join(", ")}.`);
  }
  return lines;
}
