// The window's words: every English key has French (or falls back to English), `{name}` is
// filled in, and the language the engine reports (Settings → Language) picks the table.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { en, type Key } from "../src/i18n/en";
import { fr } from "../src/i18n/fr";
import { language, loadLanguage, setLanguage, t } from "../src/i18n";

const keys = Object.keys(en) as Key[];
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** What the `languages` command answers for a saved choice and the computer's language. */
function choices(chosen: string, effective: string) {
  return { chosen, effective, detected: { code: "fr-FR", name: "Français" }, options: [{ code: "en", name: "English" }] };
}

afterEach(() => {
  clearMocks();
  setLanguage("en");
});

describe("the tables", () => {
  it("has French for every key, with the same placeholders, and nothing unknown", () => {
    const missing = keys.filter((k) => !fr[k]);
    expect(missing).toEqual([]);
    for (const key of keys) expect(placeholders(fr[key]!), key).toEqual(placeholders(en[key]));
    expect(Object.keys(fr).filter((k) => !(k in en))).toEqual([]);
  });

  it("falls back to English for a key a table lacks", () => {
    setLanguage("fr-FR");
    delete (fr as Record<string, string>)["home.share"];
    try {
      expect(t("home.share")).toBe("Share…");
    } finally {
      (fr as Record<string, string>)["home.share"] = "Partager…";
    }
  });

  it("fills in the parameters and leaves an unknown one as written", () => {
    expect(t("home.useVersion", { package: "numpy", version: "1.26.4" })).toBe("Use numpy 1.26.4");
    expect(t("home.runningAt")).toBe(" Running at {url}");
    setLanguage("fr_FR");
    expect(t("home.usePython", { version: "3.10" })).toBe("Utiliser Python 3.10 pour ce projet");
  });
});

describe("the language", () => {
  it("is English by default and for a language without a table", () => {
    expect(language()).toBe("en");
    expect(t("home.start")).toBe("Start Notebook");
    setLanguage("de-DE");
    expect(language()).toBe("en");
    expect(t("home.start")).toBe("Start Notebook");
  });

  it("follows the engine: a French setting shows French", async () => {
    mockIPC((cmd) => (cmd === "languages" ? choices("fr-FR", "fr-FR") : null));
    await loadLanguage();
    expect(language()).toBe("fr");
    expect(document.documentElement.lang).toBe("fr");
    expect(t("home.start")).toBe("Démarrer le notebook");
    expect(t("settings.languageAuto", { name: "Français" })).toBe("Comme cet ordinateur (Français)");
    expect(t("busy.title")).toBe("Arrêter quand même ?");
  });

  it("stays English when the setting says English, or the engine cannot say", async () => {
    mockIPC((cmd) => (cmd === "languages" ? choices("en", "en") : null));
    await loadLanguage();
    expect(t("home.start")).toBe("Start Notebook");
    setLanguage("fr-FR");
    mockIPC(() => {
      throw new Error("no such command");
    });
    await loadLanguage();
    expect(t("home.start")).toBe("Start Notebook");
  });
});

describe("the window in French", () => {
  const HOME = {
    project: { dir: "/home/ada/Darwinix", name: "Darwinix", added: [], host: null },
    recent: [],
    recent_notebooks: [],
    default_dir: "/home/ada/Darwinix",
  };
  const SETTINGS = {
    installer: "uv", python: null, index_url: null, native_tls: false, extra_args: [],
    on_quit: "stopServers", tray_notice_shown: true, instant_start: true, update_checks: true,
    courses_dir: null, language: "auto",
  };

  async function bootIn(effective: string, saved: (s: Record<string, unknown>) => void = () => {}) {
    document.body.innerHTML = `
      <nav><button data-view="home"></button><button data-view="packages"></button><button data-view="servers"></button>
      <button data-view="computer"></button><button data-view="settings"></button></nav>
      <span id="server-count" hidden></span><main id="view"></main><p id="announcer"></p>`;
    const handlers: Record<string, (args: any) => unknown> = {
      home: () => HOME,
      languages: () => ({ ...choices("auto", effective), options: [{ code: "en", name: "English" }, { code: "de-DE", name: "Deutsch" }, { code: "fr-FR", name: "Français" }] }),
      get_settings: () => SETTINGS,
      save_settings: (args) => {
        saved(args.settings);
        return args.settings;
      },
      "plugin:autostart|is_enabled": () => false,
    };
    for (const list of ["servers", "hubs", "notebooks", "trusted_folders"]) handlers[list] = () => [];
    handlers.pending = () => ({ open: null, browser_failed: null });
    handlers.keep_ready = () => false;
    handlers.storage = () => new Promise(() => {});
    // Anything else (the project's settings…) is refused: the window shows that, as it would.
    mockIPC(
      (cmd, args) => {
        if (!handlers[cmd]) throw new Error(`not mocked: ${cmd}`);
        return handlers[cmd](args);
      },
      { shouldMockEvents: true },
    );
    const { boot } = await import("../src/main");
    return boot();
  }

  const tick = () => new Promise((r) => setTimeout(r, 30));

  it("says Start Notebook in French on Home, and offers the languages in Settings", async () => {
    let saved: Record<string, unknown> | null = null;
    const app = await bootIn("fr-FR", (s) => (saved = s));
    expect(document.getElementById("start")!.textContent).toBe("Démarrer le notebook");
    app.show("settings");
    await tick();
    const select = document.getElementById("language") as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual(["Comme cet ordinateur (Français)", "English", "Deutsch", "Français"]);
    expect(select.value).toBe("auto");
    expect(document.getElementById("language-help")!.textContent).toBe("JupyterLab et Darwinix l'utilisent dès le prochain démarrage.");
    select.value = "de-DE";
    document.querySelector("form.settings-form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await tick();
    expect(saved).toMatchObject({ language: "de-DE", installer: "uv" });
  });
});
