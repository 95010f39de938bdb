/**
 * The `{"v":1,"t":…,"seen":[…]}` cursor of the search sources that re-query an overlap window because their
 * index lags (hackernews, reddit, github, stackexchange): `t` is the newest creation time seen (epoch s),
 * `seen` the ids created within the overlap before `t`, which the next poll skips.
 */
import { SourceError } from '../errors.js';
import type { FetchWindow } from './types.js';

/** Ids remembered in `seen`. */
export const MAX_SEEN_IDS = 500;

export interface OverlapCursor {
  v: 1;
  /** Newest creation time seen, epoch seconds. */
  t: number;
  /** Ids already returned within the overlap window before `t`. */
  seen: string[];
}

/** A fetched item as the cursor sees it: its id and creation time in epoch seconds (fractions allowed). */
export interface OverlapItem {
  id: string;
  seconds: number;
}

/**
 * The stored cursor, or null when there is none. Anything else throws a SourceError naming the platform
 * (`label`, e.g. "Hacker News") and telling the user to reset the cursor.
 */
export function parseOverlapCursor(name: string, cursor: string | null, label: string): OverlapCursor | null {
  if (cursor === null) return null;
  try {
    const parsed = JSON.parse(cursor) as Partial<OverlapCursor> | null;
    if (parsed && parsed.v === 1 && typeof parsed.t === 'number') {
      return { v: 1, t: parsed.t, seen: Array.isArray(parsed.seen) ? parsed.seen.map(String) : [] };
    }
  } catch {
    // not JSON: fall through
  }
  throw new SourceError(
    `${name}: stored cursor ${JSON.stringify(cursor.slice(0, 80))} is not a ${label} cursor. Reset this source's cursor to re-read the lookback window`,
  );
}

/** What a run reads from its FetchWindow: the stored cursor and where to search from. */
export interface OverlapWindow {
  cursor: OverlapCursor | null;
  /** The lookback's start (first poll), epoch seconds. */
  sinceSeconds: number;
  /** Search from here (epoch s): `overlapSeconds` before the cursor's `t`, else `sinceSeconds`. */
  from: number;
  /** Ids the previous run returned within the overlap: skip them. */
  seen: Set<string>;
}

/** Parses the window's cursor (see parseOverlapCursor) and works out where this run searches from. */
export function readOverlapWindow(name: string, window: FetchWindow, label: string, overlapSeconds: number): OverlapWindow {
  const cursor = parseOverlapCursor(name, window.cursor, label);
  const sinceSeconds = Math.floor(window.since.getTime() / 1000);
  return { cursor, sinceSeconds, from: cursor ? cursor.t - overlapSeconds : sinceSeconds, seen: new Set(cursor?.seen ?? []) };
}

/**
 * The cursor after a run: `t` is the newest whole second among the previous `t` (else `sinceSeconds`) and
 * the items; `seen` lists, in the items' order, the ids created at or after `t - overlapSeconds`, at most
 * MAX_SEEN_IDS. The run queried from before every previously seen id, so `items` must be all it found.
 */
export function nextOverlapCursor(
  previous: OverlapCursor | null,
  sinceSeconds: number,
  items: readonly OverlapItem[],
  overlapSeconds: number,
): OverlapCursor {
  const newest = Math.max(previous?.t ?? sinceSeconds, ...items.map((item) => Math.floor(item.seconds)));
  const seen = items.filter((item) => item.seconds >= newest - overlapSeconds).map((item) => item.id);
  return { v: 1, t: newest, seen: seen.slice(0, MAX_SEEN_IDS) };
}
