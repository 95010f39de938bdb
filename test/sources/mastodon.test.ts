import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { BrandConfig, MastodonSourceConfig } from '../../src/config/types.js';
import { SourceError } from '../../src/errors.js';
import {
  compareMastodonIds,
  createMastodonSource,
  normalizeMastodonStatus,
  toMastodonAddress,
  type MastodonStatus,
} from '../../src/sources/mastodon.js';
import type { MentionPage } from '../../src/sources/types.js';
import { collect, settledMentions, steppedPace, waitFor, watch } from '../support/paging.js';
import { fixturePath, startReplayServer, type ReplayServer } from '../support/replay-server.js';
import { createTestSourceContext } from '../support/source-context.js';

const fixture = <T>(name: string): T => JSON.parse(readFileSync(fixturePath('mastodon', name), 'utf8')) as T;
const search = fixture<{ statuses: MastodonStatus[] }>('search-v2.json');
const tagTimeline = fixture<MastodonStatus[]>('tag-timeline.json');

const brand: BrandConfig = {
  name: 'Halcy',
  keywords: ['horse'],
  exclude: [],
  accounts: { mastodon: ['halcy@icosahedron.website'] },
};

const config = (over: Partial<MastodonSourceConfig> = {}): MastodonSourceConfig => ({
  type: 'mastodon',
  name: 'mastodon',
  enabled: true,
  tokenEnv: 'MASTODON_TOKEN',
  hashtags: ['hoot'],
  ...over,
});

const env = { MASTODON_TOKEN: 'tok-secret-123' };

describe('normalizeMastodonStatus', () => {
  it('turns a real search result into a mention', () => {
    const status = search.statuses[1]!;
    expect(normalizeMastodonStatus(status, { domain: 'mastodon.social', brandAccounts: ['halcy@icosahedron.website'] })).toEqual({
      platformId: '116388107849695302',
      url: 'https://social.sublingual.xyz/@Jo/116388107097123650',
      author: {
        handle: 'Jo@social.sublingual.xyz',
        name: 'Sublingual Multimedia',
        url: 'https://social.sublingual.xyz/@Jo',
        reach: 893,
      },
      title: null,
      text: '@halcy me when im riding my horse in stop and go traffic',
      createdAt: Date.parse('2026-04-11T21:06:15.000Z'),
      own: false,
      addressesBrand: true,
      threadRef: '116388107849695302',
      raw: status,
    });
  });

  it.each([
    // brand accounts, expected own, expected addressesBrand (status by a local account, no mentions)
    [['mastodonpy_test_2'], true, false],
    [['@mastodonpy_test_2@mastodon.social'], true, false],
    [['MastodonPy_Test_2@Mastodon.Social'], true, false],
    [['mastodonpy_test'], false, false],
    [['mastodonpy_test_2@localhost:3000'], false, false],
  ])('local account %j → own %s', (accounts, own, addresses) => {
    const m = normalizeMastodonStatus(tagTimeline[0]!, { domain: 'mastodon.social', brandAccounts: accounts });
    expect(m.author.handle).toBe('mastodonpy_test_2@mastodon.social');
    expect(m.author.name).toBe('mastodonpy_test_2');
    expect(m.author.reach).toBe(0);
    expect(m.text).toBe('#hoot (hashtag toot)');
    expect(m.own).toBe(own);
    expect(m.addressesBrand).toBe(addresses);
  });

  it('does not treat an account whose name contains the brand account as the brand', () => {
    const m = normalizeMastodonStatus(search.statuses[1]!, { domain: 'mastodon.social', brandAccounts: ['halc@icosahedron.website'] });
    expect(m.addressesBrand).toBe(false);
  });

  it('keeps the content warning as the title', () => {
    const status = { ...tagTimeline[0]!, spoiler_text: 'Tom &amp; Jerry' };
    expect(normalizeMastodonStatus(status, { domain: 'x.example', brandAccounts: [] }).title).toBe('Tom & Jerry');
  });

  it.each([
    ['117020593741189701', '99999999999999999', 1],
    ['110446983926957470', '110446984249325790', -1],
    ['5', '5', 0],
  ])('compares ids %s vs %s as snowflake strings', (a, b, sign) => {
    expect(Math.sign(compareMastodonIds(a, b))).toBe(sign);
  });

  it('addresses accounts as user@domain', () => {
    expect(toMastodonAddress('@Brand', 'mastodon.social')).toBe('brand@mastodon.social');
    expect(toMastodonAddress('brand@other.example', 'mastodon.social')).toBe('brand@other.example');
  });
});

describe('createMastodonSource: fetchMentions', () => {
  let server: ReplayServer;
  afterEach(async () => {
    await server?.close();
  });

  const since = new Date('2026-04-01T00:00:00Z');

  it('first poll: notifications, search and hashtag timeline side by side, a page each, cursor on a last page of its own', async () => {
    server = await startReplayServer([
      { path: '/api/v2/instance', file: 'mastodon/instance-v2.json', times: 1 },
      { path: '/api/v1/notifications', query: { 'types[]': 'mention', limit: '40' }, file: 'mastodon/notifications-mention.json', times: 1 },
      { path: '/api/v2/search', query: { q: 'horse', type: 'statuses', limit: '40' }, file: 'mastodon/search-v2.json', times: 1 },
      { path: '/api/v1/timelines/tag/hoot', query: { limit: '40' }, file: 'mastodon/tag-timeline.json', times: 1 },
    ]);
    const ctx = createTestSourceContext({ name: 'mastodon', env });
    const source = createMastodonSource(config({ baseUrl: server.url }), brand);
    const pages = await collect(source, { cursor: null, since }, ctx);
    server.assertDone();

    // The streams' pages come in the order they arrive.
    expect(pages.slice(0, -1).map((p) => p.mentions.map((m) => m.platformId)).sort()).toEqual([
      ['116388107849695302'],
      ['116388149027005349'],
      ['117020593741189701'],
    ]);
    expect(pages.slice(0, -1).every((p) => p.cursor === undefined)).toBe(true);
    expect(pages.at(-1)!.mentions).toEqual([]);
    expect(JSON.parse(pages.at(-1)!.cursor!)).toEqual({
      v: 1,
      streams: {
        notifications: '480213',
        'search:horse': '116388149027005349',
        'tag:hoot': '117020593741189701',
      },
    });
    const mentions = new Map(pages.flatMap((p) => p.mentions).map((m) => [m.platformId, m]));
    expect(mentions.get('116388107849695302')!.addressesBrand).toBe(true); // from the mention notifications
    expect(mentions.get('117020593741189701')!.author.handle).toBe('mastodonpy_test_2@mastodon.social');
    for (const req of server.requests.filter((r) => r.path !== '/api/v2/instance')) {
      expect(req.headers.authorization).toBe('Bearer tok-secret-123');
      expect(req.query.min_id).toBeUndefined();
    }
    expect(JSON.stringify(pages)).not.toContain('tok-secret-123');
    expect(JSON.parse(ctx.kv.map.get('instance')!).domain).toBe('mastodon.social');
  });

  it('next poll: min_id per stream from the cursor, instance from kv, one empty page with the cursor', async () => {
    server = await startReplayServer([
      { path: '/api/v1/notifications', query: { min_id: '480213' }, body: [], times: 1 },
      { path: '/api/v2/search', query: { min_id: '116388149027005349' }, file: 'mastodon/search-v2-statuses-empty.json', times: 1 },
      { path: '/api/v1/timelines/tag/hoot', query: { min_id: '117020593741189701' }, body: [], times: 1 },
    ]);
    const cursor = JSON.stringify({
      v: 1,
      streams: { notifications: '480213', 'search:horse': '116388149027005349', 'tag:hoot': '117020593741189701' },
    });
    const ctx = createTestSourceContext({
      name: 'mastodon',
      env,
      kv: { instance: JSON.stringify({ domain: 'mastodon.social', hashtagFeeds: null, version: '4.6.0', fetchedAt: Date.parse('2026-06-01T11:00:00Z') }) },
    });
    const source = createMastodonSource(config({ baseUrl: server.url }), brand);
    const pages = await collect(source, { cursor, since }, ctx);
    server.assertDone();
    expect(pages).toEqual([{ mentions: [], cursor }]);
  });

  it('pages forward with min_id and skips what the cursor already covers', async () => {
    const newer = { ...tagTimeline[0]!, id: '117020593741189799' };
    server = await startReplayServer([
      { path: '/api/v2/instance', file: 'mastodon/instance-v2.json' },
      { path: '/api/v1/timelines/tag/hoot', query: { min_id: '117020593741189700' }, body: [newer, tagTimeline[0]], times: 1 },
    ]);
    const ctx = createTestSourceContext({ name: 'mastodon' });
    const source = createMastodonSource(config({ baseUrl: server.url, tokenEnv: undefined }), brand);
    const cursor = JSON.stringify({ v: 1, streams: { 'tag:hoot': '117020593741189700' } });
    const pages = await collect(source, { cursor, since }, ctx);
    server.assertDone();
    expect(pages).toHaveLength(2);
    expect(pages[0]!.mentions.map((m) => m.platformId)).toEqual(['117020593741189799', '117020593741189701']);
    expect(pages[0]!.cursor).toBeUndefined();
    expect(pages[1]!.mentions).toEqual([]);
    expect(JSON.parse(pages[1]!.cursor!).streams).toEqual({ 'tag:hoot': '117020593741189799' });
    expect(server.requests.every((r) => r.headers.authorization === undefined)).toBe(true);
  });

  it('a full page is followed by the next one: min_id forward with a cursor, max_id back on a first poll', async () => {
    // 40 copies of the real status with consecutive ids (newest first), then 1 more
    const ids = (from: bigint, n: number): string[] => Array.from({ length: n }, (_, i) => String(from - BigInt(i)));
    const page = (list: string[]) => list.map((id) => ({ ...tagTimeline[0]!, id }));
    const full = ids(117020593741189840n, 40); // ...840 down to ...801
    const rest = ids(117020593741189841n, 1);
    server = await startReplayServer([
      { path: '/api/v2/instance', file: 'mastodon/instance-v2.json' },
      // with a cursor: forward
      { path: '/api/v1/timelines/tag/hoot', query: { min_id: '117020593741189800' }, body: page(full), times: 1 },
      { path: '/api/v1/timelines/tag/hoot', query: { min_id: '117020593741189840' }, body: page(rest), times: 1 },
      // first poll: backward
      { path: '/api/v1/timelines/tag/hoot', query: { max_id: '117020593741189801' }, body: page(ids(117020593741189800n, 1)), times: 1 },
      { path: '/api/v1/timelines/tag/hoot', body: page(full), times: 1 },
    ]);
    const ctx = createTestSourceContext({ name: 'mastodon' });
    const source = createMastodonSource(config({ baseUrl: server.url, tokenEnv: undefined }), brand);

    // Forward pages come in the order they are read: the one just above the cursor first.
    const forward = await collect(source, { cursor: JSON.stringify({ v: 1, streams: { 'tag:hoot': '117020593741189800' } }), since }, ctx);
    expect(forward.map((p) => p.mentions.length)).toEqual([40, 1, 0]);
    expect(forward[1]!.mentions[0]!.platformId).toBe('117020593741189841');
    expect(forward.map((p) => p.cursor === undefined)).toEqual([true, true, false]);
    expect(JSON.parse(forward[2]!.cursor!).streams['tag:hoot']).toBe('117020593741189841');

    const back = await collect(source, { cursor: null, since }, ctx);
    expect(back.map((p) => p.mentions.length)).toEqual([40, 1, 0]);
    expect(JSON.parse(back[2]!.cursor!).streams['tag:hoot']).toBe('117020593741189840');
    server.assertDone();
  });

  it('rides out a 503 and a 429 with Retry-After (the client retries and waits)', async () => {
    server = await startReplayServer([
      { path: '/api/v2/instance', file: 'mastodon/instance-v2.json' },
      { path: '/api/v1/timelines/tag/hoot', status: 503, body: 'busy', times: 1 },
      { path: '/api/v1/timelines/tag/hoot', status: 429, headers: { 'retry-after': '2' }, body: { error: 'Too many requests' }, times: 1 },
      { path: '/api/v1/timelines/tag/hoot', file: 'mastodon/tag-timeline.json', times: 1 },
    ]);
    const ctx = createTestSourceContext({ name: 'mastodon', http: { maxWaitMs: 10_000 } });
    const source = createMastodonSource(config({ baseUrl: server.url, tokenEnv: undefined }), brand);
    const pages = await collect(source, { cursor: null, since }, ctx);
    expect(pages[0]!.mentions.map((m) => m.platformId)).toEqual(['117020593741189701']);
    server.assertDone();
  });

  it('first poll stops at window.since', async () => {
    server = await startReplayServer([
      { path: '/api/v2/instance', file: 'mastodon/instance-v2.json' },
      { path: '/api/v1/timelines/tag/hoot', file: 'mastodon/tag-timeline.json' },
    ]);
    const ctx = createTestSourceContext({ name: 'mastodon' });
    const source = createMastodonSource(config({ baseUrl: server.url, tokenEnv: undefined }), brand);
    const pages = await collect(source, { cursor: null, since: new Date('2026-08-02T00:00:00Z') }, ctx);
    expect(pages).toEqual([{ mentions: [], cursor: JSON.stringify({ v: 1, streams: { 'tag:hoot': '117020593741189701' } }) }]);
  });

  it('works under a baseUrl with a path prefix', async () => {
    server = await startReplayServer([
      { path: '/proxy/mastodon/api/v2/instance', file: 'mastodon/instance-v2.json' },
      { path: '/proxy/mastodon/api/v1/timelines/tag/hoot', file: 'mastodon/tag-timeline.json' },
    ]);
    const ctx = createTestSourceContext({ name: 'mastodon' });
    const source = createMastodonSource(config({ baseUrl: `${server.url}/proxy/mastodon/`, tokenEnv: undefined }), brand);
    const pages = await collect(source, { cursor: null, since }, ctx);
    server.assertDone();
    expect(pages[0]!.mentions).toHaveLength(1);
  });

  it('a disabled hashtag feed answers [] and yields an empty page', async () => {
    const instance = fixture<{ configuration: { timelines_access: { hashtag_feeds: object } } }>('instance-v2.json');
    instance.configuration.timelines_access.hashtag_feeds = { local: 'disabled', remote: 'disabled' };
    server = await startReplayServer([
      { path: '/api/v2/instance', body: instance },
      { path: '/api/v1/timelines/tag/hoot', body: [] },
    ]);
    const ctx = createTestSourceContext({ name: 'mastodon' });
    const source = createMastodonSource(config({ baseUrl: server.url, tokenEnv: undefined }), brand);
    const pages = await collect(source, { cursor: null, since }, ctx);
    expect(pages).toEqual([{ mentions: [], cursor: JSON.stringify({ v: 1, streams: {} }) }]);
    expect(ctx.log.warnings.join('\n')).toMatch(/disabled hashtag timelines/);
  });

  it('401 on a hashtag feed says authentication is required', async () => {
    server = await startReplayServer([
      { path: '/api/v2/instance', file: 'mastodon/instance-v2.json' },
      { path: '/api/v1/timelines/tag/hoot', status: 401, body: { error: 'This API requires an authenticated user' } },
    ]);
    const ctx = createTestSourceContext({ name: 'mastodon' });
    const source = createMastodonSource(config({ baseUrl: server.url, tokenEnv: undefined }), brand);
    const run = collect(source, { cursor: null, since }, ctx);
    await expect(run).rejects.toThrow(SourceError);
    await expect(run).rejects.toThrow(/^mastodon: 401 Unauthorized from \/api\/v1\/timelines\/tag\/hoot: the instance requires authentication/);
  });

  it('one failing feed does not lose the others: their pages and cursor come first, then the error', async () => {
    server = await startReplayServer([
      { path: '/api/v2/instance', file: 'mastodon/instance-v2.json' },
      { path: '/api/v1/timelines/tag/hoot', file: 'mastodon/tag-timeline.json' },
      { path: '/api/v1/timelines/tag/broken', status: 401, body: { error: 'This API requires an authenticated user' } },
    ]);
    const ctx = createTestSourceContext({ name: 'mastodon' });
    const source = createMastodonSource(config({ baseUrl: server.url, tokenEnv: undefined, hashtags: ['hoot', 'broken'] }), brand);
    const pages: MentionPage[] = [];
    await expect(collect(source, { cursor: null, since }, ctx, pages)).rejects.toThrow(/^mastodon: 1 of 2 feeds failed/);
    expect(pages).toHaveLength(2);
    expect(pages[0]!.mentions.map((m) => m.platformId)).toEqual(['117020593741189701']);
    expect(pages[1]!.mentions).toEqual([]);
    expect(JSON.parse(pages[1]!.cursor!).streams).toEqual({ 'tag:hoot': '117020593741189701' });
  });

  // Statuses of the real tag-timeline status with consecutive ids, newest first.
  const statuses = (from: bigint, n: number): MastodonStatus[] =>
    Array.from({ length: n }, (_, i) => ({ ...tagTimeline[0]!, id: String(from - BigInt(i)) }));
  const TAG = '/api/v1/timelines/tag/hoot';

  it('asks for the next page as soon as a page is read, before it is handed on: max_id back on a first poll', async () => {
    const full = statuses(117020593741189840n, 40);
    server = await startReplayServer([
      { path: '/api/v2/instance', file: 'mastodon/instance-v2.json' },
      { path: TAG, query: { max_id: '117020593741189801' }, body: statuses(117020593741189800n, 1), times: 1 },
      { path: TAG, body: full, times: 1 },
    ]);
    const ctx = createTestSourceContext({ name: 'mastodon' });
    const source = createMastodonSource(config({ baseUrl: server.url, tokenEnv: undefined }), brand);
    const pages = source.fetchMentions({ cursor: null, since }, ctx)[Symbol.asyncIterator]();
    const tagRequests = () => server.requests.filter((r) => r.path === TAG);

    const first = await pages.next();
    expect(first.done).toBe(false);
    // The second page is asked for although nobody asked for a second MentionPage yet.
    await waitFor('the second page request', () => tagRequests().length === 2);
    expect(tagRequests().map((r) => r.query.max_id)).toEqual([undefined, '117020593741189801']);
    const page1 = first.value as MentionPage;
    expect(page1.cursor).toBeUndefined();
    expect((await settledMentions(page1)).map((m) => m.platformId)).toEqual(full.map((s) => s.id));

    // A short page: the last one asked for.
    const second = await pages.next();
    expect(second.value).toMatchObject({ mentions: [{ platformId: '117020593741189800' }] });
    expect((second.value as MentionPage).cursor).toBeUndefined();

    const last = await pages.next();
    expect(last.value).toEqual({ mentions: [], cursor: JSON.stringify({ v: 1, streams: { 'tag:hoot': '117020593741189840' } }) });
    expect((await pages.next()).done).toBe(true);
    expect(tagRequests()).toHaveLength(2);
    server.assertDone();
  });

  it('asks for the next page as soon as a page is read, before it is handed on: min_id forward from the cursor', async () => {
    server = await startReplayServer([
      { path: '/api/v2/instance', file: 'mastodon/instance-v2.json' },
      { path: TAG, query: { min_id: '117020593741189800' }, body: statuses(117020593741189840n, 40), times: 1 },
      { path: TAG, query: { min_id: '117020593741189840' }, body: statuses(117020593741189841n, 1), times: 1 },
    ]);
    const ctx = createTestSourceContext({ name: 'mastodon' });
    const source = createMastodonSource(config({ baseUrl: server.url, tokenEnv: undefined }), brand);
    const cursor = JSON.stringify({ v: 1, streams: { 'tag:hoot': '117020593741189800' } });
    const pages = source.fetchMentions({ cursor, since }, ctx)[Symbol.asyncIterator]();
    const tagRequests = () => server.requests.filter((r) => r.path === TAG);

    const page1 = (await pages.next()).value as MentionPage;
    await waitFor('the second page request', () => tagRequests().length === 2);
    expect(tagRequests().map((r) => r.query.min_id)).toEqual(['117020593741189800', '117020593741189840']);
    expect(await settledMentions(page1)).toHaveLength(40);

    expect(((await pages.next()).value as MentionPage).mentions.map((m) => m.platformId)).toEqual(['117020593741189841']);
    expect(((await pages.next()).value as MentionPage).cursor).toBe(JSON.stringify({ v: 1, streams: { 'tag:hoot': '117020593741189841' } }));
    expect((await pages.next()).done).toBe(true);
    expect(tagRequests()).toHaveLength(2);
    server.assertDone();
  });

  it('a full first-poll page reaching back past window.since is the last one asked for', async () => {
    // 40 statuses, the oldest of them written before window.since.
    const page = statuses(117020593741189840n, 40).map((s, i) => (i === 39 ? { ...s, created_at: '2026-03-31T23:59:59.000Z' } : s));
    server = await startReplayServer([
      { path: '/api/v2/instance', file: 'mastodon/instance-v2.json' },
      { path: TAG, body: page, times: 1 },
    ]);
    const ctx = createTestSourceContext({ name: 'mastodon' });
    const source = createMastodonSource(config({ baseUrl: server.url, tokenEnv: undefined }), brand);
    const pages = await collect(source, { cursor: null, since }, ctx);
    expect(pages.map((p) => p.mentions.length)).toEqual([39, 0]);
    expect(server.requests.filter((r) => r.path === TAG)).toHaveLength(1);
    server.assertDone();
  });

  it('stops at the page cap without asking for more, and says so', async () => {
    // Forward from the cursor: ten full pages, each just above the one before; the instance has more.
    const base = 117020593741180000n;
    server = await startReplayServer([
      { path: '/api/v2/instance', file: 'mastodon/instance-v2.json' },
      ...Array.from({ length: 10 }, (_, k) => ({
        path: TAG,
        query: { min_id: String(base + BigInt(40 * k)) },
        body: statuses(base + BigInt(40 * (k + 1)), 40),
        times: 1,
      })),
    ]);
    const ctx = createTestSourceContext({ name: 'mastodon' });
    const source = createMastodonSource(config({ baseUrl: server.url, tokenEnv: undefined }), brand);
    const pages = await collect(source, { cursor: JSON.stringify({ v: 1, streams: { 'tag:hoot': String(base) } }), since }, ctx);
    server.assertDone();
    expect(pages.map((p) => p.mentions.length)).toEqual([...Array<number>(10).fill(40), 0]);
    expect(JSON.parse(pages.at(-1)!.cursor!).streams['tag:hoot']).toBe(String(base + 400n));
    expect(server.requests.filter((r) => r.path === TAG)).toHaveLength(10);
    expect(ctx.log.lines).toContain('info: mastodon: #hoot timeline has more new posts; the next run continues from here');
  });

  it('awaits ctx.pace before normalising a page, with the next page already asked for', async () => {
    server = await startReplayServer([
      { path: '/api/v2/instance', file: 'mastodon/instance-v2.json' },
      { path: TAG, query: { max_id: '117020593741189801' }, body: [], times: 1 },
      { path: TAG, body: statuses(117020593741189840n, 40), times: 1 },
    ]);
    const ctx = createTestSourceContext({ name: 'mastodon' });
    const turns = steppedPace(ctx);
    const source = createMastodonSource(config({ baseUrl: server.url, tokenEnv: undefined }), brand);
    const pages = source.fetchMentions({ cursor: null, since }, ctx)[Symbol.asyncIterator]();

    const firstRead = pages.next();
    const handedOn = watch(firstRead);
    await waitFor(
      'the turn asked for and the second page request',
      () => turns.length === 1 && server.requests.filter((r) => r.path === TAG).length === 2,
    );
    expect(handedOn.settled).toBe(false);
    turns[0]!();
    const first = (await firstRead).value as MentionPage;
    expect(await settledMentions(first)).toHaveLength(40);

    // The empty second page yields nothing: the cursor follows.
    expect((await pages.next()).value).toEqual({ mentions: [], cursor: JSON.stringify({ v: 1, streams: { 'tag:hoot': '117020593741189840' } }) });
    expect(turns).toHaveLength(1);
    server.assertDone();
  });

  it('asks for the instance together with the first page, not a round trip before it', async () => {
    server = await startReplayServer([
      { path: '/api/v2/instance', file: 'mastodon/instance-v2.json', delayMs: 200 },
      { path: TAG, file: 'mastodon/tag-timeline.json', delayMs: 200 },
    ]);
    const ctx = createTestSourceContext({ name: 'mastodon' });
    // What the server had received when the instance's answer came in (and was cached).
    let receivedByThen: string[] | undefined;
    const set = ctx.kv.set;
    ctx.kv.set = (key, value) => {
      if (key === 'instance') receivedByThen ??= server.requests.map((r) => r.path);
      set(key, value);
    };
    const source = createMastodonSource(config({ baseUrl: server.url, tokenEnv: undefined }), brand);
    const pages = await collect(source, { cursor: null, since }, ctx);
    server.assertDone();
    expect(receivedByThen?.sort()).toEqual(['/api/v1/timelines/tag/hoot', '/api/v2/instance']);
    // Normalising waited for the instance's domain.
    expect(pages[0]!.mentions[0]!.author.handle).toBe('mastodonpy_test_2@mastodon.social');
  });

  it('a failed instance lookup fails the run as before, even though the first page came', async () => {
    server = await startReplayServer([
      { path: '/api/v2/instance', body: { title: 'not Mastodon' } },
      { path: TAG, file: 'mastodon/tag-timeline.json' },
    ]);
    const ctx = createTestSourceContext({ name: 'mastodon' });
    const source = createMastodonSource(config({ baseUrl: server.url, tokenEnv: undefined }), brand);
    const pages: MentionPage[] = [];
    await expect(collect(source, { cursor: null, since }, ctx, pages)).rejects.toThrow(/^mastodon: unexpected response from \/api\/v2\/instance \(no domain\)/);
    expect(pages).toEqual([]);
    expect(ctx.kv.map.has('instance')).toBe(false);
  });

  it('a failed instance lookup is the error reported, not a stream failing beside it', async () => {
    server = await startReplayServer([
      { path: '/api/v2/instance', body: { title: 'not Mastodon' }, delayMs: 50 },
      { path: TAG, body: { error: 'nope' } },
    ]);
    const ctx = createTestSourceContext({ name: 'mastodon' });
    const source = createMastodonSource(config({ baseUrl: server.url, tokenEnv: undefined }), brand);
    await expect(collect(source, { cursor: null, since }, ctx)).rejects.toThrow(/^mastodon: unexpected response from \/api\/v2\/instance/);
  });

  it('a feed failing after its first page: the other feed is read to the end, the failed one keeps its old cursor entry', async () => {
    // Forward from a cursor, each feed a full page then more; the second request of #broken fails.
    server = await startReplayServer([
      { path: '/api/v2/instance', file: 'mastodon/instance-v2.json' },
      { path: TAG, query: { min_id: '117020593741189800' }, body: statuses(117020593741189840n, 40), times: 1 },
      { path: TAG, query: { min_id: '117020593741189840' }, body: statuses(117020593741189841n, 1), times: 1 },
      { path: '/api/v1/timelines/tag/broken', query: { min_id: '117020593741188800' }, body: statuses(117020593741188840n, 40), times: 1 },
      { path: '/api/v1/timelines/tag/broken', query: { min_id: '117020593741188840' }, status: 500, body: 'oops' },
    ]);
    const ctx = createTestSourceContext({ name: 'mastodon' });
    const source = createMastodonSource(config({ baseUrl: server.url, tokenEnv: undefined, hashtags: ['hoot', 'broken'] }), brand);
    const cursor = JSON.stringify({ v: 1, streams: { 'tag:hoot': '117020593741189800', 'tag:broken': '117020593741188800' } });
    const pages: MentionPage[] = [];
    await expect(collect(source, { cursor, since }, ctx, pages)).rejects.toThrow(/^mastodon: 1 of 2 feeds failed \(the others were stored\): GET .*500/);
    server.assertDone();

    // Every page read is yielded (#broken's first page too: the next run reads it again, and poll skips what it stored).
    expect(pages.map((p) => p.mentions.length).sort((a, b) => a - b)).toEqual([0, 1, 40, 40]);
    expect(pages.slice(0, -1).every((p) => p.cursor === undefined)).toBe(true);
    expect(pages.at(-1)!.mentions).toEqual([]);
    expect(JSON.parse(pages.at(-1)!.cursor!).streams).toEqual({ 'tag:hoot': '117020593741189841', 'tag:broken': '117020593741188800' });
    expect(ctx.log.warnings.join('\n')).toMatch(/^mastodon: #broken timeline failed: /m);
  });

  it('a single feed failing after its first page: that page carries no cursor, so the next run repeats it', async () => {
    server = await startReplayServer([
      { path: '/api/v2/instance', file: 'mastodon/instance-v2.json' },
      { path: TAG, query: { min_id: '117020593741189800' }, body: statuses(117020593741189840n, 40), times: 1 },
      { path: TAG, query: { min_id: '117020593741189840' }, status: 500, body: 'oops' },
    ]);
    const ctx = createTestSourceContext({ name: 'mastodon' });
    const source = createMastodonSource(config({ baseUrl: server.url, tokenEnv: undefined }), brand);
    const pages: MentionPage[] = [];
    const cursor = JSON.stringify({ v: 1, streams: { 'tag:hoot': '117020593741189800' } });
    await expect(collect(source, { cursor, since }, ctx, pages)).rejects.toThrow(/^mastodon: GET .*500/);
    expect(pages.map((p) => [p.mentions.length, p.cursor])).toEqual([[40, undefined]]);
  });

  it('an HTML page instead of JSON is an error naming the source', async () => {
    server = await startReplayServer([
      { path: '/api/v2/instance', file: 'mastodon/instance-v2.json' },
      { path: '/api/v1/timelines/tag/hoot', headers: { 'content-type': 'text/html' }, body: '<html><body>Blocked</body></html>' },
    ]);
    const ctx = createTestSourceContext({ name: 'mastodon' });
    const source = createMastodonSource(config({ baseUrl: server.url, tokenEnv: undefined }), brand);
    await expect(collect(source, { cursor: null, since }, ctx)).rejects.toThrow(/^mastodon: .*expected JSON/);
  });

  it('a JSON body of the wrong shape is an error naming the source', async () => {
    server = await startReplayServer([
      { path: '/api/v2/instance', file: 'mastodon/instance-v2.json' },
      { path: '/api/v1/timelines/tag/hoot', body: { error: 'nope' } },
    ]);
    const ctx = createTestSourceContext({ name: 'mastodon' });
    const source = createMastodonSource(config({ baseUrl: server.url, tokenEnv: undefined }), brand);
    await expect(collect(source, { cursor: null, since }, ctx)).rejects.toThrow(/^mastodon: unexpected response from \/api\/v1\/timelines\/tag\/hoot/);
  });

  it('a configured but missing token is a clear error', async () => {
    const ctx = createTestSourceContext({ name: 'mastodon' });
    const source = createMastodonSource(config({ baseUrl: 'http://127.0.0.1:9' }), brand);
    await expect(collect(source, { cursor: null, since }, ctx)).rejects.toThrow(/^mastodon: MASTODON_TOKEN is not set/);
  });
});

describe('createMastodonSource: checkThreads', () => {
  let server: ReplayServer;
  afterEach(async () => {
    await server?.close();
  });

  // The mention 110446983926957470 is by greg@icosahedron.website; the brand is halcy@mastodon.social
  // (a local account of the instance in the fixture, configured without its domain).
  const threadBrand: BrandConfig = { ...brand, accounts: { mastodon: ['halcy'] } };
  const mention = {
    platformId: '110446983926957470',
    threadRef: '110446983926957470',
    url: null,
    authorHandle: 'greg@icosahedron.website',
    createdAt: Date.parse('2023-05-28T15:20:20Z'),
  };

  it.each([
    ['context.json', Date.parse('2023-05-28T15:20:35.248Z'), false],
    ['context-others-only.json', null, false],
    ['context-lookalike.json', null, false],
    ['context-different-post.json', null, false],
    ['context-reopened.json', Date.parse('2023-05-28T15:20:35.248Z'), true],
  ])('%s → answeredAt %s, reopened %s', async (file, answeredAt, reopened) => {
    server = await startReplayServer([
      { path: '/api/v2/instance', file: 'mastodon/instance-v2.json' },
      { path: '/api/v1/statuses/110446983926957470/context', file: `mastodon/${file}` },
    ]);
    const ctx = createTestSourceContext({ name: 'mastodon', env });
    const source = createMastodonSource(config({ baseUrl: server.url }), threadBrand);
    expect(await source.checkThreads!([mention], ctx)).toEqual([{ platformId: mention.platformId, answeredAt, reopened }]);
    server.assertDone();
    expect(server.requests.at(-1)!.headers.authorization).toBe('Bearer tok-secret-123');
  });

  it('one failing lookup does not fail the others', async () => {
    server = await startReplayServer([
      { path: '/api/v2/instance', file: 'mastodon/instance-v2.json' },
      { path: '/api/v1/statuses/1/context', status: 404, body: { error: 'Record not found' } },
      { path: '/api/v1/statuses/110446983926957470/context', file: 'mastodon/context.json', headers: { 'mastodon-async-refresh': 'id="x", retry=3' } },
    ]);
    const ctx = createTestSourceContext({ name: 'mastodon', env });
    const source = createMastodonSource(config({ baseUrl: server.url }), threadBrand);
    const results = await source.checkThreads!([{ ...mention, platformId: '1', threadRef: '1' }, mention], ctx);
    expect(results).toEqual([
      { platformId: '1', answeredAt: null, reopened: false },
      { platformId: mention.platformId, answeredAt: Date.parse('2023-05-28T15:20:35.248Z'), reopened: false },
    ]);
    expect(ctx.log.warnings[0]).toMatch(/^mastodon: could not check replies to 1: mastodon: GET .* 404/);
  });
});

describe('createMastodonSource: check', () => {
  let server: ReplayServer;
  afterEach(async () => {
    await server?.close();
  });

  it('verifies the token', async () => {
    server = await startReplayServer([
      { path: '/api/v2/instance', file: 'mastodon/instance-v2.json' },
      { path: '/api/v1/accounts/verify_credentials', file: 'mastodon/account.json' },
    ]);
    const ctx = createTestSourceContext({ name: 'mastodon', env });
    const source = createMastodonSource(config({ baseUrl: server.url }), brand);
    expect(await source.check(ctx)).toBe('mastodon.social (Mastodon 4.6.0-nightly.2026-04-09), logged in as @halcy@icosahedron.website');
  });

  it('401 names the token variable', async () => {
    server = await startReplayServer([
      { path: '/api/v2/instance', file: 'mastodon/instance-v2.json' },
      { path: '/api/v1/accounts/verify_credentials', status: 401, body: { error: 'The access token is invalid' } },
    ]);
    const ctx = createTestSourceContext({ name: 'mastodon', env });
    const source = createMastodonSource(config({ baseUrl: server.url }), brand);
    await expect(source.check(ctx)).rejects.toThrow(/^mastodon: 401 Unauthorized from verify_credentials\. Check MASTODON_TOKEN in \.env/);
  });
});
