// JupyterLab in the computer's language: a French user (LANG=fr_FR.UTF-8, no language chosen in
// Settings) starts a project and Debian's real Chromium shows JupyterLab's menus in French —
// Darwinix installed the French language pack into the shared runtime and preset the locale —
// and notebooks autosave every 10 s (the settings API). The picture is
// docs/screenshots/jupyterlab-french.png.
//
// The runtime is this test's own (made in its temporary DARWINIX_HOME from uv's cache): the
// pack and the French preset must not reach the runtime the other browser tests share while
// they run beside this one in English.

import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ARTIFACTS, MINUTE, ROOT, launchChromium, recordingBrowser, run, testEnv } from "./support.mjs";

const SCREENSHOT = join(ROOT, "docs/screenshots/jupyterlab-french.png");

const NOTEBOOK = {
  cells: [
    { cell_type: "markdown", id: "m1", metadata: {}, source: ["# Bonjour\n", "JupyterLab en français, enregistré toutes les 10 secondes."] },
    { cell_type: "code", execution_count: null, id: "c1", metadata: {}, outputs: [], source: ["print('Bonjour de Python')"] },
  ],
  metadata: { kernelspec: { display_name: "Python 3 (ipykernel)", language: "python", name: "python3" } },
  nbformat: 4,
  nbformat_minor: 5,
};

/** The environment of a French user: LANG says French, nothing else overrides it. */
function frenchEnv(home, browserPath) {
  const env = { ...testEnv(home, browserPath, { sharedRuntimes: false }), LANG: "fr_FR.UTF-8" };
  for (const name of ["LANGUAGE", "LC_ALL", "LC_MESSAGES"]) delete env[name];
  return env;
}

/** GET a JupyterLab API path with the server's token (from Darwinix's registry). */
async function labApi(home, url, path) {
  const servers = join(home, "data/servers");
  const entry = readdirSync(servers).find((f) => f.endsWith(".json"));
  const token = JSON.parse(readFileSync(join(servers, entry), "utf8")).token;
  const origin = new URL(url).origin;
  const res = await fetch(`${origin}${path}`, { headers: { Authorization: `token ${token}` } });
  assert.equal(res.status, 200, path);
  return res.json();
}

test("a French computer gets JupyterLab in French, autosaving every 10 s", { timeout: 12 * MINUTE }, async () => {
  const tmp = realpathSync(mkdtempSync(join(tmpdir(), "darwinix-language-")));
  const home = join(tmp, "home");
  const project = join(tmp, "Cours de maths");
  mkdirSync(project, { recursive: true });
  const notebook = join(project, "bonjour.ipynb");
  writeFileSync(notebook, JSON.stringify(NOTEBOOK));
  const { path: browserPath, lastLink } = recordingBrowser(tmp);
  const env = frenchEnv(home, browserPath);
  mkdirSync(ARTIFACTS, { recursive: true });
  let browser;
  let page;
  try {
    const started = JSON.parse((await run(["start", notebook, "--json"], env)).stdout.trim().split("\n").pop());
    // The engine's view: the pack is there and preset, autosave every 10 s.
    const translation = await labApi(home, started.url, "/lab/api/settings/@jupyterlab/translation-extension:plugin");
    assert.equal(translation.schema.properties.locale.default, "fr_FR");
    assert.equal(translation.settings.locale, undefined, "a preset, not the user's own setting");
    const packs = await labApi(home, started.url, "/lab/api/translations/");
    assert.ok(packs.data.fr_FR, `French pack installed: ${JSON.stringify(packs.data)}`);
    const docs = await labApi(home, started.url, "/lab/api/settings/@jupyterlab/docmanager-extension:plugin");
    assert.equal(docs.schema.properties.autosaveInterval.default, 10);
    assert.equal(docs.schema.properties.autosave.default, true);

    const link = lastLink();
    browser = await launchChromium("--lang=fr-FR");
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: "fr-FR" });
    assert.equal((await page.goto(link)).status(), 200);
    await page.locator(".jp-Notebook").first().waitFor({ timeout: 2 * MINUTE });
    const menus = page.locator("#jp-menu-panel .lm-MenuBar-itemLabel");
    await menus.first().waitFor({ timeout: MINUTE });
    const labels = await menus.allInnerTexts();
    for (const french of ["Fichier", "Édition", "Affichage", "Noyau"]) {
      assert.ok(labels.includes(french), `menu bar in French: ${labels.join(", ")}`);
    }
    assert.ok(!labels.includes("File"), "no English menu left");
    // A cell runs once the project's kernel is up ("Inactif": idle), so the picture shows a
    // working notebook.
    await page.getByText("Python 3 (Cours de maths) | Inactif").waitFor({ timeout: 2 * MINUTE });
    await page.locator(".jp-CodeCell .cm-content").first().click();
    await page.keyboard.press("Shift+Enter");
    const output = page.locator(".jp-OutputArea-output").first();
    await output.waitFor({ timeout: 2 * MINUTE });
    assert.match(await output.innerText(), /Bonjour de Python/);
    assert.equal(await page.locator(".jp-Dialog").count(), 0, "no kernel question");
    await page.waitForTimeout(1000);
    const picture = join(ARTIFACTS, "jupyterlab-french.png");
    await page.screenshot({ path: picture });
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    copyFileSync(picture, SCREENSHOT);
    // Autosave for real: the cell's output reaches the file with nobody pressing Save (JupyterLab's
    // own default would wait 2 minutes).
    const deadline = Date.now() + 20_000;
    while (!readFileSync(notebook, "utf8").includes("Bonjour de Python\\n") && Date.now() < deadline) await page.waitForTimeout(500);
    assert.match(readFileSync(notebook, "utf8"), /Bonjour de Python\\n/, "saved within 20 s of the run");
  } catch (err) {
    await page?.screenshot({ path: join(ARTIFACTS, "language-failure.png") }).catch(() => {});
    throw err;
  } finally {
    await browser?.close();
    await run(["stop", "--all", "--force"], env).catch(() => run(["stop", "--all"], env).catch(() => {}));
    // Its own runtime is ≈ 180 MB: not left behind on every run.
    rmSync(tmp, { recursive: true, force: true });
  }
});
