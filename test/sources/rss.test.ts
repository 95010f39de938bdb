import { afterEach, describe, expect, it } from 'vitest';

import type { BrandConfig, RssSourceConfig } from '../../src/config/types.js';
import { secretsOf } from '../../src/config/schema.js';
import { SourceError } from '../../src/errors.js';
import type { FeedEntry } from '../../src/feed/parse-feed.js';
import { createRssSource, rssRequestUrl, type RssCursor } from '../../src/sources/rss.js';
import type { FetchWindow, MentionPage, Source, SourceContext } from '../../src/sources/types.js';
import { startReplayServer, type ReplayServer } from '../support/replay-server.js';
import { createTestSourceContext } from '../support/source-context.js';

const NAME = 'alerts';
const NOW = new Date('2019-07-10T12:00:00Z');
const BRAND: BrandConfig = { name: 'Slack', keywords: ['slack'], exclude: [], accounts: {} };
const ALERTS_URL = 'https://www.google.com/alerts/feeds/04175468913983673025/4428013283581841004';
const ALERTS_PATH = '/alerts/feeds/04175468913983673025/4428013283581841004';

let server: ReplayServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

function source(overrides: Partial<RssSourceConfig> = {}): Source {
  const config: RssSourceConfig = { type: 'rss', name: NAME, enabled: true, url: ALERTS_URL, baseUrl: server?.url, ...overrides };
  return createRssSource(config, BRAND);
}

function context(): SourceContext {
  return createTestSourceContext({ name: NAME, now: NOW });
}

async function collect(src: Source, window: FetchWindow, ctx: SourceContext = context()): Promise<MentionPage[]> {
  const pages: MentionPage[] = [];
  for await (const page of src.fetchMentions(window, ctx)) pages.push(page);
  return pages;
}

async function fetchError(src: Source, window: FetchWindow): Promise<unknown> {
  try {
    await collect(src, window);
  } catch (error) {
    return error;
  }
  throw new Error('expected fetchMentions to fail');
}

const firstPoll = (since = '2019-07-01T00:00:00Z'): FetchWindow => ({ cursor: null, since: new Date(since) });

function forumFeed(items: { id: number; title: string; pubDate?: string }[]): string {
  const body = items
    .map(
      (item) => `<item><title>${item.title}</title><link>/t/topic-${item.id}/${item.id}</link>` +
        `<guid isPermaLink="false">forum.example-topic-${item.id}</guid>` +
        (item.pubDate ? `<pubDate>${item.pubDate}</pubDate>` : '') +
        `<dc:creator><![CDATA[user${item.id}]]></dc:creator><description><![CDATA[<p>About ${item.title}</p>]]></description></item>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8" ?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Forum - Latest</title>${body}</channel></rss>`;
}

describe('rss source: Google Alerts', () => {
  it('first poll: every entry as a mention, links unwrapped, cursor with ETag, Last-Modified and seen ids', async () => {
    server = await startReplayServer([
      {
        path: ALERTS_PATH,
        file: 'rss/google-alerts.atom',
        headers: { etag: 'W/"ga-1"', 'last-modified': 'Wed, 10 Jul 2019 11:53:37 GMT' },
      },
    ]);
    const pages = await collect(source(), firstPoll());
    server.assertDone();
    expect(server.requests[0]?.headers['if-none-match']).toBeUndefined();

    expect(pages).toHaveLength(1);
    const [page] = pages as [MentionPage];
    expect(page.mentions).toHaveLength(20);
    for (const mention of page.mentions) expect(mention.url).not.toContain('google.com/url');
    expect(page.mentions[0]).toEqual({
      platformId: 'tag:google.com,2013:googlealerts/feed:8974135267215335962',
      url: 'https://www.aglobalmarketresearch.com/report-offers-prediction-of-automotive-slack-market-by-top-key-players-like-haldex-meritor-bendix-mei-wabco-accuride-stemco-tbk-febi-aydinsan/',
      author: { handle: null, name: null, url: null, reach: 0 },
      title: 'Report offers Prediction of Automotive Slack Market by Top key players like Haldex, Meritor, Bendix ...',
      text: 'Automotive Slack Market reports provides a comprehensive overview of the global market size and share. It provides strategists, marketers and senior ...',
      createdAt: Date.parse('2019-07-10T11:53:37Z'),
      own: false,
      addressesBrand: false,
      threadRef: null,
      raw: expect.objectContaining({ id: 'tag:google.com,2013:googlealerts/feed:8974135267215335962', idFrom: 'id' }),
    });
    const raw = page.mentions[0]?.raw as FeedEntry;
    expect(raw.feedLink).toMatch(/^https:\/\/www\.google\.com\/url\?rct=j&sa=t&url=https:\/\/www\.aglobalmarketresearch\.com\//);
    const times = page.mentions.map((m) => m.createdAt);
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const cursor = JSON.parse(page.cursor as string) as RssCursor;
    expect(cursor).toMatchObject({ v: 1, etag: 'W/"ga-1"', lastModified: 'Wed, 10 Jul 2019 11:53:37 GMT' });
    expect(cursor.seen).toHaveLength(20);
    expect(cursor.seen[0]).toBe('tag:google.com,2013:googlealerts/feed:8974135267215335962');
  });

  it('second poll sends If-None-Match and If-Modified-Since; 304 → one empty page, cursor unchanged', async () => {
    server = await startReplayServer([
      { path: ALERTS_PATH, file: 'rss/google-alerts.atom', headers: { etag: '"ga-1"', 'last-modified': 'Wed, 10 Jul 2019 11:53:37 GMT' }, times: 1 },
      { path: ALERTS_PATH, status: 304, headers: { etag: '"ga-1"' }, times: 1 },
    ]);
    const src = source();
    const [first] = await collect(src, firstPoll());
    const window: FetchWindow = { cursor: first?.cursor ?? null, since: new Date('2019-07-01T00:00:00Z') };
    const pages = await collect(src, window);
    server.assertDone();

    expect(server.requests[1]?.headers).toMatchObject({ 'if-none-match': '"ga-1"', 'if-modified-since': 'Wed, 10 Jul 2019 11:53:37 GMT' });
    expect(pages).toEqual([{ mentions: [], cursor: first?.cursor }]);
  });

  it('first poll skips entries older than window.since', async () => {
    server = await startReplayServer([{ path: ALERTS_PATH, file: 'rss/google-alerts.atom' }]);
    const [page] = await collect(source(), firstPoll('2019-07-10T11:30:00Z'));
    expect(page?.mentions.map((m) => new Date(m.createdAt).toISOString())).toEqual([
      '2019-07-10T11:53:37.000Z',
      '2019-07-10T11:46:48.000Z',
      '2019-07-10T11:36:15.000Z',
    ]);
    // the skipped ones count as seen: they will not come back later
    expect((JSON.parse(page?.cursor as string) as RssCursor).seen).toHaveLength(20);
  });

  it('check(): one request, feed title and entry count', async () => {
    server = await startReplayServer([{ path: ALERTS_PATH, file: 'rss/google-alerts.atom' }]);
    await expect(source().check(context())).resolves.toBe('ok: Google Alert - Slack, 20 entries');
    server.assertDone();
    expect(server.requests).toHaveLength(1);
  });
});

describe('rss source: forum feeds that re-serve old entries', () => {
  it('yields only entries not seen before, even when the server ignores conditional GET', async () => {
    const first = forumFeed([
      { id: 3, title: 'Third', pubDate: 'Tue, 09 Jul 2019 10:00:00 +0000' },
      { id: 2, title: 'Second', pubDate: 'Mon, 08 Jul 2019 10:00:00 +0000' },
      { id: 1, title: 'First', pubDate: 'Sun, 07 Jul 2019 10:00:00 +0000' },
    ]);
    // ordered by activity: old topics bubble up next to a new one
    const second = forumFeed([
      { id: 1, title: 'First', pubDate: 'Sun, 07 Jul 2019 10:00:00 +0000' },
      { id: 4, title: 'Fourth', pubDate: 'Wed, 10 Jul 2019 09:00:00 +0000' },
      { id: 3, title: 'Third', pubDate: 'Tue, 09 Jul 2019 10:00:00 +0000' },
      { id: 5, title: 'Fifth' },
    ]);
    const rssHeaders = { 'content-type': 'application/rss+xml; charset=utf-8' };
    server = await startReplayServer([
      { path: '/latest.rss', body: first, headers: { ...rssHeaders, etag: '"f1"' }, times: 1 },
      { path: '/latest.rss', body: second, headers: rssHeaders, times: 1 },
    ]);
    const src = source({ name: NAME, url: 'https://forum.example/latest.rss' });
    const [page1] = await collect(src, firstPoll());
    expect(page1?.mentions.map((m) => m.platformId)).toEqual(['forum.example-topic-3', 'forum.example-topic-2', 'forum.example-topic-1']);
    expect(page1?.mentions[0]).toMatchObject({
      url: 'https://forum.example/t/topic-3/3',
      title: 'Third',
      text: 'About Third',
      author: { handle: null, name: 'user3', url: null, reach: 0 },
    });

    const [page2] = await collect(src, { cursor: page1?.cursor ?? null, since: new Date('2019-07-01T00:00:00Z') });
    server.assertDone();
    expect(server.requests[1]?.headers['if-none-match']).toBe('"f1"');
    // the undated entry is first seen now
    expect(page2?.mentions.map((m) => [m.platformId, new Date(m.createdAt).toISOString()])).toEqual([
      ['forum.example-topic-5', NOW.toISOString()],
      ['forum.example-topic-4', '2019-07-10T09:00:00.000Z'],
    ]);
    const cursor = JSON.parse(page2?.cursor as string) as RssCursor;
    expect(cursor.etag).toBeUndefined();
    expect(cursor.seen).toEqual(['forum.example-topic-1', 'forum.example-topic-4', 'forum.example-topic-3', 'forum.example-topic-5', 'forum.example-topic-2']);
  });

  it('keeps at most 500 seen ids (or the feed length when longer)', async () => {
    const ids = Array.from({ length: 600 }, (_, i) => `old-${i}`);
    server = await startReplayServer([{ path: '/latest.rss', body: forumFeed([{ id: 1, title: 'New' }]) }]);
    const [page] = await collect(source({ url: 'https://forum.example/latest.rss' }), {
      cursor: JSON.stringify({ v: 1, seen: ids }),
      since: new Date(0),
    });
    const cursor = JSON.parse(page?.cursor as string) as RssCursor;
    expect(cursor.seen).toHaveLength(500);
    expect(cursor.seen.slice(0, 2)).toEqual(['forum.example-topic-1', 'old-0']);
  });
});

describe('rss source: URLs', () => {
  it('baseUrl replaces scheme, host and path prefix; the query is kept; links resolve against the real feed URL', async () => {
    server = await startReplayServer([
      { path: '/proxy/forum/latest.rss', query: { order: 'created', q: 'slack app' }, body: forumFeed([{ id: 7, title: 'Seven' }]) },
    ]);
    const src = source({ url: 'https://forum.example/latest.rss?order=created&q=slack+app', baseUrl: `${server.url}/proxy/forum/` });
    const [page] = await collect(src, firstPoll());
    server.assertDone();
    expect(page?.mentions[0]?.url).toBe('https://forum.example/t/topic-7/7');
  });

  it.each([
    [{ url: 'https://www.google.com/alerts/feeds/1/2' }, 'https://www.google.com/alerts/feeds/1/2'],
    [{ url: 'https://www.google.com/alerts/feeds/1/2', baseUrl: 'http://127.0.0.1:9' }, 'http://127.0.0.1:9/alerts/feeds/1/2'],
    [{ url: 'https://forum.example/latest.rss?a=1&b=x%20y', baseUrl: 'http://127.0.0.1:9/p/' }, 'http://127.0.0.1:9/p/latest.rss?a=1&b=x%20y'],
    [{ url: 'https://example.com/', baseUrl: 'http://127.0.0.1:9/feed' }, 'http://127.0.0.1:9/feed'],
  ])('rssRequestUrl(%j) → %s', (config, expected) => {
    expect(rssRequestUrl(config)).toBe(expected);
  });
});

describe('rss source: failures', () => {
  it('an HTML page is an error naming the source and the URL', async () => {
    server = await startReplayServer([
      {
        path: ALERTS_PATH,
        body: '<!DOCTYPE html><html><head><title>Sign in</title></head><body>Sign in to continue</body></html>',
        headers: { 'content-type': 'text/html; charset=utf-8' },
      },
    ]);
    const error = await fetchError(source(), firstPoll());
    expect(error).toBeInstanceOf(SourceError);
    expect((error as Error).message).toBe(`${NAME}: ${server.url}${ALERTS_PATH} is not an RSS/Atom feed (got <html>)`);
  });

  it('a JSON body names its content type', async () => {
    server = await startReplayServer([{ path: ALERTS_PATH, body: { error: 'gone' } }]);
    const error = await fetchError(source(), firstPoll());
    expect((error as Error).message).toMatch(/^alerts: .* is not an RSS\/Atom feed \(got application\/json without XML\)$/);
  });

  it('an HTTP error starts with the source name', async () => {
    server = await startReplayServer([{ path: ALERTS_PATH, status: 404, body: 'not found' }]);
    const error = await fetchError(source(), firstPoll());
    expect(error).toBeInstanceOf(SourceError);
    expect((error as Error).message).toMatch(/^alerts: /);
    expect((error as Error).message).toContain('404');
  });

  it('a 5xx is retried by the client, then the feed is read', async () => {
    server = await startReplayServer([
      { path: ALERTS_PATH, status: 503, body: 'busy', times: 1 },
      { path: ALERTS_PATH, file: 'rss/google-alerts.atom', times: 1 },
    ]);
    const [page] = await collect(source(), firstPoll());
    server.assertDone();
    expect(page?.mentions).toHaveLength(20);
  });

  it('429 with a Retry-After longer than the run may wait is an error naming the source', async () => {
    server = await startReplayServer([{ path: ALERTS_PATH, status: 429, headers: { 'retry-after': '3600' }, body: 'slow down' }]);
    const error = await fetchError(source(), firstPoll());
    expect(error).toBeInstanceOf(SourceError);
    expect((error as Error).message).toMatch(/^alerts: /);
  });

  it('a truncated feed yields what was read (and says so at debug level)', async () => {
    server = await startReplayServer([{ path: '/feed.rss', file: 'rss/edge-cases/dc-date-epoch.rss' }]);
    const ctx = createTestSourceContext({ name: NAME, now: NOW });
    const [page] = await collect(source({ url: 'https://example.com/feed.rss' }), firstPoll('2017-01-01T00:00:00Z'), ctx);
    expect(page?.mentions.map((m) => m.title)).toEqual(['Item 1 with all valid dates', 'Item 0 with an invalid date']);
    expect(ctx.log.warnings).toEqual([]);
    expect(ctx.log.lines).toContain(`debug: ${NAME}: the feed ended early (truncated or unclosed); read 2 entries`);
  });

  it('an invalid url is an error naming the source, raised when the source runs', async () => {
    const src = source({ url: 'not a url', baseUrl: 'http://127.0.0.1:9' });
    const error = await fetchError(src, firstPoll());
    expect(error).toBeInstanceOf(SourceError);
    expect((error as Error).message).toBe('alerts: url "not a url" is not a valid feed URL. Set it to the feed\'s full https:// address');
  });

  it('a cursor that is not ours is an error, not a silent re-read', async () => {
    const error = await fetchError(source(), { cursor: '{"after":"t3_x"}', since: new Date(0) });
    expect(error).toBeInstanceOf(SourceError);
    expect((error as Error).message).toMatch(/^alerts: stored cursor .* is not an RSS cursor/);
  });
});

describe('rss source: a feed address that is a key (urlEnv)', () => {
  const KEY = '9f8e7d6c5b4a39281706';
  const SECRET_URL = `https://alerts.talkwalker.example/alerts/rss/${KEY}?lang=en&token=c0ffee12345`;

  function keyedSource(): { src: Source; ctx: SourceContext } {
    const config: RssSourceConfig = { type: 'rss', name: NAME, enabled: true, urlEnv: 'TALKWALKER_FEED', baseUrl: server?.url };
    const env = { TALKWALKER_FEED: SECRET_URL };
    // As poll builds its client: every form of the address is a secret.
    const ctx = createTestSourceContext({ name: NAME, now: NOW, env, http: { secrets: secretsOf(config, env) } });
    return { src: createRssSource(config, BRAND), ctx };
  }

  it('reads the address from the environment', async () => {
    server = await startReplayServer([{ path: `/alerts/rss/${KEY}`, query: { lang: 'en', token: 'c0ffee12345' }, file: 'rss/google-alerts.atom' }]);
    const { src, ctx } = keyedSource();
    const pages = await collect(src, firstPoll(), ctx);
    server.assertDone();
    expect(pages[0]?.mentions.length).toBeGreaterThan(0);
  });

  it('never names the address in an error, whatever the error quotes', async () => {
    for (const route of [
      { body: '<!DOCTYPE html><html><body>Sign in</body></html>', headers: { 'content-type': 'text/html' } },
      { status: 404, body: `no feed at /alerts/rss/${KEY}?lang=en&token=c0ffee12345` },
      { status: 403, body: `feed ${KEY} is private` },
    ]) {
      server = await startReplayServer([{ path: `/alerts/rss/${KEY}`, ...route }]);
      const { src, ctx } = keyedSource();
      let message = '';
      try {
        await collect(src, firstPoll(), ctx);
      } catch (error) {
        message = `${(error as Error).message} ${(error as { url?: string }).url ?? ''} ${(error as { body?: string }).body ?? ''}`;
      }
      expect(message).toMatch(/^alerts: /);
      expect(message).not.toContain(KEY);
      expect(message).not.toContain('c0ffee12345');
      await server.close();
      server = undefined;
    }
  });

  it('an unset variable is an error naming it', async () => {
    const config: RssSourceConfig = { type: 'rss', name: NAME, enabled: true, urlEnv: 'TALKWALKER_FEED' };
    const error = await fetchError(createRssSource(config, BRAND), firstPoll());
    expect((error as Error).message).toBe('alerts: TALKWALKER_FEED is not set. Set it to the feed\'s full https:// address in the environment or .env');
  });
});

