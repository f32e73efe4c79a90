// The server cards' part of the store: what each card shows beyond the server itself (its log,
// the answer to its last button), kept by folder since the list is redrawn whenever the app
// says the servers changed. Also the question before a stop while a notebook still runs a cell:
// asked here for the cards' Stop and Restart, and for the stops the app begins itself (the
// tray's Stop, Stop all and Quit, an update's restart), which it hands to the window.

import { api, asIpcError, type IpcError, type StopAsked } from "./api";
import { announce } from "./dom";
import { t } from "./i18n";
import { Part } from "./store";
import { askStop } from "./views/servers";

/** A line under a card or a panel: words, or an error with an optional title. */
export type Said = { text: string } | { error: IpcError; title?: string };

export interface Card {
  /** The end of the server's log, while shown. */
  log: string | null;
  said: Said | null;
  /** The button whose action is under way (disabled meanwhile). */
  acting: string | null;
}

export const COPIED = "Link copied. It logs you in: keep it to yourself.";

/** `true` to go on with a stop of `dir`'s server: no cell runs (or the app could not say), or
 * the user answered `yes` (Stop anyway). Every stop the window starts asks this first. */
export async function mayStop(dir: string, yes = t("busy.stop")): Promise<boolean> {
  const running = await api.runningCells(dir).catch(() => null);
  if (!running || running.notebooks.length === 0) return true;
  return askStop(running.said, yes);
}

export class ServerCards extends Part<ServerCards> {
  private readonly cards = new Map<string, Card>();
  /** What went wrong with a Stop anyway of a stop the app began (the tray's Stop all…). */
  stopProblem: IpcError | null = null;

  /** Listens from the start: a stop begun in the tray may have built this window to ask. */
  constructor(changed: () => void) {
    super(changed);
    void this.follow();
  }

  private async follow(): Promise<void> {
    try {
      await api.onStopAsked(() => void this.takeQuestion());
    } catch {
      return; // no app to listen to
    }
    await this.takeQuestion();
  }

  /** The question of a stop the app began, when one waits: Stop anyway does it. */
  async takeQuestion(): Promise<void> {
    const asked: StopAsked | null = await api.pendingStop().catch(() => null);
    if (!asked) return;
    const yes = asked.what.kind === "quit" ? t("busy.quit") : t("busy.stop");
    if (!(await askStop(asked.running.said, yes))) return;
    const what = asked.what;
    if (what.kind === "server") return this.act(what.dir, "stop", () => api.stopAnyway(what));
    try {
      await api.stopAnyway(what);
      this.assign({ stopProblem: null });
    } catch (err) {
      this.assign({ stopProblem: asIpcError(err) });
    }
  }

  /** `true` to go on with a stop of `dir`'s server (see [`mayStop`]). */
  mayStop(dir: string, yes = t("busy.stop")): Promise<boolean> {
    return mayStop(dir, yes);
  }

  /** Restart, after the question when a cell runs (`restart` does the restart itself). */
  restart(dir: string, restart: () => Promise<unknown>): Promise<void> {
    return this.act(dir, "restart", async () => {
      if (await this.mayStop(dir, t("busy.restart"))) await restart();
    });
  }

  of(dir: string): Card {
    let card = this.cards.get(dir);
    if (!card) {
      card = { log: null, said: null, acting: null };
      this.cards.set(dir, card);
    }
    return card;
  }

  /** Runs a card's button: disabled until done, its error said under the card. */
  async act(dir: string, action: string, fn: () => Promise<unknown>): Promise<void> {
    const card = this.of(dir);
    card.acting = action;
    this.changed();
    try {
      await fn();
    } catch (err) {
      card.said = { error: asIpcError(err) };
    } finally {
      card.acting = null;
      this.changed();
    }
  }

  open(dir: string): Promise<void> {
    return this.act(dir, "open", () => api.openServer(dir));
  }

  copyLink(dir: string): Promise<void> {
    return this.act(dir, "copy", async () => {
      await api.copy(await api.serverLink(dir));
      this.of(dir).said = { text: COPIED };
    });
  }

  /** The card goes when the app says the servers changed. */
  stop(dir: string): Promise<void> {
    return this.act(dir, "stop", async () => {
      if (!(await this.mayStop(dir))) return;
      await api.stopServer(dir);
      announce("Server stopped");
    });
  }

  toggleLog(dir: string): Promise<void> {
    const card = this.of(dir);
    return this.act(dir, "logs", async () => {
      card.log = card.log === null ? (await api.serverLog(dir)) || "(the log is empty)" : null;
    });
  }
}
