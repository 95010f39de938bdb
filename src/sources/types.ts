/** The one interface every source adapter implements. Adapters never import the store. */
import type { HttpClient } from '../http/types.js';
import type { FetchedMention, SourceType } from '../types.js';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
}

/** A small persistent key/value store per source (e.g. Bluesky's session). Values are strings. */
export interface SourceKv {
  get(key: string): string | undefined;
  set(key: string, value: string | undefined): void;
}

export interface SourceContext {
  http: HttpClient;
  now(): Date;
  log: Logger;
  signal: AbortSignal;
  /** The environment (process env merged with .env); credentials are read from it by name. */
  env: Record<string, string | undefined>;
  kv: SourceKv;
  /**
   * Resolves when it is this source's turn to do CPU work. A poll hands these turns out one per turn of the
   * event loop, after the network's, so every source's next request goes out before anyone's pages are
   * normalised. Adapters await it after asking for their next page and before normalising the current one.
   * Absent outside a poll (tests, `sources --check`): no waiting.
   */
  pace?(): Promise<void>;
}

/** Where a fetch starts: the stored cursor (opaque to everything but the adapter), else the lookback. */
export interface FetchWindow {
  cursor: string | null;
  /** On the first poll (no cursor): reach back to this instant. */
  since: Date;
}

export interface MentionPage {
  mentions: FetchedMention[];
  /**
   * The cursor to store once this page's mentions are stored. Adapters page newest-first and set it
   * only on the final page (so a crash mid-way repeats the run instead of skipping older pages).
   */
  cursor?: string;
  /**
   * Work the adapter finishes in the background, e.g. author reach looked up while the next page loads: it
   * fills in these mentions, and the page is read and stored only once it settles. Rejects only on interrupt.
   */
  pending?: Promise<void>;
}

/** A stored mention whose thread should be checked for a reply by the brand. */
export interface ThreadCheck {
  platformId: string;
  threadRef: string | null;
  url: string | null;
  authorHandle: string | null;
  createdAt: number;
}

export interface ThreadResult {
  platformId: string;
  /** Epoch ms of the brand's first reply below the mention, or null if none. */
  answeredAt: number | null;
  /** The customer wrote again below the mention after the brand's last answer: it needs another answer. */
  reopened: boolean;
}

export interface Source {
  readonly type: SourceType;
  /** The configured source name (unique; defaults to the type). */
  readonly name: string;
  /** Pages of mentions newer than the window's cursor, newest first. */
  fetchMentions(window: FetchWindow, ctx: SourceContext): AsyncIterable<MentionPage>;
  /** Looks for the brand's replies in these mentions' threads (issue: reply detection). RSS has none. */
  checkThreads?(mentions: ThreadCheck[], ctx: SourceContext): Promise<ThreadResult[]>;
  /** One cheap request verifying credentials and reachability; returns a short description. */
  check(ctx: SourceContext): Promise<string>;
}
