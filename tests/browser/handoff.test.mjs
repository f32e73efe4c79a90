// The last step, in a real browser: `darwinix start NOTEBOOK` hands a confined, foreground
// stand-in browser (what a snap or Flatpak Firefox/Chromium is) a sign-in link; the same link,
// loaded in Debian's real Chromium (Playwright), shows JupyterLab logged in on that notebook,
// whose cell runs in a real kernel. A used link logs nobody in. The token is on no command line
// at any moment of the flow.

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const CLI = process.env.DARWINIX_CLI ?? join(ROOT, "target/debug/darwinix");
const ARTIFACTS = join(ROOT, "tests/artifacts/browser");
const MINUTE = 60_000;

// A confined browser: it may not read files in hidden folders of $HOME, in /tmp or outside
// $HOME, and its first window stays in the foreground (here: for a minute).
const CONFINED = `#!/bin/sh
echo "$$ $1" >> "$CALLS"
case "$1" in
  http://127.0.0.1:*) ;;
  *) p=\${1#file://}
     case "$p" in */.*|/tmp/*) echo "Access to the file was denied" >&2; exit 1 ;; "$HOME"/*) ;; *) echo "File not found" >&2; exit 1 ;; esac ;;
esac
exec sleep 60
`;

const NOTEBOOK = {
  cells: [{ cell_type: "code", execution_count: null, id: "c1", metadata: {}, outputs: [], source: ["print('answer', 6 * 7)"] }],
  metadata: { kernelspec: { display_name: "Python 3 (ipykernel)", language: "python", name: "python3" } },
  nbformat: 4,
  nbformat_minor: 5,
};

function run(args, env) {
  return new Promise((ok, fail) => {
    execFile(CLI, args, { env, timeout: 10 * MINUTE }, (err, stdout, stderr) =>
      err ? fail(new Error(`darwinix ${args.join(" ")}: ${err.message}\n${stderr}`)) : ok({ stdout, stderr }),
    );
  });
}

const alive = (pid) => {
  try {
    return !readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].startsWith("Z");
  } catch {
    return false;
  }
};

/** Every command line seen while it runs. */
function watchCommandLines() {
  const seen = new Set();
  const sample = () => {
    for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
      try {
        seen.add(readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " "));
      } catch {
        // Gone meanwhile.
      }
    }
  };
  const timer = setInterval(sample, 10);
  return () => {
    clearInterval(timer);
    sample();
    return seen;
  };
}

test("a confined browser gets a sign-in link; real Chromium opens the notebook logged in and runs it", { timeout: 12 * MINUTE }, async () => {
  const tmp = realpathSync(mkdtempSync(join(tmpdir(), "darwinix-browser-")));
  const home = join(tmp, "home");
  const project = join(tmp, "Course é");
  const notes = join(project, "my notes ü");
  mkdirSync(notes, { recursive: true });
  writeFileSync(join(project, "requirements.txt"), "jupyterlab\n");
  const notebook = join(notes, "analysis.ipynb");
  writeFileSync(notebook, JSON.stringify(NOTEBOOK));
  const browserPath = join(tmp, "confined-browser");
  writeFileSync(browserPath, CONFINED);
  chmodSync(browserPath, 0o755);
  const calls = join(tmp, "calls");
  // uv from the Rust tests' shared bootstrap when it is there; otherwise Darwinix fetches it.
  const sharedUv = join(ROOT, "target/tmp/shared-uv/home/data/tools/uv/bin");
  const env = {
    ...process.env,
    DARWINIX_HOME: home,
    DARWINIX_BROWSER: browserPath,
    CALLS: calls,
    PATH: existsSync(sharedUv) ? `${sharedUv}:${process.env.PATH}` : process.env.PATH,
  };
  mkdirSync(ARTIFACTS, { recursive: true });
  const stopWatching = watchCommandLines();
  let browser;
  let page;
  try {
    const { stdout } = await run(["start", notebook, "--json"], env);
    const server = JSON.parse(stdout);
    assert.equal(server.notebook_url, `http://127.0.0.1:${server.port}/lab/tree/my%20notes%20%C3%BC/analysis.ipynb`);
    // `start` came back while the stand-in browser still runs: it was not waited for, nor closed.
    const [pid, link] = readFileSync(calls, "utf8").trim().split(" ");
    assert.ok(alive(Number(pid)), "the browser was left running");
    assert.match(link, new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/darwinix/login/[0-9a-f]{64}$`));

    browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const response = await page.goto(link);
    assert.equal(response.status(), 200);
    assert.equal(decodeURIComponent(new URL(page.url()).pathname), "/lab/tree/my notes ü/analysis.ipynb");
    // JupyterLab itself, logged in (no token prompt), with the notebook open and its kernel up.
    await page.locator(".jp-Notebook").first().waitFor({ timeout: 2 * MINUTE });
    assert.equal(await page.locator("input[type=password]").count(), 0, "no token prompt");
    // The kernel has answered once it is idle (the status bar says so).
    await page.getByText("Python 3 (ipykernel) | Idle").waitFor({ timeout: 2 * MINUTE });
    await page.locator(".jp-Cell .cm-content").first().click();
    await page.keyboard.press("Shift+Enter");
    const output = page.locator(".jp-OutputArea-output").first();
    await output.waitFor({ timeout: 2 * MINUTE });
    assert.equal((await output.innerText()).trim(), "answer 42");
    // (docs/screenshots/jupyterlab-signed-in.png is this picture.)
    await page.screenshot({ path: join(ARTIFACTS, "jupyterlab-signed-in.png") });

    // The link is spent: another browser (no cookie) gets a page that says so.
    const other = await browser.newPage();
    const again = await other.goto(link);
    assert.equal(again.status(), 403);
    assert.match(await other.locator("h1").innerText(), /already been used/);
    assert.equal(await other.locator("input[type=password]").count(), 0, "no token prompt");
    await other.screenshot({ path: join(ARTIFACTS, "link-used.png") });

    const entry = readdirSync(join(home, "data/servers")).find((f) => f.endsWith(".json"));
    const token = JSON.parse(readFileSync(join(home, "data/servers", entry), "utf8")).token;
    const leaked = [...stopWatching()].filter((c) => c.includes(token));
    assert.deepEqual(leaked, [], "the token was on a command line");
  } catch (err) {
    await page?.screenshot({ path: join(ARTIFACTS, "failure.png") }).catch(() => {});
    throw err;
  } finally {
    stopWatching();
    await browser?.close();
    await run(["stop", "--all"], env).catch(() => {});
    if (existsSync(calls)) {
      for (const line of readFileSync(calls, "utf8").trim().split("\n")) {
        try {
          process.kill(Number(line.split(" ")[0]));
        } catch {
          // Already gone.
        }
      }
    }
  }
});
