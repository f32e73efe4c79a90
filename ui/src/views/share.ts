// Share…: as a link (when the project is a public repository's checkout: Copy link) or as a
// file, with what goes in, the big files to decide on, the packages for offline rooms, where
// it is saved, and then what was made (the words are ../share.ts).

import type { App } from "../app";
import type { ShareView } from "../api";
import { errorPanel } from "../errors";
import { h } from "../dom";
import { bytes } from "../format";
import { contentLine, defaultOut, sharedLines, sharing } from "../share";

export function shareDialog(app: App, dir: string): HTMLDialogElement {
  const body = h("div", { id: "share-body" }, h("p", { class: "muted" }, "Looking at the project's files…"));
  const dialog = h(
    "dialog",
    { class: "dialog share-dialog", id: "share-dialog", "aria-labelledby": "share-title" },
    h("h2", { id: "share-title" }, `Share ${app.home.project?.name ?? "this project"}`),
    body,
  );
  const close = () => dialog.close();
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal?.();
  void sharing.plan(dir).then((plan) =>
    "ok" in plan
      ? body.replaceChildren(asLink(plan.ok), asFile(plan.ok, dir, close))
      : body.replaceChildren(errorPanel(plan.error, "This project cannot be shared"), closeRow(close)),
  );
  return dialog;
}

function closeRow(close: () => void): HTMLElement {
  return h("div", { class: "row end" }, h("button", { type: "button", class: "secondary", onclick: close }, "Close"));
}

/** The link that opens the project, or why there is none. */
function asLink(view: ShareView): HTMLElement {
  if (!view.link) {
    return h(
      "section",
      { class: "share-part" },
      h("h3", {}, "As a link"),
      h("p", { class: "muted", id: "share-no-link" }, `Not offered: ${view.noLink ?? "this project has no public https:// git address"}.`),
    );
  }
  const link = view.link;
  const said = h("span", { class: "muted", "aria-live": "polite" });
  const copy = async () => {
    said.textContent = (await sharing.copy(link)) ? "Copied." : "Could not copy; select the link instead.";
  };
  return h(
    "section",
    { class: "share-part" },
    h("h3", {}, "As a link"),
    h("p", { class: "muted" }, "Whoever has Darwinix opens it with one click: it downloads the repository and starts it. They get your changes once they are pushed to the repository."),
    h("code", { class: "share-link", id: "share-link" }, link),
    h("div", { class: "row" }, h("button", { type: "button", id: "share-copy", class: "secondary", onclick: copy }, "Copy link"), said),
  );
}

/** The file: what goes in, the choices, where it goes, Save. */
function asFile(view: ShareView, dir: string, close: () => void): HTMLElement {
  const plan = view.plan;
  const large = h("input", { type: "checkbox", id: "share-large" });
  const offline = h("input", { type: "checkbox", id: "share-offline" });
  const out = h("input", { type: "text", id: "share-out", value: defaultOut(view), "aria-label": "Save as" });
  const content = h("p", { id: "share-content" }, `What goes in: ${contentLine(view, false)}`);
  large.addEventListener("change", () => (content.textContent = `What goes in: ${contentLine(view, large.checked)}`));
  const status = h("div", { id: "share-status", "aria-live": "polite" });
  const save = h("button", { type: "button", id: "share-save", class: "primary", disabled: !plan.hasEnvironment }, "Save");
  const choose = async () => {
    const picked = await sharing.chooseFile(out.value);
    if (picked) out.value = picked;
  };
  save.addEventListener("click", () => void exportFile({ dir, offline, large, out, save, status }));
  return h(
    "section",
    { class: "share-part" },
    h("h3", {}, "As a file"),
    h("p", { class: "muted" }, "One file with the notebooks, the data and the exact versions of the packages: whoever opens it gets the same setup."),
    plan.hasEnvironment ? null : h("p", { class: "warning", id: "share-needs-start" }, "⚠ Press Start Notebook once first: the file lists exactly what is installed, and nothing is yet."),
    content,
    fileTable(view),
    view.big.length ? bigFiles(view, large) : null,
    h("label", { class: "check" }, offline, " For offline rooms (include the packages)"),
    h("p", { class: "muted small" }, "Bigger; on computers like this one it installs without the internet."),
    h("label", { for: "share-out" }, "Save as"),
    h("div", { class: "row" }, out, h("button", { type: "button", class: "secondary", onclick: choose }, "Choose…")),
    status,
    h("div", { class: "row end" }, h("button", { type: "button", class: "secondary", onclick: close }, "Close"), save),
  );
}

/** The project's files with their sizes (hidden ones, environments and caches never go in). */
function fileTable(view: ShareView): HTMLElement {
  return h(
    "div",
    { class: "share-files" },
    h(
      "table",
      { id: "share-files" },
      h(
        "tbody",
        {},
        view.plan.files.map((f) => h("tr", {}, h("td", {}, h("code", {}, f.path)), h("td", { class: "size" }, bytes(f.bytes)))),
      ),
    ),
  );
}

function bigFiles(view: ShareView, large: HTMLInputElement): HTMLElement {
  const total = view.big.reduce((sum, f) => sum + f.bytes, 0);
  return h(
    "div",
    { class: "share-big", id: "share-big" },
    h("p", {}, `Files over ${bytes(view.limit)} are left out unless you include them:`),
    h("ul", {}, view.big.map((f) => h("li", {}, h("code", {}, f.path), ` ${bytes(f.bytes)}`))),
    h("label", { class: "check" }, large, ` Include them (${bytes(total)} more)`),
  );
}

interface Export {
  dir: string;
  offline: HTMLInputElement;
  large: HTMLInputElement;
  out: HTMLInputElement;
  save: HTMLButtonElement;
  status: HTMLElement;
}

/** Save: the file is made (the lock, the packages for offline rooms, the zip), then said. */
async function exportFile(x: Export): Promise<void> {
  x.save.disabled = true;
  const step = h("p", { class: "muted" }, "Making the file…");
  x.status.replaceChildren(step);
  const choice = { offline: x.offline.checked, includeLarge: x.large.checked, out: x.out.value.trim() || null };
  const made = await sharing.save(x.dir, choice, (text) => (step.textContent = text));
  x.status.replaceChildren(
    "ok" in made
      ? h("div", { class: "notice", id: "share-result", role: "status" }, sharedLines(made.ok).map((l) => h("p", {}, l)))
      : errorPanel(made.error, "The file could not be made"),
  );
  x.save.disabled = false;
}
