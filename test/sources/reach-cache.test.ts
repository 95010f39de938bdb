import { describe, expect, it } from 'vitest';
import { InterruptedError } from '../../src/errors.js';
import { MAX_REACH_LOOKUPS, REACH_LOOKUP_CONCURRENCY, REACH_TTL_MS, createReachLooker, readCachedReach, writeCachedReach, type ReachLookup } from '../../src/sources/reach-cache.js';
import type { SourceContext } from '../../src/sources/types.js';

/** One batch of authors through a looker of its own. */
const lookUpReach = (ctx: SourceContext, authors: (string | null)[], lookup: ReachLookup) => createReachLooker(ctx, lookup).lookUp(authors);
import { createTestSourceContext } from '../support/source-context.js';

const NOW = Date.parse('2026-06-01T12:00:00Z');

describe('readCachedReach', () => {
  it.each([
    [undefined, undefined],
    ['not json', undefined],
    ['null', undefined],
    [JSON.stringify({ reach: 42, at: NOW - 1000 }), 42],
    [JSON.stringify({ reach: 42, at: NOW - REACH_TTL_MS }), undefined],
    [JSON.stringify({ reach: '42', at: NOW }), undefined],
    [JSON.stringify({ reach: 42 }), undefined],
  ])('%s → %s', (value, expected) => {
    expect(readCachedReach(value, NOW)).toBe(expected);
  });
});

describe('writeCachedReach', () => {
  it('stores {reach, at} that readCachedReach reads back', () => {
    const ctx = createTestSourceContext();
    writeCachedReach(ctx.kv, 'karma:pg', 7, NOW);
    expect(ctx.kv.map.get('karma:pg')).toBe('{"reach":7,"at":' + NOW + '}');
    expect(readCachedReach(ctx.kv.get('karma:pg'), NOW)).toBe(7);
  });
});

describe('createReachLooker: one batch', () => {
  const now = new Date(NOW);

  it('uses the cache, fetches the rest once each, skips empty authors and caches what it fetched', async () => {
    const ctx = createTestSourceContext({ now, kv: { 'karma:a': JSON.stringify({ reach: 1, at: NOW }) } });
    const fetched: string[] = [];
    const reach = await lookUpReach(ctx, ['a', 'b', null, '', 'b'], {
      name: 'hn',
      keyPrefix: 'karma',
      describe: (who) => `karma of ${who}`,
      fetchReach: async (who) => {
        fetched.push(who);
        return 5;
      },
    });
    expect([...reach]).toEqual([['a', 1], ['b', 5]]);
    expect(fetched).toEqual(['b']);
    expect(readCachedReach(ctx.kv.get('karma:b'), NOW)).toBe(5);
  });

  it(`fetches at most ${MAX_REACH_LOOKUPS} authors per run`, async () => {
    const ctx = createTestSourceContext({ now });
    const authors = Array.from({ length: MAX_REACH_LOOKUPS + 5 }, (_, i) => `u${i}`);
    const reach = await lookUpReach(ctx, authors, { name: 'x', keyPrefix: 'f', describe: (w) => w, fetchReach: async () => 1 });
    expect(reach.size).toBe(MAX_REACH_LOOKUPS);
  });

  it('logs a failed lookup and leaves the author out; an interrupt is re-thrown', async () => {
    const ctx = createTestSourceContext({ now });
    const reach = await lookUpReach(ctx, ['a', 'b'], {
      name: 'reddit',
      keyPrefix: 'karma',
      describe: (who) => `karma of u/${who}`,
      fetchReach: async (who) => {
        if (who === 'a') throw new Error('boom');
        return 3;
      },
    });
    expect([...reach]).toEqual([['b', 3]]);
    expect(ctx.log.warnings).toEqual(['reddit: karma of u/a unknown: boom']);
    expect(ctx.kv.get('karma:a')).toBeUndefined();

    const interrupted = lookUpReach(ctx, ['c'], {
      name: 'reddit',
      keyPrefix: 'karma',
      describe: (who) => who,
      fetchReach: async () => {
        throw new InterruptedError('reddit: interrupted');
      },
    });
    await expect(interrupted).rejects.toBeInstanceOf(InterruptedError);
  });

  it('looks authors up concurrently, never more than REACH_LOOKUP_CONCURRENCY at once', async () => {
    const ctx = createTestSourceContext({ now });
    let inFlight = 0;
    let most = 0;
    const authors = Array.from({ length: REACH_LOOKUP_CONCURRENCY + 5 }, (_, i) => `u${i}`);
    const reach = await lookUpReach(ctx, authors, {
      name: 'hn',
      keyPrefix: 'karma',
      describe: (who) => who,
      fetchReach: async (who) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        return Number(who.slice(1));
      },
    });
    expect(reach.size).toBe(Math.min(authors.length, MAX_REACH_LOOKUPS));
    expect(reach.get('u7')).toBe(7);
    expect(most).toBe(Math.min(REACH_LOOKUP_CONCURRENCY, MAX_REACH_LOOKUPS));
  });
});

describe('createReachLooker', () => {
  const now = new Date(NOW);

  it('shares a lookup in flight between pages and counts the cap over the whole run', async () => {
    const ctx = createTestSourceContext({ now });
    const fetched: string[] = [];
    const looker = createReachLooker(ctx, {
      name: 'hn',
      keyPrefix: 'karma',
      describe: (who) => who,
      fetchReach: async (who) => {
        fetched.push(who);
        await new Promise((resolve) => setTimeout(resolve, 5));
        return who.length;
      },
    });
    // Two pages ask at once (the second before the first's lookups are done) and share 'bob'.
    const [first, second] = await Promise.all([looker.lookUp(['al', 'bob']), looker.lookUp(['bob', 'carol'])]);
    expect([...first]).toEqual([['al', 2], ['bob', 3]]);
    expect([...second]).toEqual([['bob', 3], ['carol', 5]]);
    expect(fetched.sort()).toEqual(['al', 'bob', 'carol']);

    const many = Array.from({ length: MAX_REACH_LOOKUPS }, (_, i) => `u${i}`);
    const later = await looker.lookUp(many);
    expect(later.size).toBe(MAX_REACH_LOOKUPS - 3);
    expect(fetched).toHaveLength(MAX_REACH_LOOKUPS);
    // What this run looked up is cached for the next one.
    expect(readCachedReach(ctx.kv.get('karma:carol'), NOW)).toBe(5);
  });

  it('keeps at most REACH_LOOKUP_CONCURRENCY lookups in flight across concurrent pages, within the cap', async () => {
    const ctx = createTestSourceContext({ now });
    let inFlight = 0;
    let most = 0;
    const looker = createReachLooker(ctx, {
      name: 'hn',
      keyPrefix: 'karma',
      describe: (who) => who,
      fetchReach: async () => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        return 1;
      },
    });
    // Two pages ask at once: their lookups share the run's slots (and its cap).
    const page = (from: number) => Array.from({ length: 8 }, (_, i) => `u${from + i}`);
    const results = await Promise.all([looker.lookUp(page(0)), looker.lookUp(page(8)), looker.lookUp(page(16))]);
    expect(results.map((r) => r.size)).toEqual([8, 8, MAX_REACH_LOOKUPS - 16]);
    expect(most).toBe(Math.min(REACH_LOOKUP_CONCURRENCY, MAX_REACH_LOOKUPS));
  });
});
