import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { BlueskySourceConfig, BrandConfig } from '../../src/config/types.js';
import { InterruptedError, SourceError } from '../../src/errors.js';
import {
  blueskyPostTime,
  createBlueskySource,
  normalizeBlueskyPost,
  parseAtUri,
  type BlueskyPost,
} from '../../src/sources/bluesky.js';
import type { MentionPage } from '../../src/sources/types.js';
import { collect, settledMentions, steppedPace, waitFor, watch } from '../support/paging.js';
import { fixturePath, startReplayServer, type ReplayRoute, type ReplayServer } from '../support/replay-server.js';
import { createTestSourceContext } from '../support/source-context.js';

const fixture = <T>(name: string): T => JSON.parse(readFileSync(fixturePath('bluesky', name), 'utf8')) as T;
const search = fixture<{ posts: BlueskyPost[]; cursor: string }>('searchPosts.json');

const CREATE = '/xrpc/com.atproto.server.createSession';
const REFRESH = '/xrpc/com.atproto.server.refreshSession';
const SEARCH = '/xrpc/app.bsky.feed.searchPosts';
const PROFILES = '/xrpc/app.bsky.actor.getProfiles';
const THREAD = '/xrpc/app.bsky.feed.getPostThread';

const brand: BrandConfig = {
  name: 'Redistricting',
  keywords: ['redistricting'],
  exclude: [],
  accounts: { bluesky: ['mcpli.bsky.social'] },
};

const config = (over: Partial<BlueskySourceConfig> = {}): BlueskySourceConfig => ({
  type: 'bluesky',
  name: 'bluesky',
  enabled: true,
  identifierEnv: 'BLUESKY_IDENTIFIER',
  passwordEnv: 'BLUESKY_APP_PASSWORD',
  ...over,
});

const env = { BLUESKY_IDENTIFIER: 'brand.bsky.social', BLUESKY_APP_PASSWORD: 'app-pass-secret' };
const storedSession = JSON.stringify({
  identifier: 'brand.bsky.social',
  did: 'did:plc:5c2r73erhng4bszmxlfdtscf',
  handle: 'bskyr.bsky.social',
  accessJwt: 'test-access-1',
  refreshJwt: 'test-refresh-1',
});
const since = new Date('2025-05-18T00:00:00.000Z');

describe('normalizeBlueskyPost', () => {
  it('turns a real search result into a mention', () => {
    const post = search.posts[0]!;
    expect(normalizeBlueskyPost(post, { brandAccounts: ['mcpli.bsky.social'], reach: 1234 })).toEqual({
      platformId: 'at://did:plc:kkergqgbhb56ptpwj2wenkje/app.bsky.feed.post/3lpk2u6qo222m',
      url: 'https://bsky.app/profile/socpaperbot.bsky.social/post/3lpk2u6qo222m',
      author: {
        handle: 'socpaperbot.bsky.social',
        name: 'Sociology papers (journals + SocArXiv)',
        url: 'https://bsky.app/profile/socpaperbot.bsky.social',
        reach: 1234,
      },
      title: null,
      text: 'Ends Versus Means: Public Opinion on Congressional Redistricting https://osf.io/v87fn State-level redistricting processes shape congressional elections and representation, and recent reform efforts have propelled congressional redistricting procedures into mainstream political discussion  #sociology',
      createdAt: Date.parse('2025-05-19T17:10:09.561Z'),
      own: false,
      addressesBrand: false,
      threadRef: 'at://did:plc:kkergqgbhb56ptpwj2wenkje/app.bsky.feed.post/3lpk2u6qo222m',
      raw: post,
    });
  });

  const reply = search.posts.find((p) => p.uri.endsWith('/3lpjzka2pzc2l'))!; // mcpli replying to mcpli
  const other = search.posts[0]!;
  const mentioning: BlueskyPost = {
    ...other,
    record: {
      ...other.record,
      facets: [{ features: [{ $type: 'app.bsky.richtext.facet#mention', did: 'did:plc:7nagdvjqrzaquzk7mueohne5' }] }],
    },
  };
  it.each([
    // post, brand accounts, own, addressesBrand
    ['own reply (handle)', reply, ['mcpli.bsky.social'], true, false],
    ['own reply (DID)', reply, ['did:plc:7nagdvjqrzaquzk7mueohne5'], true, true],
    ['own reply (@Handle)', reply, ['@McPli.bsky.social'], true, false],
    ['lookalike handle', reply, ['pli.bsky.social'], false, false],
    ['lookalike handle 2', reply, ['mcpli.bsky'], false, false],
    ['facet mention of the brand DID', mentioning, ['did:plc:7nagdvjqrzaquzk7mueohne5'], false, true],
    ['facet mention of someone else', mentioning, ['did:plc:7nagdvjqrzaquzk7mueohne'], false, false],
  ])('%s', (_label, post, accounts, own, addresses) => {
    const m = normalizeBlueskyPost(post, { brandAccounts: accounts });
    expect(m.own).toBe(own);
    expect(m.addressesBrand).toBe(addresses);
    expect(m.author.reach).toBe(0);
  });

  it.each([
    ['2025-05-19T02:03:20.286393+00:00', '2025-05-19T02:03:20.416Z', Date.parse('2025-05-19T02:03:20.286Z')],
    ['2030-01-01T00:00:00Z', '2025-05-19T02:03:20.416Z', Date.parse('2025-05-19T02:03:20.416Z')],
    [undefined, '2025-05-19T02:03:20.416Z', Date.parse('2025-05-19T02:03:20.416Z')],
  ])('post time: createdAt %s, indexedAt %s', (createdAt, indexedAt, expected) => {
    expect(blueskyPostTime({ record: createdAt === undefined ? {} : { createdAt }, indexedAt })).toBe(expected);
  });

  it('parses at-uris', () => {
    expect(parseAtUri('at://did:plc:abc/app.bsky.feed.post/3k')).toEqual({ did: 'did:plc:abc', collection: 'app.bsky.feed.post', rkey: '3k' });
    expect(parseAtUri('https://bsky.app/x')).toBeNull();
  });
});

describe('createBlueskySource: fetchMentions', () => {
  let server: ReplayServer;
  afterEach(async () => {
    await server?.close();
  });

  it('logs in once, pages the search, adds reach, and reuses the session from kv on the next poll', async () => {
    server = await startReplayServer([
      { method: 'POST', path: CREATE, file: 'bluesky/createSession-with-tokens.json', times: 1 },
      { path: SEARCH, query: { q: 'redistricting', sort: 'latest', since: '2025-05-18T00:00:00.000Z', limit: '100' }, file: 'bluesky/searchPosts.json', times: 1 },
      { path: SEARCH, query: { q: 'redistricting', cursor: '25' }, file: 'bluesky/searchPosts-empty.json', times: 1 },
      { path: PROFILES, file: 'bluesky/getProfiles-search-authors.json', times: 2 },
      // second poll: since = newest indexedAt minus a minute; the one post there was already seen
      { path: SEARCH, query: { q: 'redistricting', since: '2025-05-19T17:09:09.813Z' }, body: { posts: [search.posts[0]] }, times: 1 },
    ]);
    const ctx = createTestSourceContext({ name: 'bluesky', env });
    const source = createBlueskySource(config({ baseUrl: server.url }), brand);

    const pages = await collect(source, { cursor: null, since }, ctx);
    // The search page as it came, then the cursor on a page of its own (the second search page was empty).
    expect(pages).toHaveLength(2);
    expect(pages[0]!.cursor).toBeUndefined();
    expect(pages[1]!.mentions).toEqual([]);
    const mentions = pages[0]!.mentions;
    expect(mentions).toHaveLength(25);
    expect(mentions[0]!.author.reach).toBe(1234);
    const own = mentions.filter((m) => m.own).map((m) => m.url);
    expect(own).toEqual([
      'https://bsky.app/profile/mcpli.bsky.social/post/3lpjzka2pzc2l',
      'https://bsky.app/profile/mcpli.bsky.social/post/3lpjy3eabqs2l',
      'https://bsky.app/profile/mcpli.bsky.social/post/3lpica7sxmk2u',
    ]);
    expect(mentions.filter((m) => m.addressesBrand).map((m) => m.url)).toEqual([
      'https://bsky.app/profile/mcpli.bsky.social/post/3lpjzka2pzc2l',
    ]);
    expect(mentions.filter((m) => m.own).every((m) => m.author.reach === 56)).toBe(true);
    const cursor = pages[1]!.cursor!;
    expect(JSON.parse(cursor)).toEqual({
      v: 1,
      streams: {
        redistricting: {
          t: '2025-05-19T17:10:09.813Z',
          uris: ['at://did:plc:kkergqgbhb56ptpwj2wenkje/app.bsky.feed.post/3lpk2u6qo222m'],
        },
      },
    });
    const stored = JSON.parse(ctx.kv.map.get('session')!);
    expect(stored.accessJwt).toBe('test-access-1');
    expect(JSON.stringify(pages)).not.toMatch(/test-access|test-refresh|app-pass-secret/);

    const second = await collect(source, { cursor, since }, ctx);
    expect(second).toEqual([{ mentions: [], cursor }]);
    server.assertDone();
    expect(server.requests.filter((r) => r.path === CREATE)).toHaveLength(1);
    expect(JSON.parse(server.requests[0]!.body)).toEqual({ identifier: 'brand.bsky.social', password: 'app-pass-secret' });
    for (const req of server.requests.filter((r) => r.path !== CREATE)) expect(req.headers.authorization).toBe('Bearer test-access-1');
  });

  describe('two search pages', () => {
    // Page 2: one more post by an author of page 1 (socpaperbot, 1234 followers) and one by a new author.
    const known = { ...search.posts[0]!, uri: 'at://did:plc:kkergqgbhb56ptpwj2wenkje/app.bsky.feed.post/3older1', indexedAt: '2025-05-18T12:00:00.000Z' };
    const newcomer = {
      ...search.posts[0]!,
      uri: 'at://did:plc:newcomer/app.bsky.feed.post/3older2',
      author: { did: 'did:plc:newcomer', handle: 'newcomer.bsky.social' },
      indexedAt: '2025-05-18T11:00:00.000Z',
    };
    const profiles = fixture<{ profiles: object[] }>('getProfiles-search-authors.json').profiles;
    const routes = (): ReplayRoute[] => [
      { path: SEARCH, query: { q: 'redistricting', cursor: '25' }, body: { posts: [known, newcomer] }, times: 1 },
      { path: SEARCH, query: { q: 'redistricting' }, file: 'bluesky/searchPosts.json', times: 1 },
      // One answer for every getProfiles request (authors and the brand's handle); the adapter keeps what it asked for.
      { path: PROFILES, body: { profiles: [...profiles, { did: 'did:plc:newcomer', handle: 'newcomer.bsky.social', followersCount: 77 }] } },
    ];

    it('asks for the next search page as soon as a page is read, before it is handed on; the cursor comes last', async () => {
      server = await startReplayServer(routes());
      const ctx = createTestSourceContext({ name: 'bluesky', env, kv: { session: storedSession } });
      const source = createBlueskySource(config({ baseUrl: server.url }), brand);
      const pages = source.fetchMentions({ cursor: null, since }, ctx)[Symbol.asyncIterator]();
      const searchRequests = () => server.requests.filter((r) => r.path === SEARCH);

      const first = await pages.next();
      expect(first.done).toBe(false);
      // The second page is asked for although nobody asked for a second MentionPage yet.
      await waitFor('the second search request', () => searchRequests().length === 2);
      expect(searchRequests().map((r) => r.query.cursor)).toEqual([undefined, '25']);
      const page1 = first.value as MentionPage;
      expect(page1.cursor).toBeUndefined();
      const mentions = await settledMentions(page1);
      expect(mentions).toHaveLength(25);
      expect(mentions.filter((m) => m.own)).toHaveLength(3);
      expect(mentions[0]!.author.reach).toBe(1234);

      // The second search page has no cursor: nothing more is asked for.
      const second = await pages.next();
      const page2 = second.value as MentionPage;
      expect(page2.cursor).toBeUndefined();
      expect((await settledMentions(page2)).map((m) => m.platformId)).toEqual([known.uri, newcomer.uri]);

      const last = await pages.next();
      expect(last.value).toEqual({ mentions: [], cursor: expect.any(String) });
      expect(JSON.parse((last.value as MentionPage).cursor!).streams.redistricting.t).toBe('2025-05-19T17:10:09.813Z');
      expect((await pages.next()).done).toBe(true);
      expect(searchRequests()).toHaveLength(2);
      server.assertDone();
    });

    it('awaits ctx.pace before a page is normalised, with the next page already asked for', async () => {
      server = await startReplayServer(routes());
      const ctx = createTestSourceContext({ name: 'bluesky', env, kv: { session: storedSession } });
      const turns = steppedPace(ctx);
      const source = createBlueskySource(config({ baseUrl: server.url }), brand);
      const pages = source.fetchMentions({ cursor: null, since }, ctx)[Symbol.asyncIterator]();

      const firstRead = pages.next();
      const handedOn = watch(firstRead);
      await waitFor(
        'the turn asked for and the second search request',
        () => turns.length === 1 && server.requests.filter((r) => r.path === SEARCH).length === 2,
      );
      expect(handedOn.settled).toBe(false);
      // Nothing of the page's own work has started: its authors' profiles are asked for in its turn.
      expect(server.requests.filter((r) => r.path === PROFILES)).toEqual([]);
      turns[0]!();
      const first = (await firstRead).value as MentionPage;
      expect(await settledMentions(first)).toHaveLength(25);

      const rest = pages.next();
      await waitFor('the second turn', () => turns.length === 2);
      turns[1]!();
      expect(await settledMentions((await rest).value as MentionPage)).toHaveLength(2);
      expect(((await pages.next()).value as MentionPage).cursor).toEqual(expect.any(String));
      expect((await pages.next()).done).toBe(true);
      server.assertDone();
    });

    it('a failing next search page is the error, after the page before it', async () => {
      server = await startReplayServer([
        { path: SEARCH, query: { q: 'redistricting', cursor: '25' }, status: 500, body: { error: 'InternalServerError' } },
        ...routes().slice(1),
      ]);
      const ctx = createTestSourceContext({ name: 'bluesky', env, kv: { session: storedSession }, http: { retries: 0 } });
      const source = createBlueskySource(config({ baseUrl: server.url }), brand);
      const pages: MentionPage[] = [];
      await expect(collect(source, { cursor: null, since }, ctx, pages)).rejects.toThrow(/^bluesky: GET .*500/);
      expect(pages.map((p) => [p.mentions.length, p.cursor])).toEqual([[25, undefined]]);
      server.assertDone();
    });

    it('asks for each author once across pages, and fills reach in when the page settles', async () => {
      server = await startReplayServer(routes());
      const ctx = createTestSourceContext({ name: 'bluesky', env, kv: { session: storedSession } });
      // The real client, its request URLs noted: the recorded query keeps one value per name, getProfiles sends many.
      const asked: string[][] = [];
      const http = ctx.http;
      ctx.http = {
        request: (req) => {
          const url = new URL(req.url);
          if (url.pathname === PROFILES) asked.push(url.searchParams.getAll('actors'));
          return http.request(req);
        },
      };
      const source = createBlueskySource(config({ baseUrl: server.url }), brand);
      const pages = await collect(source, { cursor: null, since }, ctx);
      server.assertDone();

      const authorRequests = asked.filter((actors) => actors.every((a) => a.startsWith('did:')));
      const brandRequests = asked.filter((actors) => !actors.every((a) => a.startsWith('did:')));
      expect(brandRequests).toEqual([['mcpli.bsky.social']]); // the brand's DIDs, once per run
      expect(authorRequests).toHaveLength(2); // one per page: page 2 asks only for its new author
      expect(authorRequests[0]).toHaveLength(new Set(search.posts.map((p) => p.author.did)).size);
      expect(authorRequests[1]).toEqual(['did:plc:newcomer']);
      const everyAsked = authorRequests.flat();
      expect(new Set(everyAsked).size).toBe(everyAsked.length);

      const page2 = pages[1]!.mentions;
      expect(page2.map((m) => [m.author.handle, m.author.reach])).toEqual([
        ['socpaperbot.bsky.social', 1234], // from page 1's request
        ['newcomer.bsky.social', 77],
      ]);
    });

    it('a failed followers read is one warning and reach 0; the pages are still yielded', async () => {
      server = await startReplayServer([...routes().slice(0, 2), { path: PROFILES, status: 400, body: { error: 'InvalidRequest', message: 'nope' } }]);
      const ctx = createTestSourceContext({ name: 'bluesky', env, kv: { session: storedSession } });
      const source = createBlueskySource(config({ baseUrl: server.url }), brand);
      const pages = await collect(source, { cursor: null, since }, ctx);
      expect(pages.map((p) => p.mentions.length)).toEqual([25, 2, 0]);
      expect(pages.flatMap((p) => p.mentions).every((m) => m.author.reach === 0)).toBe(true);
      expect(ctx.log.warnings.filter((w) => w.includes('could not read followers counts'))).toHaveLength(1);
    });
  });

  it('stops at the page cap without asking for more, and says so', async () => {
    // Five pages of one post each, every one with a cursor to a next.
    const post = (n: number) => ({ ...search.posts[0]!, uri: `at://did:plc:kkergqgbhb56ptpwj2wenkje/app.bsky.feed.post/3page${n}` });
    server = await startReplayServer([
      ...[1, 2, 3, 4].map((n) => ({ path: SEARCH, query: { cursor: `c${n}` }, body: { posts: [post(n)], cursor: `c${n + 1}` }, times: 1 })),
      { path: SEARCH, body: { posts: [post(0)], cursor: 'c1' }, times: 1 },
      { path: PROFILES, file: 'bluesky/getProfiles-search-authors.json' },
    ]);
    const ctx = createTestSourceContext({ name: 'bluesky', env, kv: { session: storedSession } });
    const source = createBlueskySource(config({ baseUrl: server.url }), brand);
    const pages = await collect(source, { cursor: null, since }, ctx);
    server.assertDone();
    expect(pages.map((p) => p.mentions.length)).toEqual([1, 1, 1, 1, 1, 0]);
    expect(server.requests.filter((r) => r.path === SEARCH)).toHaveLength(5);
    expect(ctx.log.warnings).toEqual(['bluesky: the search for "redistricting" has more posts than one run reads; older ones were skipped']);
  });

  it('an empty search page is the last one asked for, even with a cursor', async () => {
    server = await startReplayServer([
      { path: SEARCH, query: { cursor: '25' }, body: { posts: [], cursor: '50' }, times: 1 },
      { path: SEARCH, file: 'bluesky/searchPosts.json', times: 1 },
      { path: PROFILES, file: 'bluesky/getProfiles-search-authors.json' },
    ]);
    const ctx = createTestSourceContext({ name: 'bluesky', env, kv: { session: storedSession } });
    const source = createBlueskySource(config({ baseUrl: server.url }), brand);
    const pages = await collect(source, { cursor: null, since }, ctx);
    server.assertDone();
    expect(pages.map((p) => p.mentions.length)).toEqual([25, 0]);
    expect(server.requests.filter((r) => r.path === SEARCH).map((r) => r.query.cursor)).toEqual([undefined, '25']);
  });

  it('interrupted while a page waits for its profiles: the page\'s pending rejects', async () => {
    const controller = new AbortController();
    server = await startReplayServer([
      { path: SEARCH, file: 'bluesky/searchPosts.json', times: 1 },
      { path: PROFILES, file: 'bluesky/getProfiles-search-authors.json', delayMs: 200 },
      { path: SEARCH, body: { posts: [] } },
    ]);
    const ctx = { ...createTestSourceContext({ name: 'bluesky', env, kv: { session: storedSession }, http: { signal: controller.signal } }), signal: controller.signal };
    const source = createBlueskySource(config({ baseUrl: server.url }), brand);
    const pages = source.fetchMentions({ cursor: null, since }, ctx)[Symbol.asyncIterator]();
    const first = (await pages.next()).value as MentionPage;
    controller.abort();
    await expect(settledMentions(first)).rejects.toThrow(InterruptedError);
    await pages.return?.(undefined);
  });

  it('two keywords: searched side by side after one login, a post both find yielded once', async () => {
    server = await startReplayServer([
      { method: 'POST', path: CREATE, file: 'bluesky/createSession-with-tokens.json', times: 1 },
      { path: SEARCH, query: { q: 'redistricting', cursor: '25' }, file: 'bluesky/searchPosts-empty.json', times: 1 },
      { path: SEARCH, query: { q: 'redistricting' }, file: 'bluesky/searchPosts.json', times: 1 },
      { path: SEARCH, query: { q: 'gerrymander' }, body: { posts: [search.posts[0], search.posts[1]] }, times: 1 },
      { path: PROFILES, file: 'bluesky/getProfiles-search-authors.json' },
    ]);
    const ctx = createTestSourceContext({ name: 'bluesky', env });
    const source = createBlueskySource(config({ baseUrl: server.url, keywords: ['gerrymander'] }), brand);
    const pages = await collect(source, { cursor: null, since }, ctx);
    server.assertDone();
    const ids = pages.flatMap((p) => p.mentions.map((m) => m.platformId));
    expect(ids.sort()).toEqual(search.posts.map((p) => p.uri).sort());
    expect(pages.at(-1)!.mentions).toEqual([]);
    expect(Object.keys(JSON.parse(pages.at(-1)!.cursor!).streams).sort()).toEqual(['gerrymander', 'redistricting']);
    expect(server.requests.filter((r) => r.path === CREATE)).toHaveLength(1);
  });

  it('an empty search yields one empty page and no cursor entry', async () => {
    server = await startReplayServer([{ path: SEARCH, file: 'bluesky/searchPosts-empty.json' }]);
    const ctx = createTestSourceContext({ name: 'bluesky', env, kv: { session: storedSession } });
    const source = createBlueskySource(config({ baseUrl: server.url }), brand);
    expect(await collect(source, { cursor: null, since }, ctx)).toEqual([{ mentions: [], cursor: JSON.stringify({ v: 1, streams: {} }) }]);
    server.assertDone();
  });

  it('rides out a 502 and a 429 with Retry-After (the client retries and waits)', async () => {
    server = await startReplayServer([
      { path: SEARCH, status: 502, body: 'bad gateway', times: 1 },
      { path: SEARCH, status: 429, headers: { 'retry-after': '1', 'ratelimit-remaining': '0' }, body: { error: 'RateLimitExceeded' }, times: 1 },
      { path: SEARCH, file: 'bluesky/searchPosts-empty.json', times: 1 },
    ]);
    const ctx = createTestSourceContext({ name: 'bluesky', env, kv: { session: storedSession }, http: { maxWaitMs: 10_000 } });
    const source = createBlueskySource(config({ baseUrl: server.url }), brand);
    expect(await collect(source, { cursor: null, since }, ctx)).toEqual([{ mentions: [], cursor: JSON.stringify({ v: 1, streams: {} }) }]);
    server.assertDone();
  });

  it('refreshes an expired session (ExpiredToken 400) instead of logging in again', async () => {
    server = await startReplayServer([
      { path: SEARCH, status: 400, file: 'bluesky/expired-token-400.json', times: 1 },
      { method: 'POST', path: REFRESH, file: 'bluesky/refreshSession.json', times: 1 },
      { path: SEARCH, file: 'bluesky/searchPosts-empty.json', times: 1 },
    ]);
    const ctx = createTestSourceContext({ name: 'bluesky', env, kv: { session: storedSession } });
    const source = createBlueskySource(config({ baseUrl: server.url }), brand);
    await collect(source, { cursor: null, since }, ctx);
    server.assertDone();
    expect(server.requests.map((r) => `${r.path} ${r.headers.authorization}`)).toEqual([
      `${SEARCH} Bearer test-access-1`,
      `${REFRESH} Bearer test-refresh-1`,
      `${SEARCH} Bearer test-access-2`,
    ]);
    expect(JSON.parse(ctx.kv.map.get('session')!)).toMatchObject({ accessJwt: 'test-access-2', refreshJwt: 'test-refresh-2' });
  });

  it('logs in again only when refreshing fails', async () => {
    server = await startReplayServer([
      { path: SEARCH, status: 400, file: 'bluesky/expired-token-400.json', times: 1 },
      { method: 'POST', path: REFRESH, status: 400, file: 'bluesky/expired-token-400.json', times: 1 },
      { method: 'POST', path: CREATE, file: 'bluesky/createSession-with-tokens.json', times: 1 },
      { path: SEARCH, file: 'bluesky/searchPosts-empty.json', times: 1 },
    ]);
    const ctx = createTestSourceContext({ name: 'bluesky', env, kv: { session: storedSession.replace('test-access-1', 'old-access') } });
    const source = createBlueskySource(config({ baseUrl: server.url }), brand);
    await collect(source, { cursor: null, since }, ctx);
    server.assertDone();
    expect(server.requests.map((r) => r.path)).toEqual([SEARCH, REFRESH, CREATE, SEARCH]);
    expect(server.requests.at(-1)!.headers.authorization).toBe('Bearer test-access-1');
  });

  // Side-by-side streams (two keywords here) find the token expired together: one of them renews it for all.
  it('renews an expired session once when several streams find it expired at the same time', async () => {
    server = await startReplayServer([
      { path: SEARCH, status: 400, file: 'bluesky/expired-token-400.json', times: 2 },
      { method: 'POST', path: REFRESH, file: 'bluesky/refreshSession.json', times: 1, delayMs: 50 },
      { path: SEARCH, file: 'bluesky/searchPosts-empty.json', times: 2 },
    ]);
    const ctx = createTestSourceContext({ name: 'bluesky', env, kv: { session: storedSession } });
    const source = createBlueskySource(config({ baseUrl: server.url, keywords: ['gerrymander'] }), brand);
    await collect(source, { cursor: null, since }, ctx);
    server.assertDone();
    expect(server.requests.filter((r) => r.path === REFRESH)).toHaveLength(1);
    expect(server.requests.filter((r) => r.path === SEARCH).map((r) => r.headers.authorization)).toEqual([
      'Bearer test-access-1',
      'Bearer test-access-1',
      'Bearer test-access-2',
      'Bearer test-access-2',
    ]);
  });

  it('logs in again once, not once per stream, when refreshing fails (createSession has a small daily limit)', async () => {
    server = await startReplayServer([
      { path: SEARCH, status: 400, file: 'bluesky/expired-token-400.json', times: 2 },
      { method: 'POST', path: REFRESH, status: 400, file: 'bluesky/expired-token-400.json', times: 1 },
      { method: 'POST', path: CREATE, file: 'bluesky/createSession-with-tokens.json', times: 1, delayMs: 50 },
      { path: SEARCH, file: 'bluesky/searchPosts-empty.json', times: 2 },
    ]);
    const ctx = createTestSourceContext({ name: 'bluesky', env, kv: { session: storedSession.replace('test-access-1', 'old-access') } });
    const source = createBlueskySource(config({ baseUrl: server.url, keywords: ['gerrymander'] }), brand);
    await collect(source, { cursor: null, since }, ctx);
    server.assertDone();
    expect(server.requests.filter((r) => r.path === REFRESH || r.path === CREATE).map((r) => r.path)).toEqual([REFRESH, CREATE]);
  });

  it('401 from createSession is a clear error naming the variables, without the password', async () => {
    server = await startReplayServer([{ method: 'POST', path: CREATE, status: 401, file: 'bluesky/createSession-401.json' }]);
    const ctx = createTestSourceContext({ name: 'bluesky', env });
    const source = createBlueskySource(config({ baseUrl: server.url }), brand);
    const run = collect(source, { cursor: null, since }, ctx);
    await expect(run).rejects.toThrow(SourceError);
    await expect(run).rejects.toThrow(
      /^bluesky: 401 Unauthorized from createSession \(AuthenticationRequired: Invalid identifier or password\)\. Check BLUESKY_IDENTIFIER and BLUESKY_APP_PASSWORD in \.env/,
    );
    await run.catch((error: Error) => expect(error.message).not.toContain('app-pass-secret'));
    expect(ctx.kv.map.has('session')).toBe(false);
  });

  it('missing credentials name the variables', async () => {
    const ctx = createTestSourceContext({ name: 'bluesky', env: { BLUESKY_IDENTIFIER: 'brand.bsky.social' } });
    const source = createBlueskySource(config({ baseUrl: 'http://127.0.0.1:9' }), brand);
    await expect(collect(source, { cursor: null, since }, ctx)).rejects.toThrow(/^bluesky: BLUESKY_APP_PASSWORD is not set/);
  });

  it('an HTML 403 is an error, not zero results', async () => {
    server = await startReplayServer([
      { path: SEARCH, status: 403, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>403 Forbidden</h1></body></html>' },
    ]);
    const ctx = createTestSourceContext({ name: 'bluesky', env, kv: { session: storedSession } });
    const source = createBlueskySource(config({ baseUrl: server.url }), brand);
    await expect(collect(source, { cursor: null, since }, ctx)).rejects.toThrow(/^bluesky: 403 Forbidden from app\.bsky\.feed\.searchPosts \(an HTML block page\)/);
  });

  it('an HTML 200 body is an error naming the source', async () => {
    server = await startReplayServer([{ path: SEARCH, headers: { 'content-type': 'text/html' }, body: '<html>maintenance</html>' }]);
    const ctx = createTestSourceContext({ name: 'bluesky', env, kv: { session: storedSession } });
    const source = createBlueskySource(config({ baseUrl: server.url }), brand);
    await expect(collect(source, { cursor: null, since }, ctx)).rejects.toThrow(/^bluesky: GET .*expected JSON/);
  });

  it('a JSON body without posts[] is an error naming the source', async () => {
    server = await startReplayServer([{ path: SEARCH, body: { results: [] } }]);
    const ctx = createTestSourceContext({ name: 'bluesky', env, kv: { session: storedSession } });
    const source = createBlueskySource(config({ baseUrl: server.url }), brand);
    await expect(collect(source, { cursor: null, since }, ctx)).rejects.toThrow(/^bluesky: unexpected response from searchPosts/);
  });

  it('works under a baseUrl with a path prefix', async () => {
    server = await startReplayServer([
      { method: 'POST', path: `/pds${CREATE}`, file: 'bluesky/createSession-with-tokens.json' },
      { path: `/pds${SEARCH}`, file: 'bluesky/searchPosts-empty.json' },
    ]);
    const ctx = createTestSourceContext({ name: 'bluesky', env });
    const source = createBlueskySource(config({ baseUrl: `${server.url}/pds` }), brand);
    await collect(source, { cursor: null, since }, ctx);
    server.assertDone();
  });
});

describe('createBlueskySource: checkThreads', () => {
  let server: ReplayServer;
  afterEach(async () => {
    await server?.close();
  });

  // The mention is 3kbi57u4sys2l; the brand is jbgruber.bsky.social (did:plc:ntd53albt5ffa4rgervvgibd).
  const threadBrand: BrandConfig = { ...brand, accounts: { bluesky: ['jbgruber.bsky.social'] } };
  const uri = 'at://did:plc:ntd53albt5ffa4rgervvgibd/app.bsky.feed.post/3kbi57u4sys2l';
  const mention = { platformId: uri, threadRef: uri, url: null, authorHandle: 'mcpli.bsky.social', createdAt: Date.parse('2023-10-11T13:28:13.687Z') };
  const kv = {
    session: storedSession,
    brandDids: JSON.stringify({ handles: { 'jbgruber.bsky.social': 'did:plc:ntd53albt5ffa4rgervvgibd' }, fetchedAt: Date.parse('2026-06-01T11:00:00Z') }),
  };

  it.each([
    ['getPostThread.json', Date.parse('2023-10-11T13:30:33.252Z'), false],
    ['getPostThread-no-replies.json', null, false],
    ['getPostThread-others-only.json', null, false],
    ['getPostThread-lookalike.json', null, false],
    ['getPostThread-different-post.json', null, false],
    ['getPostThread-reopened.json', Date.parse('2023-10-11T13:30:33.252Z'), true],
  ])('%s → answeredAt %s, reopened %s', async (file, answeredAt, reopened) => {
    server = await startReplayServer([{ path: THREAD, query: { uri }, file: `bluesky/${file}` }]);
    const ctx = createTestSourceContext({ name: 'bluesky', env, kv });
    const source = createBlueskySource(config({ baseUrl: server.url }), threadBrand);
    expect(await source.checkThreads!([mention], ctx)).toEqual([{ platformId: uri, answeredAt, reopened }]);
    server.assertDone();
    expect(server.requests[0]!.headers.authorization).toBe('Bearer test-access-1');
  });

  it('resolves the brand handle to its DID once, and one failing lookup does not fail the others', async () => {
    const missing = 'at://did:plc:ntd53albt5ffa4rgervvgibd/app.bsky.feed.post/3gone';
    const profiles = fixture<{ profiles: object[] }>('getProfiles.json');
    const jb = { ...profiles.profiles[0]!, did: 'did:plc:ntd53albt5ffa4rgervvgibd', handle: 'jbgruber.bsky.social' };
    server = await startReplayServer([
      { path: PROFILES, query: { actors: 'jbgruber.bsky.social' }, body: { profiles: [jb] }, times: 1 },
      { path: THREAD, query: { uri: missing }, status: 400, body: { error: 'NotFound', message: `Post not found: ${missing}` } },
      { path: THREAD, query: { uri }, file: 'bluesky/getPostThread.json' },
    ]);
    const ctx = createTestSourceContext({ name: 'bluesky', env, kv: { session: storedSession } });
    const source = createBlueskySource(config({ baseUrl: server.url }), threadBrand);
    const results = await source.checkThreads!([{ ...mention, platformId: missing, threadRef: missing }, mention], ctx);
    expect(results).toEqual([
      { platformId: missing, answeredAt: null, reopened: false },
      { platformId: uri, answeredAt: Date.parse('2023-10-11T13:30:33.252Z'), reopened: false },
    ]);
    expect(ctx.log.warnings[0]).toMatch(/^bluesky: could not check replies to .*3gone: bluesky: app\.bsky\.feed\.getPostThread failed: 400 NotFound/);
    expect(JSON.parse(ctx.kv.map.get('brandDids')!).handles).toEqual({ 'jbgruber.bsky.social': 'did:plc:ntd53albt5ffa4rgervvgibd' });
    server.assertDone();
  });
});

describe('createBlueskySource: check', () => {
  let server: ReplayServer;
  afterEach(async () => {
    await server?.close();
  });

  it('reports the logged-in account', async () => {
    server = await startReplayServer([
      { method: 'POST', path: CREATE, file: 'bluesky/createSession-with-tokens.json' },
      { path: '/xrpc/com.atproto.server.getSession', body: { did: 'did:plc:5c2r73erhng4bszmxlfdtscf', handle: 'bskyr.bsky.social' } },
    ]);
    const ctx = createTestSourceContext({ name: 'bluesky', env });
    const source = createBlueskySource(config({ baseUrl: server.url }), brand);
    expect(await source.check(ctx)).toBe('logged in as @bskyr.bsky.social via 127.0.0.1:' + new URL(server.url).port);
  });
});

/** The brand login's notifications, so an @-mention (or a reply, a quote) without a keyword is found. */
const NOTIFICATIONS = '/xrpc/app.bsky.notification.listNotifications';
const BRAND_DID = 'did:plc:5c2r73erhng4bszmxlfdtscf'; // storedSession's login, bskyr.bsky.social
const MENTION = 'at://did:plc:kkergqgbhb56ptpwj2wenkje/app.bsky.feed.post/3lpk2u6qo222m';
const REPLY = 'at://did:plc:s7savtl25cqhm3ddqc7jeljx/app.bsky.feed.post/3lpk2r5h5ec2j';
const brandWith = (accounts: string[]): BrandConfig => ({ name: 'Acme', keywords: ['redistricting'], exclude: [], accounts: { bluesky: accounts } });

describe('Bluesky notifications of the brand login', () => {
  let server: ReplayServer;
  afterEach(async () => {
    await server?.close();
  });

  it('yields the mentions and replies (not the likes) as addressing the brand, back to the window, with their cursor entry', async () => {
    server = await startReplayServer([
      { path: SEARCH, file: 'bluesky/searchPosts-empty.json' },
      { path: NOTIFICATIONS, query: { cursor: '2025-05-19T17:30:00.000Z' }, file: 'bluesky/listNotifications-page2.json' },
      { path: NOTIFICATIONS, file: 'bluesky/listNotifications.json' },
      { path: PROFILES, file: 'bluesky/getProfiles-search-authors.json' },
    ]);
    const ctx = createTestSourceContext({ name: 'bluesky', env, kv: { session: storedSession } });
    const pages = await collect(createBlueskySource(config({ baseUrl: server.url }), brandWith(['bskyr.bsky.social'])), { cursor: null, since }, ctx);
    const mentions = pages.flatMap((p) => p.mentions);
    expect(mentions.map((m) => [m.platformId, m.addressesBrand, m.own])).toEqual([
      [MENTION, true, false],
      [REPLY, true, false],
    ]);
    expect(mentions[0]?.text).toBe('@bskyr.bsky.social the export button does nothing since this morning');
    // The second page reached back past the window: it is read (it was asked for) but holds nothing new, and
    // no third page is asked for.
    expect(server.requests.filter((r) => r.path === NOTIFICATIONS)).toHaveLength(2);
    const cursor = JSON.parse(pages.at(-1)!.cursor!);
    expect(cursor.streams['@notifications']).toEqual({ t: '2025-05-19T18:00:00.000Z', uris: [MENTION] });

    // The next poll reads from the stored time and skips what it has seen.
    server.add({ path: NOTIFICATIONS, file: 'bluesky/listNotifications.json' });
    const again = await collect(createBlueskySource(config({ baseUrl: server.url }), brandWith(['bskyr.bsky.social'])), { cursor: pages.at(-1)!.cursor!, since }, ctx);
    expect(again.flatMap((p) => p.mentions)).toEqual([]);
  });

  it('reads no notifications when the login is not one of the brand accounts', async () => {
    server = await startReplayServer([{ path: SEARCH, file: 'bluesky/searchPosts-empty.json' }]);
    const ctx = createTestSourceContext({ name: 'bluesky', env, kv: { session: storedSession } });
    await collect(createBlueskySource(config({ baseUrl: server.url }), brandWith(['someone-else.bsky.social'])), { cursor: null, since }, ctx);
    expect(server.requests.map((r) => r.path)).toEqual([SEARCH]);
  });

  it('a broken notifications answer fails the source with the method named', async () => {
    server = await startReplayServer([
      { path: SEARCH, file: 'bluesky/searchPosts-empty.json' },
      { path: NOTIFICATIONS, body: { feed: [] } },
    ]);
    const ctx = createTestSourceContext({ name: 'bluesky', env, kv: { session: storedSession } });
    await expect(collect(createBlueskySource(config({ baseUrl: server.url }), brandWith([BRAND_DID])), { cursor: null, since }, ctx)).rejects.toThrow(
      'bluesky: unexpected response from listNotifications: no notifications[]',
    );
  });
});
