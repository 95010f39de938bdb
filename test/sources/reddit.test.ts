import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { BrandConfig, RedditSourceConfig } from '../../src/config/types.js';
import { SourceError } from '../../src/errors.js';
import { MAX_MORE_CHILDREN, createRedditSource, findBrandReply, moreBelow, moreChildrenThings, normalizeRedditThing, type RedditThing } from '../../src/sources/reddit.js';
import { MAX_REACH_LOOKUPS } from '../../src/sources/reach-cache.js';
import type { MentionPage, ThreadCheck } from '../../src/sources/types.js';
import { collect, gatedPace, recordRequests, settledMentions, waitFor, watch } from '../support/paging.js';
import { fixturePath, startReplayServer, type ReplayServer } from '../support/replay-server.js';
import { createTestSourceContext } from '../support/source-context.js';

const fixture = <T = any>(name: string): T => JSON.parse(readFileSync(fixturePath('reddit', name), 'utf8')) as T;
const NOW = new Date('2020-07-16T02:00:00Z');
const SINCE = new Date('2016-11-01T00:00:00Z');
const ENV = { REDDIT_CLIENT_ID: 'client-id-1', REDDIT_CLIENT_SECRET: 'client-s3cret', REDDIT_USERNAME: 'Acme_Support', REDDIT_PASSWORD: 'hunter2-pw' };
const brandWith = (accounts: string[], keywords = ['praw']): BrandConfig => ({ name: 'Acme', keywords, exclude: [], accounts: { reddit: accounts } });
const AUTHORS = ['cheesycow5', 'jenbanim', 'subreddit_stats', 'bboe', 'yumere7833'];
const cachedKarma = (at: number) => Object.fromEntries(AUTHORS.map((a, i) => [`karma:${a}`, JSON.stringify({ reach: i, at })]));

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface SetUpOptions {
  prefix?: string;
  kv?: Record<string, string>;
  env?: Record<string, string>;
  accounts?: string[];
  keywords?: string[];
  config?: Partial<RedditSourceConfig>;
}

async function setUp(options: SetUpOptions = {}) {
  server = await startReplayServer();
  const prefix = options.prefix ?? '';
  const config: RedditSourceConfig = {
    type: 'reddit',
    name: 'reddit',
    enabled: true,
    clientIdEnv: 'REDDIT_CLIENT_ID',
    clientSecretEnv: 'REDDIT_CLIENT_SECRET',
    baseUrl: `${server.url}${prefix}/oauth`,
    authUrl: `${server.url}${prefix}/www`,
    ...options.config,
  };
  const source = createRedditSource(config, brandWith(options.accounts ?? ['acme_support'], options.keywords));
  const ctx = createTestSourceContext({ name: 'reddit', now: NOW, kv: options.kv, env: options.env ?? ENV });
  return { server, source, ctx, prefix };
}

/** The `after` of each search request, in the order they reached the server (undefined: the first page). */
const searchAftersRequested = (server: ReplayServer): (string | undefined)[] =>
  server.requests.filter((r) => r.path === '/oauth/search').map((r) => r.query.after);

/** A search Listing of `count` posts by `authorOf(i)`, newest first from `newest` (epoch s), fullnames `t3_<prefix><i>`. */
function postsListing(count: number, prefix: string, newest: number, authorOf: (i: number) => string, after: string | null) {
  const real = fixture('search.json');
  const children = Array.from({ length: count }, (_, i) => ({
    kind: 't3',
    data: { ...real.data.children[0].data, name: `t3_${prefix}${i}`, id: `${prefix}${i}`, created_utc: newest - i, author: authorOf(i) },
  }));
  return { ...real, data: { ...real.data, after, children } };
}

const aboutRoute = (user: string, karma: number) => ({ path: `/oauth/user/${user}/about`, body: { kind: 't2', data: { name: user, link_karma: karma, comment_karma: 0 } }, times: 1 });

const tokenRoute = (prefix = '', times?: number) => ({ method: 'POST', path: `${prefix}/www/api/v1/access_token`, file: 'reddit/access-token.json', times });
describe('normalizeRedditThing', () => {
  it('normalises a real search result (t3)', () => {
    const thing = fixture('search.json').data.children[4].data as RedditThing;
    const mention = normalizeRedditThing(thing, ['acme_support'], 99);
    expect(mention).toMatchObject({
      platformId: 't3_5e1az9',
      url: 'https://www.reddit.com/r/redditdev/comments/5e1az9/praw_400rc1_release_candidate_1_available/',
      author: { handle: 'bboe', name: 'bboe', url: 'https://www.reddit.com/user/bboe', reach: 99 },
      title: 'PRAW 4.0.0rc1 (Release Candidate 1) Available',
      createdAt: 1479690451000,
      own: false,
      addressesBrand: false,
      threadRef: '5e1az9',
    });
    expect(mention.text.startsWith('PRAW4 is finally feature complete with PRAW 3.4')).toBe(true);
    expect(mention.text).not.toMatch(/<[a-z]/);
    expect(mention.raw).toEqual(thing);
  });

  it('normalises an inbox mention (t1 with context)', () => {
    const thing = fixture('message-mentions.json').data.children[0].data as RedditThing;
    expect(normalizeRedditThing(thing, ['acme_support'])).toMatchObject({
      platformId: 't1_opmavr4',
      url: 'https://www.reddit.com/r/RDDT/comments/1tvs5jj/x/opmavr4/',
      author: { handle: 'a_customer', reach: 0 },
      title: null,
      text: 'Hey u/Acme_Support, my order never arrived & nobody answers.',
      createdAt: 1781000000000,
      addressesBrand: true,
      threadRef: '1tvs5jj/opmavr4',
    });
  });

  it.each([
    { case: 'the brand account, other case', author: 'ACME_SUPPORT', text: 'x', own: true, addresses: false },
    { case: 'an account containing the brand name', author: 'acme_support_fan', text: 'x', own: false, addresses: false },
    { case: '/u/ mention', author: 'someone', text: 'cc /u/acme_support', own: false, addresses: true },
    { case: 'u/ mention of a longer name', author: 'someone', text: 'cc u/acme_support_fan', own: false, addresses: false },
    { case: 'a deleted author', author: '[deleted]', text: 'x', own: false, addresses: false },
  ])('own/addressesBrand: $case', ({ author, text, own, addresses }) => {
    const thing = { ...fixture('search.json').data.children[0].data, author, selftext_html: null, selftext: text } as RedditThing;
    const mention = normalizeRedditThing(thing, ['acme_support']);
    expect([mention.own, mention.addressesBrand]).toEqual([own, addresses]);
  });
});

describe('findBrandReply (pure)', () => {
  const tree = (name: string): RedditThing => {
    const [post, comments] = fixture(name);
    return { ...post.data.children[0].data, replies: comments };
  };
  const check = (platformId: string, authorHandle: string): ThreadCheck => ({ platformId, threadRef: null, url: null, authorHandle, createdAt: 0 });
  it.each([
    { case: 'brand reply below, then the author again', file: 'comment-thread.json', id: 't1_mynfuan', author: '<USERNAME>', accounts: ['lil_spaztest'], answeredAt: 1750348671000, reopened: true },
    { case: 'brand reply deeper below', file: 'comment-thread.json', id: 't1_mynfrrh', author: '<USERNAME>', accounts: ['Lil_SpazTest'], answeredAt: 1750348671000, reopened: true },
    { case: 'an account containing the brand name', file: 'comment-thread.json', id: 't1_mynfuan', author: '<USERNAME>', accounts: ['lil_spaz'], answeredAt: null, reopened: false },
    { case: 'only others reply', file: 'submission-comments.json', id: 't1_cklfmye', author: 'paneer_burrito', accounts: ['acme'], answeredAt: null, reopened: false },
    { case: 'brand reply, not reopened', file: 'submission-comments.json', id: 't1_cklfmye', author: 'paneer_burrito', accounts: ['bboe'], answeredAt: 1411010034000, reopened: false },
    { case: 'brand answered a different comment', file: 'submission-comments-two-branches.json', id: 't1_cklzzzz', author: 'another_user', accounts: ['bboe'], answeredAt: null, reopened: false },
  ])('$case', ({ file, id, author, accounts, answeredAt, reopened }) => {
    expect(findBrandReply(tree(file), check(id, author), accounts)).toEqual({ platformId: id, answeredAt, reopened });
  });
});

describe('createRedditSource', () => {
  it('without credentials: a SourceError naming the variables to set', async () => {
    const { source, ctx } = await setUp({ env: {} });
    await expect(collect(source, { cursor: null, since: SINCE }, ctx)).rejects.toThrow(
      'reddit: no API credentials. Set REDDIT_CLIENT_ID and REDDIT_CLIENT_SECRET in .env',
    );
    const bare = createRedditSource({ type: 'reddit', name: 'reddit', enabled: true }, brandWith([]));
    await expect(bare.check(ctx)).rejects.toThrow(/^reddit: no API credentials\. Set REDDIT_CLIENT_ID and REDDIT_CLIENT_SECRET in \.env and name them in this source's clientIdEnv\/clientSecretEnv/);
  });

  it('first poll: app-only token (basic auth), search with raw_json, sort=new, a covering t, karma reach', async () => {
    const { server, source, ctx } = await setUp({ kv: cachedKarma(NOW.getTime()) });
    server.add(tokenRoute(), { path: '/oauth/search', file: 'reddit/search.json' });
    const pages = await collect(source, { cursor: null, since: SINCE }, ctx);
    server.assertDone();

    const [auth, search] = server.requests;
    expect(auth?.headers.authorization).toBe(`Basic ${Buffer.from('client-id-1:client-s3cret').toString('base64')}`);
    expect(auth?.body).toBe('grant_type=client_credentials');
    expect(auth?.headers['user-agent']).toBe('mention-watch:0.1.0');
    expect(search?.headers.authorization).toBe('bearer tok-123-abc');
    expect(search?.query).toEqual({ q: '"praw"', sort: 'new', t: 'all', type: 'link', limit: '100', raw_json: '1' });
    expect(pages).toHaveLength(2);
    expect(pages[0]?.mentions.map((m) => m.platformId)).toEqual(['t3_b6b9uf', 't3_aoz5fp', 't3_aag1ly', 't3_8mp0yu', 't3_6ganxe', 't3_5e1az9']);
    expect(pages[0]?.mentions.map((m) => m.author.reach)).toEqual([1, 2, 2, 4, 0, 3]);
    expect(pages[0]?.cursor).toBeUndefined();
    expect(pages[1]).toEqual({ mentions: [], cursor: JSON.stringify({ v: 1, t: 1553728251, seen: ['t3_b6b9uf'] }) });
    expect(JSON.parse(ctx.kv.get('token') ?? '')).toMatchObject({ token: 'tok-123-abc', expiresAt: NOW.getTime() + 86_340_000 });
    expect(JSON.stringify(pages)).not.toMatch(/tok-123|s3cret/);
  });

  it('next poll: cached token, subreddits, t from the cursor, seen skipped, karma looked up', async () => {
    const { server, source, ctx } = await setUp({ config: { subreddits: ['redditdev', 'r/learnpython'], userAgent: 'acme-bot/1.0 by u/acme' } });
    ctx.kv.set('token', JSON.stringify({ token: 'cached-tok', expiresAt: NOW.getTime() + 60_000, who: whoOf('client-id-1', '') }));
    const listing = fixture('search.json');
    listing.data.children = listing.data.children.filter((c: { data: RedditThing }) => ['t3_b6b9uf', 't3_aoz5fp'].includes(c.data.name));
    listing.data.children[1].data.created_utc = NOW.getTime() / 1000 - 1800;
    server.add(
      { path: '/oauth/r/redditdev+learnpython/search', query: { restrict_sr: '1', t: 'day' }, body: listing },
      { path: '/oauth/user/subreddit_stats/about', file: 'reddit/user-about.json' },
    );
    const cursor = JSON.stringify({ v: 1, t: NOW.getTime() / 1000 - 3000, seen: ['t3_b6b9uf'] });
    const pages = await collect(source, { cursor, since: SINCE }, ctx);
    server.assertDone();
    expect(server.requests[0]?.headers).toMatchObject({ authorization: 'bearer cached-tok', 'user-agent': 'acme-bot/1.0 by u/acme' });
    expect(pages.map((p) => p.mentions.map((m) => [m.platformId, m.author.reach]))).toEqual([[['t3_aoz5fp', 1]], []]);
    expect(JSON.parse(pages[1]?.cursor ?? '').t).toBe(NOW.getTime() / 1000 - 1800);
  });

  it('pages with after= until items are older than the window; one page per API page, cursor only on the last page', async () => {
    const { server, source, ctx } = await setUp({ kv: cachedKarma(NOW.getTime()) });
    const page1 = postsListing(100, 'p', 1594860000, () => 'cheesycow5', 't3_p99');
    server.add(
      tokenRoute(),
      { path: '/oauth/search', query: { after: 't3_p99' }, file: 'reddit/search.json' },
      { path: '/oauth/search', body: page1 },
    );
    const pages = await collect(source, { cursor: null, since: new Date('2019-01-01T00:00:00Z') }, ctx);
    server.assertDone();
    expect(server.requests[1]?.query.t).toBe('all');
    expect(pages.map((p) => p.mentions.length)).toEqual([100, 2, 0]);
    expect(pages.map((p) => p.cursor === undefined)).toEqual([true, true, false]);
    expect(pages[1]?.mentions.map((m) => m.platformId)).toEqual(['t3_b6b9uf', 't3_aoz5fp']);
    expect(JSON.parse(pages[2]?.cursor ?? '').t).toBe(1594860000);
  });

  it('requests the next page before handing over the current one; karma arrives as the page\'s pending work', async () => {
    const { server, source, ctx } = await setUp();
    const first = postsListing(100, 'p', 1594860000, () => 'Bboe', 't3_p99');
    const second = fixture('search.json');
    second.data.children = second.data.children.filter((c: { data: RedditThing }) => c.data.name === 't3_5e1az9'); // by bboe
    server.add(
      tokenRoute(),
      { path: '/oauth/search', query: { after: 't3_p99' }, body: second },
      { path: '/oauth/search', body: first },
      aboutRoute('bboe', 42), // Bboe and bboe: one lookup, lower-cased, shared by both pages
    );
    const pages = source.fetchMentions({ cursor: null, since: SINCE }, ctx)[Symbol.asyncIterator]();

    const page1 = (await pages.next()).value as MentionPage;
    // Yielded without waiting for the karma lookup: it is the page's pending work.
    expect(page1.mentions[0]?.author.reach).toBe(0);
    // The page after it was asked for before it was handed over: it reaches the server though nobody reads on.
    await waitFor('the request for after=t3_p99', () => searchAftersRequested(server).includes('t3_p99'));
    expect(searchAftersRequested(server)).toEqual([undefined, 't3_p99']);
    expect(page1.mentions).toHaveLength(100);
    expect(page1.mentions[0]?.platformId).toBe('t3_p0');
    expect(page1.cursor).toBeUndefined();
    await page1.pending;
    expect(page1.mentions.every((m) => m.author.reach === 42)).toBe(true);

    const page2 = (await pages.next()).value as MentionPage;
    expect(page2.cursor).toBeUndefined();
    expect(await settledMentions(page2)).toMatchObject([{ platformId: 't3_5e1az9', author: { handle: 'bboe', reach: 42 } }]);

    const final = await pages.next();
    expect(final.value).toEqual({ mentions: [], cursor: JSON.stringify({ v: 1, t: 1594860000, seen: first.data.children.map((c: { data: RedditThing }) => c.data.name) }) });
    expect((await pages.next()).done).toBe(true);
    expect(searchAftersRequested(server)).toEqual([undefined, 't3_p99']);
    server.assertDone();
  });

  it('asks for the inbox before handing over the search\'s last page', async () => {
    const { server, source, ctx } = await setUp({
      config: { usernameEnv: 'REDDIT_USERNAME', passwordEnv: 'REDDIT_PASSWORD' },
      kv: { ...cachedKarma(NOW.getTime()), 'karma:a_customer': JSON.stringify({ reach: 5, at: NOW.getTime() }) },
    });
    server.add(tokenRoute(), { path: '/oauth/search', file: 'reddit/search.json' }, { path: '/oauth/message/mentions', file: 'reddit/message-mentions.json' });
    const pages = source.fetchMentions({ cursor: null, since: SINCE }, ctx)[Symbol.asyncIterator]();
    const first = (await pages.next()).value as MentionPage;
    expect(first.mentions).toHaveLength(6);
    await waitFor('the inbox request', () => server.requests.some((r) => r.path === '/oauth/message/mentions'));
    const rest: MentionPage[] = [];
    for (let r = await pages.next(); !r.done; r = await pages.next()) rest.push(r.value);
    expect(rest.map((p) => p.mentions.map((m) => m.platformId))).toEqual([['t1_opmavr4'], []]);
    server.assertDone();
  });

  it.each([
    { case: 'an item older than the window', listing: () => postsListing(100, 'p', SINCE.getTime() / 1000 + 49, () => 'cheesycow5', 't3_p99'), yielded: 50 },
    { case: 'no after', listing: () => postsListing(100, 'p', 1594860000, () => 'cheesycow5', null), yielded: 100 },
    { case: 'an empty page', listing: () => postsListing(0, 'p', 1594860000, () => 'cheesycow5', 't3_p99'), yielded: 0 },
  ])('stops at $case: no further page is requested', async ({ listing, yielded }) => {
    const { server, source, ctx } = await setUp({ kv: cachedKarma(NOW.getTime()) });
    server.add(tokenRoute(), { path: '/oauth/search', body: listing() });
    const sent = recordRequests(ctx);
    const pages = await collect(source, { cursor: null, since: SINCE }, ctx);
    expect(pages.map((p) => p.mentions.length)).toEqual(yielded > 0 ? [yielded, 0] : [0]);
    // Every request the run made was made by the time it ended: the one search.
    expect(sent.filter((url) => new URL(url).pathname === '/oauth/search')).toHaveLength(1);
    server.assertDone();
  });

  it('stops at the page cap: warns, and requests no page beyond it', async () => {
    const { server, source, ctx } = await setUp({ kv: cachedKarma(NOW.getTime()) });
    // The same full page, always with an `after`: its posts are yielded once.
    server.add(tokenRoute(), { path: '/oauth/search', body: postsListing(100, 'p', 1594860000, () => 'cheesycow5', 't3_p99') });
    const sent = recordRequests(ctx);
    const pages = await collect(source, { cursor: null, since: SINCE }, ctx);
    expect(pages.map((p) => p.mentions.length)).toEqual([100, 0]);
    expect(sent.filter((url) => new URL(url).pathname === '/oauth/search')).toHaveLength(10);
    expect(ctx.log.warnings).toEqual(['reddit: more than 1000 results for "praw" in one run; older ones were skipped']);
    server.assertDone();
  });

  it('awaits ctx.pace before normalising a page: the page waits for it, the next request does not', async () => {
    const { server, source, ctx } = await setUp();
    const second = fixture('search.json');
    second.data.children = second.data.children.filter((c: { data: RedditThing }) => c.data.name === 't3_5e1az9');
    server.add(
      tokenRoute(),
      { path: '/oauth/search', query: { after: 't3_p99' }, body: second },
      { path: '/oauth/search', body: postsListing(100, 'p', 1594860000, () => 'bboe', 't3_p99') },
      aboutRoute('bboe', 42),
    );
    const pace = gatedPace(ctx);
    const sent = recordRequests(ctx);
    const pages = source.fetchMentions({ cursor: null, since: SINCE }, ctx)[Symbol.asyncIterator]();

    const next = pages.next();
    const handedOver = watch(next);
    await waitFor('the request for after=t3_p99', () => searchAftersRequested(server).includes('t3_p99'));
    expect(pace.calls).toBe(1);
    expect(handedOver.settled).toBe(false);
    // Not normalised yet, so no karma lookup either.
    expect(sent.filter((url) => url.includes('/oauth/user/'))).toEqual([]);

    pace.release();
    const first = (await next).value as MentionPage;
    expect(first.mentions).toHaveLength(100);
    expect(await settledMentions(first).then((ms) => ms.every((m) => m.author.reach === 42))).toBe(true);
    const rest: MentionPage[] = [];
    for (let r = await pages.next(); !r.done; r = await pages.next()) rest.push(r.value);
    expect(rest.map((p) => p.mentions.length)).toEqual([1, 0]);
    expect(pace.calls).toBe(2);
    server.assertDone();
  });

  it('a failing next page: the pages before it are handed over first, then the error, and no cursor', async () => {
    const { server, source, ctx } = await setUp({ kv: cachedKarma(NOW.getTime()) });
    server.add(
      tokenRoute(),
      { path: '/oauth/search', query: { after: 't3_p99' }, body: { error: 'nope' } },
      { path: '/oauth/search', body: postsListing(100, 'p', 1594860000, () => 'cheesycow5', 't3_p99') },
    );
    const pages: MentionPage[] = [];
    const error = await (async () => {
      for await (const page of source.fetchMentions({ cursor: null, since: SINCE }, ctx)) pages.push(page);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as Error).message).toMatch(/^reddit: unexpected response from \/search \(not a Listing\)/);
    expect(pages.map((p) => [p.mentions.length, p.cursor])).toEqual([[100, undefined]]);
    server.assertDone();
  });

  it('karma lookups share one per-run cap and one lookup per user (any case) across pages', async () => {
    const { server, source, ctx } = await setUp();
    // Page 1: User0..User14. Page 2: user10..user14 again (other case), then user15..user24 new; the cap leaves
    // user20..user24 unlooked-up.
    expect(MAX_REACH_LOOKUPS).toBe(20);
    server.add(
      tokenRoute(),
      { path: '/oauth/search', query: { after: 't3_p99' }, body: postsListing(20, 'q', 1594850000, (i) => `user${10 + (i % 15)}`, null) },
      { path: '/oauth/search', body: postsListing(100, 'p', 1594860000, (i) => `User${i % 15}`, 't3_p99') },
      ...Array.from({ length: 20 }, (_, k) => aboutRoute(`user${k}`, 1000 + k)),
    );
    const pages = await collect(source, { cursor: null, since: SINCE }, ctx);
    server.assertDone(); // each looked-up user once; no request for user20..user24

    const lookups = server.requests.filter((r) => r.path.startsWith('/oauth/user/')).map((r) => r.path);
    expect(new Set(lookups).size).toBe(lookups.length);
    expect(lookups).toHaveLength(MAX_REACH_LOOKUPS);
    const reachOf = (page: MentionPage | undefined) => Object.fromEntries(page?.mentions.map((m) => [m.author.handle, m.author.reach]) ?? []);
    expect(reachOf(pages[0])).toEqual(Object.fromEntries(Array.from({ length: 15 }, (_, k) => [`User${k}`, 1000 + k])));
    expect(reachOf(pages[1])).toEqual(
      Object.fromEntries(Array.from({ length: 15 }, (_, j) => [`user${10 + j}`, 10 + j < MAX_REACH_LOOKUPS ? 1010 + j : 0])),
    );
  });

  it('search and inbox: an item both return is yielded once, from the search; inbox-only ones address the brand', async () => {
    const { server, source, ctx } = await setUp({
      config: { usernameEnv: 'REDDIT_USERNAME', passwordEnv: 'REDDIT_PASSWORD' },
      kv: { ...cachedKarma(NOW.getTime()), 'karma:a_customer': JSON.stringify({ reach: 5, at: NOW.getTime() }) },
    });
    const inbox = fixture('message-mentions.json');
    inbox.data.children.push(fixture('search.json').data.children[1]); // t3_b6b9uf, also a search result
    server.add(tokenRoute(), { path: '/oauth/search', file: 'reddit/search.json' }, { path: '/oauth/message/mentions', body: inbox });
    const pages = await collect(source, { cursor: null, since: SINCE }, ctx);
    server.assertDone();
    expect(pages.map((p) => p.mentions.map((m) => [m.platformId, m.addressesBrand, m.author.reach]))).toEqual([
      [
        ['t3_b6b9uf', false, 1],
        ['t3_aoz5fp', false, 2],
        ['t3_aag1ly', false, 2],
        ['t3_8mp0yu', false, 4],
        ['t3_6ganxe', false, 0],
        ['t3_5e1az9', false, 3],
      ],
      [['t1_opmavr4', true, 5]],
      [],
    ]);
    expect(JSON.parse(pages[2]?.cursor ?? '')).toEqual({ v: 1, t: 1781000000, seen: ['t1_opmavr4'] });
  });

  it('empty listing: one empty page with the cursor', async () => {
    const { server, source, ctx } = await setUp();
    const empty = fixture('search.json');
    empty.data.children = [];
    server.add(tokenRoute(), { path: '/oauth/search', body: empty });
    expect(await collect(source, { cursor: null, since: SINCE }, ctx)).toEqual([
      { mentions: [], cursor: JSON.stringify({ v: 1, t: SINCE.getTime() / 1000, seen: [] }) },
    ]);
  });

  it('password grant: username mentions from the inbox, addressesBrand, UA names the user', async () => {
    const { server, source, ctx } = await setUp({
      config: { usernameEnv: 'REDDIT_USERNAME', passwordEnv: 'REDDIT_PASSWORD' },
      keywords: [],
      kv: { 'karma:a_customer': JSON.stringify({ reach: 5, at: NOW.getTime() }) },
    });
    server.add(tokenRoute(), { path: '/oauth/message/mentions', file: 'reddit/message-mentions.json' });
    const pages = await collect(source, { cursor: null, since: SINCE }, ctx);
    server.assertDone();
    expect(new URLSearchParams(server.requests[0]?.body)).toEqual(new URLSearchParams({ grant_type: 'password', username: 'Acme_Support', password: 'hunter2-pw' }));
    expect(server.requests[1]?.headers['user-agent']).toBe('mention-watch:0.1.0 (by /u/Acme_Support)');
    expect(server.requests[1]?.query).toEqual({ limit: '100', raw_json: '1' });
    expect(pages[0]?.mentions.map((m) => [m.platformId, m.addressesBrand, m.author.reach])).toEqual([['t1_opmavr4', true, 5]]);
    expect(JSON.stringify(pages)).not.toContain('hunter2');
  });

  it('invalid_grant: says which variables to check', async () => {
    const { server, source, ctx } = await setUp({ config: { usernameEnv: 'REDDIT_USERNAME', passwordEnv: 'REDDIT_PASSWORD' } });
    server.add({ method: 'POST', path: '/www/api/v1/access_token', file: 'reddit/access-token-invalid-grant.json' });
    const error = (await source.check(ctx).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(SourceError);
    expect(error.message).toMatch(/^reddit: sign-in refused \(invalid_grant\).*Check REDDIT_USERNAME\/REDDIT_PASSWORD in \.env/);
    expect(error.message).not.toContain('hunter2');
  });

  it('a 401 on the token endpoint: check the client id/secret', async () => {
    const { server, source, ctx } = await setUp();
    server.add({ method: 'POST', path: '/www/api/v1/access_token', status: 401, body: { message: 'Unauthorized', error: 401 } });
    await expect(source.check(ctx)).rejects.toThrow('reddit: 401 from the token endpoint: the client id or secret was rejected. Check REDDIT_CLIENT_ID/REDDIT_CLIENT_SECRET in .env');
  });

  it('a 401 on the API drops the cached token and signs in once more', async () => {
    const { server, source, ctx } = await setUp({ kv: { token: JSON.stringify({ token: 'stale', expiresAt: NOW.getTime() + 60_000, who: whoOf('client-id-1', '') }) } });
    server.add(
      { path: '/oauth/search', status: 401, body: { message: 'Unauthorized', error: 401 }, times: 1 },
      tokenRoute(),
      { path: '/oauth/search', file: 'reddit/search.json' },
    );
    expect(await source.check(ctx)).toBe('ok: 6 recent results for "praw" (app-only token)');
    server.assertDone();
    expect(server.requests.map((r) => r.headers.authorization?.split(' ')[0])).toEqual(['bearer', 'Basic', 'bearer']);
  });

  it('requests that get a 401 together sign in once for all of them', async () => {
    const { server, source, ctx } = await setUp({ kv: { token: JSON.stringify({ token: 'revoked', expiresAt: NOW.getTime() + 60_000, who: whoOf('client-id-1', '') }) } });
    const unauthorized = { status: 401, body: { message: 'Unauthorized', error: 401 }, times: 1 };
    server.add(
      { path: '/oauth/search', body: postsListing(2, 'p', 1594860000, (i) => `user${i}`, null) },
      { path: '/oauth/user/user0/about', ...unauthorized },
      { path: '/oauth/user/user1/about', ...unauthorized },
      { ...tokenRoute('', 1), delayMs: 50 },
      aboutRoute('user0', 10),
      aboutRoute('user1', 20),
    );
    const pages = await collect(source, { cursor: null, since: SINCE }, ctx);
    const reach = (await settledMentions(pages[0]!)).map((m) => m.author.reach);
    server.assertDone();
    expect(reach).toEqual([10, 20]);
    expect(server.requests.filter((r) => r.path.endsWith('/access_token'))).toHaveLength(1);
  });

  it.each([
    { case: 'the 403 "blocked" HTML page', route: { status: 403, file: 'reddit/blocked-403.html' }, message: /^reddit: blocked by Reddit \(HTTP 403/ },
    { case: 'an HTML page with 200', route: { file: 'reddit/blocked-403.html' }, message: /^reddit: / },
    { case: 'JSON that is not a Listing', route: { body: { error: 'nope' } }, message: /^reddit: unexpected response from \/search \(not a Listing\)/ },
  ])('$case is a SourceError naming the source', async ({ route, message }) => {
    const { server, source, ctx } = await setUp();
    server.add(tokenRoute(), { path: '/oauth/search', ...route });
    const error = (await collect(source, { cursor: null, since: SINCE }, ctx).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(SourceError);
    expect(error.message).toMatch(message);
    expect(error.message).not.toMatch(/tok-123|s3cret/);
  });

  it('keeps baseUrl and authUrl path prefixes', async () => {
    const { server, source, ctx } = await setUp({ prefix: '/proxy', kv: cachedKarma(NOW.getTime()) });
    server.add(tokenRoute('/proxy'), { path: '/proxy/oauth/search', file: 'reddit/search.json' });
    const pages = await collect(source, { cursor: null, since: SINCE }, ctx);
    server.assertDone();
    expect(pages[0]?.mentions).toHaveLength(6);
  });

  it('checkThreads: /comments/<post>?comment=<id>, subtree only, failures isolated', async () => {
    const { server, source, ctx } = await setUp({ accounts: ['Lil_SpazTest', 'bboe'] });
    server.add(
      tokenRoute(),
      { path: '/oauth/comments/1j7g9uj', query: { comment: 'mynfuan' }, file: 'reddit/comment-thread.json' },
      { path: '/oauth/comments/2gmzqe', file: 'reddit/submission-comments-two-branches.json', times: 2 },
      { path: '/oauth/comments/gone', status: 404, body: { message: 'Not Found', error: 404 } },
    );
    const check = (platformId: string, threadRef: string, authorHandle: string): ThreadCheck => ({ platformId, threadRef, url: null, authorHandle, createdAt: 0 });
    const results = await source.checkThreads?.(
      [
        check('t1_mynfuan', '1j7g9uj/mynfuan', '<USERNAME>'),
        check('t1_cklfmye', '2gmzqe/cklfmye', 'paneer_burrito'),
        check('t1_cklzzzz', '2gmzqe/cklzzzz', 'another_user'),
        check('t3_gone', 'gone', 'x'),
      ],
      ctx,
    );
    server.assertDone();
    expect(server.requests[1]?.query).toEqual({ comment: 'mynfuan', sort: 'new', limit: '500', raw_json: '1' });
    expect(results).toEqual([
      { platformId: 't1_mynfuan', answeredAt: 1750348671000, reopened: true },
      { platformId: 't1_cklfmye', answeredAt: 1411010034000, reopened: false },
      { platformId: 't1_cklzzzz', answeredAt: null, reopened: false },
      { platformId: 't3_gone', answeredAt: null, reopened: false },
    ]);
    expect(ctx.log.warnings).toHaveLength(1);
    expect(ctx.log.warnings[0]).toMatch(/^reddit: could not check the thread of t3_gone/);
  });

  it('a 503 is retried by the client; a 429 with a long Retry-After fails naming the source', async () => {
    const { server, source, ctx } = await setUp();
    const empty = fixture('search.json');
    empty.data.children = [];
    server.add(
      tokenRoute(),
      { path: '/oauth/search', status: 503, body: 'busy', times: 1 },
      { path: '/oauth/search', body: empty, times: 1 },
      { path: '/oauth/search', status: 429, headers: { 'retry-after': '600' }, body: 'slow down' },
    );
    expect(await collect(source, { cursor: null, since: SINCE }, ctx)).toHaveLength(1);
    await expect(collect(source, { cursor: null, since: SINCE }, ctx)).rejects.toThrow(/^reddit: rate limited/);
    server.assertDone();
  });
});

/** The adapter's token fingerprint (sha256 of client id + username, 16 hex). */
function whoOf(clientId: string, username: string): string {
  return createHash('sha256').update(`${clientId}\n${username}`).digest('hex').slice(0, 16);
}

/** Reply checks behind "load more" stubs (`kind: "more"`), read with `/api/morechildren`. */
const moreTree = (name: string): RedditThing => {
  const [post, comments] = fixture(name);
  return { ...post.data.children[0].data, replies: comments };
};
const moreCheck = (platformId: string, authorHandle: string, threadRef: string | null = null): ThreadCheck => ({ platformId, threadRef, url: null, authorHandle, createdAt: 0 });

describe('load-more stubs (pure)', () => {
  it('lists the hidden comment ids at or below the mention only', () => {
    const root = moreTree('submission-comments-more.json');
    expect(moreBelow(root, 't1_cklfmye')).toEqual(['cklhv0f']);
    expect(moreBelow(root, 't3_2gmzqe')).toEqual(['cklhv0f']); // the post: the whole thread
    expect(moreBelow(root, 't1_cklzzzz')).toEqual([]); // the other branch has none
    expect(moreBelow(root, 't1_unknown')).toEqual([]);
  });

  it('finds the brand reply and the customer writing again among the expanded comments, by their parent chain', () => {
    const root = moreTree('submission-comments-more.json');
    const expanded = moreChildrenThings(fixture('morechildren.json'));
    expect(expanded.map((t) => t.name)).toEqual(['t1_cklhv0f', 't1_cklj000']);
    // Without the stub's comments the brand's answer is invisible.
    expect(findBrandReply(root, moreCheck('t1_cklfmye', 'paneer_burrito'), ['bboe'])).toEqual({ platformId: 't1_cklfmye', answeredAt: null, reopened: false });
    expect(findBrandReply(root, moreCheck('t1_cklfmye', 'paneer_burrito'), ['bboe'], expanded)).toEqual({ platformId: 't1_cklfmye', answeredAt: 1411010034000, reopened: true });
    // An expanded comment below another branch answers nothing here.
    expect(findBrandReply(root, moreCheck('t1_cklzzzz', 'another_user'), ['bboe'], expanded)).toEqual({ platformId: 't1_cklzzzz', answeredAt: null, reopened: false });
  });

  it('rejects an answer that is not a morechildren listing', () => {
    expect(() => moreChildrenThings({ error: 403 })).toThrow('unexpected /api/morechildren response');
    expect(moreChildrenThings({ json: { errors: [], data: { things: [{ kind: 'more', data: { name: 't1_x', children: ['y'] } }] } } })).toEqual([]);
  });
});

describe('checkThreads with load-more stubs', () => {
  it('reads the comments behind the stubs below the mention in one request, then decides', async () => {
    const { server, source, ctx } = await setUp({ accounts: ['bboe'] });
    server.add(
      tokenRoute(),
      { path: '/oauth/comments/2gmzqe', file: 'reddit/submission-comments-more.json', times: 2 },
      { path: '/oauth/api/morechildren', query: { link_id: 't3_2gmzqe', children: 'cklhv0f' }, file: 'reddit/morechildren.json' },
    );
    const results = await source.checkThreads!([moreCheck('t1_cklfmye', 'paneer_burrito', '2gmzqe/cklfmye'), moreCheck('t1_cklzzzz', 'another_user', '2gmzqe/cklzzzz')], ctx);
    server.assertDone();
    expect(results).toEqual([
      { platformId: 't1_cklfmye', answeredAt: 1411010034000, reopened: true },
      { platformId: 't1_cklzzzz', answeredAt: null, reopened: false },
    ]);
    // Only the thread with stubs below its mention asked for them.
    const more = server.requests.filter((r) => r.path === '/oauth/api/morechildren');
    expect(more).toHaveLength(1);
    expect(more[0]?.query).toMatchObject({ api_type: 'json', link_id: 't3_2gmzqe', children: 'cklhv0f', sort: 'new' });
    expect(ctx.log.warnings).toEqual([]);
  });

  it(`asks for at most ${MAX_MORE_CHILDREN} hidden comments per thread`, async () => {
    const thread = fixture('submission-comments-more.json');
    const stub = thread[1].data.children[0].data.replies.data.children[0];
    stub.data.children = ['cklhv0f', ...Array.from({ length: MAX_MORE_CHILDREN + 20 }, (_, i) => `zz${i.toString(36)}`)];
    const { server, source, ctx } = await setUp({ accounts: ['bboe'] });
    server.add(
      tokenRoute(),
      { path: '/oauth/comments/2gmzqe', body: thread },
      { path: '/oauth/api/morechildren', file: 'reddit/morechildren.json' },
    );
    const [result] = await source.checkThreads!([moreCheck('t1_cklfmye', 'paneer_burrito', '2gmzqe/cklfmye')], ctx);
    expect(result?.answeredAt).toBe(1411010034000);
    const asked = server.requests.find((r) => r.path === '/oauth/api/morechildren')?.query.children?.split(',') ?? [];
    expect(asked).toHaveLength(MAX_MORE_CHILDREN);
    expect(asked[0]).toBe('cklhv0f');
  });
});
