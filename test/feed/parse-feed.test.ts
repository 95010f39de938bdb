import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { NotAFeedError, parseFeed, type FeedEntry, type ParsedFeed } from '../../src/feed/parse-feed.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/rss/', import.meta.url));
const FEED_URL = 'http://127.0.0.1:8097/feed.xml';

function parseFixture(file: string, contentType: string | null = null): ParsedFeed {
  return parseFeed(readFileSync(FIXTURES + file), contentType, FEED_URL);
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

interface Expected {
  format: ParsedFeed['format'];
  title: string | null;
  count: number;
  complete?: boolean;
  first?: {
    id: string | 'hash';
    link: string | null;
    title: string | null;
    text: string;
    author: string | null;
    published: string | null;
  };
}

/** Every fixture: entry count and the first entry, checked by eye against the file. `text` is a prefix. */
const CASES: Record<string, Expected> = {
  'google-alerts.atom': {
    format: 'atom',
    title: 'Google Alert - Slack',
    count: 20,
    first: {
      id: 'tag:google.com,2013:googlealerts/feed:8974135267215335962',
      link: 'https://www.aglobalmarketresearch.com/report-offers-prediction-of-automotive-slack-market-by-top-key-players-like-haldex-meritor-bendix-mei-wabco-accuride-stemco-tbk-febi-aydinsan/',
      title: 'Report offers Prediction of Automotive Slack Market by Top key players like Haldex, Meritor, Bendix ...',
      text: 'Automotive Slack Market reports provides a comprehensive overview of the global market size and share. It provides strategists, marketers and senior ...',
      author: null,
      published: '2019-07-10T11:53:37.000Z',
    },
  },
  'hackernews-frontpage.rss': {
    format: 'rss',
    title: 'Hacker News',
    count: 30,
    first: {
      id: 'hash',
      link: 'https://aws.amazon.com/blogs/aws/announcing-aws-lambda-function-urls-built-in-https-endpoints-for-single-function-microservices/',
      title: 'AWS Lambda Function URLs: Built-In HTTPS Endpoints for Lambda',
      text: 'Comments',
      author: null,
      published: '2022-04-06T21:07:47.000Z',
    },
  },
  'iso-8859-1-declared.rss': {
    format: 'rss',
    title: 'Jornal de Notícias - Últimas Notícias',
    count: 40,
    first: {
      id: 'hash',
      // feedburner:origLink wins over the feeds.jn.pt tracking link
      link: 'https://www.jn.pt/nacional/interior/sonia-laig-e-a-nova-presidente-da-rarissimas-9021600.html',
      title: 'Mãe de utente é a nova presidente da Raríssimas',
      text: 'Sónia Laygue, profissional na área da Recursos Humanos e mãe de uma criança de três anos',
      author: null,
      published: '2018-01-03T13:47:00.000Z',
    },
  },
  'reddit-frontpage.atom': {
    format: 'atom',
    title: 'reddit: the front page of the internet',
    count: 24,
    first: {
      id: 't3_42tizy',
      link: 'https://www.reddit.com/r/funny/comments/42tizy/how_the_british_as_seen_by_americans_and_europeans/',
      title: 'How the British as seen by Americans and Europeans',
      text: 'submitted by /u/AngryRedditorsBelow to /r/funny\n[link] [1143 comments]',
      author: '/u/AngryRedditorsBelow',
      published: '2016-01-26T20:31:34.000Z',
    },
  },
  'rss1-rdf-craigslist.rdf': {
    format: 'rdf',
    title: 'craigslist SF bay area | apts/housing for rent search',
    count: 25,
    first: {
      id: 'http://sfbay.craigslist.org/eby/apa/6186664607.html',
      link: 'http://sfbay.craigslist.org/eby/apa/6186664607.html',
      title: 'Bright, Spacious Beautiful Victorian (oakland north / temescal) $4300 3bd 1930ft2',
      text: 'Updated 3+ Bedroom, 2.5 Bath, Victorian home.',
      author: null,
      published: '2017-06-21T17:33:10.000Z',
    },
  },
  'youtube-channel.atom': {
    format: 'atom',
    title: 'Google',
    count: 15,
    first: {
      id: 'yt:video:5shykyfmb28',
      link: 'http://www.youtube.com/watch?v=5shykyfmb28',
      title: 'The Google app: Questions Title',
      text: 'A question is the most powerful force in the world.',
      author: 'Google',
      published: '2015-05-04T00:01:27.000Z',
    },
  },
  'edge-cases/atom-entry-id-only.atom': {
    format: 'atom',
    title: null,
    count: 1,
    first: { id: 'tag:github.com,2008:Repository/11167738/v3.9.0', link: null, title: null, text: '', author: null, published: null },
  },
  'edge-cases/c1-control-char-smart-quote.rss': {
    format: 'rss',
    title: null,
    count: 1,
    first: { id: 'hash', link: null, title: null, text: 'don\u2019t', author: null, published: null },
  },
  'edge-cases/dc-date-epoch.rss': {
    format: 'rss',
    title: 'Invalid date format feed',
    count: 2,
    complete: false,
    first: {
      id: 'hash',
      link: 'http://example.com/item0',
      title: 'Item 0 with an invalid date',
      text: '',
      author: null,
      published: '2017-10-16T15:10:00.000Z',
    },
  },
  'edge-cases/koi8r-undeclared.rss': {
    format: 'rss',
    title: null,
    count: 1,
    first: {
      id: 'hash',
      link: null,
      title: 'Как пережить новогоднюю ночь',
      text: 'Наверное, единственное, во что сегодня можно верить безоговорочно',
      author: null,
      published: null,
    },
  },
  'edge-cases/latin1-no-xml-declaration-cdata.rss': {
    format: 'rss',
    title: 'UOL Noticias',
    count: 15,
    first: {
      id: 'hash',
      link: 'https://noticias.uol.com.br/politica/eleicoes/2018/noticias/2018/09/24/ibope-bolsonaro-perde-de-haddad-ciro-e-alckmin-em-simulacoes-de-2-turno.htm',
      title: 'Ibope: Bolsonaro perde de Haddad, Ciro e Alckmin em simulações de 2º turno',
      text: 'Líder na pesquisa Ibope de intenção de voto',
      author: null,
      // "Seg, 24 Set 2018 19:42:40 -0300": Portuguese day and month names
      published: '2018-09-24T22:42:40.000Z',
    },
  },
  'edge-cases/leading-whitespace-before-decl.rss': { format: 'rss', title: 'Feed Title', count: 0 },
  'edge-cases/no-dates-guid-permalinks.rss': {
    format: 'rss',
    title: null,
    count: 4,
    first: { id: 'http://example.com/1', link: null, title: 'Item 1', text: '', author: null, published: null },
  },
  'edge-cases/relative-link-no-base.atom': {
    format: 'atom',
    title: null,
    count: 1,
    first: { id: 'hash', link: 'http://127.0.0.1:8097/relative/link', title: null, text: '', author: null, published: null },
  },
  'edge-cases/rss092-nonstandard-dates.rss': {
    format: 'rss',
    title: 'RSS0.92 Example',
    count: 2,
    first: {
      id: 'hash',
      link: 'http://www.oreilly.com/example/001.html',
      title: 'The First Item',
      text: 'This is the first item.',
      author: null,
      published: null,
    },
  },
  'edge-cases/truncated-cdata.rss': { format: 'rss', title: 'can feedparser read this xml', count: 0, complete: false },
  'edge-cases/undeclared-html-entity.rss': { format: 'rss', title: 'testing á entity', count: 0 },
  'edge-cases/utf8-bom.rss': { format: 'rss', title: 'Feed Title', count: 0 },
};

describe('parseFeed: every fixture', () => {
  it.each(Object.entries(CASES))('%s', (file, expected) => {
    const feed = parseFixture(file);
    expect(feed.format).toBe(expected.format);
    expect(feed.title).toBe(expected.title);
    expect(feed.entries).toHaveLength(expected.count);
    expect(feed.complete).toBe(expected.complete ?? true);
    if (!expected.first) return;
    const entry = feed.entries[0] as FeedEntry;
    if (expected.first.id === 'hash') {
      expect(entry.idFrom).toBe('hash');
      expect(entry.id).toMatch(/^sha256:[0-9a-f]{32}$/);
    } else {
      expect(entry.id).toBe(expected.first.id);
    }
    expect(entry.link).toBe(expected.first.link);
    expect(entry.title).toBe(expected.first.title);
    expect(entry.text.startsWith(expected.first.text)).toBe(true);
    if (expected.first.text === '') expect(entry.text).toBe('');
    expect(entry.author).toBe(expected.first.author);
    expect(iso(entry.published)).toBe(expected.first.published);
  });

  it('ids are unique within every fixture', () => {
    for (const file of Object.keys(CASES)) {
      const ids = parseFixture(file).entries.map((entry) => entry.id);
      expect(new Set(ids).size, file).toBe(ids.length);
    }
  });
});

describe('parseFeed: details', () => {
  it('Google Alerts: every link unwrapped, the redirect kept as feedLink, <b> and &nbsp; gone', () => {
    const feed = parseFixture('google-alerts.atom');
    for (const entry of feed.entries) {
      expect(entry.link).not.toContain('google.com/url');
      expect(entry.feedLink).toMatch(/^https:\/\/www\.google\.com\/url\?rct=j&sa=t&url=/);
      expect(entry.title).not.toMatch(/<|&[a-z]+;/);
      expect(entry.text).not.toMatch(/<|&[a-z]+;/);
    }
    expect(feed.entries[1]).toMatchObject({
      link: 'https://investorplace.com/2019/07/slack-stock-truly-compelling/',
      title: 'Slack Stock Has a Compelling Story and the Numbers to Back It Up',
    });
    expect(feed.entries[1]?.text).toContain("the Company's decision to go public via ...");
  });

  it('hash ids are stable across versions (a change would re-yield every stored entry)', () => {
    expect(parseFixture('hackernews-frontpage.rss').entries[0]?.id).toBe('sha256:34d33c9ba597e3f9301ec51b18cbed9e');
  });

  it('guid isPermaLink: false → no link; true or absent → the guid; a <link> wins over the guid', () => {
    const entries = parseFixture('edge-cases/no-dates-guid-permalinks.rss').entries;
    expect(entries.map((e) => [e.id, e.link])).toEqual([
      ['http://example.com/1', null],
      ['http://example.com/2', 'http://example.com/2'],
      ['http://example.com/3', 'http://example.com/3'],
      ['http://example.com/5', 'http://example.com/4'],
    ]);
  });

  it('dc:date epoch: pubDate first, the epoch still parses on its own', () => {
    const feed = parseFeed(
      Buffer.from('<rss xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><item><title>t</title><dc:date>1518478934</dc:date></item></channel></rss>'),
      null,
      FEED_URL,
    );
    expect(iso(feed.entries[0]?.published ?? null)).toBe('2018-02-12T23:42:14.000Z');
    expect(iso(parseFixture('edge-cases/dc-date-epoch.rss').entries[1]?.published ?? null)).toBe('2017-10-17T12:17:00.000Z');
  });

  it('RSS 0.92 channel date "03 Apr 02 1500 GMT"', () => {
    expect(iso(parseFixture('edge-cases/rss092-nonstandard-dates.rss').date)).toBe('2002-04-03T15:00:00.000Z');
  });

  it('YouTube: updated kept next to published; the feed author is not the entry author', () => {
    const entry = parseFixture('youtube-channel.atom').entries[0];
    expect(iso(entry?.updated ?? null)).toBe('2015-05-13T17:38:30.000Z');
    expect(entry?.author).toBe('Google');
  });

  it('xml:base chain: entry base, then the element, then the feed URL', () => {
    const xml = `<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://forum.example/sub/">
      <entry xml:base="t/"><id>1</id><link href="123"/></entry>
      <entry><id>2</id><link rel="self" href="/self"/><link rel="alternate" href="../up"/></entry>
      <entry><id>3</id><link rel="enclosure" href="x.mp3"/></entry>
    </feed>`;
    const links = parseFeed(Buffer.from(xml), 'application/atom+xml', FEED_URL).entries.map((e) => e.link);
    expect(links).toEqual(['https://forum.example/sub/t/123', 'https://forum.example/up', 'https://forum.example/sub/x.mp3']);
  });

  it('Atom author falls back to the feed author; RSS <author> "mail (Name)" gives the name', () => {
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom"><author><name>Feed Person</name></author><entry><id>a</id><title>x</title></entry></feed>`;
    expect(parseFeed(Buffer.from(atom), null, FEED_URL).entries[0]?.author).toBe('Feed Person');
    const rss = `<rss><channel><item><guid>1</guid><author>jane@example.com (Jane Doe)</author></item><item><guid>2</guid><author>joe@example.com</author></item></channel></rss>`;
    expect(parseFeed(Buffer.from(rss), null, FEED_URL).entries.map((e) => e.author)).toEqual(['Jane Doe', 'joe@example.com']);
  });

  it('content:encoded beats description; unescaped HTML inside a description is still read as HTML', () => {
    const rss = `<rss xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
      <item><guid>1</guid><description>short</description><content:encoded><![CDATA[<p>Long <b>body</b></p>]]></content:encoded></item>
      <item><guid>2</guid><description><p>Raw <i>html</i><br>here</p></description></item>
    </channel></rss>`;
    expect(parseFeed(Buffer.from(rss), null, FEED_URL).entries.map((e) => e.text)).toEqual(['Long body', 'Raw html\nhere']);
  });

  it('Google redirect links written in the text are unwrapped too', () => {
    const rss = `<rss><channel><item><guid>1</guid><description>see https://www.google.com/url?rct=j&amp;sa=t&amp;url=https://example.com/a%3Fb%3D1&amp;ct=ga now</description></item></channel></rss>`;
    expect(parseFeed(Buffer.from(rss), null, FEED_URL).entries[0]?.text).toBe('see https://example.com/a?b=1 now');
  });

  it('Google News search feeds (the starter config): escaped HTML description, guid not a permalink', () => {
    // The shape of https://news.google.com/rss/search?q=… items, written by hand (no public recording found).
    const rss = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>
      <title>"Acme" - Google News</title><link>https://news.google.com/search?q=%22Acme%22&amp;hl=en-US</link>
      <item><title>Acme recalls widgets - Example Times</title><link>https://news.google.com/rss/articles/CBMiXWh0dHBz?oc=5</link>
        <guid isPermaLink="false">CBMiXWh0dHBz</guid><pubDate>Mon, 23 Nov 2026 09:00:00 GMT</pubDate>
        <description>&lt;a href="https://news.google.com/rss/articles/CBMiXWh0dHBz?oc=5" target="_blank"&gt;Acme recalls widgets&lt;/a&gt;&amp;nbsp;&amp;nbsp;&lt;font color="#6f6f6f"&gt;Example Times&lt;/font&gt;</description>
        <source url="https://www.example-times.com">Example Times</source></item>
    </channel></rss>`;
    const feed = parseFeed(Buffer.from(rss), 'application/xml; charset=utf-8', 'https://news.google.com/rss/search?q=%22Acme%22');
    expect(feed.title).toBe('"Acme" - Google News');
    expect(feed.entries[0]).toEqual({
      id: 'CBMiXWh0dHBz',
      idFrom: 'guid',
      link: 'https://news.google.com/rss/articles/CBMiXWh0dHBz?oc=5',
      title: 'Acme recalls widgets - Example Times',
      text: 'Acme recalls widgets Example Times',
      author: null,
      published: Date.parse('2026-11-23T09:00:00Z'),
      updated: null,
    });
  });

  it('only http(s) links are kept', () => {
    const rss = `<rss><channel><item><guid isPermaLink="true">tag:x,2020:1</guid><link>javascript:alert(1)</link></item></channel></rss>`;
    expect(parseFeed(Buffer.from(rss), null, FEED_URL).entries[0]?.link).toBeNull();
  });
});

describe('parseFeed: not a feed', () => {
  it.each([
    ['an HTML page', '<!DOCTYPE html>\n<html><head><title>Blocked</title></head><body>nope</body></html>', 'text/html; charset=utf-8', '<html>'],
    ['JSON', '{"error":"not found"}', 'application/json', 'application/json without XML'],
    ['an empty body', '', null, 'a body without XML'],
    ['another XML document', '<?xml version="1.0"?><opml version="2.0"><body/></opml>', 'text/xml', '<opml>'],
  ])('rejects %s', (_label, body, contentType, found) => {
    let error: unknown;
    try {
      parseFeed(Buffer.from(body), contentType, FEED_URL);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NotAFeedError);
    expect((error as NotAFeedError).found).toBe(found);
  });
});

describe('parseFeed: hostile documents', () => {
  it('billion laughs: DTD entities are never expanded', () => {
    const lols = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('\n');
    const xml = `<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol0 "lol">
  ${lols}
]>
<rss version="2.0"><channel><title>&lol9;</title><item><guid>1</guid><title>a &lol9; b</title><description>&lol5;</description></item></channel></rss>`;
    const feed = parseFeed(Buffer.from(xml), 'application/rss+xml', FEED_URL);
    expect(feed.title).toBe('&lol9;');
    expect(feed.entries[0]).toMatchObject({ id: '1', title: 'a &lol9; b', text: '&lol5;' });
  });

  it('XXE: external entities are neither read nor fetched', () => {
    const xml = `<?xml version="1.0"?>
<!DOCTYPE feed [
  <!ENTITY passwd SYSTEM "file:///etc/passwd">
  <!ENTITY remote SYSTEM "http://127.0.0.1:1/evil.dtd">
  <!ENTITY % param SYSTEM "http://127.0.0.1:1/param.dtd"> %param;
]>
<feed xmlns="http://www.w3.org/2005/Atom"><title>&passwd;</title><entry><id>x</id><title>&remote;</title></entry></feed>`;
    const feed = parseFeed(Buffer.from(xml), null, FEED_URL);
    expect(feed.title).toBe('&passwd;');
    expect(feed.entries[0]?.title).toBe('&remote;');
    expect(JSON.stringify(feed)).not.toContain('root:');
  });

  it('a multi-megabyte feed of pathological markup parses in linear time', () => {
    const nasty = '<'.repeat(200_000) + '&lt;'.repeat(100_000) + '<script>'.repeat(20_000) + '<!--'.repeat(20_000);
    const items = Array.from({ length: 200 }, (_, i) => `<item><guid>${i}</guid><title>t${i}</title><description>d</description></item>`).join('');
    const xml = `<rss><channel>${items}<item><guid>n</guid><description>${nasty}</description><title><![CDATA[${nasty}]]></title></item>${'<a '.repeat(100_000)}`;
    const feed = parseFeed(Buffer.from(xml), null, FEED_URL);
    expect(feed.entries).toHaveLength(201);
    expect(feed.complete).toBe(false);
  });

  it('deep nesting is flattened, not a stack overflow', () => {
    const xml = `<rss><channel><item><guid>1</guid><description>${'<div>'.repeat(50_000)}deep${'</div>'.repeat(50_000)}</description></item></channel></rss>`;
    expect(parseFeed(Buffer.from(xml), null, FEED_URL).entries[0]?.text).toBe('deep');
  });
});
