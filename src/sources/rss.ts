/**
 * RSS / Atom feeds: Google Alerts, Talkwalker Alerts, forum and blog-search feeds (SOURCES.md §8).
 *
 * - One GET of the feed per poll, conditional on the stored ETag / Last-Modified; a 304 yields one empty
 *   page and keeps the cursor.
 * - Parsing (encodings, broken XML, dates, relative and redirect links) lives in src/feed/.
 * - Cursor: JSON `{"v":1,"etag"?:…,"lastModified"?:…,"seen":[entry ids, newest feed order first]}`, bounded to
 *   MAX_SEEN_IDS (or the feed's size if larger). Feeds re-serve old entries (Discourse orders by activity,
 *   many servers ignore conditional GET), so an entry id already in `seen` is never yielded again.
 * - First poll (no cursor): entries dated before `window.since` are skipped; undated ones are kept.
 * - Every entry is a mention: feeds are queries already (an alert, a search feed). No author handles, no
 *   reach, no reply detection.
 */
import type { BrandConfig, RssSourceConfig } from '../config/types.js';
import { SourceError } from '../errors.js';
import { NotAFeedError, parseFeed, type FeedEntry, type ParsedFeed } from '../feed/parse-feed.js';
import type { HttpResponse } from '../http/types.js';
import { joinUrl } from '../http/url.js';
import type { FetchedMention } from '../types.js';
import { prefixError } from './prefix-error.js';
import type { FetchWindow, MentionPage, Source, SourceContext } from './types.js';

/** Entry ids remembered between polls (more when the feed itself is longer). */
export const RSS_MAX_SEEN_IDS = 500;

export interface RssCursor {
  v: 1;
  etag?: string;
  lastModified?: string;
  seen: string[];
}

/**
 * @param config `url` is the feed's public URL; it is also the base for relative links in the feed.
 *   `baseUrl`, when set, replaces the scheme, host and path prefix of `url`: the request goes to
 *   `joinUrl(baseUrl, <url's pathname>)` plus `url`'s query string, so
 *   `{ url: 'https://forum.example/latest.rss?order=created', baseUrl: 'http://127.0.0.1:9/proxy' }` fetches
 *   `http://127.0.0.1:9/proxy/latest.rss?order=created`. Tests use it to reach the replay server.
 * @param _brand unused: a feed is already a query, so every entry is a mention.
 */
export function createRssSource(config: RssSourceConfig, _brand: BrandConfig): Source {
  const name = config.name;

  /** The feed's address: `url`, or the value of `urlEnv` (a secret: never put in a message). */
  const feedUrl = (ctx: SourceContext): string => {
    const url = config.url ?? (config.urlEnv ? ctx.env[config.urlEnv] : undefined);
    if (url) return url;
    throw new SourceError(`${name}: ${config.urlEnv ?? 'urlEnv'} is not set. Set it to the feed's full https:// address in the environment or .env`);
  };

  const get = async (ctx: SourceContext, headers: Record<string, string>): Promise<HttpResponse> => {
    let url: string;
    const feed = feedUrl(ctx);
    try {
      url = rssRequestUrl({ url: feed, baseUrl: config.baseUrl });
    } catch (error) {
      const what = config.url !== undefined ? `url ${JSON.stringify(config.url)} is not` : `${config.urlEnv} does not hold`;
      const message = `${name}: ${what} a valid feed URL. Set it to the feed's full https:// address`;
      throw new SourceError(message, undefined, { cause: error });
    }
    try {
      return await ctx.http.request({ url, headers, accept: [304] });
    } catch (error) {
      throw prefixError(name, error);
    }
  };

  const read = (ctx: SourceContext, res: HttpResponse): ParsedFeed => {
    const contentType = res.headers['content-type'] ?? null;
    try {
      return parseFeed(res.body, contentType, feedUrl(ctx));
    } catch (error) {
      if (error instanceof NotAFeedError) {
        const hint = "Check the source's url: it must be the feed itself, not the page that links to it";
        throw new SourceError(`${name}: ${res.url} is not an RSS/Atom feed (got ${error.found})`, hint, { cause: error });
      }
      throw prefixError(name, error);
    }
  };

  return {
    type: 'rss',
    name,

    async *fetchMentions(window: FetchWindow, ctx: SourceContext): AsyncIterable<MentionPage> {
      const cursor = parseRssCursor(name, window.cursor);
      const headers: Record<string, string> = {};
      if (cursor?.etag) headers['if-none-match'] = cursor.etag;
      if (cursor?.lastModified) headers['if-modified-since'] = cursor.lastModified;

      const res = await get(ctx, headers);
      if (res.status === 304) {
        ctx.log.debug(`${name}: not modified`);
        const page: MentionPage = { mentions: [] };
        if (window.cursor !== null) page.cursor = window.cursor;
        yield page;
        return;
      }

      // Parsing a large feed takes a while: in a poll, only once the other sources' next requests are out.
      await ctx.pace?.();
      const feed = read(ctx, res);
      // Common and harmless (a feed without its closing tag), so not a warning on every cron run.
      if (!feed.complete) ctx.log.debug(`${name}: the feed ended early (truncated or unclosed); read ${feed.entries.length} entries`);
      const seen = new Set(cursor?.seen ?? []);
      const since = window.since.getTime();
      const now = ctx.now().getTime();
      const fresh = new Map<string, FeedEntry>();
      for (const entry of feed.entries) {
        if (seen.has(entry.id) || fresh.has(entry.id)) continue;
        const date = entry.published ?? entry.updated;
        if (cursor === null && date !== null && date < since) continue;
        fresh.set(entry.id, entry);
      }
      const mentions = [...fresh.values()]
        .map((entry) => normalizeFeedEntry(entry, now))
        .sort((a, b) => b.createdAt - a.createdAt);
      ctx.log.debug(`${name}: ${feed.entries.length} entries, ${mentions.length} new`);
      yield { mentions, cursor: JSON.stringify(nextRssCursor(cursor, feed, res)) };
    },

    async check(ctx: SourceContext): Promise<string> {
      const feed = read(ctx, await get(ctx, {}));
      const count = feed.entries.length;
      return `ok: ${feed.title ?? '(untitled feed)'}, ${count} ${count === 1 ? 'entry' : 'entries'}`;
    },
  };
}

/** The URL actually requested: the feed's `url`, or its path and query under `baseUrl`. */
export function rssRequestUrl(config: { url: string; baseUrl?: string | undefined }): string {
  if (config.baseUrl === undefined) return config.url;
  const feed = new URL(config.url);
  const target = new URL(joinUrl(config.baseUrl, feed.pathname === '/' ? '' : feed.pathname));
  target.search = feed.search;
  return target.href;
}

/** A feed entry as a mention; undated entries get `firstSeen` (the poll's clock). */
export function normalizeFeedEntry(entry: FeedEntry, firstSeen: number): FetchedMention {
  return {
    platformId: entry.id,
    url: entry.link,
    author: { handle: null, name: entry.author, url: null, reach: 0 },
    title: entry.title,
    text: entry.text,
    createdAt: entry.published ?? entry.updated ?? firstSeen,
    own: false,
    addressesBrand: false,
    threadRef: null,
    raw: entry,
  };
}

function nextRssCursor(previous: RssCursor | null, feed: ParsedFeed, res: HttpResponse): RssCursor {
  const current = feed.entries.map((entry) => entry.id);
  const seen = [...new Set([...current, ...(previous?.seen ?? [])])];
  const next: RssCursor = { v: 1, seen: seen.slice(0, Math.max(RSS_MAX_SEEN_IDS, current.length)) };
  const etag = res.headers.etag;
  const lastModified = res.headers['last-modified'];
  if (etag) next.etag = etag;
  if (lastModified) next.lastModified = lastModified;
  return next;
}

function parseRssCursor(name: string, cursor: string | null): RssCursor | null {
  if (cursor === null) return null;
  try {
    const parsed = JSON.parse(cursor) as Partial<RssCursor> | null;
    if (parsed && parsed.v === 1 && Array.isArray(parsed.seen)) {
      const result: RssCursor = { v: 1, seen: parsed.seen.map(String) };
      if (typeof parsed.etag === 'string') result.etag = parsed.etag;
      if (typeof parsed.lastModified === 'string') result.lastModified = parsed.lastModified;
      return result;
    }
  } catch {
    // fall through
  }
  throw new SourceError(
    `${name}: stored cursor ${JSON.stringify(cursor.slice(0, 80))} is not an RSS cursor. Reset this source's cursor to re-read the lookback window`,
  );
}
