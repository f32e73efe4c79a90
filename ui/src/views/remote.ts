// Open remote folder…: a project on another computer, reached over SSH with this computer's
// own SSH setup (keys, agent, ~/.ssh/config). The address is ssh://[user@]host[:port]/folder.

import type { App } from "../app";
import { errorPanel } from "../errors";
import { h } from "../dom";

/** The project address for what the user typed: a host (perhaps `user@host:port`, or a whole
 * ssh:// address) and an absolute folder. A string is an address; `{ why }` says what is
 * missing. */
export function remoteAddress(host: string, folder: string): string | { why: string } {
  const h = host.trim();
  const f = folder.trim();
  if (/^ssh:\/\//i.test(h) && !f) return h;
  if (!h) return { why: "Type the computer's name (or user@name:port)." };
  if (/\s/.test(h) || h.includes("/")) return { why: "The computer's name has no spaces or slashes; put the folder below." };
  if (!f.startsWith("/")) return { why: "The folder is its full path on that computer, starting with /." };
  return `ssh://${h}${f.replace(/%/g, "%25")}`;
}

export function remoteFolderDialog(app: App): HTMLDialogElement {
  const host = h("input", { id: "remote-host", type: "text", required: true, autocomplete: "off", placeholder: "me@lab.example.org" });
  const folder = h("input", { id: "remote-folder", type: "text", autocomplete: "off", placeholder: "/home/me/project" });
  const out = h("div", { id: "remote-out", "aria-live": "polite" });
  const address = (): string | null => {
    const a = remoteAddress(host.value, folder.value);
    if (typeof a === "string") return a;
    out.replaceChildren(h("p", { class: "warning" }, a.why));
    return null;
  };
  const test = async () => {
    const a = address();
    if (!a) return;
    const step = h("p", { class: "muted" }, "Connecting…");
    out.replaceChildren(step);
    const err = await app.home.testRemote(a, (text) => (step.textContent = text));
    out.replaceChildren(
      err
        ? errorPanel(err, "The connection test failed")
        : h("p", { class: "notice", id: "remote-ok" }, "✓ Connected: Darwinix can set up and run this folder there."),
    );
  };
  const dialog = h(
    "dialog",
    { class: "dialog", "aria-labelledby": "remote-title" },
    h(
      "form",
      {
        method: "dialog",
        onsubmit: async (e: Event) => {
          e.preventDefault();
          const a = address();
          if (!a) return;
          await app.home.openProject(a);
          dialog.close();
        },
      },
      h("h2", { id: "remote-title" }, "Open remote folder"),
      h(
        "p",
        { class: "muted" },
        "A folder on another computer you reach with SSH (your keys and SSH settings are used; no password is stored). JupyterLab runs there; your browser opens it here.",
      ),
      h("label", { for: "remote-host" }, "Computer"),
      host,
      h("label", { for: "remote-folder" }, "Folder on it"),
      folder,
      out,
      h(
        "div",
        { class: "row end" },
        h("button", { type: "button", class: "secondary", onclick: () => dialog.close() }, "Cancel"),
        h("button", { type: "button", id: "remote-test", class: "secondary", onclick: () => void test() }, "Test connection"),
        h("button", { type: "submit", class: "primary" }, "Open"),
      ),
    ),
  );
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal?.();
  host.focus();
  return dialog;
}
