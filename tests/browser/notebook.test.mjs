// Darwinix inside the notebook, in Debian's real Chromium on a real JupyterLab and kernel:
// the first Shift+Enter (pressed as soon as the cell shows) runs; `import sklearn` fails and
// offers "Install scikit-learn", whose click installs it (requirements.txt gains the line,
// `darwinix packages` lists it) and the re-run prints the version; a GET or a POST without
// JupyterLab's XSRF token installs nothing; two installs at once: one waits, both land; a failed
// install (no index) says why and leaves the file; `%pip install six` offers to record it
// through the question page; a busy cell is named before a stop; edits typed just before the
// stop are on disk after it; the tabs open before the stop are open after the next start.

import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { ARTIFACTS, MINUTE, ROOT, launchChromium, notebook, recordingBrowser, run, testEnv } from "./support.mjs";

const SCREENSHOTS = join(ROOT, "docs/screenshots");

const runCell = async (page, index) => {
  await page.locator(".jp-Notebook .jp-Cell .cm-content").nth(index).click();
  await page.keyboard.press("Shift+Enter");
};

/** Types `code` into the notebook's last (empty) cell and runs it: that cell. */
async function runLast(page, code) {
  const cells = page.locator(".jp-Notebook .jp-Cell");
  const cell = cells.nth((await cells.count()) - 1);
  await cell.locator(".cm-content").click();
  await page.keyboard.type(code);
  await page.keyboard.press("Shift+Enter");
  return cell;
}

/** Settings → Package index, as the app saves it (`null`: PyPI again). */
function useIndex(env, url) {
  const file = join(env.DARWINIX_HOME, "config/settings.json");
  const settings = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ ...settings, index_url: url }));
}

test("inside the notebook: first run, Install, no lost edits, tabs back", { timeout: 20 * MINUTE }, async () => {
  const tmp = realpathSync(mkdtempSync(join(tmpdir(), "darwinix-notebook-")));
  const project = join(tmp, "Machine learning");
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, "requirements.txt"), "six\n");
  writeFileSync(join(project, "analysis.ipynb"), JSON.stringify(notebook(["import sklearn\n", "print('version', sklearn.__version__)"])));
  // A saved output that imitates Darwinix's offer, naming a package of its own choosing.
  const notes = notebook(["1 + 1"], []);
  notes.cells[0].outputs = [{
    output_type: "display_data",
    metadata: {},
    data: { "application/vnd.darwinix.install+json": { module: "yaml", package: "evil-package", sentence: "Trust me." }, "text/plain": ["Trust me."] },
  }];
  writeFileSync(join(project, "notes.ipynb"), JSON.stringify(notes));
  const { path: browserPath, lastLink } = recordingBrowser(tmp);
  const env = testEnv(join(tmp, "home"), browserPath);
  mkdirSync(ARTIFACTS, { recursive: true });
  let browser;
  let page;
  try {
    await run(["start", join(project, "analysis.ipynb"), "--json"], env);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    assert.equal((await page.goto(lastLink())).status(), 200);
    const origin = new URL(page.url()).origin;

    // The first Shift+Enter, as soon as the cell shows (no waiting for the kernel), runs.
    await page.locator(".jp-Notebook .jp-Cell .cm-content").first().waitFor({ timeout: 2 * MINUTE });
    await runCell(page, 0);
    await page.getByText("No module named 'sklearn'").waitFor({ timeout: MINUTE });

    // The offer under the traceback, named from Darwinix's import table.
    const button = page.locator(".darwinix-install-button");
    await button.waitFor({ timeout: MINUTE });
    assert.equal((await button.innerText()).trim(), "Install scikit-learn");
    assert.equal(await page.locator(".darwinix-install-sentence code").innerText(), "sklearn");
    assert.match(await page.locator(".darwinix-install-sentence").innerText(), /sklearn is not installed in this project/);

    // Only JupyterLab's own pages can install: a GET is the question, a POST without XSRF is refused.
    const question = await page.request.get(`${origin}/darwinix/install?module=sklearn`);
    assert.equal(question.status(), 200);
    assert.match(await question.text(), /Install <strong>scikit-learn<\/strong> into this project/);
    const forged = await page.request.post(`${origin}/darwinix/install`, { form: { module: "sklearn" }, failOnStatusCode: false });
    assert.equal(forged.status(), 403);
    const option = await page.request.get(`${origin}/darwinix/install?module=--help`, { failOnStatusCode: false });
    assert.equal(option.status(), 400, "a module name is never an option for the command line");
    assert.doesNotMatch(readFileSync(join(project, "requirements.txt"), "utf8"), /scikit-learn/);

    await page.screenshot({ path: join(SCREENSHOTS, "install-button.png") });
    await button.click();
    const status = page.locator(".darwinix-install-status");
    await status.getByText(/Installed scikit-learn \S+ and added it to requirements.txt/).waitFor({ timeout: 5 * MINUTE });
    await page.screenshot({ path: join(ARTIFACTS, "install-done.png") });

    // No kernel restart: the same cell run again imports it.
    await runCell(page, 0);
    await page.getByText(/^version \d+\.\d+/).waitFor({ timeout: MINUTE });
    assert.match(readFileSync(join(project, "requirements.txt"), "utf8"), /^scikit-learn$/m);
    const listed = JSON.parse((await run(["packages", "--project", project, "--json"], env)).stdout);
    assert.ok(listed.packages.some(p => p.name.toLowerCase() === "scikit-learn"), "darwinix packages lists it");

    // Two installs clicked at once (two notebooks' buttons post the same way): one waits, both land.
    const both = await page.evaluate(async () => {
      const xsrf = decodeURIComponent(document.cookie.match(/(?:^|; )_xsrf=([^;]*)/)[1]);
      const post = module =>
        fetch("/darwinix/install", {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-XSRFToken": xsrf },
          body: JSON.stringify({ module }),
        }).then(r => r.json());
      return Promise.all([post("tabulate"), post("yaml")]);
    });
    assert.ok(both.every(a => a.ok), JSON.stringify(both));
    assert.equal(both.filter(a => a.waited).length, 1, JSON.stringify(both));
    assert.match(readFileSync(join(project, "requirements.txt"), "utf8"), /^tabulate$[\s\S]*^pyyaml$|^pyyaml$[\s\S]*^tabulate$/m);

    // An install that fails (the index cannot be reached) says so in the output; the file stays.
    const before = readFileSync(join(project, "requirements.txt"), "utf8");
    useIndex(env, "http://127.0.0.1:9/simple");
    const failing = await runLast(page, "import toolz");
    await failing.locator(".darwinix-install-button").click();
    await failing.locator(".darwinix-install-failed").getByText(/could not be reached/).waitFor({ timeout: 2 * MINUTE });
    assert.equal(readFileSync(join(project, "requirements.txt"), "utf8"), before);
    useIndex(env, null);

    // `%pip install` in a cell: the offer to record it goes through the question page.
    const piped = await runLast(page, "%pip install six");
    const record = piped.locator(".darwinix-install-button");
    await record.waitFor({ timeout: MINUTE });
    assert.equal((await record.innerText()).trim(), "Install and record six…");
    const [confirm] = await Promise.all([page.context().waitForEvent("page"), record.click()]);
    await confirm.getByRole("button", { name: "Install six" }).click();
    await confirm.getByText(/Installed six \S+/).waitFor({ timeout: 2 * MINUTE }).catch(async e => {
      throw new Error(`${e.message}\n${await confirm.content()}`);
    });
    await confirm.close();

    // A second notebook in its own tab: both are to come back after the stop.
    await page.goto(`${origin}/lab/tree/notes.ipynb`);
    await page.locator(".lm-TabBar-tab", { hasText: "notes.ipynb" }).waitFor({ timeout: MINUTE });
    // The imitation, in a notebook reopened untrusted: the button's name is Darwinix's, from its
    // import table, never the output's.
    const crafted = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .darwinix-install-button");
    await crafted.waitFor({ timeout: MINUTE });
    assert.equal((await crafted.innerText()).trim(), "Install pyyaml");

    // A busy cell is named before a stop; the CLI without --force refuses, off a terminal.
    await runLast(page, "import time; time.sleep(60)");
    await page.waitForTimeout(1500);
    const refused = await run(["stop", project], env).then(() => null, e => e);
    assert.ok(refused, "a stop without --force is refused while a cell runs");
    assert.match(refused.stderr, /still running/);
    assert.match(refused.stderr, /notes\.ipynb/);
    assert.match(refused.stderr, /--force/);

    // Typed a moment before the stop, never saved by hand nor by autosave (10 s): on disk after.
    // (Shift+Enter on the last cell made a new one, in edit mode.)
    await page.keyboard.type("print('typed just before the stop')");
    await page.waitForTimeout(1000);
    await run(["stop", project, "--force"], env);
    const saved = readFileSync(join(project, "notes.ipynb"), "utf8");
    assert.match(saved, /typed just before the stop/);

    // The next start brings the same tabs back, on a new port.
    await run(["start", project, "--json"], env);
    const again = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    assert.equal((await again.goto(lastLink())).status(), 200);
    for (const name of ["analysis.ipynb", "notes.ipynb"]) {
      await again.locator(".lm-TabBar-tab", { hasText: name }).waitFor({ timeout: 2 * MINUTE });
    }
  } catch (err) {
    await page?.screenshot({ path: join(ARTIFACTS, "notebook-failure.png") }).catch(() => {});
    throw err;
  } finally {
    await browser?.close();
    await run(["stop", "--all", "--force"], env).catch(() => run(["stop", "--all"], env)).catch(() => {});
  }
});
