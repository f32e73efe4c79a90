// The real app, the real engine: launch the built app under Xvfb, press Start Notebook, use
// the server the way a browser would, stop it from its card (asked first while a cell runs),
// and check nothing is left.

import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { ARTIFACTS, ROOT, click, launch, processesMentioning, sandbox, screenshot, sleep, textOf } from "./harness.mjs";

const MINUTE = 60_000;

/** The token of the one server the sandbox runs, from Darwinix's registry. */
function serverToken(box) {
  const dir = join(box.home, "data/servers");
  const file = readdirSync(dir).find((f) => f.endsWith(".json"));
  return JSON.parse(readFileSync(join(dir, file), "utf8")).token;
}

/** The registry entry of the one server the sandbox runs. */
function serverEntry(box) {
  const dir = join(box.home, "data/servers");
  const file = readdirSync(dir).find((f) => f.endsWith(".json"));
  return JSON.parse(readFileSync(join(dir, file), "utf8"));
}

/** A notebook session whose kernel runs `time.sleep(120)`, sent with the real jupyter_client
 * (the project's: it lists JupyterLab) on the kernel's connection file, as a browser's
 * Shift+Enter would. */
async function busyNotebook(box, port, token) {
  const made = await fetch(`http://127.0.0.1:${port}/api/sessions`, {
    method: "POST",
    headers: { Authorization: `token ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ path: "busy.ipynb", type: "notebook", name: "busy.ipynb", kernel: { name: "python3" } }),
  });
  assert.equal(made.status, 201);
  const kernel = (await made.json()).kernel.id;
  const python = join(box.project, ".venv/bin/python");
  const connection = join(serverEntry(box).runtime_dir, `kernel-${kernel}.json`);
  const send = [
    "import sys, time; from jupyter_client import BlockingKernelClient",
    "c = BlockingKernelClient(connection_file=sys.argv[1]); c.load_connection_file(); c.start_channels()",
    "c.wait_for_ready(timeout=60); c.execute('import time; time.sleep(120)'); time.sleep(1)",
  ].join("\n");
  execFileSync(python, ["-c", send, connection], { timeout: 90_000 });
}

/** Every step finished (the server may show as running a moment before the last one). */
async function waitForSteps(browser) {
  const states = async () => browser.execute(() => [...document.querySelectorAll(".step")].map((s) => s.getAttribute("data-state")));
  await browser.waitUntil(async () => {
    const now = await states();
    return now.length > 0 && now.every((s) => s === "done" || s === "failed");
  }, {
    timeout: 8 * MINUTE,
    interval: 500,
    timeoutMsg: "the start never finished",
  });
  return states();
}

function stopLeftovers(box) {
  for (const p of processesMentioning(box.project)) {
    try {
      process.kill(p.pid, "SIGKILL");
    } catch {
      // Gone.
    }
  }
}

test("Start Notebook → running card → the browser's sign-in link logs in once → Stop leaves nothing", { timeout: 12 * MINUTE }, async () => {
  const box = sandbox();
  const app = await launch(box);
  const { browser } = app;
  try {
    // Home shows the prepared project, with no questions asked.
    const name = await browser.$("#project-name");
    await name.waitForDisplayed({ timeout: 30_000 });
    assert.equal(await name.getText(), "My Notebooks é");
    assert.equal(await browser.$("#project-dir").getText(), box.project);
    await screenshot(browser, "1-home");

    // Project settings, answered by the real engine: a folder without a flake runs on this
    // computer, and Linux has no WSL distros to offer.
    await browser.$(".project-settings summary").click();
    const backend = await browser.$("#backend");
    await backend.waitForDisplayed({ timeout: 10_000 });
    assert.equal(await backend.getValue(), "auto");
    const choices = await browser.execute(() => [...document.querySelectorAll("#backend option")].map((o) => [o.value, o.disabled]));
    assert.deepEqual(choices, [["auto", false], ["thisComputer", false], ["nix", true]]);
    await screenshot(browser, "1b-project-settings");
    await browser.$(".project-settings summary").click();

    await browser.$("#start").click();
    // The step list appears and moves while packages install.
    await browser.$(".steps").waitForDisplayed({ timeout: 30_000 });
    await browser.waitUntil(async () => (await browser.$$('.step[data-state="done"]').length) >= 1, {
      timeout: 2 * MINUTE,
      timeoutMsg: "no step finished",
    });
    await screenshot(browser, "2-starting");

    // Finished: every step done (the server may show as running a moment earlier, while the
    // browser is still being opened).
    const states = async () => browser.execute(() => [...document.querySelectorAll(".step")].map((s) => s.getAttribute("data-state")));
    await browser.waitUntil(async () => (await states()).every((s) => s === "done" || s === "failed"), {
      timeout: 8 * MINUTE,
      interval: 500,
      timeoutMsg: "the start never finished",
    });
    assert.deepEqual(await states(), ["done", "done", "done", "done", "done"]);
    const running = await browser.$("#running-line");
    await running.waitForDisplayed({ timeout: 10_000, timeoutMsg: "the server does not show as running" });
    await screenshot(browser, "3-started");

    // The browser hook received a sign-in link (never the token); it logs in once.
    await browser.waitUntil(async () => box.opened().length > 0, { timeout: 30_000, timeoutMsg: "no browser was opened" });
    const url = new URL(box.opened()[0]);
    assert.equal(url.hostname, "127.0.0.1");
    assert.match(url.pathname, /^\/darwinix\/login\/[0-9a-f]{64}$/);
    const token = serverToken(box);
    assert.ok(!box.opened()[0].includes(token), "the browser never gets the token");
    const login = await fetch(url, { redirect: "manual" });
    assert.equal(login.status, 302);
    assert.equal(login.headers.get("location"), "/lab");
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith("username-")).split(";")[0];
    const status = await fetch(`http://127.0.0.1:${url.port}/api/status`, { headers: { Cookie: cookie } });
    assert.equal(status.status, 200, "the link's cookie logs in");
    const anonymous = await fetch(`http://127.0.0.1:${url.port}/api/status`);
    assert.equal(anonymous.status, 403, "without it the server refuses");
    assert.equal((await fetch(url, { redirect: "manual" })).status, 403, "a used link logs nobody in");
    assert.ok((await textOf(browser, "#running-line")).includes(`127.0.0.1:${url.port}`));

    // The card on Running servers.
    await click(browser, 'nav [data-view="servers"]');
    const cardText = await textOf(browser, ".server-card");
    assert.ok(cardText.includes("My Notebooks é"), cardText);
    assert.ok(cardText.includes(`http://127.0.0.1:${url.port}/lab`), cardText);
    assert.ok(!cardText.includes(token), "the card never shows the token");
    await screenshot(browser, "4-servers");
    const jupyter = processesMentioning(box.project);
    assert.ok(jupyter.length >= 1, "JupyterLab runs, serving the project folder");

    // A cell still running: Stop asks first; Cancel leaves the server running.
    await busyNotebook(box, url.port, token);
    await click(browser, '.server-card [data-action="stop"]');
    const question = await browser.$(".stop-question");
    await question.waitForDisplayed({ timeout: 30_000, timeoutMsg: "Stop did not ask about the running cell" });
    assert.match(await question.getText(), /busy\.ipynb is still running a cell\. Stop anyway\?/);
    await screenshot(browser, "4b-busy-question");
    await click(browser, "#stop-cancel");
    await sleep(1000);
    assert.equal((await fetch(`http://127.0.0.1:${url.port}/api/status`, { headers: { Authorization: `token ${token}` } })).status, 200, "Cancel stops nothing");
    await click(browser, '.server-card [data-action="stop"]');
    await (await browser.$("#stop-anyway")).waitForDisplayed({ timeout: 30_000 });
    await click(browser, "#stop-anyway");
    await browser.$(".servers.empty").waitForDisplayed({ timeout: 30_000, timeoutMsg: "the card did not go away" });
    await screenshot(browser, "5-stopped");
    let left = [];
    for (let i = 0; i < 50; i++) {
      left = processesMentioning(box.project);
      if (left.length === 0) break;
      await sleep(200);
    }
    assert.deepEqual(left, [], "no Jupyter process remains");
    const refused = await fetch(`http://127.0.0.1:${url.port}/api/status`).then(
      () => "answered",
      () => "refused",
    );
    assert.equal(refused, "refused", "the port is closed");

    // The other two screens, for the record.
    await click(browser, 'nav [data-view="computer"]');
    await browser.$("#ready").waitForDisplayed({ timeout: 60_000 });
    await screenshot(browser, "6-this-computer");
    await click(browser, 'nav [data-view="settings"]');
    await browser.$("form.settings-form").waitForDisplayed({ timeout: 10_000 });
    await screenshot(browser, "7-settings");
  } finally {
    await app.close();
    stopLeftovers(box);
  }
});

test("Home lists the notebooks; a second launch with a notebook opens it, with the step list", { timeout: 12 * MINUTE }, async () => {
  const box = sandbox();
  const NB = JSON.stringify({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 });
  const notes = join(box.project, "my notes ü");
  mkdirSync(notes, { recursive: true });
  const now = Date.now() / 1000;
  const files = [
    [join(notes, "analysis.ipynb"), now - 120],
    [join(box.project, "Exploration.ipynb"), now - 3 * 3600],
    [join(box.project, "week 1", "Homework 1.ipynb"), now - 3 * 86400],
  ];
  for (const [file, when] of files) {
    mkdirSync(join(file, ".."), { recursive: true });
    writeFileSync(file, NB);
    utimesSync(file, when, when);
  }
  const app = await launch(box);
  const { browser } = app;
  try {
    const list = await browser.$("#notebooks");
    await list.waitForDisplayed({ timeout: 60_000 });
    const names = await browser.execute(() => [...document.querySelectorAll("#notebooks [data-notebook]")].map((b) => b.getAttribute("data-notebook")));
    assert.deepEqual(names, ["my notes ü/analysis.ipynb", "Exploration.ipynb", "week 1/Homework 1.ipynb"], "newest first");

    // A double-click on a notebook in the file manager launches the app again with its path:
    // that launch hands it to this one and ends; this window starts the project and opens it.
    const code = await app.secondLaunch([files[0][0]]);
    assert.equal(code, 0);
    await browser.$(".steps").waitForDisplayed({ timeout: 30_000 });
    assert.deepEqual(await waitForSteps(browser), ["done", "done", "done", "done", "done"]);
    await screenshot(browser, "8-notebook-opened");
    await browser.waitUntil(async () => box.opened().length > 0, { timeout: 30_000, timeoutMsg: "no browser was opened" });
    const login = await fetch(box.opened()[0], { redirect: "manual" });
    assert.equal(login.status, 302);
    assert.equal(login.headers.get("location"), "/lab/tree/my%20notes%20%C3%BC/analysis.ipynb");

    // One click on another notebook of the list opens it on the running server.
    await browser.$('#notebooks [data-notebook="Exploration.ipynb"]').click();
    await browser.waitUntil(async () => box.opened().length > 1, { timeout: 60_000, timeoutMsg: "the notebook was not opened" });
    const second = await fetch(box.opened()[1], { redirect: "manual" });
    assert.equal(second.headers.get("location"), "/lab/tree/Exploration.ipynb");
    // The recent notebooks, newest first, across projects.
    await browser.waitUntil(
      async () => /Exploration[\s\S]*analysis/.test(await browser.$("#recent-notebooks").getText().catch(() => "")),
      { timeout: 30_000, timeoutMsg: "the recent notebooks do not show both, newest first" },
    );
    await browser.execute(() => window.scrollTo(0, document.body.scrollHeight));
    // (docs/screenshots/home-notebooks.png is this picture.)
    await screenshot(browser, "9-home-notebooks");
  } finally {
    await app.close();
    stopLeftovers(box);
  }
});

/** The packages in the sandbox project's `.venv` (from their `*.dist-info` folders). */
function installed(box) {
  const lib = join(box.project, ".venv/lib");
  const site = join(lib, readdirSync(lib)[0], "site-packages");
  return readdirSync(site)
    .filter((d) => d.endsWith(".dist-info"))
    .map((d) => d.split("-")[0].toLowerCase());
}

test("Packages: look a package up, Add it, Remove it — the file and .venv follow", { timeout: 12 * MINUTE }, async () => {
  const box = sandbox("# for the course\nsix\n");
  const app = await launch(box);
  const { browser } = app;
  const requirements = () => readFileSync(join(box.project, "requirements.txt"), "utf8");
  const row = (name) => browser.$(`tr[data-package="${name}"]`);
  try {
    await browser.$("#project-name").waitForDisplayed({ timeout: 30_000 });
    await click(browser, 'nav [data-view="packages"]');
    await browser.$("#package-search").waitForDisplayed({ timeout: 30_000 });

    // A small real package from PyPI: looked up, then added with the live step list.
    await browser.$("#package-search").setValue("idna");
    await browser.$('form.search button[type="submit"]').click();
    const found = await browser.$(".found-package");
    await found.waitForDisplayed({ timeout: 60_000, timeoutMsg: "idna was not found on the index" });
    assert.match(await found.getText(), /Internationalized Domain Names/);
    await found.$('[data-action="add"]').click();
    await (await row("idna")).waitForDisplayed({ timeout: 8 * MINUTE, timeoutMsg: "idna did not appear in the list" });
    assert.equal(requirements(), "# for the course\nsix\nidna\n");
    assert.ok(installed(box).includes("idna"), "idna is in .venv");
    assert.equal(await (await row("idna")).getAttribute("data-kind"), "requested");
    assert.match(await browser.$(".change-status").getText(), /Added idna \(requirements\.txt updated\)/);
    await screenshot(browser, "10-packages");

    // Remove: the line goes, the comment stays, .venv follows.
    await (await row("idna")).$('[data-action="remove"]').click();
    await browser.waitUntil(async () => !(await (await row("idna")).isExisting()), {
      timeout: 2 * MINUTE,
      timeoutMsg: "idna is still listed",
    });
    assert.equal(requirements(), "# for the course\nsix\n");
    assert.ok(!installed(box).includes("idna"), "idna left .venv");
  } finally {
    await app.close();
    stopLeftovers(box);
  }
});

/** `du -sk` of a folder, in bytes (KiB × 1024). */
function du(path) {
  return Number(execFileSync("du", ["-sk", path], { encoding: "utf8" }).split(/\s/)[0]) * 1024;
}

test("Settings → Storage: the runtimes, uv's cache and the project's .venv, measured", { timeout: 12 * MINUTE }, async () => {
  const box = sandbox("# nothing yet\n");
  // The project gets a real .venv from the real CLI first; the runtime is the Rust tests' shared
  // one when it is there (as the CLI tests link it), else this setup makes one.
  const shared = join(ROOT, "target/tmp/shared-runtimes");
  const sharedUv = join(ROOT, "target/tmp/shared-uv/home/data/tools/uv/bin");
  const search = {};
  if (existsSync(shared)) {
    mkdirSync(join(box.home, "data"), { recursive: true });
    symlinkSync(shared, join(box.home, "data/runtimes"));
    // The Python the shared runtime was made from (darwinix-testkit's lasting link): with
    // another one this setup would make the shared runtime again, pointing into this
    // test's folder, which is gone after it (and the Rust tests run on it next).
    search.DARWINIX_PYTHON_SEARCH_PATH = `${join(ROOT, "target/tmp/shared-runtime/pybin")}:${sharedUv}`;
  }
  execFileSync(join(ROOT, "target/debug/darwinix"), ["setup", box.project], {
    env: { ...process.env, ...box.env, ...search, PATH: `${sharedUv}:${process.env.PATH}` },
    stdio: "ignore",
    timeout: 8 * MINUTE,
  });
  const venv = du(join(box.project, ".venv"));
  const app = await launch(box);
  const { browser } = app;
  try {
    await browser.$("#project-name").waitForDisplayed({ timeout: 30_000 });
    await click(browser, 'nav [data-view="settings"]');
    const item = await browser.$(".storage-project");
    await item.waitForDisplayed({ timeout: 60_000, timeoutMsg: "the project's .venv was not listed" });
    assert.match(await item.getText(), /My Notebooks é/);
    const shown = await item.$(".card-head span").getText();
    assert.notEqual(shown, "—", "a .venv is there");
    // The figure is the engine's, in the window's units (KB = 1024 bytes): within a rounding of du.
    const [value, unit] = shown.split(" ");
    const scale = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 }[unit];
    assert.ok(Math.abs(Number(value) * scale - venv) <= venv * 0.06 + 1024, `${shown} vs du ${venv} bytes`);
    assert.doesNotMatch(await browser.$("#storage-runtimes").getText(), /^0 B/);
    assert.ok(await browser.$("#free-uv-cache").isExisting());
    await browser.execute(() => document.querySelector("section.storage").scrollIntoView());
    await screenshot(browser, "settings-storage");
    copyFileSync(join(ARTIFACTS, "settings-storage.png"), join(ROOT, "docs/screenshots/settings-storage.png"));

    // Remove Darwinix's data: the list first, then on Remove everything of Darwinix's goes, the
    // project with its .venv stays (and the shared runtime the data folder only linked to), and
    // Quit leaves nothing behind.
    await click(browser, "#purge-data");
    const dialog = await browser.$("[role=alertdialog]");
    await dialog.waitForDisplayed({ timeout: 60_000, timeoutMsg: "no list of what would be removed" });
    assert.match(await dialog.getText(), /Left in place: your 1 project with its \.venv/);
    assert.ok(existsSync(join(box.home, "config")), "the list removes nothing");
    await click(browser, "#confirm-purge");
    const done = await browser.$("#purged");
    await done.waitForDisplayed({ timeout: 60_000, timeoutMsg: "the purge did not finish" });
    assert.match(await done.getText(), /Darwinix's data is removed/);
    await click(browser, "#quit-app");
    await browser.waitUntil(async () => {
      try {
        await browser.getTitle();
        return false;
      } catch {
        return true;
      }
    }, { timeout: 30_000, timeoutMsg: "Quit Darwinix did not end the app" });
    for (const root of ["config", "data", "cache"]) {
      assert.equal(existsSync(join(box.home, root)), false, `${root} is left after the purge and Quit`);
    }
    assert.ok(existsSync(join(box.project, "requirements.txt")) && existsSync(join(box.project, ".venv")), "the project and its .venv stay");
    if (existsSync(shared)) assert.ok(readdirSync(shared).length > 0, "the shared runtime the data folder linked to is untouched");
  } finally {
    await app.close();
    stopLeftovers(box);
  }
});
