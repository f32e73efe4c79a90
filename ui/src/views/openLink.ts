// Open link…: the box for a pasted link, or the question about a clicked one ("Open this
// course?", with what it opens and where), where courses go, and the course being fetched (the
// state is ../openLink.ts).

import type { App } from "../app";
import { api, type IpcError, type LinkOffer } from "../api";
import { errorPanel } from "../errors";
import { h } from "../dom";
import { linkWords } from "../openLink";
import { progressView } from "./progress";

export function openLinkPanel(app: App): HTMLElement | null {
  const links = app.home.links;
  if (!links.shown) return null;
  const offer = links.offer;
  if (offer?.refused) return refusedPanel(app, offer.refused);
  const run = links.run;
  return h(
    "section",
    { class: "open-link", id: "open-link", "aria-labelledby": "open-link-title" },
    h(
      "form",
      {
        onsubmit: (e: Event) => {
          e.preventDefault();
          void links.open();
        },
      },
      offer ? offerHead(offer) : pasteBox(app),
      offer?.alreadyHere ? null : placeRow(app),
      run ? progressView(run.progress, false, () => {}) : null,
      run?.error ? errorPanel(run.error, "The course could not be opened", fixes(app, run.error)) : null,
      h(
        "div",
        { class: "row" },
        h("button", { type: "submit", id: "open-link-go", class: "primary", disabled: app.busy }, links.busy ? "Opening…" : "Open"),
        h("button", { type: "button", id: "open-link-cancel", class: "secondary", disabled: links.busy, onclick: () => links.close() }, "Cancel"),
        offer ? null : sharedFileButton(app),
      ),
    ),
  );
}

/** A project someone shared as a file (where double-clicking it does not reach Darwinix:
 * Windows and macOS know files by their last extension only, `.zip`). */
function sharedFileButton(app: App): HTMLElement {
  return h(
    "button",
    {
      type: "button",
      id: "open-shared-file",
      class: "secondary",
      disabled: app.home.links.busy || app.busy,
      onclick: () => void openSharedFile(app),
    },
    "Open a shared project file…",
  );
}

async function openSharedFile(app: App): Promise<void> {
  const file = await api.pickSharedFile("Open a shared project (Name.darwinix.zip)");
  if (!file) return;
  app.home.links.close();
  await app.home.openShared(file);
}

/** The box a link is pasted into. */
function pasteBox(app: App): (HTMLElement | null)[] {
  const links = app.home.links;
  const input = h("input", {
    id: "link-text",
    type: "text",
    required: true,
    autocomplete: "off",
    spellcheck: false,
    placeholder: "https://github.com/teacher/course",
    "aria-describedby": "link-help",
    disabled: links.busy,
    oninput: (e: Event) => links.edit((e.target as HTMLInputElement).value),
  });
  input.value = links.text;
  return [
    h("h2", { id: "open-link-title" }, "Open a course from a link"),
    h(
      "p",
      { id: "link-help", class: "muted" },
      "A public git repository (https://…), a notebook in one on GitHub, GitLab or Colab, a .ipynb address, or a course link from your teacher. Darwinix downloads it and starts it; opening it again gets the teacher's updates and keeps your changes.",
    ),
    h("label", { for: "link-text" }, "Link"),
    input,
  ];
}

/** A clicked link: what it opens and where, before anything is downloaded. */
function offerHead(offer: LinkOffer): (HTMLElement | null)[] {
  const where = offer.alreadyHere
    ? h(
        "p",
        { id: "link-where" },
        "It is already on this computer, in ",
        h("strong", {}, offer.place ?? ""),
        ": Open gets the teacher's updates and keeps your changes.",
      )
    : null;
  return [
    h("h2", { id: "open-link-title" }, "Open this course?"),
    h("p", { id: "link-what" }, "A link asks Darwinix to open ", h("strong", {}, offer.link ? linkWords(offer.link) : offer.text), "."),
    where,
    h("p", { class: "muted" }, "Nothing is downloaded until you press Open. Open courses only from people you know: before installing its packages, Darwinix asks you."),
  ];
}

/** Where courses go, and Change… (the choice is remembered for the next ones). */
function placeRow(app: App): HTMLElement {
  const links = app.home.links;
  return h(
    "p",
    { class: "course-place", id: "course-place" },
    "It goes into a new folder in ",
    h("strong", {}, links.into ?? "your Darwinix folder"),
    " ",
    h("button", { type: "button", class: "link-button", disabled: links.busy, onclick: () => void links.choosePlace() }, "Change…"),
  );
}

/** A link that is not opened: why, and what would work. */
function refusedPanel(app: App, error: IpcError): HTMLElement {
  return h(
    "section",
    { class: "open-link", id: "open-link", "aria-labelledby": "open-link-title" },
    h("h2", { id: "open-link-title" }, "A link was not opened"),
    errorPanel(error, "Darwinix did not open this link"),
    h("div", { class: "row" }, h("button", { type: "button", id: "open-link-cancel", class: "secondary", onclick: () => app.home.links.close() }, "Close")),
  );
}

function fixes(app: App, err: IpcError): HTMLElement[] {
  if (err.action !== "downloadAnyway") return [];
  return [
    h("button", { type: "button", id: "download-anyway", class: "primary", onclick: () => void app.home.links.open(true) }, "Download anyway"),
  ];
}
