// Repositories as people have them, opened in the real app with the real engine: Home says
// which setup file is used and which are not (before anything is installed), Project settings
// offers the others, and a folder that cannot be set up says why with its fix.

import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, cpSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ARTIFACTS, ROOT, launch, sandbox, screenshot } from "./harness.mjs";

const MINUTE = 60_000;
const FIXTURES = join(ROOT, "tests/fixtures");

/** Waits until Home shows the project at `dir` with its source line, and returns the line. */
async function sourceLine(browser, dir) {
  await browser.waitUntil(async () => (await browser.$("#project-dir").getText().catch(() => "")) === dir, {
    timeout: 30_000,
    timeoutMsg: `Home never showed ${dir}`,
  });
  const line = await browser.$("#home-source");
  await line.waitForDisplayed({ timeout: 30_000 });
  return line.getText();
}

async function switchTo(browser, dir) {
  await browser.$("#recent").selectByAttribute("value", dir);
}

function keep(name) {
  copyFileSync(join(ARTIFACTS, `${name}.png`), join(ROOT, `docs/screenshots/${name}.png`));
}

test("Home says which setup file is used and which are not; a Python 2 course says why it cannot start", { timeout: 6 * MINUTE }, async () => {
  const box = sandbox();
  const course = join(box.tmp, "data course");
  const binder = join(box.tmp, "binder course");
  const py2 = join(box.tmp, "python 2 course");
  cpSync(join(FIXTURES, "tools-pyproject-and-environment"), course, { recursive: true });
  cpSync(join(FIXTURES, "binder-folder"), binder, { recursive: true });
  mkdirSync(py2);
  writeFileSync(join(py2, "environment.yml"), "name: old\ndependencies:\n  - python=2.7\n  - numpy\n");
  writeFileSync(join(box.home, "config/recent.json"), JSON.stringify({ projects: [course, binder, py2] }));
  const app = await launch(box);
  const { browser } = app;
  try {
    assert.equal(
      await sourceLine(browser, course),
      "Packages from environment.yml · pyproject.toml not used: it holds only tool settings ([tool.…]), no dependencies · requirements.txt not used: environment.yml comes first",
    );
    await browser.$(".project-settings summary").click();
    const picker = await browser.$("#source-file");
    await picker.waitForDisplayed({ timeout: 10_000 });
    const offered = await browser.execute(() => [...document.querySelectorAll("#source-file option")].map((o) => o.value));
    assert.deepEqual(offered, ["", "environment.yml", "pyproject.toml", "requirements.txt"]);
    assert.equal(await browser.$("#fact-python").getText(), "3.11 from environment.yml");
    await screenshot(browser, "repository-environment-yml");
    keep("repository-environment-yml");
    await browser.$(".project-settings summary").click();

    await switchTo(browser, binder);
    const line = await sourceLine(browser, binder);
    assert.match(line, /^Packages from binder\/requirements\.txt · requirements\.txt not used: binder\/ holds this project's setup files/);
    assert.match(line, /binder\/apt\.txt not used: Darwinix does not install system packages/);
    await screenshot(browser, "repository-binder-folder");
    keep("repository-binder-folder");

    await switchTo(browser, py2);
    await sourceLine(browser, py2);
    await browser.$("#start").click();
    const alert = await browser.$("[role=alert]");
    await alert.waitForDisplayed({ timeout: 60_000 });
    const said = await alert.getText();
    assert.match(said, /environment\.yml asks for Python 2\.7: notebooks written for Python 2 cannot run/);
    assert.match(said, /Project settings → Python/, "the fix says what to click");
    assert.doesNotMatch(said, /darwinix start|--python-version/, "no command to type in the window");
    assert.equal(existsSync(join(py2, ".venv")), false, "nothing installed");
    const started = await browser.execute(() => [...document.querySelectorAll(".step")].map((s) => s.getAttribute("data-state")));
    assert.ok(!started.includes("done"), `nothing is shown as done: ${started}`);
    await browser.execute(() => document.querySelector("[role=alert]").scrollIntoView({ block: "center" }));
    await screenshot(browser, "repository-python-2");
    keep("repository-python-2");
  } finally {
    await app.close();
  }
});
