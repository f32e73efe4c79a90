// Courses from links in the real app with the real engine, against a real git server
// (tests/support/git_server.py: `git http-backend` on 127.0.0.1, which links may name over plain
// http). A teacher's repository made with the git command line is opened with Open link…, is
// foreign to the trust prompt, and starts on the notebook the link names; the teacher's next
// version is fetched without losing the student's work (said file by file); the project is
// shared as a link and as a file; and a darwinix:// link clicked in the user's session
// (xdg-open, through the desktop entry the .deb installs) reaches the running app, which asks
// before downloading anything.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { APP, ARTIFACTS, ROOT, launch, processesMentioning, sandbox, screenshot, textOf } from "./harness.mjs";

const MINUTE = 60_000;

/** A notebook with one code cell printing `text`. */
function notebook(text) {
  const cell = { cell_type: "code", execution_count: null, id: "c1", metadata: {}, outputs: [], source: [`print(${JSON.stringify(text)})`] };
  return JSON.stringify({ cells: [cell], metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1);
}

function git(cwd, ...args) {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, GIT_AUTHOR_NAME: "Teacher", GIT_AUTHOR_EMAIL: "t@example.org", GIT_COMMITTER_NAME: "Teacher", GIT_COMMITTER_EMAIL: "t@example.org" },
  });
}

/** The teacher's repository, served as `course.git`, and the teacher's own clone to push from. */
function teacherRepository(tmp) {
  const served = join(tmp, "served");
  const work = join(tmp, "teacher");
  mkdirSync(served);
  git(tmp, "init", "--quiet", "--bare", "--initial-branch=main", join(served, "course.git"));
  git(tmp, "init", "--quiet", "--initial-branch=main", work);
  writeFileSync(join(work, "requirements.txt"), "six\n");
  writeFileSync(join(work, "a.ipynb"), notebook("lesson 1"));
  writeFileSync(join(work, "data.csv"), "x,y\n1,2\n");
  writeFileSync(join(work, "notes.md"), "# Notes\n");
  git(work, "add", ".");
  git(work, "commit", "--quiet", "-m", "Lesson 1");
  git(work, "remote", "add", "origin", join(served, "course.git"));
  git(work, "push", "--quiet", "origin", "main");
  return { served, work };
}

/** `python3 tests/support/git_server.py ROOT`: resolves with its port once it listens. */
function gitServer(root) {
  return new Promise((ok, fail) => {
    const child = spawn("python3", [join(ROOT, "tests/support/git_server.py"), root], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const m = out.match(/^(\d+)\n/);
      if (m) ok({ port: Number(m[1]), stop: () => child.kill("SIGTERM") });
    });
    child.on("exit", (code) => fail(new Error(`git_server.py exited with ${code}`)));
  });
}

/** packaging/darwinix.desktop.hbs as the bundler renders it for the .deb, with `exec` the app. */
function desktopEntry(exec) {
  const values = {
    categories: "Development;",
    comment: "One button to start JupyterLab",
    exec,
    icon: "darwinix-app",
    name: "Darwinix",
    // The bundler's: the file associations' types, then one per deep-link scheme.
    mime_type: "application/x-ipynb+json;x-scheme-handler/darwinix",
  };
  const template = readFileSync(join(ROOT, "packaging/darwinix.desktop.hbs"), "utf8");
  const ifs = template.replace(/\{\{#if (\w+)\}\}([\s\S]*?)\{\{\/if\}\}/g, (_, key, body) => (values[key] ? body : ""));
  const entry = ifs.replace(/\{\{(\w+)\}\}/g, (_, key) => values[key]).replace(/\n{2,}/g, "\n");
  assert.ok(!entry.includes("{{"), `unrendered template: ${entry}`);
  return entry;
}

/** The user's session as xdg-open sees it: the entry installed in a private XDG_DATA_HOME, and
 * Darwinix the default for darwinix:// links. */
function installEntry(tmp) {
  const data = join(tmp, "xdg-data");
  const config = join(tmp, "xdg-config");
  mkdirSync(join(data, "applications"), { recursive: true });
  mkdirSync(config, { recursive: true });
  writeFileSync(join(data, "applications/darwinix.desktop"), desktopEntry(APP));
  execFileSync("desktop-file-validate", [join(data, "applications/darwinix.desktop")]);
  execFileSync("update-desktop-database", [join(data, "applications")]);
  const env = { XDG_DATA_HOME: data, XDG_CONFIG_HOME: config, XDG_DATA_DIRS: join(tmp, "no-system-entries") };
  execFileSync("xdg-mime", ["default", "darwinix.desktop", "x-scheme-handler/darwinix"], { env: { ...process.env, ...env } });
  return env;
}

/** Clicks `selector` once it is in the middle of the window (the top bar stays over the top). */
async function press(browser, selector) {
  const element = await browser.$(selector);
  await element.waitForDisplayed({ timeout: 30_000 });
  await browser.execute((s) => document.querySelector(s).scrollIntoView({ block: "center" }), selector);
  await element.click();
}

async function waitText(browser, selector, pattern, timeout, what) {
  await browser.waitUntil(async () => pattern.test(await browser.$(selector).getText().catch(() => "")), { timeout, interval: 300, timeoutMsg: what });
}

test("Open link… → trust → the link's notebook opens; the teacher's updates keep the student's work; Share…; a clicked darwinix:// link reaches the running app", { timeout: 14 * MINUTE }, async () => {
  const box = sandbox("six\n");
  const teacher = teacherRepository(box.tmp);
  const server = await gitServer(teacher.served);
  const repo = `http://127.0.0.1:${server.port}/course.git`;
  const link = `darwinix://open?repo=${repo}&path=a.ipynb`;
  const course = join(box.home, "courses/course");
  const app = await launch(box);
  const { browser } = app;
  try {
    await browser.$("#project-name").waitForDisplayed({ timeout: 30_000 });

    // (a) Open link…: the link pasted, where courses go shown; Open downloads it.
    await browser.$("#open-link-button").click();
    const input = await browser.$("#link-text");
    await input.waitForDisplayed({ timeout: 10_000 });
    await input.setValue(link);
    await waitText(browser, "#course-place", new RegExp(join(box.home, "courses").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")), 10_000, "Where courses go is not shown");
    await screenshot(browser, "open-link");
    copyFileSync(join(ARTIFACTS, "open-link.png"), join(ROOT, "docs/screenshots/open-link.png"));
    await press(browser, "#open-link-go");

    // The course is foreign: the trust prompt asks before its packages are installed.
    const prompt = await browser.$("#trust-prompt");
    await prompt.waitForDisplayed({ timeout: 2 * MINUTE, timeoutMsg: "no trust prompt for a course from a link" });
    assert.equal(await browser.$("#project-dir").getText(), course);
    assert.ok(existsSync(join(course, "a.ipynb")), "the course was cloned where courses go");
    assert.equal(existsSync(join(course, ".venv")), false, "nothing installed before the answer");
    assert.match(await browser.$("#course-line").getText(), new RegExp(`From ${repo.replace(/[.]/g, "\\.")}`));
    await press(browser, "#trust-start");
    await browser.waitUntil(async () => box.opened().length > 0, { timeout: 8 * MINUTE, interval: 500, timeoutMsg: "the course did not start" });
    const login = await fetch(box.opened()[0], { redirect: "manual" });
    assert.equal(login.headers.get("location"), "/lab/tree/a.ipynb", "JupyterLab opens on the link's notebook");

    // (b) The teacher's next version, the student's changes kept: file by file, in words.
    writeFileSync(join(teacher.work, "a.ipynb"), notebook("lesson 1, corrected"));
    writeFileSync(join(teacher.work, "notes.md"), "# Notes\n\nRead chapter 2.\n");
    writeFileSync(join(teacher.work, "b.ipynb"), notebook("lesson 2"));
    git(teacher.work, "add", ".");
    git(teacher.work, "commit", "--quiet", "-m", "Lesson 2");
    git(teacher.work, "push", "--quiet", "origin", "main");
    writeFileSync(join(course, "a.ipynb"), notebook("my answer"));
    rmSync(join(course, "data.csv"));
    writeFileSync(join(course, "mine.ipynb"), notebook("my own"));
    await press(browser, "#course-update");
    const summary = await textOf(browser, "#course-updates-summary", 2 * MINUTE);
    assert.match(summary, /^4 files: /);
    const outcomes = Object.fromEntries(
      await browser.execute(() => [...document.querySelectorAll("#course-files tbody tr")].map((r) => [r.querySelector("code").textContent, r.dataset.outcome])),
    );
    assert.deepEqual(outcomes, { "a.ipynb": "keptYours", "b.ipynb": "added", "data.csv": "restored", "notes.md": "updated" });
    assert.match(readFileSync(join(course, "a.ipynb"), "utf8"), /my answer/, "the student's notebook is kept");
    assert.ok(existsSync(join(course, "a (teacher's version).ipynb")), "the teacher's version is beside it");
    assert.ok(existsSync(join(course, "mine.ipynb")) && existsSync(join(course, "data.csv")));
    await browser.execute(() => document.getElementById("course-updates").scrollIntoView({ block: "center" }));
    await screenshot(browser, "course-updates");
    copyFileSync(join(ARTIFACTS, "course-updates.png"), join(ROOT, "docs/screenshots/course-updates.png"));

    // (c) Share…: the link (a checkout of a repository served on this computer) and the file.
    await press(browser, "#course-results-close");
    await press(browser, "#share");
    const shareLink = await textOf(browser, "#share-link", MINUTE);
    assert.match(shareLink, /^darwinix:\/\/open\?repo=http%3A%2F%2F127\.0\.0\.1%3A\d+%2Fcourse\.git&branch=main$/);
    assert.match(await browser.$("#share-files").getText(), /a\.ipynb[\s\S]*requirements\.txt/);
    assert.equal(await browser.$("#share-out").getValue(), join(box.home, "courses/course.darwinix.zip"));
    await screenshot(browser, "share");
    copyFileSync(join(ARTIFACTS, "share.png"), join(ROOT, "docs/screenshots/share.png"));
    await press(browser, "#share-save");
    const made = await textOf(browser, "#share-result", 5 * MINUTE);
    assert.match(made, /Saved .*course\.darwinix\.zip/);
    assert.ok(existsSync(join(box.home, "courses/course.darwinix.zip")), "the file was made");
    await browser.execute(() => document.getElementById("share-dialog").close());

    // (d) A darwinix:// link clicked in the user's session: xdg-open starts the desktop entry's
    // program, which hands the link to the running app (one instance, one window) and ends.
    const session = installEntry(box.tmp);
    const env = { ...app.env, ...session };
    delete env.XDG_CURRENT_DESKTOP;
    delete env.DESKTOP_SESSION;
    delete env.BROWSER;
    execFileSync("xdg-open", [link], { env, timeout: 60_000 });
    const panel = await textOf(browser, "#open-link", 30_000);
    assert.match(panel, /Open this course\?/);
    assert.match(panel, new RegExp(`the repository ${repo.replace(/[.]/g, "\\.")}, opening a\\.ipynb`));
    assert.match(panel, /already on this computer/);
    await screenshot(browser, "course-link-clicked");
    assert.deepEqual(processesMentioning(`repo=${repo}`), [], "the second launch ended: one app, one window");
    assert.equal((await browser.getWindowHandles()).length, 1);
    await press(browser, "#open-link-cancel");

    // (e) The shared file double-clicked (a second launch with it): unpacked beside the course
    // under a new name, made current, and foreign to the trust prompt like the link was.
    assert.equal(await app.secondLaunch([join(box.home, "courses/course.darwinix.zip")]), 0);
    await browser.waitUntil(async () => (await browser.$("#project-dir").getText().catch(() => "")) === `${course} 2`, {
      timeout: MINUTE,
      timeoutMsg: "the shared file did not become the current project",
    });
    await browser.$("#trust-prompt").waitForDisplayed({ timeout: 2 * MINUTE, timeoutMsg: "no trust prompt for a shared file" });
    assert.ok(existsSync(join(`${course} 2`, "a.ipynb")) && existsSync(join(`${course} 2`, "mine.ipynb")));
    assert.match(await browser.$("#course-line").getText(), /From the shared file course\.darwinix\.zip/);
  } finally {
    await app.close();
    server.stop();
    for (const p of processesMentioning(course)) {
      try {
        process.kill(p.pid, "SIGKILL");
      } catch {
        // Gone.
      }
    }
  }
});

test("A darwinix:// link the app is launched with is asked about; a refused one says why", { timeout: 3 * MINUTE }, async () => {
  const box = sandbox("six\n");
  const app = await launch(box, ["darwinix://open?repo=https://example.org/ann/stats.git&branch=week-2"]);
  const { browser } = app;
  try {
    const panel = await textOf(browser, "#open-link", 30_000);
    assert.match(panel, /Open this course\?/);
    assert.match(panel, /the repository https:\/\/example\.org\/ann\/stats\.git \(branch week-2\)/);
    assert.match(await browser.$("#course-place").getText(), new RegExp(`new folder in ${join(box.home, "courses")}`));
    assert.equal(await browser.$("#project-dir").getText(), box.project, "nothing opened before the answer");
    await press(browser, "#open-link-cancel");
    await browser.waitUntil(async () => !(await browser.$("#open-link").isExisting()), { timeout: 10_000, timeoutMsg: "Cancel left the question" });

    // A link a web page could make to reach this computer's files is refused, with why.
    assert.equal(await app.secondLaunch(["darwinix://open?repo=file:///etc/ssh"]), 0);
    const refused = await textOf(browser, "#open-link", 30_000);
    assert.match(refused, /A link was not opened/);
    assert.match(refused, /only https:\/\/ addresses can be opened/);
    assert.equal(await browser.$("#open-link-go").isExisting(), false, "a refused link has no Open");
    assert.equal(existsSync(join(box.home, "courses")), false, "nothing was made");
  } finally {
    await app.close();
  }
});
