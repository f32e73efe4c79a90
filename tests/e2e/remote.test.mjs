// A remote project in the real app: a real sshd on 127.0.0.1 (tests/support/sshd.py), Open
// remote folder… with Test connection, Start Notebook with the remote's steps, the sign-in link
// through the forward, the card with its computer, Stop leaving nothing.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, click, launch, processesMentioning, sandbox, screenshot, sleep, textOf } from "./harness.mjs";

const MINUTE = 60_000;

/** Starts the test sshd; resolves with its client config and a function that ends it. */
function startSshd(setenv) {
  return new Promise((ok, fail) => {
    const args = [join(ROOT, "tests/support/sshd.py"), ...Object.entries(setenv).map(([k, v]) => `${k}=${v}`)];
    const child = spawn("python3", args, { stdio: ["pipe", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const m = out.match(/DARWINIX_SSH_CONFIG=(.*)\n/);
      if (m) ok({ config: m[1], stop: () => child.stdin.end() });
    });
    child.on("exit", (code) => fail(new Error(`sshd.py exited with ${code}`)));
  });
}

async function type(browser, selector, text) {
  const input = await browser.$(selector);
  await input.waitForDisplayed({ timeout: 10_000 });
  await input.setValue(text);
}

test("Open remote folder → Test connection → Start Notebook over SSH → the card shows its computer → Stop leaves nothing", { timeout: 12 * MINUTE }, async () => {
  const box = sandbox();
  const folder = join(box.tmp, "Remote thesis é");
  mkdirSync(folder);
  writeFileSync(join(folder, "requirements.txt"), "# nothing\n");
  // The remote's own Darwinix home; the uv cache the Rust tests' remote user filled, when there.
  const cache = join(ROOT, "target/tmp/remote-uv-cache");
  const setenv = { DARWINIX_HOME: join(box.tmp, "remote-home"), ...(existsSync(cache) ? { UV_CACHE_DIR: cache } : {}) };
  const sshd = await startSshd(setenv);
  box.env.DARWINIX_SSH_CONFIG = sshd.config;
  const app = await launch(box);
  const { browser } = app;
  try {
    await browser.$("#project-name").waitForDisplayed({ timeout: 30_000 });
    await browser.$("#open-remote").click();
    await type(browser, "#remote-host", "dxlocal");
    await type(browser, "#remote-folder", folder);
    await browser.$("#remote-test").click();
    await browser.$("#remote-ok").waitForDisplayed({ timeout: 3 * MINUTE, timeoutMsg: "the connection test did not pass" });
    await screenshot(browser, "11-remote-test");
    await browser.$('dialog button[type="submit"]').click();
    const host = await browser.$("#project-host");
    await host.waitForDisplayed({ timeout: 10_000 });
    assert.ok((await host.getText()).includes("dxlocal"));
    assert.equal(await browser.$("#project-dir").getText(), `ssh://dxlocal${folder}`);

    await browser.$("#start").click();
    await browser.waitUntil(async () => box.opened().length > 0, { timeout: 8 * MINUTE, interval: 500, timeoutMsg: "no browser was opened" });
    await browser.$("#running-line").waitForDisplayed({ timeout: 30_000 });
    await screenshot(browser, "12-remote-started");

    // On Linux the browser is given a private page that leads to the sign-in link (a remote
    // server cannot tell this account's browser from another's, and command lines are public
    // here); the link goes through the forward on this computer and logs in once.
    const given = new URL(box.opened()[0]);
    assert.equal(given.protocol, "file:", `the browser gets the private page, not the link: ${given}`);
    const pagePath = decodeURIComponent(given.pathname);
    assert.equal(statSync(pagePath).mode & 0o777, 0o600, "the page is the user's alone");
    const page = readFileSync(pagePath, "utf8");
    const url = new URL(page.match(/url=([^"]+)"/)[1].replaceAll("&amp;", "&"));
    assert.equal(url.hostname, "127.0.0.1");
    assert.match(url.pathname, /^\/darwinix\/login\/[0-9a-f]{64}$/);
    const login = await fetch(url, { redirect: "manual" });
    assert.equal(login.status, 302);
    const cookie = login.headers.getSetCookie().find((c) => c.startsWith("username-")).split(";")[0];
    const status = await fetch(`http://127.0.0.1:${url.port}/api/status`, { headers: { Cookie: cookie } });
    assert.equal(status.status, 200, "the link's cookie logs in through the forward");
    assert.equal((await fetch(`http://127.0.0.1:${url.port}/api/status`)).status, 403);

    await click(browser, 'nav [data-view="servers"]');
    assert.equal(await textOf(browser, ".server-card .host"), "dxlocal");
    assert.ok((await textOf(browser, ".server-card")).includes(`http://127.0.0.1:${url.port}/lab`));
    await screenshot(browser, "13-remote-card");
    assert.ok(processesMentioning(folder).length >= 1, "JupyterLab runs for the remote folder");

    await click(browser, '.server-card [data-action="stop"]');
    await browser.$(".servers.empty").waitForDisplayed({ timeout: MINUTE, timeoutMsg: "the card did not go away" });
    let left = [];
    for (let i = 0; i < 50; i++) {
      left = processesMentioning(folder);
      if (left.length === 0) break;
      await sleep(200);
    }
    assert.deepEqual(left, [], "nothing of the remote project is left running");
  } finally {
    await app.close();
    for (const p of processesMentioning(folder)) {
      try {
        process.kill(p.pid, "SIGKILL");
      } catch {
        // Gone.
      }
    }
    sshd.stop();
  }
});
