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

/** Lookups in flight at once: one or two round trips instead of twenty, still gentle on the APIs. */
export const REACH_LOOKUP_CONCURRENCY = 10;

/**
 * Reach per author (as spelled in `authors`, empty and null skipped): the kv cache first, then at most
 * MAX_REACH_LOOKUPS requests, REACH_LOOKUP_CONCURRENCY at a time. A failed lookup is logged and leaves the
 * author out; an interrupt is re-thrown.
 */
export async function lookUpReach(ctx: SourceContext, authors: Iterable<string | null>, lookup: ReachLookup): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const now = ctx.now().getTime();
  const pending: string[] = [];
  for (const author of new Set(authors)) {
    if (!author) continue;
    const cached = readCachedReach(ctx.kv.get(`${lookup.keyPrefix}:${author}`), now);
    if (cached !== undefined) out.set(author, cached);
    else if (pending.length < MAX_REACH_LOOKUPS) pending.push(author);
  }
  let interrupted: unknown;
  const worker = async (): Promise<void> => {
    for (let author = pending.shift(); author !== undefined && interrupted === undefined; author = pending.shift()) {
      try {
        const reach = await lookup.fetchReach(author);
        out.set(author, reach);
        writeCachedReach(ctx.kv, `${lookup.keyPrefix}:${author}`, reach, now);
      } catch (error) {
        if (error instanceof InterruptedError) interrupted = error;
        else ctx.log.warn(`${lookup.name}: ${lookup.describe(author)} unknown: ${(error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(REACH_LOOKUP_CONCURRENCY, pending.length) }, worker));
  if (interrupted !== undefined) throw interrupted;
  return out;
}
