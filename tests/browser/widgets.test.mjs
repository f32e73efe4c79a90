// A folder that does not list JupyterLab runs on Darwinix's shared runtime, its kernel in the
// project's own .venv: in Debian's real Chromium (Playwright) an ipywidgets slider — a front-end
// extension the project's package ships — renders, and the quiet defaults hold (no "Jupyter
// news?" prompt over the notebook).

import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ARTIFACTS, MINUTE, launchChromium, recordingBrowser, run, testEnv } from "./support.mjs";

const NOTEBOOK = {
  cells: [
    {
      cell_type: "code",
      execution_count: null,
      id: "w1",
      metadata: {},
      outputs: [],
      source: ["import sys, ipywidgets as widgets\n", "print(sys.prefix)\n", "widgets.IntSlider(value=7, description='Seven')"],
    },
  ],
  metadata: { kernelspec: { display_name: "Python 3 (ipykernel)", language: "python", name: "python3" } },
  nbformat: 4,
  nbformat_minor: 5,
};

test("a project's widget renders in real Chromium on the shared runtime, with no news prompt", { timeout: 12 * MINUTE }, async () => {
  const tmp = realpathSync(mkdtempSync(join(tmpdir(), "darwinix-widgets-")));
  const home = join(tmp, "home");
  const project = join(tmp, "Widgets course");
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, "requirements.txt"), "ipywidgets\n");
  const notebook = join(project, "sliders.ipynb");
  writeFileSync(notebook, JSON.stringify(NOTEBOOK));
  // The browser: records the sign-in link and leaves (Chromium below opens it).
  const { path: browserPath, lastLink } = recordingBrowser(tmp);
  const env = testEnv(home, browserPath);
  mkdirSync(ARTIFACTS, { recursive: true });
  let browser;
  let page;
  try {
    await run(["start", notebook, "--json"], env);
    assert.ok(!existsSync(join(project, ".venv/bin/jupyter-lab")), "JupyterLab is the shared runtime's");
    const link = lastLink();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    assert.equal((await page.goto(link)).status(), 200);
    await page.locator(".jp-Notebook").first().waitFor({ timeout: 2 * MINUTE });
    // The one kernel, named after the project, picked without a "select a kernel" question.
    await page.getByText("Python 3 (Widgets course) | Idle").waitFor({ timeout: 2 * MINUTE });
    await page.locator(".jp-Cell .cm-content").first().click();
    await page.keyboard.press("Shift+Enter");
    const slider = page.locator(".widget-slider, .jupyter-widgets.widget-hslider").first();
    await slider.waitFor({ timeout: 2 * MINUTE });
    assert.match(await page.locator(".jp-OutputArea-output").first().innerText(), /Widgets course\/\.venv/);
    assert.match(await page.locator(".widget-readout").first().innerText(), /7/);
    assert.equal(await page.getByText("Error displaying widget").count(), 0);
    // Quiet defaults: the news question never pops up over the notebook.
    await page.waitForTimeout(3000);
    assert.equal(await page.getByText("official Jupyter news").count(), 0, "no news prompt");
    // (docs/screenshots/widget-on-shared-runtime.png is this picture.)
    await page.screenshot({ path: join(ARTIFACTS, "widget-on-shared-runtime.png") });
  } catch (err) {
    await page?.screenshot({ path: join(ARTIFACTS, "widgets-failure.png") }).catch(() => {});
    throw err;
  } finally {
    await browser?.close();
    await run(["stop", "--all"], env).catch(() => {});
  }
});
