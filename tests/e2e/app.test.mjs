// The real app, the real engine: launch the built app under Xvfb, press Start Notebook, use
// the server the way a browser would, stop it from its card, and check nothing is left.

import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, processesMentioning, sandbox, screenshot, sleep } from "./harness.mjs";

const MINUTE = 60_000;

test("Start Notebook → running card → browser got the token URL → Stop leaves nothing", { timeout: 12 * MINUTE }, async () => {
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

    // The browser hook received the address with the token, and that token opens the server.
    await browser.waitUntil(async () => box.opened().length > 0, { timeout: 30_000, timeoutMsg: "no browser was opened" });
    const url = new URL(box.opened()[0]);
    assert.equal(url.hostname, "127.0.0.1");
    const token = url.searchParams.get("token");
    assert.ok(token && token.length >= 32, "a long secret token");
    const status = await fetch(`http://127.0.0.1:${url.port}/api/status`, { headers: { Authorization: `token ${token}` } });
    assert.equal(status.status, 200);
    const anonymous = await fetch(`http://127.0.0.1:${url.port}/api/status`);
    assert.equal(anonymous.status, 403, "without the token the server refuses");
    assert.ok((await running.getText()).includes(`127.0.0.1:${url.port}`));

    // The card on Running servers.
    await browser.$('nav [data-view="servers"]').click();
    const card = await browser.$(".server-card");
    await card.waitForDisplayed({ timeout: 10_000 });
    const cardText = await card.getText();
    assert.ok(cardText.includes("My Notebooks é"), cardText);
    assert.ok(cardText.includes(`http://127.0.0.1:${url.port}/lab`), cardText);
    assert.ok(!cardText.includes(token), "the card never shows the token");
    await screenshot(browser, "4-servers");
    const jupyter = processesMentioning(box.project);
    assert.ok(jupyter.length >= 1, "JupyterLab runs, serving the project folder");

    await card.$('[data-action="stop"]').click();
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
    await browser.$('nav [data-view="computer"]').click();
    await browser.$("#ready").waitForDisplayed({ timeout: 60_000 });
    await screenshot(browser, "6-this-computer");
    await browser.$('nav [data-view="settings"]').click();
    await browser.$("form.settings-form").waitForDisplayed({ timeout: 10_000 });
    await screenshot(browser, "7-settings");
  } finally {
    await app.close();
    for (const p of processesMentioning(box.project)) {
      try {
        process.kill(p.pid, "SIGKILL");
      } catch {
        // Gone.
      }
    }
  }
});
