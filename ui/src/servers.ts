// The server cards' part of the store: what each card shows beyond the server itself (its log,
// the answer to its last button), kept by folder since the list is redrawn whenever the app
// says the servers changed.

import { api, asIpcError, type IpcError } from "./api";
import { announce } from "./dom";
import { Part } from "./store";

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

export class ServerCards extends Part<ServerCards> {
  private readonly cards = new Map<string, Card>();

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
