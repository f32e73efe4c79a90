// The Packages view lists again when the window comes back into view: an Install click in
// JupyterLab (in the browser) may have added a package meanwhile. Against a mocked IPC.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import type { Listing } from "../src/bindings/Listing";
import { Packages } from "../src/packages";

const listing = (names: string[]): Listing => ({
  source: "requirements.txt",
  not_used: [],
  file: "/home/ada/thesis/requirements.txt",
  not_editable: null,
  packages: names.map((name) => ({ name, version: "1.0", summary: null, kind: "requested", requested_by: [] })) as never,
});

describe("Packages, back from the browser", () => {
  afterEach(() => clearMocks());

  it("lists the project's packages again, with what the Install click added", async () => {
    let installed = ["numpy"];
    let asked = 0;
    mockIPC((cmd) => {
      if (cmd !== "packages") throw new Error(`unexpected ${cmd}`);
      asked += 1;
      return listing(installed);
    });
    const view = new Packages(() => {});
    await view.open("/home/ada/thesis");
    installed = ["numpy", "scikit-learn"];
    await view.refreshWhenBack();
    expect(asked).toBe(2);
    expect(view.listing?.packages.map((p) => p.name)).toEqual(["numpy", "scikit-learn"]);
  });

  it("asks nothing with no project shown, nor while a change of its own runs", async () => {
    let asked = 0;
    mockIPC(() => {
      asked += 1;
      return listing([]);
    });
    const view = new Packages(() => {});
    await view.refreshWhenBack();
    expect(asked).toBe(0);
    await view.open("/home/ada/thesis");
    view.run = { progress: { finished: false } as never, error: null, showLog: false };
    await view.refreshWhenBack();
    expect(asked).toBe(1);
  });
});
