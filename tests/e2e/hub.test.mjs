// A JupyterHub in the real app: a real hub on 127.0.0.1 (from the CLI's hub tests' tools in
// target/tmp/hub-tools, with tests/support/jupyterhub_config.py), Add a JupyterHub with a token,
// Start the default server with the hub's progress, the browser sent to the hub's own sign-in
// (no token in the address), Stop.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, openSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, click, launch, sandbox, screenshot, sleep } from "./harness.mjs";

const MINUTE = 60_000;
const TOOLS = join(ROOT, "target/tmp/hub-tools");

function freePort() {
  return new Promise((ok) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

async function startHub() {
  assert.ok(existsSync(join(TOOLS, "venv/bin/jupyterhub")), "the hub's tools are made by the CLI's hub tests (cargo test) first");
  const dir = mkdtempSync(join(tmpdir(), "darwinix-hub-"));
  const port = await freePort();
  const admin = `admin-${Math.random().toString(16).slice(2)}${Date.now()}`;
  const log = openSync(join(dir, "hub.log"), "w");
  const env = {
    ...process.env,
    HUB_DIR: dir,
    HUB_PORT: String(port),
    HUB_API_PORT: String(await freePort()),
    PROXY_API_PORT: String(await freePort()),
    CHP: join(TOOLS, "chp/node_modules/.bin/configurable-http-proxy"),
    ADMIN_TOKEN: admin,
  };
  const child = spawn(join(TOOLS, "venv/bin/jupyterhub"), ["-f", join(ROOT, "tests/support/jupyterhub_config.py")], {
    cwd: dir,
    env,
    stdio: ["ignore", log, log],
    detached: true,
  });
  // The test ends without waiting for it (it is stopped in `finally`).
  child.unref();
  const url = `http://127.0.0.1:${port}/`;
  const api = (method, path, body) =>
    fetch(`${url}hub/api/${path}`, {
      method,
      headers: { Authorization: `token ${admin}`, "Content-Type": "application/json" },
      body: body ? JSON.stringify(body) : undefined,
    });
  for (let i = 0; ; i++) {
    const up = await fetch(`${url}hub/api/`).then((r) => r.status === 200, () => false);
    if (up) break;
    assert.ok(i < 600, "the hub did not start");
    await sleep(100);
  }
  return {
    url,
    api,
    // The hub and the servers it spawned: one process group.
    stop: () => {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // Gone.
      }
    },
  };
}

test("Add a JupyterHub → Start the default server with progress → the browser goes to the hub's sign-in → Stop", { timeout: 8 * MINUTE }, async () => {
  const hub = await startHub();
  let app;
  try {
    assert.equal((await hub.api("POST", "users/ada")).status, 201);
    const made = await (await hub.api("POST", "users/ada/tokens", { note: "darwinix e2e", expires_in: 3600 })).json();
    const box = sandbox();
    // This test's D-Bus session has no Secret Service: the token goes to the private file, as said.
    box.env.DARWINIX_CREDENTIALS = "file";
    app = await launch(box);
    const { browser } = app;
    await browser.$("#project-name").waitForDisplayed({ timeout: 30_000 });
    await click(browser, 'nav [data-view="servers"]');
    await browser.$("#hub-add").click();
    await (await browser.$("#hub-url")).setValue(`${hub.url}hub/home`);
    await (await browser.$("#hub-token")).setValue(made.token);
    await browser.$('dialog button[type="submit"]').click();
    const card = await browser.$(".hub-card");
    await card.waitForDisplayed({ timeout: MINUTE, timeoutMsg: "the hub was not added" });
    assert.ok((await card.getText()).includes("Online"));

    const start = await browser.$('.hub-card [data-server=""] [data-action="start"], .hub-card [data-action="start-default"]');
    await start.click();
    await browser.waitUntil(async () => box.opened().length > 0, { timeout: 3 * MINUTE, interval: 500, timeoutMsg: "no browser was opened" });
    const opened = box.opened()[0];
    assert.equal(opened, `${hub.url}hub/user-redirect/lab`);
    assert.ok(!opened.includes(made.token), "no token in the address");
    const running = await browser.$('.hub-card [data-server=""] .badge');
    await browser.waitUntil(async () => (await running.getText().catch(() => "")) === "Running", {
      timeout: MINUTE,
      timeoutMsg: "the default server does not show as running",
    });
    await screenshot(browser, "14-hub");

    await browser.$('.hub-card [data-server=""] [data-action="stop"]').click();
    await browser.waitUntil(
      async () => {
        const rows = await browser.$$('.hub-card [data-server=""] .badge');
        return rows.length === 0 || (await rows[0].getText()) === "Stopped";
      },
      { timeout: MINUTE, timeoutMsg: "the default server did not stop" },
    );
    const user = await (await hub.api("GET", "users/ada")).json();
    assert.equal(user.server, null, "the hub says the server is stopped");
  } finally {
    await app?.close();
    hub.stop();
  }
});
