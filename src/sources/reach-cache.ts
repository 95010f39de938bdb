/**
 * Author reach (karma, followers) looked up one author per request, cached for a day in ctx.kv as
 * `<prefix>:<author>` → `{"reach":…,"at":<epoch ms>}`, with a cap on lookups per run.
 */
import { InterruptedError } from '../errors.js';
import type { SourceContext, SourceKv } from './types.js';

/** How long a cached reach is used. */
export const REACH_TTL_MS = 24 * 60 * 60 * 1000;
/** Uncached authors looked up per run; the rest get reach 0 this run. */
export const MAX_REACH_LOOKUPS = 20;

/** A cached reach younger than REACH_TTL_MS, else undefined (a missing or broken entry is a miss). */
export function readCachedReach(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed = JSON.parse(value) as { reach?: unknown; at?: unknown };
    if (typeof parsed.reach === 'number' && typeof parsed.at === 'number' && now - parsed.at < REACH_TTL_MS) return parsed.reach;
  } catch {
    // a broken cache entry is a miss
  }
  return undefined;
}

/** Stores a reach looked up at `now`. */
export function writeCachedReach(kv: SourceKv, key: string, reach: number, now: number): void {
  kv.set(key, JSON.stringify({ reach, at: now }));
}

export interface ReachLookup {
  /** The source name, for warnings. */
  name: string;
  /** The kv key is `<keyPrefix>:<author>`, e.g. `karma`. */
  keyPrefix: string;
  /** What failed, for the warning `<name>: <describe(author)> unknown: <message>`, e.g. `karma of u/x`. */
  describe(author: string): string;
  /** One request for the author's reach. */
  fetchReach(author: string): Promise<number>;
}

/**
 * Lookups in flight at once: a run's lookups (at most MAX_REACH_LOOKUPS) take one round trip, so a page's
 * reach is known by the time the next page has loaded.
 */
export const REACH_LOOKUP_CONCURRENCY = MAX_REACH_LOOKUPS;

/**
 * One run's reach lookups for one source. Pages ask for their authors as they arrive, so the lookups run
 * while the next page loads; an author asked for twice shares one lookup, and the cap counts the whole run.
 */
export interface ReachLooker {
  /**
   * Reach per author (as spelled in `authors`, empty and null skipped): the kv cache first, then requests,
   * at most MAX_REACH_LOOKUPS per run and REACH_LOOKUP_CONCURRENCY at a time. A failed lookup is logged and
   * leaves the author out; an interrupt rejects.
   */
  lookUp(authors: Iterable<string | null>): Promise<Map<string, number>>;
}

export function createReachLooker(ctx: SourceContext, lookup: ReachLookup): ReachLooker {
  const now = ctx.now().getTime();
  const keyOf = (author: string): string => `${lookup.keyPrefix}:${author}`;
  const lookups = new Map<string, Promise<number | undefined>>();
  const waiting: (() => void)[] = [];
  let active = 0;
  let interrupted: unknown;

  const acquire = async (): Promise<void> => {
    if (active < REACH_LOOKUP_CONCURRENCY) {
      active++;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  // A freed slot passes straight to the next waiter, so `active` stays counted.
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else active--;
  };
  const fetchOne = async (author: string): Promise<number | undefined> => {
    await acquire();
    try {
      if (interrupted !== undefined) throw interrupted;
      const reach = await lookup.fetchReach(author);
      writeCachedReach(ctx.kv, keyOf(author), reach, now);
      return reach;
    } catch (error) {
      if (error instanceof InterruptedError) {
        interrupted = error;
        throw error;
      }
      ctx.log.warn(`${lookup.name}: ${lookup.describe(author)} unknown: ${(error as Error).message}`);
      return undefined;
    } finally {
      release();
    }
  };

  return {
    async lookUp(authors) {
      const out = new Map<string, number>();
      const pending: Promise<void>[] = [];
      for (const author of new Set(authors)) {
        if (!author) continue;
        let inFlight = lookups.get(author);
        if (inFlight === undefined) {
          const cached = readCachedReach(ctx.kv.get(keyOf(author)), now);
          if (cached !== undefined) {
            out.set(author, cached);
            continue;
          }
          if (lookups.size >= MAX_REACH_LOOKUPS) continue;
          inFlight = fetchOne(author);
          inFlight.catch(() => {}); // awaited below; an interrupt must not surface as an unhandled rejection first
          lookups.set(author, inFlight);
        }
        pending.push(
          inFlight.then((reach) => {
            if (reach !== undefined) out.set(author, reach);
          }),
        );
      }
      await Promise.all(pending);
      return out;
    },
  };
}
