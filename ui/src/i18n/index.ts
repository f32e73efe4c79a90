// The window's own words, in the language of Settings → Language (the same setting that picks
// JupyterLab's language pack; `auto` follows the computer). The engine says which language
// that comes to (`languages`: `effective`, `en` or a pack's code such as `fr-FR`); the window
// has tables for English (en.ts, the reference) and French (fr.ts), and shows English for the
// rest and for any key a table lacks.
//
// Moving a view over: replace each literal with `t("view.key")` (a new key goes into en.ts
// first; tsc then checks every use), add its French to fr.ts, and call `t()` while drawing, not
// at module load, so the words follow the language loaded at start. Home and Settings are done;
// the other views (Packages, Running servers, This computer, the dialogs) still hold English
// literals. A new language is one more table and one line in TABLES.

import { api } from "../api";
import { en, type Key } from "./en";
import { fr } from "./fr";

export type { Key };

/** Every table, by the language part of a pack's code. */
const TABLES: Record<string, Partial<Record<Key, string>>> = { en, fr };

let table: Partial<Record<Key, string>> = en;
let current = "en";

/** Uses the table for `code` (`en`, `fr-FR`, `fr_FR`, `fr`); English when there is none. */
export function setLanguage(code: string | null | undefined): void {
  const language = (code ?? "en").split(/[-_]/)[0].toLowerCase();
  current = language in TABLES ? language : "en";
  table = TABLES[current];
  if (typeof document !== "undefined") document.documentElement.lang = current;
}

/** The table in use: `en` or `fr`. */
export function language(): string {
  return current;
}

/** The words for `key` in the window's language, `{name}` replaced by `params.name`. */
export function t(key: Key, params: Record<string, string | number> = {}): string {
  const words = table[key] ?? en[key];
  return words.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Asks the engine which language the window speaks. Best effort: English when it cannot say. */
export async function loadLanguage(): Promise<void> {
  try {
    const choices = await api.languages();
    setLanguage(choices?.effective);
  } catch {
    setLanguage("en");
  }
}
