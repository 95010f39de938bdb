import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { BrandConfig, XSourceConfig } from '../../src/config/types.js';
import { RateLimitError } from '../../src/http/errors.js';
import type { MentionPage, ThreadCheck } from '../../src/sources/types.js';
import {
  X_MAX_QUERY_LENGTH,
  buildXQueries,
  buildXThreadQueries,
  compareXIds,
  createXSource,
  normalizeXTweet,
  xIdTime,
  type XSearchResponse,
  type XUser,
} from '../../src/sources/x.js';
import { collect, steppedPace, waitFor, watch } from '../support/paging.js';
import { fixturePath, startReplayServer, type ReplayServer } from '../support/replay-server.js';
import { createTestSourceContext } from '../support/source-context.js';

const fixture = <T>(name: string): T => JSON.parse(readFileSync(fixturePath('x', name), 'utf8')) as T;
const expanded = fixture<Required<XSearchResponse>>('search-recent-expanded.json');
const users = new Map<string, XUser>(expanded.includes.users!.map((u) => [u.id, u]));
const tweet = (id: string) => expanded.data.find((t) => t.id === id)!;

const SEARCH = '/2/tweets/search/recent';
const brand: BrandConfig = { name: 'Brexit', keywords: ['brexit'], exclude: [], accounts: { x: ['BorisJohnson'] } };
const config = (over: Partial<XSourceConfig> = {}): XSourceConfig => ({
  type: 'x',
  name: 'x',
  enabled: true,
  bearerTokenEnv: 'X_BEARER_TOKEN',
  ...over,
});
const env = { X_BEARER_TOKEN: 'bearer-secret-xyz' };
const now = new Date('2021-09-23T00:00:00Z');

describe('normalizeXTweet', () => {
  it('turns a real search result into a mention', () => {
    const t = tweet('1440716848299872269');
    expect(normalizeXTweet(t, { users, brandAccounts: ['BorisJohnson'] })).toEqual({
      platformId: '1440716848299872269',
      url: 'https://x.com/didithitthespot/status/1440716848299872269',
      author: { handle: 'didithitthespot', name: 'Altered Beast', url: 'https://x.com/didithitthespot', reach: 347 },
      title: null,
      text: "Id rather have had Billions in Debt & owned something like Corbyns Labour offered than the Billions in debt we currently have going to CEO's,Shareholders & Tory pals.\nOh you pensioners who voted #Tories dont complain its cold this winter #COVID19 #BorisTheLiar #BrexitTax #Brexit",
      createdAt: Date.parse('2021-09-22T16:37:18.000Z'),
      own: false,
      addressesBrand: false,
      threadRef: '1440716848299872269',
      raw: { tweet: t, author: users.get('4872115930') },
    });
  });

  it.each([
    // tweet id, brand accounts, own, addressesBrand
    ['1440716349462904833', ['BorisJohnson'], false, true], // in_reply_to_user_id is BorisJohnson
    ['1440716349462904833', ['@borisjohnson'], false, true],
    ['1440716673485447171', ['BorisJohnson'], false, true], // @-mentions him in a reply to someone else
    ['1440716349462904833', ['Boris'], false, false], // a name that merely contains the brand's
    ['1440716349462904833', ['AnExiledScot'], true, false],
    ['1440716349462904833', ['AnExiledScot2'], false, false],
  ])('%s with %j → own %s, addressesBrand %s', (id, accounts, own, addresses) => {
    const m = normalizeXTweet(tweet(id), { users, brandAccounts: accounts });
    expect(m.own).toBe(own);
    expect(m.addressesBrand).toBe(addresses);
  });

  it('keeps the conversation id as the thread reference', () => {
    expect(normalizeXTweet(tweet('1440716745577140229'), { users, brandAccounts: [] }).threadRef).toBe('1440621713281093641');
  });

  it('handles the default field set (no author expansion)', () => {
    const minimal = fixture<XSearchResponse>('search-recent-minimal.json');
    const m = normalizeXTweet(minimal.data![1]!, { users: new Map(), brandAccounts: [] });
    expect(m).toMatchObject({
      platformId: '1578522108187283456',
      url: 'https://x.com/i/web/status/1578522108187283456',
      author: { handle: null, name: null, url: null, reach: 0 },
      text: '2022-10-07 23:06:12.640564 tweepy',
      createdAt: Date.parse('2022-10-07T23:06:12.771Z'), // minted time of the snowflake id: no created_at in the default fields
    });
  });

  it.each([
    ['1578522194770296832', '1440716895355764743', 1],
    ['1440716895355764743', '1440716895355764744', -1],
    ['999', '1000', -1],
  ])('compares %s and %s as strings', (a, b, sign) => {
    expect(Math.sign(compareXIds(a, b))).toBe(sign);
  });

  it('reads the time out of a snowflake', () => {
    expect(new Date(xIdTime('1440716895355764743')).toISOString()).toBe('2021-09-22T16:37:29.735Z');
  });
});

describe('buildXQueries', () => {
  it.each([
    [['acme'], [], [], ['"acme" -is:retweet']],
    [['acme', 'Acme Cloud'], ['AcmeHelp'], [], ['("acme" OR "Acme Cloud" OR @acmehelp) -is:retweet']],
    [['acme'], [], ['acme corp', 'road runner'], ['"acme" -is:retweet -"acme corp" -"road runner"']],
    [['say "hi"'], ['not a username!'], [], ['"say hi" -is:retweet']],
  ])('%j + %j − %j', (keywords, accounts, exclude, expected) => {
    expect(buildXQueries(keywords, accounts, exclude)).toEqual(expected);
  });

  it('splits into several queries of at most 512 characters', () => {
    const keywords = Array.from({ length: 60 }, (_, i) => `keyword number ${i}`);
    const queries = buildXQueries(keywords, [], []);
    expect(queries.length).toBeGreaterThan(1);
    for (const q of queries) expect(q.length).toBeLessThanOrEqual(X_MAX_QUERY_LENGTH);
    expect(queries.join(' ')).toContain('"keyword number 59"');
  });
});

describe('createXSource: fetchMentions', () => {
  let server: ReplayServer;
  afterEach(async () => {
    await server?.close();
  });

  it('first poll: start_time from window.since (clamped to 7 days), next_token paging, reach joined on author_id', async () => {
    server = await startReplayServer([
      {
        path: SEARCH,
        query: {
          query: '("brexit" OR @borisjohnson) -is:retweet',
          start_time: '2021-09-16T00:01:00Z',
          max_results: '100',
          expansions: 'author_id,in_reply_to_user_id',
        },
        file: 'x/search-recent-expanded.json',
        headers: { 'x-rate-limit-limit': '450', 'x-rate-limit-remaining': '449', 'x-rate-limit-reset': '1632328000' },
        times: 1,
      },
      { path: SEARCH, query: { next_token: 'b26v89c19zqg8o3fpds60ssjif02fq74br3502of8hmrh' }, file: 'x/search-recent-minimal.json', times: 1 },
      { path: SEARCH, query: { next_token: 'b26v89c19zqg8o3fpzbn1e0frlukytxrp1o8pel01jb7h' }, file: 'x/search-recent-empty.json', times: 1 },
    ]);
    const ctx = createTestSourceContext({ name: 'x', env, now });
    const source = createXSource(config({ baseUrl: server.url }), brand);
    const pages = await collect(source, { cursor: null, since: new Date('2021-09-01T00:00:00Z') }, ctx);
    server.assertDone();
    // One page per search page with posts (the empty third yields none), then the cursor alone.
    expect(pages.map((p) => p.mentions.length)).toEqual([10, 10, 0]);
    expect(pages.map((p) => p.cursor === undefined)).toEqual([true, true, false]);
    expect(JSON.parse(pages[2]!.cursor!)).toEqual({ v: 1, sinceId: '1578522194770296832' });
    const first = pages[0]!.mentions[0]!;
    expect(first).toMatchObject({ platformId: '1440716895355764743', author: { handle: 'WarmongerHodges', reach: 34920 } });
    expect(pages[0]!.mentions.filter((m) => m.addressesBrand).map((m) => m.platformId)).toEqual(['1440716673485447171', '1440716349462904833']);
    for (const req of server.requests) {
      expect(req.headers.authorization).toBe('Bearer bearer-secret-xyz');
      expect(req.query.since_id).toBeUndefined();
    }
    expect(JSON.stringify(pages)).not.toContain('bearer-secret-xyz');
  });

  it('asks for the next search page as soon as a page is read, before it is handed on; the cursor comes last, on its own', async () => {
    server = await startReplayServer([
      { path: SEARCH, query: { next_token: 'b26v89c19zqg8o3fpds60ssjif02fq74br3502of8hmrh' }, file: 'x/search-recent-minimal.json', times: 1 },
      { path: SEARCH, query: { next_token: 'b26v89c19zqg8o3fpzbn1e0frlukytxrp1o8pel01jb7h' }, file: 'x/search-recent-empty.json', times: 1 },
      { path: SEARCH, file: 'x/search-recent-expanded.json', times: 1 },
    ]);
    const ctx = createTestSourceContext({ name: 'x', env, now });
    const source = createXSource(config({ baseUrl: server.url }), brand);
    const pages = source.fetchMentions({ cursor: null, since: now }, ctx)[Symbol.asyncIterator]();
    const tokens = () => server.requests.map((r) => r.query.next_token);

    const first = (await pages.next()).value as MentionPage;
    // The second page is asked for although nobody asked for a second MentionPage yet.
    await waitFor('the second search request', () => server.requests.length === 2);
    expect(tokens()).toEqual([undefined, 'b26v89c19zqg8o3fpds60ssjif02fq74br3502of8hmrh']);
    await first.pending;
    expect(first.mentions[0]).toMatchObject({ platformId: '1440716895355764743', author: { reach: 34920 } });
    expect(first.mentions).toHaveLength(10);
    expect(first.cursor).toBeUndefined();
    expect(first.pending).toBeUndefined();

    const second = (await pages.next()).value as MentionPage;
    await waitFor('the third search request', () => server.requests.length === 3);
    expect(second.mentions).toHaveLength(10);
    expect(second.cursor).toBeUndefined();

    // The third search page has no next_token: nothing more is asked for.
    const last = (await pages.next()).value as MentionPage;
    expect(last).toEqual({ mentions: [], cursor: JSON.stringify({ v: 1, sinceId: '1578522194770296832' }) });
    expect((await pages.next()).done).toBe(true);
    expect(server.requests).toHaveLength(3);
    server.assertDone();
  });

  it('awaits ctx.pace before normalising a page, with the next page already asked for', async () => {
    server = await startReplayServer([
      { path: SEARCH, query: { next_token: 'b26v89c19zqg8o3fpds60ssjif02fq74br3502of8hmrh' }, file: 'x/search-recent-empty.json', times: 1 },
      { path: SEARCH, file: 'x/search-recent-expanded.json', times: 1 },
    ]);
    const ctx = createTestSourceContext({ name: 'x', env, now });
    const turns = steppedPace(ctx);
    const source = createXSource(config({ baseUrl: server.url }), brand);
    const pages = source.fetchMentions({ cursor: null, since: now }, ctx)[Symbol.asyncIterator]();

    const firstRead = pages.next();
    const handedOn = watch(firstRead);
    await waitFor('the turn asked for and the second search request', () => turns.length === 1 && server.requests.length === 2);
    expect(handedOn.settled).toBe(false);
    turns[0]!();
    const first = (await firstRead).value as MentionPage;
    expect(first.mentions).toHaveLength(10);

    // The empty second page takes its turn too, then the cursor.
    const rest = pages.next();
    await waitFor('the second turn', () => turns.length === 2);
    turns[1]!();
    expect((await rest).value).toEqual({ mentions: [], cursor: JSON.stringify({ v: 1, sinceId: '1440716895355764743' }) });
    expect((await pages.next()).done).toBe(true);
    expect(turns).toHaveLength(2);
    server.assertDone();
  });

  it('stops at the page cap without asking for more, and says so', async () => {
    server = await startReplayServer([{ path: SEARCH, body: { data: [], meta: { result_count: 0, next_token: 'more' } } }]);
    const ctx = createTestSourceContext({ name: 'x', env, now });
    const source = createXSource(config({ baseUrl: server.url }), brand);
    expect(await collect(source, { cursor: null, since: now }, ctx)).toEqual([{ mentions: [], cursor: JSON.stringify({ v: 1, sinceId: null }) }]);
    expect(server.requests).toHaveLength(10);
    expect(ctx.log.warnings).toEqual(['x: more posts match than one run reads (1000); older ones were skipped']);
  });

  it("asks for the next query's first page before the last page of the one before is handed on", async () => {
    const long = 'a'.repeat(480); // does not fit one query with the brand's terms
    const queries = buildXQueries(['brexit', long], ['BorisJohnson']);
    expect(queries).toHaveLength(2);
    server = await startReplayServer([
      { path: SEARCH, query: { query: queries[0]! }, body: { data: [tweet('1440716895355764743')], includes: expanded.includes, meta: { result_count: 1 } }, times: 1 },
      { path: SEARCH, query: { query: queries[1]! }, file: 'x/search-recent-empty.json', times: 1 },
    ]);
    const ctx = createTestSourceContext({ name: 'x', env, now });
    const source = createXSource(config({ baseUrl: server.url, keywords: [long] }), brand);
    const pages = source.fetchMentions({ cursor: null, since: now }, ctx)[Symbol.asyncIterator]();
    const first = (await pages.next()).value as MentionPage;
    expect(first.mentions.map((m) => m.platformId)).toEqual(['1440716895355764743']);
    await waitFor("the second query's request", () => server.requests.length === 2);
    expect(server.requests.map((r) => r.query.query)).toEqual(queries);
    expect((await pages.next()).value).toEqual({ mentions: [], cursor: JSON.stringify({ v: 1, sinceId: '1440716895355764743' }) });
    expect((await pages.next()).done).toBe(true);
    server.assertDone();
  });

  it('a failing next page is the error, after the pages before it', async () => {
    server = await startReplayServer([
      { path: SEARCH, query: { next_token: 'b26v89c19zqg8o3fpds60ssjif02fq74br3502of8hmrh' }, status: 500, body: { title: 'Internal Error' } },
      { path: SEARCH, file: 'x/search-recent-expanded.json', times: 1 },
    ]);
    const ctx = createTestSourceContext({ name: 'x', env, now, http: { retries: 0 } });
    const source = createXSource(config({ baseUrl: server.url }), brand);
    const pages: MentionPage[] = [];
    await expect(collect(source, { cursor: null, since: now }, ctx, pages)).rejects.toThrow(/^x: GET .*500/);
    expect(pages.map((p) => [p.mentions.length, p.cursor])).toEqual([[10, undefined]]);
    server.assertDone();
  });

  it('next poll sends since_id from the cursor; nothing new → one empty page with the cursor', async () => {
    server = await startReplayServer([{ path: SEARCH, query: { since_id: '1440716895355764743' }, file: 'x/search-recent-empty.json' }]);
    const ctx = createTestSourceContext({ name: 'x', env, now });
    const source = createXSource(config({ baseUrl: server.url }), brand);
    const cursor = JSON.stringify({ v: 1, sinceId: '1440716895355764743' });
    expect(await collect(source, { cursor, since: new Date('2021-09-01T00:00:00Z') }, ctx)).toEqual([{ mentions: [], cursor }]);
    server.assertDone();
    expect(server.requests[0]!.query.start_time).toBeUndefined();
  });

  it('a cursor older than the 7-day window falls back to start_time and says so', async () => {
    server = await startReplayServer([{ path: SEARCH, query: { start_time: '2021-10-03T00:01:00Z' }, file: 'x/search-recent-empty.json' }]);
    const ctx = createTestSourceContext({ name: 'x', env, now: new Date('2021-10-10T00:00:00Z') });
    const source = createXSource(config({ baseUrl: server.url }), brand);
    const pages = await collect(source, { cursor: JSON.stringify({ v: 1, sinceId: '1440716895355764743' }), since: new Date('2021-09-01T00:00:00Z') }, ctx);
    expect(pages).toEqual([{ mentions: [], cursor: JSON.stringify({ v: 1, sinceId: null }) }]);
    expect(server.requests[0]!.query.since_id).toBeUndefined();
    expect(ctx.log.warnings[0]).toMatch(/^x: the last poll is older than the 7 days/);
  });

  it('works under a baseUrl with a path prefix', async () => {
    server = await startReplayServer([{ path: `/gateway/x${SEARCH}`, file: 'x/search-recent-empty.json' }]);
    const ctx = createTestSourceContext({ name: 'x', env, now });
    const source = createXSource(config({ baseUrl: `${server.url}/gateway/x` }), brand);
    await collect(source, { cursor: null, since: now }, ctx);
    server.assertDone();
  });

  it('401 names the token variable', async () => {
    server = await startReplayServer([
      { path: SEARCH, status: 401, body: { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' } },
    ]);
    const ctx = createTestSourceContext({ name: 'x', env, now });
    const source = createXSource(config({ baseUrl: server.url }), brand);
    await expect(collect(source, { cursor: null, since: now }, ctx)).rejects.toThrow(/^x: 401 Unauthorized from recent search \(Unauthorized\)\. Check X_BEARER_TOKEN in \.env/);
  });

  it('429 without Retry-After: the wait comes from x-rate-limit-reset', async () => {
    server = await startReplayServer([
      { path: SEARCH, status: 429, headers: { 'x-rate-limit-limit': '450', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(now.getTime() / 1000 + 600) }, body: { title: 'Too Many Requests' } },
    ]);
    const ctx = createTestSourceContext({ name: 'x', env, now });
    const source = createXSource(config({ baseUrl: server.url }), brand);
    const run = collect(source, { cursor: null, since: now }, ctx);
    await expect(run).rejects.toThrow(RateLimitError);
    await expect(run).rejects.toThrow(/^x: rate limited/);
  });

  it('waits for x-rate-limit-reset within the budget, then continues', async () => {
    server = await startReplayServer([
      { path: SEARCH, status: 429, headers: { 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(now.getTime() / 1000 + 5) }, body: { title: 'Too Many Requests' }, times: 1 },
      { path: SEARCH, status: 503, body: { title: 'Service Unavailable' }, times: 1 },
      { path: SEARCH, file: 'x/search-recent-empty.json', times: 1 },
    ]);
    const ctx = createTestSourceContext({ name: 'x', env, now, http: { maxWaitMs: 60_000 } });
    const source = createXSource(config({ baseUrl: server.url }), brand);
    expect(await collect(source, { cursor: null, since: now }, ctx)).toEqual([{ mentions: [], cursor: JSON.stringify({ v: 1, sinceId: null }) }]);
    server.assertDone();
  });

  it('an HTML body is an error naming the source', async () => {
    server = await startReplayServer([{ path: SEARCH, headers: { 'content-type': 'text/html' }, body: '<html>Something went wrong</html>' }]);
    const ctx = createTestSourceContext({ name: 'x', env, now });
    const source = createXSource(config({ baseUrl: server.url }), brand);
    await expect(collect(source, { cursor: null, since: now }, ctx)).rejects.toThrow(/^x: GET .*expected JSON/);
  });

  it('JSON without data or meta is an error naming the source', async () => {
    server = await startReplayServer([{ path: SEARCH, body: { unexpected: true } }]);
    const ctx = createTestSourceContext({ name: 'x', env, now });
    const source = createXSource(config({ baseUrl: server.url }), brand);
    await expect(collect(source, { cursor: null, since: now }, ctx)).rejects.toThrow(/^x: unexpected response from recent search/);
  });

  it('a missing token names the variable', async () => {
    const ctx = createTestSourceContext({ name: 'x', now });
    const source = createXSource(config({ baseUrl: 'http://127.0.0.1:9' }), brand);
    await expect(collect(source, { cursor: null, since: now }, ctx)).rejects.toThrow(/^x: X_BEARER_TOKEN is not set/);
  });
});

describe('createXSource: checkThreads', () => {
  let server: ReplayServer;
  afterEach(async () => {
    await server?.close();
  });

  // calin_a's reply 1440716745577140229 in AndrewKnight226's conversation 1440621713281093641; the brand is AndrewKnight226.
  const threadBrand: BrandConfig = { ...brand, accounts: { x: ['AndrewKnight226'] } };
  const mention: ThreadCheck = {
    platformId: '1440716745577140229',
    threadRef: '1440621713281093641',
    url: 'https://x.com/calin_a/status/1440716745577140229',
    authorHandle: 'calin_a',
    createdAt: Date.parse('2021-09-22T16:36:54.000Z'),
  };

  it.each([
    ['thread-answered.json', Date.parse('2021-09-22T16:40:00.000Z'), false],
    ['thread-others-only.json', null, false],
    ['thread-lookalike.json', null, false],
    ['thread-different-post.json', null, false],
    ['thread-reopened.json', Date.parse('2021-09-22T16:40:00.000Z'), true],
    ['search-recent-empty.json', null, false],
  ])('%s → answeredAt %s, reopened %s', async (file, answeredAt, reopened) => {
    server = await startReplayServer([
      { path: SEARCH, query: { query: 'conversation_id:1440621713281093641 (from:andrewknight226 OR from:calin_a)' }, file: `x/${file}` },
    ]);
    const ctx = createTestSourceContext({ name: 'x', env, now });
    const source = createXSource(config({ baseUrl: server.url }), threadBrand);
    expect(await source.checkThreads!([mention], ctx)).toEqual([{ platformId: mention.platformId, answeredAt, reopened }]);
    server.assertDone();
  });

  it('batches conversations into one query; at the top of a conversation any brand reply counts', async () => {
    const answered = fixture<Required<XSearchResponse>>('thread-answered.json');
    const root = tweet('1440716895355764743');
    const reply = {
      ...answered.data[0]!,
      id: '1440720000000000009',
      conversation_id: root.id,
      referenced_tweets: [{ type: 'replied_to', id: '1440716895355799999' }], // a reply deeper in the thread, not in the results
    };
    server = await startReplayServer([
      {
        path: SEARCH,
        query: { query: '(conversation_id:1440621713281093641 OR conversation_id:1440716895355764743) (from:andrewknight226 OR from:calin_a OR from:warmongerhodges)' },
        body: { ...answered, data: [...answered.data, reply] },
        times: 1,
      },
    ]);
    const ctx = createTestSourceContext({ name: 'x', env, now });
    const source = createXSource(config({ baseUrl: server.url }), threadBrand);
    const top: ThreadCheck = { platformId: root.id, threadRef: root.id, url: null, authorHandle: 'WarmongerHodges', createdAt: 0 };
    expect(await source.checkThreads!([mention, top], ctx)).toEqual([
      { platformId: mention.platformId, answeredAt: Date.parse('2021-09-22T16:40:00.000Z'), reopened: false },
      { platformId: root.id, answeredAt: Date.parse('2021-09-22T16:40:00.000Z'), reopened: false },
    ]);
    server.assertDone();
  });

  it('one failing batch leaves the others answered', async () => {
    const many: ThreadCheck[] = Array.from({ length: 14 }, (_, i) => ({
      ...mention,
      platformId: `14407167455771402${String(i).padStart(2, '0')}`,
      threadRef: `14406217132810936${String(i).padStart(2, '0')}`,
    }));
    const batches = buildXThreadQueries(many, ['AndrewKnight226']);
    expect(batches.length).toBeGreaterThan(1);
    for (const b of batches) expect(b.query.length).toBeLessThanOrEqual(X_MAX_QUERY_LENGTH);
    expect(batches.flatMap((b) => b.mentions)).toEqual(many);
    server = await startReplayServer([
      { path: SEARCH, query: { query: batches[0]!.query }, status: 503, body: { title: 'Service Unavailable' } },
      { path: SEARCH, file: 'x/search-recent-empty.json' },
    ]);
    const ctx = createTestSourceContext({ name: 'x', env, now, http: { retries: 0 } });
    const source = createXSource(config({ baseUrl: server.url }), threadBrand);
    const results = await source.checkThreads!(many, ctx);
    expect(results.map((r) => r.platformId)).toEqual(many.map((m) => m.platformId));
    expect(results.every((r) => r.answeredAt === null)).toBe(true);
    expect(ctx.log.warnings).toHaveLength(1);
    expect(ctx.log.warnings[0]).toMatch(/^x: could not check replies to 1440716745577140200, .*503/);
  });
});

describe('createXSource: check', () => {
  let server: ReplayServer;
  afterEach(async () => {
    await server?.close();
  });

  it('looks up the brand account', async () => {
    server = await startReplayServer([
      { path: '/2/users/by/username/borisjohnson', body: { data: { ...users.get('3131144855')!, public_metrics: { followers_count: 3634513 } } } },
    ]);
    const ctx = createTestSourceContext({ name: 'x', env, now });
    const source = createXSource(config({ baseUrl: server.url }), brand);
    expect(await source.check(ctx)).toBe('Bearer token accepted; @BorisJohnson has 3634513 followers');
  });
});
