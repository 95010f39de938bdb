import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { BrandConfig, HackerNewsSourceConfig } from '../../src/config/types.js';
import {
  createHackerNewsSource,
  findBrandReply,
  normalizeHackerNewsHit,
  type HackerNewsHit,
  type HackerNewsItem,
} from '../../src/sources/hackernews.js';
import { MAX_REACH_LOOKUPS } from '../../src/sources/reach-cache.js';
import type { MentionPage } from '../../src/sources/types.js';
import { collect, gatedPace, recordRequests, settledMentions, waitFor, watch } from '../support/paging.js';
import { fixturePath, startReplayServer, type ReplayServer } from '../support/replay-server.js';
import { createTestSourceContext } from '../support/source-context.js';

const fixture = <T = any>(name: string): T => JSON.parse(readFileSync(fixturePath('hackernews', name), 'utf8')) as T;
const commentHit = (): HackerNewsHit => fixture('search_by_date-comments.json').hits[0];
const storyHit = (): HackerNewsHit => fixture('search_by_date-stories.json').hits[0];

const brand: BrandConfig = { name: 'Acme', keywords: ['apple'], exclude: [], accounts: { hackernews: ['acmehq'] } };
const SINCE = new Date('2014-06-20T00:00:00Z');
const SINCE_S = SINCE.getTime() / 1000;

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setUp(options: { prefix?: string; kv?: Record<string, string> } = {}) {
  server = await startReplayServer();
  const prefix = options.prefix ?? '/api/v1';
  const config: HackerNewsSourceConfig = { type: 'hackernews', name: 'hackernews', enabled: true, baseUrl: `${server.url}${prefix}` };
  const source = createHackerNewsSource(config, brand);
  const ctx = createTestSourceContext({ name: 'hackernews', now: new Date('2014-06-20T04:00:00Z'), kv: options.kv });
  return { server, source, ctx, prefix };
}

/** The `page` of each search request, in the order they reached the server. */
const searchPagesRequested = (server: ReplayServer): (string | undefined)[] =>
  server.requests.filter((r) => r.path.endsWith('/search_by_date')).map((r) => r.query.page);

/** `count` comment hits by `authorOf(i)`, newest first from `newest` (epoch s), ids counting down from `firstId`. */
const commentHits = (count: number, firstId: number, newest: number, authorOf: (i: number) => string): HackerNewsHit[] =>
  Array.from({ length: count }, (_, i) => ({ ...commentHit(), objectID: String(firstId - i), created_at_i: newest - i, author: authorOf(i) }));

describe('normalizeHackerNewsHit', () => {
  it('normalises a legacy comment hit', () => {
    const mention = normalizeHackerNewsHit(commentHit(), ['acmehq'], 42);
    expect(mention).toMatchObject({
      platformId: '7919418',
      url: 'https://news.ycombinator.com/item?id=7919418',
      author: { handle: 'fleitz', name: 'fleitz', url: 'https://news.ycombinator.com/user?id=fleitz', reach: 42 },
      title: null,
      text:
        "Yeah the article seems stupid, while technically they aren't contributing to the scholarship they do pay tuition for the last 2 years.\n" +
        "I'm not the biggest fan of starbucks, mostly because their coffee doesn't taste that good, however, I don't why what they've done shouldn't be applauded.\n" +
        "It's kinda funny that I see more people upset about the business practices of Starbucks/Wal-Mart than Lockheed Martin.",
      createdAt: Date.parse('2014-06-20T03:32:34.000Z'),
      own: false,
      addressesBrand: false,
      threadRef: '7918547',
    });
    expect(mention.raw).toMatchObject({ objectID: '7919418', author: 'fleitz' });
    expect(mention.raw).not.toHaveProperty('_highlightResult');
  });

  it('normalises a legacy story hit', () => {
    const mention = normalizeHackerNewsHit(storyHit(), []);
    expect(mention).toMatchObject({
      platformId: '7919424',
      url: 'https://news.ycombinator.com/item?id=7919424',
      author: { handle: 'bradleyjg', reach: 0 },
      title: 'Judge says concerned about Apple, Google hiring settlement',
      text: '',
      createdAt: 1403235346000,
      threadRef: '7919424',
    });
  });

  it('reads the current hit shape (no title on comments, children ids, updated_at)', () => {
    const hit = fixture('search_by_date-comments-current-shape.json').hits[0];
    const mention = normalizeHackerNewsHit(hit, []);
    expect(mention).toMatchObject({ platformId: '7919418', title: null, createdAt: 1403235154000, threadRef: '7918547' });
    expect(mention.text).toContain("aren't contributing");
  });

  it.each([
    { case: 'the brand account itself', author: 'acmehq', text: 'hi', own: true, addresses: false },
    { case: 'an account containing the brand account', author: 'acmehq_fan', text: 'hi', own: false, addresses: false },
    { case: 'a different case (HN names are exact)', author: 'AcmeHQ', text: 'hi', own: false, addresses: false },
    { case: 'an @mention of the brand', author: 'fleitz', text: 'ping @acmehq please', own: false, addresses: true },
    { case: 'an @mention of a longer name', author: 'fleitz', text: 'ping @acmehq_fan', own: false, addresses: false },
  ])('own/addressesBrand: $case', ({ author, text, own, addresses }) => {
    const mention = normalizeHackerNewsHit({ ...commentHit(), author, comment_text: text }, ['acmehq']);
    expect(mention.own).toBe(own);
    expect(mention.addressesBrand).toBe(addresses);
  });
});

describe('findBrandReply (pure)', () => {
  const tree = fixture<HackerNewsItem>('item-thread-brand-replies.json');
  const check = (platformId: string, authorHandle: string) => ({ platformId, threadRef: '1', url: null, authorHandle, createdAt: 0 });
  it.each([
    { case: 'brand reply below, then the author again', id: '17', author: 'pg', answeredAt: 1172442000000, reopened: true },
    { case: 'only an account containing the brand name', id: '18', author: 'alice', answeredAt: null, reopened: false },
    { case: 'someone else mentions the brand; brand answered another comment', id: '19', author: 'bob', answeredAt: null, reopened: false },
    { case: 'author wrote before the brand answered', id: '20', author: 'dave', answeredAt: 1160424500000, reopened: false },
    { case: 'not in the tree', id: '999', author: 'x', answeredAt: null, reopened: false },
  ])('$case', ({ id, author, answeredAt, reopened }) => {
    expect(findBrandReply(tree, check(id, author), ['acmehq'])).toEqual({ platformId: id, answeredAt, reopened });
  });
});

describe('createHackerNewsSource', () => {
  it('first poll: searches from window.since, normalises, looks up karma and sets the cursor', async () => {
    const { server, source, ctx } = await setUp();
    server.add(
      { path: '/api/v1/search_by_date', query: { query: '"apple"', page: '0' }, file: 'hackernews/search_by_date-comments.json' },
      { path: '/api/v1/users/fleitz', file: 'hackernews/user.json' },
    );
    const pages = await collect(source, { cursor: null, since: SINCE }, ctx);
    server.assertDone();

    expect(server.requests[0]?.query).toEqual({
      query: '"apple"',
      tags: '(story,comment)',
      numericFilters: `created_at_i>=${SINCE_S}`,
      hitsPerPage: '100',
      page: '0',
    });
    expect(pages).toHaveLength(2);
    expect(pages[0]?.mentions.map((m) => [m.platformId, m.author.reach])).toEqual([['7919418', 154666]]);
    expect(pages[0]?.cursor).toBeUndefined();
    expect(pages[1]?.mentions).toEqual([]);
    expect(JSON.parse(pages[1]?.cursor ?? '')).toEqual({ v: 1, t: 1403235154, seen: ['7919418'] });
    expect(JSON.parse(ctx.kv.get('karma:fleitz') ?? '')).toMatchObject({ reach: 154666 });
  });

  it('next poll: queries from the cursor minus the overlap, skips seen ids, uses cached karma', async () => {
    const { server, source, ctx } = await setUp({
      kv: { 'karma:bradleyjg': JSON.stringify({ reach: 7, at: Date.parse('2014-06-20T03:00:00Z') }) },
    });
    const both = fixture('search_by_date-stories.json');
    both.hits.push(commentHit());
    server.add({ path: '/api/v1/search_by_date', query: { numericFilters: `created_at_i>=${1403235154 - 900}` }, body: both });
    const cursor = JSON.stringify({ v: 1, t: 1403235154, seen: ['7919418'] });
    const pages = await collect(source, { cursor, since: SINCE }, ctx);
    server.assertDone();

    expect(pages.map((p) => p.mentions.map((m) => [m.platformId, m.author.reach]))).toEqual([[['7919424', 7]], []]);
    expect(JSON.parse(pages[1]?.cursor ?? '')).toEqual({ v: 1, t: 1403235346, seen: ['7919424', '7919418'] });
  });

  it('pages back while pages are full, one page per search page, and puts the cursor only on the last yielded page', async () => {
    const { server, source, ctx } = await setUp();
    const full = fixture('search_by_date-comments.json');
    full.hits = commentHits(100, 8000000, 1403239000, () => 'fleitz');
    full.nbPages = 2;
    const last = fixture('search_by_date-comments.json');
    last.page = 1;
    last.nbPages = 2;
    server.add(
      { path: '/api/v1/search_by_date', query: { page: '0' }, body: full },
      { path: '/api/v1/search_by_date', query: { page: '1' }, body: last },
      { path: '/api/v1/users/fleitz', file: 'hackernews/user.json', times: 1 },
    );
    const pages = await collect(source, { cursor: null, since: SINCE }, ctx);
    server.assertDone();

    expect(pages.map((p) => p.mentions.length)).toEqual([100, 1, 0]);
    expect(pages.map((p) => p.cursor === undefined)).toEqual([true, true, false]);
    expect(pages[0]?.mentions[0]?.platformId).toBe('8000000');
    expect(pages[1]?.mentions[0]?.platformId).toBe('7919418');
    expect(JSON.parse(pages[2]?.cursor ?? '').t).toBe(1403239000);
    expect(pages.flatMap((p) => p.mentions).every((m) => m.author.reach === 154666)).toBe(true);
  });

  it('requests the next page before handing over the current one; reach arrives as the page\'s pending work', async () => {
    const { server, source, ctx } = await setUp();
    const full = fixture('search_by_date-comments.json');
    full.hits = commentHits(100, 8000000, 1403239000, () => 'fleitz');
    full.nbPages = 2;
    const last = { ...fixture('search_by_date-comments.json'), page: 1, nbPages: 2 };
    server.add(
      { path: '/api/v1/search_by_date', query: { page: '0' }, body: full },
      { path: '/api/v1/search_by_date', query: { page: '1' }, body: last },
      { path: '/api/v1/users/fleitz', file: 'hackernews/user.json', times: 1 },
    );
    const pages = source.fetchMentions({ cursor: null, since: SINCE }, ctx)[Symbol.asyncIterator]();

    const first = (await pages.next()).value as MentionPage;
    // Yielded without waiting for the karma lookup: it is the page's pending work.
    expect(first.mentions[0]?.author.reach).toBe(0);
    // Page 1 was asked for before page 0 was handed over: it reaches the server though nobody reads on.
    await waitFor('the request for page 1', () => searchPagesRequested(server).includes('1'));
    expect(searchPagesRequested(server)).toEqual(['0', '1']);
    expect(first.mentions.map((m) => m.platformId).slice(0, 2)).toEqual(['8000000', '7999999']);
    expect(first.mentions).toHaveLength(100);
    expect(first.cursor).toBeUndefined();
    await first.pending;
    expect(first.mentions.every((m) => m.author.reach === 154666)).toBe(true);

    const second = (await pages.next()).value as MentionPage;
    expect(second.cursor).toBeUndefined();
    expect(await settledMentions(second)).toMatchObject([{ platformId: '7919418', author: { reach: 154666 } }]);

    const final = await pages.next();
    expect(final.value).toEqual({ mentions: [], cursor: JSON.stringify({ v: 1, t: 1403239000, seen: full.hits.map((h: HackerNewsHit) => h.objectID) }) });
    expect((await pages.next()).done).toBe(true);
    expect(searchPagesRequested(server)).toEqual(['0', '1']);
    server.assertDone();
  });

  it('asks for the next keyword\'s first page before handing over the last page of the one before', async () => {
    server = await startReplayServer([
      { path: '/api/v1/search_by_date', query: { query: '"apple"' }, file: 'hackernews/search_by_date-comments.json' },
      { path: '/api/v1/search_by_date', query: { query: '"Judge"' }, file: 'hackernews/search_by_date-stories.json' },
    ]);
    const source = createHackerNewsSource({ type: 'hackernews', name: 'hn', enabled: true, baseUrl: `${server.url}/api/v1`, keywords: ['Judge'] }, brand);
    const ctx = createTestSourceContext({ name: 'hn', kv: { 'karma:fleitz': JSON.stringify({ reach: 1, at: Date.parse('2026-06-01T11:00:00Z') }) } });
    const pages = source.fetchMentions({ cursor: null, since: SINCE }, ctx)[Symbol.asyncIterator]();
    const first = (await pages.next()).value as MentionPage;
    expect(first.mentions.map((m) => m.platformId)).toEqual(['7919418']);
    await waitFor('the search for "Judge"', () => server!.requests.some((r) => r.query.query === '"Judge"'));
    await pages.return?.(undefined);
  });

  it.each([
    { case: 'a short page', hits: 99, nbPages: 5 },
    { case: 'a full page that is the last one (nbPages)', hits: 100, nbPages: 1 },
  ])('stops after $case: no further page is requested', async ({ hits, nbPages }) => {
    const { server, source, ctx } = await setUp({ kv: { 'karma:fleitz': JSON.stringify({ reach: 1, at: Date.parse('2014-06-20T03:00:00Z') }) } });
    const only = { ...fixture('search_by_date-comments.json'), nbPages, hits: commentHits(hits, 8000000, 1403239000, () => 'fleitz') };
    server.add({ path: '/api/v1/search_by_date', query: { page: '0' }, body: only });
    const sent = recordRequests(ctx);
    const pages = await collect(source, { cursor: null, since: SINCE }, ctx);
    expect(pages.map((p) => p.mentions.length)).toEqual([hits, 0]);
    // Every request the run made was made by the time it ended: the one search.
    expect(sent.map((url) => new URL(url).searchParams.get('page'))).toEqual(['0']);
    server.assertDone();
  });

  it('stops at the page cap: warns, and requests no page beyond it', async () => {
    const { server, source, ctx } = await setUp({ kv: { 'karma:fleitz': JSON.stringify({ reach: 1, at: Date.parse('2014-06-20T03:00:00Z') }) } });
    const full = { ...fixture('search_by_date-comments.json'), nbPages: 50, hits: commentHits(100, 8000000, 1403239000, () => 'fleitz') };
    server.add({ path: '/api/v1/search_by_date', body: full });
    const sent = recordRequests(ctx);
    const pages = await collect(source, { cursor: null, since: SINCE }, ctx);
    // The same hits on every page: yielded once.
    expect(pages.map((p) => p.mentions.length)).toEqual([100, 0]);
    expect(sent.map((url) => new URL(url).searchParams.get('page'))).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(ctx.log.warnings).toEqual(['hackernews: more than 1000 results for "apple" in one run; older ones were skipped']);
    server.assertDone();
  });

  it('awaits ctx.pace before normalising a page: the page waits for it, the next request does not', async () => {
    const { server, source, ctx } = await setUp();
    const full = { ...fixture('search_by_date-comments.json'), nbPages: 2, hits: commentHits(100, 8000000, 1403239000, () => 'fleitz') };
    const last = { ...fixture('search_by_date-comments.json'), page: 1, nbPages: 2 };
    server.add(
      { path: '/api/v1/search_by_date', query: { page: '0' }, body: full },
      { path: '/api/v1/search_by_date', query: { page: '1' }, body: last },
      { path: '/api/v1/users/fleitz', file: 'hackernews/user.json', times: 1 },
    );
    const pace = gatedPace(ctx);
    const sent = recordRequests(ctx);
    const pages = source.fetchMentions({ cursor: null, since: SINCE }, ctx)[Symbol.asyncIterator]();

    const next = pages.next();
    const handedOver = watch(next);
    await waitFor('the request for page 1', () => searchPagesRequested(server).includes('1'));
    expect(pace.calls).toBe(1);
    expect(handedOver.settled).toBe(false);
    // Not normalised yet, so no reach lookup either.
    expect(sent.filter((url) => url.includes('/users/'))).toEqual([]);

    pace.release();
    const first = (await next).value as MentionPage;
    expect(first.mentions).toHaveLength(100);
    expect(await settledMentions(first).then((ms) => ms.every((m) => m.author.reach === 154666))).toBe(true);
    const rest = [];
    for (let r = await pages.next(); !r.done; r = await pages.next()) rest.push(r.value);
    expect(rest.map((p) => p.mentions.length)).toEqual([1, 0]);
    expect(pace.calls).toBe(2);
    server.assertDone();
  });

  it('a failing next page: the pages before it are handed over first, then the error', async () => {
    const { server, source, ctx } = await setUp({ kv: { 'karma:fleitz': JSON.stringify({ reach: 1, at: Date.parse('2014-06-20T03:00:00Z') }) } });
    const full = { ...fixture('search_by_date-comments.json'), nbPages: 2, hits: commentHits(100, 8000000, 1403239000, () => 'fleitz') };
    server.add(
      { path: '/api/v1/search_by_date', query: { page: '0' }, body: full },
      { path: '/api/v1/search_by_date', query: { page: '1' }, body: { message: 'Invalid' } },
    );
    const pages: MentionPage[] = [];
    const error = await (async () => {
      for await (const page of source.fetchMentions({ cursor: null, since: SINCE }, ctx)) pages.push(page);
    })().catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^hackernews: unexpected search response/);
    expect(pages.map((p) => [p.mentions.length, p.cursor])).toEqual([[100, undefined]]);
    server.assertDone();
  });

  it('karma lookups share one per-run cap and one lookup per author across pages', async () => {
    const { server, source, ctx } = await setUp();
    // Page 0: authors u0..u14. Page 1: u10..u14 again, then u15..u24 new; the cap leaves u20..u24 unlooked-up.
    const full = { ...fixture('search_by_date-comments.json'), nbPages: 2, hits: commentHits(100, 8000000, 1403239000, (i) => `u${i % 15}`) };
    const last = { ...fixture('search_by_date-comments.json'), page: 1, nbPages: 2, hits: commentHits(20, 7000000, 1403238000, (i) => `u${10 + (i % 15)}`) };
    expect(MAX_REACH_LOOKUPS).toBe(20);
    server.add(
      { path: '/api/v1/search_by_date', query: { page: '0' }, body: full },
      { path: '/api/v1/search_by_date', query: { page: '1' }, body: last },
      ...Array.from({ length: 20 }, (_, k) => ({ path: `/api/v1/users/u${k}`, body: { username: `u${k}`, karma: 1000 + k }, times: 1 })),
    );
    const pages = await collect(source, { cursor: null, since: SINCE }, ctx);
    server.assertDone(); // each looked-up author once; no request for u20..u24

    const lookups = server.requests.filter((r) => r.path.startsWith('/api/v1/users/')).map((r) => r.path.slice('/api/v1/users/'.length));
    expect(new Set(lookups).size).toBe(lookups.length);
    expect(lookups).toHaveLength(MAX_REACH_LOOKUPS);
    const reachOf = (page: MentionPage | undefined) => Object.fromEntries(page?.mentions.map((m) => [m.author.handle, m.author.reach]) ?? []);
    expect(reachOf(pages[0])).toEqual(Object.fromEntries(Array.from({ length: 15 }, (_, k) => [`u${k}`, 1000 + k])));
    expect(reachOf(pages[1])).toEqual(
      Object.fromEntries(Array.from({ length: 15 }, (_, j) => [`u${10 + j}`, 10 + j < MAX_REACH_LOOKUPS ? 1010 + j : 0])),
    );
  });

  it('empty result: one empty page that keeps the cursor', async () => {
    const { server, source, ctx } = await setUp();
    const empty = { ...fixture('search_by_date-comments.json'), hits: [], nbHits: 0, nbPages: 0 };
    server.add({ path: '/api/v1/search_by_date', body: empty, times: 2 });
    const cursor = JSON.stringify({ v: 1, t: 1403235154, seen: ['7919418'] });
    expect(await collect(source, { cursor, since: SINCE }, ctx)).toEqual([{ mentions: [], cursor: JSON.stringify({ v: 1, t: 1403235154, seen: [] }) }]);
    const first = await collect(source, { cursor: null, since: SINCE }, ctx);
    expect(first).toEqual([{ mentions: [], cursor: JSON.stringify({ v: 1, t: SINCE_S, seen: [] }) }]);
  });

  it('searches every keyword (brand + source) and de-duplicates hits across the keywords', async () => {
    const judge = fixture('search_by_date-stories.json');
    judge.hits.push(commentHit()); // also found by "apple": read and yielded once
    server = await startReplayServer([
      { path: '/api/v1/search_by_date', query: { query: '"apple"' }, file: 'hackernews/search_by_date-comments.json' },
      { path: '/api/v1/search_by_date', query: { query: '"Judge"' }, body: judge },
    ]);
    const source = createHackerNewsSource(
      { type: 'hackernews', name: 'hn', enabled: true, baseUrl: `${server.url}/api/v1`, keywords: ['Judge', 'APPLE'] },
      brand,
    );
    const ctx = createTestSourceContext({ name: 'hn', kv: { 'karma:fleitz': JSON.stringify({ reach: 1, at: Date.parse('2026-06-01T11:00:00Z') }), 'karma:bradleyjg': JSON.stringify({ reach: 2, at: Date.parse('2026-06-01T11:00:00Z') }) } });
    const pages = await collect(source, { cursor: null, since: SINCE }, ctx);
    server.assertDone();
    expect(server.requests).toHaveLength(2);
    expect(pages.map((p) => p.mentions.map((m) => m.platformId))).toEqual([['7919418'], ['7919424'], []]);
    expect(JSON.parse(pages[2]?.cursor ?? '')).toEqual({ v: 1, t: 1403235346, seen: ['7919424', '7919418'] });
  });

  it('an HTML body is an error naming the source', async () => {
    const { server, source, ctx } = await setUp();
    server.add({ path: '/api/v1/search_by_date', body: '<html><body>blocked</body></html>', headers: { 'content-type': 'text/html' } });
    await expect(collect(source, { cursor: null, since: SINCE }, ctx)).rejects.toThrow(/^hackernews: /);
  });

  it('JSON without hits is an error naming the source', async () => {
    const { server, source, ctx } = await setUp();
    server.add({ path: '/api/v1/search_by_date', body: { message: 'Invalid' } });
    await expect(collect(source, { cursor: null, since: SINCE }, ctx)).rejects.toThrow(/^hackernews: unexpected search response/);
  });

  it('a cursor from something else is an error naming the source', async () => {
    const { source, ctx } = await setUp();
    await expect(collect(source, { cursor: 't3_abc', since: SINCE }, ctx)).rejects.toThrow(/^hackernews: stored cursor/);
  });

  it('keeps a baseUrl path prefix', async () => {
    const { server, source, ctx } = await setUp({ prefix: '/proxy/hn/api/v1' });
    server.add(
      { path: '/proxy/hn/api/v1/search_by_date', file: 'hackernews/search_by_date-stories.json' },
      { path: '/proxy/hn/api/v1/users/bradleyjg', file: 'hackernews/user.json' },
    );
    const pages = await collect(source, { cursor: null, since: SINCE }, ctx);
    server.assertDone();
    expect(pages[0]?.mentions).toHaveLength(1);
    expect(pages[0]?.mentions[0]?.author.reach).toBe(154666);
  });

  it('checkThreads: one fetch per story, brand replies only below the mention count', async () => {
    const { server, source, ctx } = await setUp();
    server.add({ path: '/api/v1/items/1', file: 'hackernews/item-thread-brand-replies.json', times: 1 });
    const checks = [
      ['17', 'pg'],
      ['18', 'alice'],
      ['19', 'bob'],
      ['20', 'dave'],
    ].map(([platformId, authorHandle]) => ({ platformId: platformId as string, threadRef: '1', url: null, authorHandle: authorHandle as string, createdAt: 0 }));
    const results = await source.checkThreads?.(checks, ctx);
    server.assertDone();
    expect(results).toEqual([
      { platformId: '17', answeredAt: 1172442000000, reopened: true },
      { platformId: '18', answeredAt: null, reopened: false },
      { platformId: '19', answeredAt: null, reopened: false },
      { platformId: '20', answeredAt: 1160424500000, reopened: false },
    ]);
  });

  it('checkThreads: only other people replied (real thread), and one failing lookup does not fail the others', async () => {
    const { server, source, ctx } = await setUp();
    server.add(
      { path: '/api/v1/items/17', file: 'hackernews/item-thread.json' },
      { path: '/api/v1/items/404', status: 404, body: { status: 404, error: 'Not Found' } },
    );
    const results = await source.checkThreads?.(
      [
        { platformId: '404', threadRef: '404', url: null, authorHandle: 'x', createdAt: 0 },
        { platformId: '17', threadRef: '17', url: null, authorHandle: 'pg', createdAt: 0 },
      ],
      ctx,
    );
    server.assertDone();
    expect(results).toEqual([
      { platformId: '404', answeredAt: null, reopened: false },
      { platformId: '17', answeredAt: null, reopened: false },
    ]);
    expect(ctx.log.warnings.join('\n')).toMatch(/^hackernews: could not check the thread of item 404/);
  });

  it('check: one cheap search', async () => {
    const { server, source, ctx } = await setUp();
    server.add({ path: '/api/v1/search_by_date', query: { hitsPerPage: '1' }, file: 'hackernews/search_by_date-comments.json' });
    expect(await source.check(ctx)).toBe('ok: 106472 results for "apple"');
    server.assertDone();
  });

  it('a 503 is retried by the client; a 429 with a long Retry-After fails naming the source', async () => {
    const { server, source, ctx } = await setUp({ kv: { 'karma:fleitz': JSON.stringify({ reach: 1, at: Date.parse('2014-06-20T03:00:00Z') }) } });
    server.add(
      { path: '/api/v1/search_by_date', status: 503, body: 'busy', times: 1 },
      { path: '/api/v1/search_by_date', file: 'hackernews/search_by_date-comments.json', times: 1 },
      { path: '/api/v1/search_by_date', status: 429, headers: { 'retry-after': '600' }, body: 'slow down' },
    );
    const pages = await collect(source, { cursor: null, since: SINCE }, ctx);
    expect(pages[0]?.mentions).toHaveLength(1);
    await expect(collect(source, { cursor: null, since: SINCE }, ctx)).rejects.toThrow(/^hackernews: rate limited/);
    server.assertDone();
  });
});
