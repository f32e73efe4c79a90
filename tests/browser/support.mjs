// What the browser tests share: the real `darwinix` they drive, a browser hook that records the
// sign-in links Darwinix hands it, the environment of a test home, and Debian's Chromium.

import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const CLI = process.env.DARWINIX_CLI ?? join(ROOT, "target/debug/darwinix");
export const ARTIFACTS = join(ROOT, "tests/artifacts/browser");
export const MINUTE = 60_000;

/** Runs `darwinix ARGS`; a failure carries what it printed (`stdout`, `stderr`). */
export function run(args, env) {
  return new Promise((ok, fail) => {
    execFile(CLI, args, { env, timeout: 10 * MINUTE }, (err, stdout, stderr) =>
      err
        ? fail(Object.assign(new Error(`darwinix ${args.join(" ")}: ${err.message}\n${stderr}`), { stdout, stderr }))
        : ok({ stdout, stderr }),
    );
  });
}

/** A notebook of code cells (one per source), for the kernel notebooks ask for. */
export function notebook(...sources) {
  return {
    cells: sources.map((source, i) => ({ cell_type: "code", execution_count: null, id: `c${i + 1}`, metadata: {}, outputs: [], source })),
    metadata: { kernelspec: { display_name: "Python 3 (ipykernel)", language: "python", name: "python3" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/** A browser for `DARWINIX_BROWSER` in `tmp` that only records the links it is given (the test
 * opens them in Chromium): its path, and the last link. */
export function recordingBrowser(tmp) {
  const calls = join(tmp, "calls");
  const path = join(tmp, "browser");
  writeFileSync(path, `#!/bin/sh\necho "$1" >> "${calls}"\n`);
  chmodSync(path, 0o755);
  return { path, lastLink: () => readFileSync(calls, "utf8").trim().split("\n").at(-1) };
}

/** The environment for a test home: uv from the Rust tests when it is there (otherwise
 * Darwinix fetches it), and with `sharedRuntimes` their JupyterLab runtime too. */
export function testEnv(home, browserPath, { sharedRuntimes = true } = {}) {
  const runtimes = join(ROOT, "target/tmp/shared-runtimes");
  if (sharedRuntimes && existsSync(runtimes)) {
    mkdirSync(join(home, "data"), { recursive: true });
    symlinkSync(runtimes, join(home, "data/runtimes"));
  }
  const uv = join(ROOT, "target/tmp/shared-uv/home/data/tools/uv/bin");
  return {
    ...process.env,
    DARWINIX_HOME: home,
    DARWINIX_BROWSER: browserPath,
    PATH: existsSync(uv) ? `${uv}:${process.env.PATH}` : process.env.PATH,
  };
}

/** Debian's Chromium, quiet (no first-run pages, no network of its own). */
export function launchChromium(...extraArgs) {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", ...extraArgs],
  });
}
