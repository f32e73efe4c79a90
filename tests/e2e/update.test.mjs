// Updates in the real app: a local server plays GitHub's `latest.json`, signed here with a
// throwaway minisign key (debug builds take DARWINIX_UPDATE_ENDPOINT / DARWINIX_UPDATE_PUBKEY;
// release builds ignore them). The background check finds the update and the window shows the
// notice; with checks off nothing is asked at all.

import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { createServer } from "node:http";
import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ARTIFACTS, ROOT, click, launch, sandbox, screenshot, sleep } from "./harness.mjs";

const MINUTE = 60_000;
const b64 = (bytes) => Buffer.from(bytes).toString("base64");

/** A throwaway minisign key: Ed25519, signatures over the BLAKE2b-512 of the file ("ED"), the
 * trusted comment binding the version as `tauri signer sign` does. */
function throwawayKey() {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const raw = Buffer.from(publicKey.export({ format: "jwk" }).x, "base64url");
  const keyId = randomBytes(8);
  const id = Buffer.from(keyId).reverse().toString("hex").toUpperCase();
  const pubFile = `untrusted comment: minisign public key: ${id}\n${b64(Buffer.concat([Buffer.from("Ed"), keyId, raw]))}\n`;
  return {
    /** As tauri.conf.json's `pubkey`: the public key file, base64. */
    pubkey: b64(pubFile),
    /** As a manifest's `signature`: the .sig file, base64. */
    sign(bytes, version) {
      const digest = createHash("blake2b512").update(bytes).digest();
      const signature = sign(null, digest, privateKey);
      const trusted = `timestamp:${Math.floor(Date.now() / 1000)}\tfile:Darwinix.deb\tversion:${version}`;
      const global = sign(null, Buffer.concat([signature, Buffer.from(trusted)]), privateKey);
      const sig = `untrusted comment: signature from a throwaway test key\n${b64(Buffer.concat([Buffer.from("ED"), keyId, signature]))}\ntrusted comment: ${trusted}\n${b64(global)}\n`;
      return b64(sig);
    },
  };
}

/** The app's version (the workspace's) and one newer. */
function versions() {
  const current = readFileSync(join(ROOT, "Cargo.toml"), "utf8").match(/^version = "(\d+)\.(\d+)\.(\d+)"/m);
  assert.ok(current, "the workspace version");
  return { current: current.slice(1).join("."), newer: `${current[1]}.${Number(current[2]) + 1}.0` };
}

/** Serves `latest.json` (and the package it names) and counts the requests. */
async function updateServer(version) {
  const key = throwawayKey();
  const pkg = Buffer.from("!<arch>\ndebian-binary   a throwaway package for the e2e test");
  const requests = [];
  const server = createServer((req, res) => {
    requests.push(req.url);
    const { port } = server.address();
    if (req.url === "/latest.json") {
      const manifest = {
        version,
        notes: "Faster starts for big projects.\nSettings → Updates: check now, or turn checks off.",
        pub_date: "2026-12-01T10:00:00Z",
        platforms: { "linux-x86_64-deb": { url: `http://127.0.0.1:${port}/Darwinix.deb`, signature: key.sign(pkg, version) } },
      };
      res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(manifest));
    } else if (req.url === "/Darwinix.deb") {
      res.writeHead(200).end(pkg);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const url = `http://127.0.0.1:${server.address().port}/latest.json`;
  return { key, url, requests, close: () => new Promise((ok) => server.close(ok)) };
}

test("the background check finds an update: the notice, what changed, the download page", { timeout: 5 * MINUTE }, async () => {
  const { current, newer } = versions();
  const server = await updateServer(newer);
  const box = sandbox();
  delete box.env.DARWINIX_NO_UPDATE_CHECK;
  Object.assign(box.env, { DARWINIX_UPDATE_ENDPOINT: server.url, DARWINIX_UPDATE_PUBKEY: server.key.pubkey });
  const app = await launch(box);
  const { browser } = app;
  try {
    const notice = await browser.$(".update-notice");
    await notice.waitForDisplayed({ timeout: 60_000, timeoutMsg: "no update notice" });
    const text = await notice.getText();
    assert.match(text, new RegExp(`Darwinix ${newer.replaceAll(".", "\\.")} is available`));
    assert.match(text, new RegExp(`you have ${current.replaceAll(".", "\\.")}`));
    assert.match(text, /Faster starts for big projects/);
    // Run from the build folder, not installed from the .deb: the link instead of Install.
    assert.match(text, /not installed from the \.deb package/);
    assert.equal(await browser.$("#update-install").isExisting(), false);
    assert.deepEqual(server.requests, ["/latest.json"], "one check, nothing downloaded");
    await screenshot(browser, "update-notice");
    copyFileSync(join(ARTIFACTS, "update-notice.png"), join(ROOT, "docs/screenshots/update-notice.png"));

    await click(browser, "#update-download");
    await browser.waitUntil(async () => box.opened().length > 0, { timeout: 20_000, timeoutMsg: "the release page was not opened" });
    assert.deepEqual(box.opened(), [`https://github.com/darwinix/darwinix/releases/tag/v${newer}`]);

    // Settings → Updates says the same; Later hides the notice.
    await click(browser, '[data-view="settings"]');
    const status = await browser.$("#update-status");
    await status.waitForDisplayed({ timeout: 10_000 });
    assert.match(await status.getText(), new RegExp(`${newer.replaceAll(".", "\\.")} is available`));
    assert.match(await status.getText(), /last checked/);
    await click(browser, "#update-later");
    await browser.waitUntil(async () => !(await browser.$(".update-notice").isExisting()), { timeout: 5_000 });

    // Check now asks again (always); a relaunch within the day would not.
    await click(browser, "#check-now");
    await browser.waitUntil(async () => server.requests.length === 2, { timeout: 20_000, timeoutMsg: "Check now did not ask" });
  } finally {
    await app.close();
    await server.close();
  }
});

test("with DARWINIX_NO_UPDATE_CHECK set, nothing is asked", { timeout: 3 * MINUTE }, async () => {
  const server = await updateServer(versions().newer);
  const box = sandbox();
  Object.assign(box.env, { DARWINIX_UPDATE_ENDPOINT: server.url, DARWINIX_UPDATE_PUBKEY: server.key.pubkey });
  assert.equal(box.env.DARWINIX_NO_UPDATE_CHECK, "1");
  const app = await launch(box);
  const { browser } = app;
  try {
    await browser.$("#project-name").waitForDisplayed({ timeout: 30_000 });
    await click(browser, '[data-view="settings"]');
    const help = await browser.$("#update_checks-help");
    await help.waitForDisplayed({ timeout: 10_000 });
    assert.match(await help.getText(), /DARWINIX_NO_UPDATE_CHECK/);
    assert.equal(await browser.$("#check-now").isEnabled(), false);
    // Past the background check's moment (6 s after launch), with time to spare.
    await sleep(12_000);
    assert.deepEqual(server.requests, [], "checks off: no request");
    assert.equal(await browser.$(".update-notice").isExisting(), false);
  } finally {
    await app.close();
    await server.close();
  }
});
