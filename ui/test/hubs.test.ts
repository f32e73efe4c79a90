// Add a JupyterHub with a plain http:// address: the dialog says why it is dangerous, and only
// the user's tick (Connect without encryption) goes to the engine as the confirmation.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { App } from "../src/app";
import { Hubs, isPlainRemote } from "../src/hubs";
import { addHubDialog } from "../src/views/hubs";

const REFUSAL = {
  message: "http://192.0.2.7:8000/ is plain http:// to another computer: the token would cross the network unencrypted, so nothing was sent to it",
  hint: "use the hub's https:// address; if it has none and you trust every network between you and the hub, add it again and confirm Connect without encryption",
  details: "",
  action: null,
};

let calls: Record<string, unknown>[];

beforeEach(() => {
  calls = [];
  mockIPC((cmd, args) => {
    if (cmd !== "hub_add") throw new Error(`unexpected command ${cmd}`);
    const a = args as Record<string, unknown>;
    calls.push(a);
    if (!a.allowInsecureHttp) throw REFUSAL;
    return { url: "http://192.0.2.7:8000/", user: "ada", version: "5.4.3", storage: "system", keptIn: "the system keyring", unencrypted: true };
  });
});

afterEach(() => {
  clearMocks();
  document.body.replaceChildren();
});

const tick = () => new Promise((r) => setTimeout(r, 30));

function type(id: string, value: string) {
  const input = document.getElementById(id) as HTMLInputElement;
  input.value = value;
  input.dispatchEvent(new Event("input"));
}

const why = () => document.getElementById("hub-insecure-why") as HTMLElement;
const box = () => document.getElementById("hub-insecure") as HTMLInputElement;
const submit = () => (document.querySelector("dialog form") as HTMLFormElement).requestSubmit();

describe("plain http:// hubs", () => {
  it("counts only this computer's loopback as safe, as the engine does", () => {
    for (const a of ["http://hub.example.org/", "http://192.0.2.7:8000/hub/home", "HTTP://10.0.0.1", "http://0.0.0.0:8000/", "http://[fe80::1]/"]) {
      expect(isPlainRemote(a), a).toBe(true);
    }
    for (const a of ["https://hub.example.org/", "hub.example.org", "http://127.0.0.1:8000/", "http://127.9.9.9/", "http://[::1]:8000/", "http://LocalHost:8000/", "http://"]) {
      expect(isPlainRemote(a), a).toBe(false);
    }
  });

  it("shows why, and sends the confirmation only once the user ticks Connect without encryption", async () => {
    const hubs = new Hubs(() => {});
    const dialog = addHubDialog({ hubs } as unknown as App);
    expect(why().hidden).toBe(true);
    type("hub-url", "http://192.0.2.7:8000/hub/home");
    type("hub-token", "secret-token");
    expect(why().hidden).toBe(false);
    expect(why().textContent).toContain("unencrypted");
    expect(why().textContent).toContain("Connect without encryption");

    submit();
    await tick();
    expect(calls).toEqual([{ url: "http://192.0.2.7:8000/hub/home", token: "secret-token", allowInsecureHttp: false }]);
    expect(dialog.isConnected).toBe(true);
    expect(dialog.textContent).toContain("confirm Connect without encryption");

    // Ticked, then the address changed to https://: the tick goes with the warning.
    box().click();
    type("hub-url", "https://hub.example.org/");
    expect(why().hidden).toBe(true);
    type("hub-url", "http://192.0.2.7:8000/hub/home");
    expect(box().checked).toBe(false);

    box().click();
    submit();
    await tick();
    expect(calls[1]).toEqual({ url: "http://192.0.2.7:8000/hub/home", token: "secret-token", allowInsecureHttp: true });
    expect(dialog.isConnected).toBe(false);
    expect(hubs.said).toMatchObject({ text: expect.stringContaining("crosses the network unencrypted") });
  });

  it("offers the box when the engine refuses an address the window took for this computer's", async () => {
    addHubDialog({ hubs: new Hubs(() => {}) } as unknown as App);
    type("hub-url", "http://localhost:8000/");
    type("hub-token", "secret-token");
    expect(why().hidden).toBe(true);
    submit();
    await tick();
    expect(calls[0].allowInsecureHttp).toBe(false);
    expect(why().hidden).toBe(false);
  });
});
