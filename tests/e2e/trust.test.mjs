// The trust prompt in the real app with the real engine: a folder that belongs to another
// account (a second user made by the test, as a shared drive or another user's folder in /tmp
// would be) is not installed before the user says so, and the prompt shows what would come from
// where; the user's own folder with an index package starts with one click, no question.

import { test } from "node:test";
import assert from "node:assert/strict";
import { chownSync, copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { ARTIFACTS, ROOT, launch, sandbox, screenshot } from "./harness.mjs";

const MINUTE = 60_000;
const OTHER = "dxtrustother";

/** The second account's uid (made once; the Rust trust tests use the same one). */
function otherUid() {
  try {
    return Number(execFileSync("id", ["-u", OTHER], { encoding: "utf8" }).trim());
  } catch {
    execFileSync("useradd", ["-M", "-s", "/usr/sbin/nologin", OTHER]);
    return Number(execFileSync("id", ["-u", OTHER], { encoding: "utf8" }).trim());
  }
}

async function showsProject(browser, dir) {
  await browser.waitUntil(async () => (await browser.$("#project-dir").getText().catch(() => "")) === dir, {
    timeout: 30_000,
    timeoutMsg: `Home never showed ${dir}`,
  });
}

test("Another account's folder gets the trust prompt and nothing installed; the user's own starts with one click", { timeout: 10 * MINUTE }, async () => {
  const box = sandbox("six\n");
  const course = join(box.tmp, "shared course");
  mkdirSync(course);
  writeFileSync(join(course, "requirements.txt"), "numpy>=1.26\npandas\ngit+https://github.com/example/course-tools.git\n");
  const uid = otherUid();
  chownSync(join(course, "requirements.txt"), uid, uid);
  chownSync(course, uid, uid);
  writeFileSync(join(box.home, "config/recent.json"), JSON.stringify({ projects: [course, box.project] }));
  const app = await launch(box);
  const { browser } = app;
  try {
    await showsProject(browser, course);
    await browser.$("#start").click();
    const prompt = await browser.$("#trust-prompt");
    await prompt.waitForDisplayed({ timeout: 60_000, timeoutMsg: "no trust prompt for another account's folder" });
    const said = await prompt.getText();
    assert.match(said, new RegExp(`it belongs to another account \\(${OTHER}\\)`));
    assert.match(said, /From requirements\.txt, it would install:/);
    assert.match(said, /numpy>=1\.26\s*PyPI/);
    assert.match(said, /a git repository at github\.com/);
    assert.equal(await browser.$$("#trust-prompt tr.beyond").length, 1);
    assert.equal(existsSync(join(course, ".venv")), false, "nothing is made before the answer");
    assert.equal(await browser.$(".steps").isExisting(), false, "a question is not a failed start: no step list");
    await browser.execute(() => document.getElementById("trust-prompt").scrollIntoView({ block: "center" }));
    await screenshot(browser, "trust-prompt");
    copyFileSync(join(ARTIFACTS, "trust-prompt.png"), join(ROOT, "docs/screenshots/trust-prompt.png"));
    await browser.$("#trust-cancel").click();
    await browser.waitUntil(async () => !(await browser.$("#trust-prompt").isExisting()), { timeout: 10_000, timeoutMsg: "Cancel left the prompt" });
    assert.equal(existsSync(join(course, ".venv")), false, "Cancel installs nothing");

    await browser.$("#recent").selectByAttribute("value", box.project);
    await showsProject(browser, box.project);
    await browser.$("#start").click();
    await browser.waitUntil(async () => box.opened().length > 0, { timeout: 8 * MINUTE, interval: 500, timeoutMsg: "the user's own folder did not start" });
    assert.equal(await browser.$("#trust-prompt").isExisting(), false, "no question for the user's own folder");
  } finally {
    await app.close();
  }
});
