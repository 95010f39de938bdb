import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { BrandConfig, StackExchangeSourceConfig } from '../../src/config/types.js';
import { SourceError } from '../../src/errors.js';
import {
  createStackExchangeSource,
  findBrandReply,
  normalizeStackExchangeQuestion,
  type StackExchangeQuestion,
} from '../../src/sources/stackexchange.js';
import type { MentionPage } from '../../src/sources/types.js';
import { collect, gatedPace, recordRequests, waitFor, watch } from '../support/paging.js';
import { fixturePath, startReplayServer, type ReplayServer } from '../support/replay-server.js';
import { createTestSourceContext } from '../support/source-context.js';

const fixture = <T = any>(name: string): T => JSON.parse(readFileSync(fixturePath('stackexchange', name), 'utf8')) as T;
const KEY = 'sekrit-Key((';
const brand: BrandConfig = { name: 'Acme', keywords: ['widget'], exclude: [], accounts: { stackexchange: ['999001'] } };
const SINCE = new Date('2020-08-14T00:00:00Z');
const SINCE_S = SINCE.getTime() / 1000;
const NOW = new Date('2020-08-14T12:00:00Z');

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setUp(options: { prefix?: string; kv?: Record<string, string>; env?: Record<string, string> } = {}) {
  server = await startReplayServer();
  const prefix = options.prefix ?? '/2.3';
  const config: StackExchangeSourceConfig = {
    type: 'stackexchange',
    name: 'stackexchange',
    enabled: true,
    site: 'stackoverflow',
    keyEnv: 'SE_KEY',
    baseUrl: `${server.url}${prefix}`,
  };
  const source = createStackExchangeSource(config, brand);
  const ctx = createTestSourceContext({ name: 'stackexchange', now: NOW, kv: options.kv, env: options.env ?? { SE_KEY: KEY } });
  return { server, source, ctx };
}

describe('normalizeStackExchangeQuestion', () => {
  it('normalises a real question (entities in the title decoded, reputation as reach)', () => {
    const item = fixture('questions-wrapper.json').items[4] as StackExchangeQuestion;
    expect(normalizeStackExchangeQuestion(item, ['999001'])).toEqual({
      platformId: '63411189',
      url: 'https://stackoverflow.com/questions/63411189/how-to-select-element-by-alt-value-or-src-value',
      author: { handle: '6001558', name: 'HO LI Pin', url: 'https://stackoverflow.com/users/6001558/ho-li-pin', reach: 503 },
      title: 'How to select element by "alt" value or "src" value',
      text: '',
      createdAt: 1597401643000,
      own: false,
      addressesBrand: false,
      threadRef: '63411189',
      raw: item,
    });
  });

  it('strips the HTML body and marks the brand account as own', () => {
    const item = fixture('search-advanced-page2-withbody.json').items[0] as StackExchangeQuestion;
    const mention = normalizeStackExchangeQuestion(item, ['999001']);
    expect(mention).toMatchObject({
      platformId: '63411190',
      author: { handle: '999001', name: 'Acme & Co', reach: 1234 },
      text: 'Using acme widgets & the "alt" value:\n\n$(\'img[alt="x"]\')',
      own: true,
    });
  });

  it.each([
    { case: 'exact id', accounts: ['6001558'], own: true },
    { case: 'an id containing the brand id', accounts: ['600155'], own: false },
    { case: 'no accounts', accounts: [], own: false },
  ])('own: $case', ({ accounts, own }) => {
    expect(normalizeStackExchangeQuestion(fixture('questions-wrapper.json').items[4], accounts).own).toBe(own);
  });
});

describe('findBrandReply (pure)', () => {
  const answers = fixture('answers.json').items;
  const comments = fixture('comments.json').items;
  it.each([
    { case: 'brand answered, the asker commented afterwards', id: '63411064', asker: '12798744', answeredAt: 1597402000000, reopened: true },
    { case: 'only others (one whose id contains the brand id)', id: '63411229', asker: '13276994', answeredAt: null, reopened: false },
    { case: 'a bystander commented', id: '63411228', asker: '13876125', answeredAt: null, reopened: false },
    { case: 'brand commented on the question', id: '63411032', asker: '10741788', answeredAt: 1597402400000, reopened: false },
  ])('$case', ({ id, asker, answeredAt, reopened }) => {
    const check = { platformId: id, threadRef: id, url: null, authorHandle: asker, createdAt: 0 };
    expect(findBrandReply(id, check, answers, comments, ['999001'])).toEqual({ platformId: id, answeredAt, reopened });
  });
});

describe('createStackExchangeSource', () => {
  it('first poll: fromdate from window.since, pages with has_more, cursor on the last page only', async () => {
    const { server, source, ctx } = await setUp();
    server.add(
      { path: '/2.3/search/advanced', query: { page: '1' }, file: 'stackexchange/questions-wrapper.json' },
      { path: '/2.3/search/advanced', query: { page: '2' }, file: 'stackexchange/search-advanced-page2-withbody.json' },
    );
    const pages = await collect(source, { cursor: null, since: SINCE }, ctx);
    server.assertDone();

    expect(server.requests[0]?.query).toEqual({
      q: '"widget"',
      sort: 'creation',
      order: 'desc',
      fromdate: String(SINCE_S),
      pagesize: '100',
      page: '1',
      filter: 'withbody',
      site: 'stackoverflow',
      key: KEY,
    });
    // One page per search page (newest first within it), then the cursor alone.
    expect(pages.map((p) => p.mentions.length)).toEqual([10, 1, 0]);
    const ids = pages[0]?.mentions.map((m) => m.platformId);
    expect(ids?.slice(0, 3)).toEqual(['63411229', '63411228', '63411225']);
    expect(ids?.at(-1)).toBe('5210535');
    expect(pages[1]?.mentions.map((m) => m.platformId)).toEqual(['63411190']);
    expect(pages.map((p) => p.cursor === undefined)).toEqual([true, true, false]);
    expect(JSON.parse(pages[2]?.cursor ?? '')).toEqual({ v: 1, t: 1597401805, seen: expect.arrayContaining(['63411229', '63411228', '63411190']) });
  });

  it('requests the next search page before handing over the current one; the cursor comes last, on its own', async () => {
    const { server, source, ctx } = await setUp();
    server.add(
      { path: '/2.3/search/advanced', query: { page: '1' }, file: 'stackexchange/questions-wrapper.json' },
      { path: '/2.3/search/advanced', query: { page: '2' }, file: 'stackexchange/search-advanced-page2-withbody.json' },
    );
    const pages = source.fetchMentions({ cursor: null, since: SINCE }, ctx)[Symbol.asyncIterator]();

    const first = (await pages.next()).value as MentionPage;
    // Page 2 was asked for before page 1 was handed over: it reaches the server though nobody reads on.
    await waitFor('the request for page 2', () => server.requests.some((r) => r.query.page === '2'));
    expect(server.requests.map((r) => r.query.page)).toEqual(['1', '2']);
    expect(first.mentions).toHaveLength(10);
    expect(first.cursor).toBeUndefined();
    expect(first.pending).toBeUndefined();

    const second = (await pages.next()).value as MentionPage;
    expect(second).toEqual({ mentions: [expect.objectContaining({ platformId: '63411190' })] });

    const last = (await pages.next()).value as MentionPage;
    expect(last).toEqual({ mentions: [], cursor: expect.any(String) });
    expect(JSON.parse(last.cursor ?? '').t).toBe(1597401805);
    expect((await pages.next()).done).toBe(true);
    expect(server.requests.map((r) => r.query.page)).toEqual(['1', '2']);
    server.assertDone();
  });

  it('asks for the next keyword\'s first page before handing over the last page of the one before', async () => {
    server = await startReplayServer([
      { path: '/2.3/search/advanced', query: { q: '"widget"' }, file: 'stackexchange/search-advanced-page2-withbody.json' },
      { path: '/2.3/search/advanced', query: { q: '"gadget"' }, file: 'stackexchange/search-advanced-empty.json' },
    ]);
    const source = createStackExchangeSource(
      { type: 'stackexchange', name: 'stackexchange', enabled: true, site: 'stackoverflow', keywords: ['gadget'], baseUrl: `${server.url}/2.3` },
      brand,
    );
    const pages = source.fetchMentions({ cursor: null, since: SINCE }, createTestSourceContext({ name: 'stackexchange', now: NOW }))[Symbol.asyncIterator]();
    const first = (await pages.next()).value as MentionPage;
    expect(first.mentions.map((m) => m.platformId)).toEqual(['63411190']);
    await waitFor('the search for "gadget"', () => server!.requests.some((r) => r.query.q === '"gadget"'));
    const rest: MentionPage[] = [];
    for (let r = await pages.next(); !r.done; r = await pages.next()) rest.push(r.value);
    expect(rest.map((p) => p.mentions.length)).toEqual([0]);
    server.assertDone();
  });

  it('stops at the page cap: warns, and requests no page beyond it', async () => {
    const { server, source, ctx } = await setUp();
    // The same page (has_more) every time: its questions are yielded once.
    server.add({ path: '/2.3/search/advanced', file: 'stackexchange/questions-wrapper.json' });
    const sent = recordRequests(ctx, (req) => new URL(req.url));
    const pages = await collect(source, { cursor: null, since: SINCE }, ctx);
    expect(pages.map((p) => p.mentions.length)).toEqual([10, 0]);
    // Every request the run made was made by the time it ended.
    expect(sent.map((url) => url.searchParams.get('page'))).toEqual(['1', '2', '3', '4', '5']);
    expect(ctx.log.warnings).toEqual(['stackexchange: more than 500 questions for "widget" in one run; older ones were skipped']);
    server.assertDone();
  });

  it('awaits ctx.pace before normalising a page: the page waits for it, the next request does not', async () => {
    const { server, source, ctx } = await setUp();
    server.add(
      { path: '/2.3/search/advanced', query: { page: '1' }, file: 'stackexchange/questions-wrapper.json' },
      { path: '/2.3/search/advanced', query: { page: '2' }, file: 'stackexchange/search-advanced-page2-withbody.json' },
    );
    const pace = gatedPace(ctx);
    const pages = source.fetchMentions({ cursor: null, since: SINCE }, ctx)[Symbol.asyncIterator]();

    const next = pages.next();
    const handedOver = watch(next);
    await waitFor('the request for page 2', () => server.requests.some((r) => r.query.page === '2'));
    expect(pace.calls).toBe(1);
    expect(handedOver.settled).toBe(false);

    pace.release();
    const first = (await next).value as MentionPage;
    expect(first.mentions).toHaveLength(10);
    const rest: MentionPage[] = [];
    for (let r = await pages.next(); !r.done; r = await pages.next()) rest.push(r.value);
    expect(rest.map((p) => p.mentions.length)).toEqual([1, 0]);
    expect(pace.calls).toBe(2);
    server.assertDone();
  });

  it('a failing next page: the pages before it are handed over first, then the error, and no cursor', async () => {
    const { server, source, ctx } = await setUp();
    server.add(
      { path: '/2.3/search/advanced', query: { page: '1' }, file: 'stackexchange/questions-wrapper.json' },
      { path: '/2.3/search/advanced', query: { page: '2' }, body: { hello: 'world' } },
    );
    const pages: MentionPage[] = [];
    const error = await (async () => {
      for await (const page of source.fetchMentions({ cursor: null, since: SINCE }, ctx)) pages.push(page);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as Error).message).toMatch(/^stackexchange: unexpected response from search\/advanced \(no "items" list\)/);
    expect(pages.map((p) => [p.mentions.length, p.cursor])).toEqual([[10, undefined]]);
    server.assertDone();
  });

  it('a question found again by another keyword is yielded once', async () => {
    server = await startReplayServer([{ path: '/2.3/search/advanced', file: 'stackexchange/search-advanced-page2-withbody.json' }]);
    const source = createStackExchangeSource(
      { type: 'stackexchange', name: 'stackexchange', enabled: true, site: 'stackoverflow', keywords: ['gadget'], baseUrl: `${server.url}/2.3` },
      brand,
    );
    const pages = await collect(source, { cursor: null, since: SINCE }, createTestSourceContext({ name: 'stackexchange', now: NOW }));
    expect(server.requests.map((r) => r.query.q)).toEqual(['"widget"', '"gadget"']);
    expect(pages.map((p) => p.mentions.map((m) => m.platformId))).toEqual([['63411190'], []]);
    expect(JSON.parse(pages[1]?.cursor ?? '').seen).toEqual(['63411190']);
  });

  it('next poll: fromdate = cursor minus overlap, seen ids skipped', async () => {
    const { server, source, ctx } = await setUp();
    server.add({ path: '/2.3/search/advanced', query: { fromdate: String(1597401805 - 900) }, file: 'stackexchange/search-advanced-page2-withbody.json' });
    const cursor = JSON.stringify({ v: 1, t: 1597401805, seen: ['63411190'] });
    const pages = await collect(source, { cursor, since: SINCE }, ctx);
    server.assertDone();
    expect(pages).toEqual([{ mentions: [], cursor: JSON.stringify({ v: 1, t: 1597401805, seen: ['63411190'] }) }]);
  });

  it('empty page: one empty page with a cursor', async () => {
    const { server, source, ctx } = await setUp();
    server.add({ path: '/2.3/search/advanced', file: 'stackexchange/search-advanced-empty.json' });
    expect(await collect(source, { cursor: null, since: SINCE }, ctx)).toEqual([
      { mentions: [], cursor: JSON.stringify({ v: 1, t: SINCE_S, seen: [] }) },
    ]);
  });

  it('backoff: stops paging, keeps the old cursor, and skips the method next run', async () => {
    const { server, source, ctx } = await setUp();
    server.add({ path: '/2.3/search/advanced', file: 'stackexchange/search-advanced-backoff.json' });
    const sent = recordRequests(ctx, (req) => new URL(req.url));
    const pages = await collect(source, { cursor: null, since: SINCE }, ctx);
    server.assertDone();
    // has_more, but the response asked for a pause: no further page was requested, not even ahead.
    expect(sent).toHaveLength(1);
    expect(server.requests).toHaveLength(1);
    expect(ctx.log.warnings).toEqual([
      'stackexchange: the API asked for a 10s pause on search/advanced',
      'stackexchange: stopped searching early (the API asked for a pause); the next run continues from the same cursor',
    ]);
    expect(pages).toHaveLength(1);
    expect(pages[0]?.mentions.map((m) => m.platformId)).toEqual(['63411064']);
    expect(pages[0]?.cursor).toBeUndefined();
    expect(ctx.kv.get('backoff:search/advanced')).toBe(String(NOW.getTime() + 10_000));
    await expect(collect(source, { cursor: null, since: SINCE }, ctx)).rejects.toThrow(
      /^stackexchange: the API asked us not to call search\/advanced until 2020-08-14T12:00:10.000Z/,
    );
    expect(server.requests).toHaveLength(1);
  });

  it('throttle_violation: a SourceError with the resume time, remembered in kv', async () => {
    const { server, source, ctx } = await setUp();
    server.add({ path: '/2.3/search/advanced', status: 400, file: 'stackexchange/throttle-violation.json' });
    const error = await collect(source, { cursor: null, since: SINCE }, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as Error).message).toMatch(/^stackexchange: throttled \(throttle_violation: too many requests.*\)\. Calls resume after 2020-08-14T13:00:00.000Z/);
    expect(ctx.kv.get('backoff:search/advanced')).toBe(String(NOW.getTime() + 3_600_000));
  });

  it('a rejected key says which variable to check, without the key', async () => {
    const { server, source, ctx } = await setUp();
    server.add({ path: '/2.3/search/advanced', status: 400, file: 'stackexchange/bad-key.json' });
    const error = (await source.check(ctx).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/^stackexchange: the app key was rejected .*Check SE_KEY in \.env/);
    expect(error.message).not.toContain(KEY);
  });

  it.each([
    { case: 'an HTML body', route: { body: '<html><body>blocked</body></html>', headers: { 'content-type': 'text/html' } } },
    { case: 'a 500 twice', route: { status: 500, body: { error: 'boom' } } },
    { case: 'JSON without items', route: { body: { hello: 'world' } } },
  ])('$case is a SourceError naming the source, never showing the key', async ({ route }) => {
    const { server, source, ctx } = await setUp();
    server.add({ path: '/2.3/search/advanced', ...route });
    const error = (await collect(source, { cursor: null, since: SINCE }, ctx).catch((e: unknown) => e)) as SourceError;
    expect(error).toBeInstanceOf(SourceError);
    expect(error.message).toMatch(/^stackexchange: /);
    expect(JSON.stringify({ ...error, message: error.message, hint: error.hint, cause: String(error.cause) })).not.toContain('sekrit');
  });

  it('without the key variable set: warns and calls without a key', async () => {
    const { server, source, ctx } = await setUp({ env: {} });
    server.add({ path: '/2.3/search/advanced', file: 'stackexchange/search-advanced-empty.json' });
    await collect(source, { cursor: null, since: SINCE }, ctx);
    expect(server.requests[0]?.query).not.toHaveProperty('key');
    expect(ctx.log.warnings[0]).toMatch(/^stackexchange: SE_KEY is not set/);
  });

  it('keeps a baseUrl path prefix', async () => {
    const { server, source, ctx } = await setUp({ prefix: '/proxy/se/2.3' });
    server.add({ path: '/proxy/se/2.3/search/advanced', file: 'stackexchange/search-advanced-page2-withbody.json' });
    const pages = await collect(source, { cursor: null, since: SINCE }, ctx);
    server.assertDone();
    expect(pages[0]?.mentions[0]?.own).toBe(true);
  });

  it('checkThreads: answers then comments on questions and answers, batched with ";"', async () => {
    const { server, source, ctx } = await setUp();
    const ids = ['63411064', '63411229', '63411228', '63411032'];
    server.add(
      { path: `/2.3/questions/${ids.join(';')}/answers`, file: 'stackexchange/answers.json' },
      { path: `/2.3/posts/${[...ids, '70000001', '70000002'].join(';')}/comments`, file: 'stackexchange/comments.json' },
    );
    const askers = ['12798744', '13276994', '13876125', '10741788'];
    const results = await source.checkThreads?.(
      ids.map((id, i) => ({ platformId: id, threadRef: id, url: null, authorHandle: askers[i] ?? null, createdAt: 0 })),
      ctx,
    );
    server.assertDone();
    expect(server.requests[0]?.query).toMatchObject({ site: 'stackoverflow', pagesize: '100', key: KEY });
    expect(results).toEqual([
      { platformId: '63411064', answeredAt: 1597402000000, reopened: true },
      { platformId: '63411229', answeredAt: null, reopened: false },
      { platformId: '63411228', answeredAt: null, reopened: false },
      { platformId: '63411032', answeredAt: 1597402400000, reopened: false },
    ]);
  });

  it('checkThreads: a failing lookup gives null and a warning without the key', async () => {
    const { server, source, ctx } = await setUp();
    server.add({ path: '/2.3/questions/1/answers', status: 404, body: { error_id: 404, error_name: 'no_method', error_message: 'no method' } });
    const results = await source.checkThreads?.([{ platformId: '1', threadRef: '1', url: null, authorHandle: '2', createdAt: 0 }], ctx);
    expect(results).toEqual([{ platformId: '1', answeredAt: null, reopened: false }]);
    expect(ctx.log.warnings[0]).toMatch(/^stackexchange: could not check the answers to question 1/);
    expect(ctx.log.warnings.join()).not.toContain('sekrit');
  });

  it('check: one search with pagesize 1', async () => {
    const { server, source, ctx } = await setUp();
    server.add({ path: '/2.3/search/advanced', query: { pagesize: '1' }, file: 'stackexchange/search-advanced-page2-withbody.json' });
    expect(await source.check(ctx)).toBe('ok: 1 results for "widget" on stackoverflow, quota 9955/10000 left');
  });

  it('a 503 is retried; a 429 fails naming the source; a key the client scrubs only half-way (%28) is still hidden', async () => {
    server = await startReplayServer([
      { path: '/2.3/search/advanced', status: 503, body: 'busy', times: 1 },
      { path: '/2.3/search/advanced', file: 'stackexchange/search-advanced-empty.json', times: 1 },
      { path: '/2.3/search/advanced', status: 429, headers: { 'retry-after': '600' }, body: 'slow down' },
    ]);
    const source = createStackExchangeSource(
      { type: 'stackexchange', name: 'stackexchange', enabled: true, site: 'stackoverflow', keyEnv: 'SE_KEY', baseUrl: `${server.url}/2.3` },
      brand,
    );
    const ctx = createTestSourceContext({ name: 'stackexchange', now: NOW, env: { SE_KEY: KEY }, http: { secrets: [KEY] } });
    expect(await collect(source, { cursor: null, since: SINCE }, ctx)).toHaveLength(1);
    const error = (await collect(source, { cursor: null, since: SINCE }, ctx).catch((e: unknown) => e)) as Error & { url?: string };
    expect(error.message).toMatch(/^stackexchange: rate limited/);
    expect(`${error.message} ${error.url}`).not.toContain('sekrit');
    server.assertDone();
  });
});
