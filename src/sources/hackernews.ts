/**
 * Hacker News via the Algolia HN Search API (https://hn.algolia.com/api).
 *
 * - Search: `GET /search_by_date?query="<kw>"&tags=(story,comment)&numericFilters=created_at_i>=T`, one query
 *   per keyword (Algolia has no OR operator), newest first. Each API page's new hits are yielded as one page as
 *   soon as it is parsed (poll stores it while the next page loads); an objectID already read this run (another
 *   keyword) or in the cursor's `seen` is skipped. The next page (or the next keyword's first) is requested before
 *   the current one is normalised.
 * - Cursor: JSON `{"v":1,"t":<newest created_at_i seen>,"seen":[objectIDs created in the last 15 minutes before t]}`.
 *   The next poll re-queries from `t - 15 min` (indexing lags the site) and skips the `seen` ids. It is computed
 *   from every hit of the run and yielded last, on a page of its own: a run that stops half-way is repeated.
 * - Reach: the author's karma from `GET /users/:username`, at most 20 lookups per run, cached for a day in ctx.kv.
 *   A page's lookups start when it is yielded and fill it in as its `pending` work, so they never hold up the
 *   next search; one looker per run shares lookups and the cap between pages.
 * - Replies: `GET /items/:story_id` returns the whole comment tree; the brand replied when one of
 *   `brand.accounts.hackernews` (exact username) wrote a descendant of the mention.
 *
 * Both the pre-2023 hit shape (explicit nulls, `title` on comments) and the current one (no `title` on
 * comments, `children` ids and `updated_at` on hits) are read.
 */
import type { BrandConfig, HackerNewsSourceConfig } from '../config/types.js';
import { SourceError } from '../errors.js';
import type { HttpRequest } from '../http/types.js';
import { joinUrl } from '../http/url.js';
import { decodeEntities, htmlToText } from '../text/html.js';
import type { FetchedMention } from '../types.js';
import { collectKeywords, quotePhrase, requireKeywords } from './keywords.js';
import { withPendingReach } from './mention-pages.js';
import { nextOverlapCursor, readOverlapWindow } from './overlap-cursor.js';
import { prefixError } from './prefix-error.js';
import { createReachLooker, type ReachLooker } from './reach-cache.js';
import { checkEachThread, unanswered } from './thread-checks.js';
import type { FetchWindow, MentionPage, Source, SourceContext, ThreadCheck, ThreadResult } from './types.js';

/** Default API root. */
export const HACKERNEWS_BASE_URL = 'https://hn.algolia.com/api/v1';
/** Re-query this far behind the newest item seen: Algolia indexes with a delay. */
export const HACKERNEWS_OVERLAP_SECONDS = 15 * 60;
const HITS_PER_PAGE = 100;
/** Search requests per keyword per run. */
const MAX_PAGES_PER_KEYWORD = 10;

/** One search hit (https://hn.algolia.com/api, "Search"); legacy fields are nullable, current ones optional. */
export interface HackerNewsHit {
  objectID: string;
  created_at?: string | null;
  created_at_i?: number | null;
  author?: string | null;
  title?: string | null;
  url?: string | null;
  story_text?: string | null;
  comment_text?: string | null;
  points?: number | null;
  num_comments?: number | null;
  story_id?: number | null;
  story_title?: string | null;
  story_url?: string | null;
  parent_id?: number | null;
  children?: number[];
  updated_at?: string;
  _tags?: string[];
  _highlightResult?: unknown;
  [key: string]: unknown;
}

interface HackerNewsSearchResponse {
  hits: HackerNewsHit[];
  nbHits?: number;
  page?: number;
  nbPages?: number;
  hitsPerPage?: number;
}

/** One search page as the run reads it: keyword index, page number and the response. */
interface SearchRound {
  k: number;
  page: number;
  body: HackerNewsSearchResponse;
}

/** One node of `GET /items/:id` (https://hn.algolia.com/api, "Items"). */
export interface HackerNewsItem {
  id: number | string;
  author?: string | null;
  created_at_i?: number | null;
  created_at?: string | null;
  type?: string;
  children?: HackerNewsItem[];
}

export function createHackerNewsSource(config: HackerNewsSourceConfig, brand: BrandConfig): Source {
  const name = config.name;
  const base = config.baseUrl ?? HACKERNEWS_BASE_URL;
  const keywords = collectKeywords(brand.keywords, config.keywords);
  const accounts = brand.accounts.hackernews ?? [];

  const getJson = async <T>(ctx: SourceContext, req: HttpRequest): Promise<T> => {
    try {
      const res = await ctx.http.request(req);
      return res.json<T>();
    } catch (error) {
      throw prefixError(name, error);
    }
  };

  const search = (ctx: SourceContext, keyword: string, fromSeconds: number, page: number, hitsPerPage: number) =>
    getJson<unknown>(ctx, {
      url: joinUrl(base, '/search_by_date', {
        query: quotePhrase(keyword),
        tags: '(story,comment)',
        numericFilters: fromSeconds > 0 ? `created_at_i>=${fromSeconds}` : undefined,
        hitsPerPage,
        page,
      }),
    }).then((body) => readSearchResponse(name, body));

  return {
    type: 'hackernews',
    name,

    async *fetchMentions(window: FetchWindow, ctx: SourceContext): AsyncIterable<MentionPage> {
      requireKeywords(name, keywords);
      const { cursor, sinceSeconds, from, seen } = readOverlapWindow(name, window, 'Hacker News', HACKERNEWS_OVERLAP_SECONDS);

      const karma = karmaLooker(ctx);
      /** Page `page` of keyword `k`, requested now: awaited (and so thrown) at the top of the round that reads it. */
      const request = (k: number, page: number): Promise<SearchRound> => {
        const round = search(ctx, keywords[k] as string, from, page, HITS_PER_PAGE).then((body) => ({ k, page, body }));
        round.catch(() => {}); // never an unhandled rejection
        return round;
      };

      // Creation time (s) of every hit this run, by objectID: the cursor's input, and the run's de-duplication.
      const found = new Map<string, number>();
      // Each keyword's pages, the keywords one after another; each round asks for the next page before it normalises.
      let requested: Promise<SearchRound> | undefined = request(0, 0);
      while (requested) {
        const { k, page, body } = await requested;
        requested = undefined;
        const lastPage = body.hits.length < HITS_PER_PAGE || (body.nbPages !== undefined && page + 1 >= body.nbPages);
        if (!lastPage && page + 1 < MAX_PAGES_PER_KEYWORD) {
          requested = request(k, page + 1);
        } else {
          if (!lastPage) {
            ctx.log.warn(`${name}: more than ${MAX_PAGES_PER_KEYWORD * HITS_PER_PAGE} results for "${keywords[k]}" in one run; older ones were skipped`);
          }
          if (k + 1 < keywords.length) requested = request(k + 1, 0);
        }
        // Normalising takes a while: in a poll, only once the other sources' next requests are out.
        await ctx.pace?.();
        const fresh: HackerNewsHit[] = [];
        for (const hit of body.hits) {
          if (found.has(hit.objectID)) continue;
          found.set(hit.objectID, createdSeconds(hit));
          if (!seen.has(hit.objectID)) fresh.push(hit);
        }
        if (fresh.length > 0) {
          // Newest first within the page; reach 0 until the page's lookups settle, while the next page loads.
          const mentions = fresh.sort((a, b) => createdSeconds(b) - createdSeconds(a)).map((hit) => normalizeHackerNewsHit(hit, accounts));
          yield withPendingReach(mentions, karma.lookUp(mentions.map(karmaKeyOf)), karmaKeyOf);
        }
      }

      // This run queried from before every previously seen id, so `found` holds all ids the next overlap can return.
      const items = [...found].map(([id, seconds]) => ({ id, seconds })).sort((a, b) => b.seconds - a.seconds);
      const next = nextOverlapCursor(cursor, sinceSeconds, items, HACKERNEWS_OVERLAP_SECONDS);
      // Last and on its own: the pages before it are stored first, so a crash before this one repeats the run.
      yield { mentions: [], cursor: JSON.stringify(next) };
    },

    async checkThreads(checks: ThreadCheck[], ctx: SourceContext): Promise<ThreadResult[]> {
      const trees = new Map<string, Promise<HackerNewsItem>>();
      return checkEachThread(ctx, name, checks, (check) => `the thread of item ${check.platformId}`, async (check) => {
        const storyId = check.threadRef ?? check.platformId;
        let tree = trees.get(storyId);
        if (!tree) {
          tree = getJson<unknown>(ctx, { url: joinUrl(base, `/items/${encodeURIComponent(storyId)}`) }).then((body) => readItem(name, body));
          trees.set(storyId, tree);
        }
        return findBrandReply(await tree, check, accounts);
      });
    },

    async check(ctx: SourceContext): Promise<string> {
      requireKeywords(name, keywords);
      const keyword = keywords[0] as string;
      const body = await search(ctx, keyword, 0, 0, 1);
      return `ok: ${body.nbHits ?? body.hits.length} results for "${keyword}"`;
    },
  };

  /** One run's karma lookups: the day-long kv cache, then at most MAX_REACH_LOOKUPS requests per run. */
  function karmaLooker(ctx: SourceContext): ReachLooker {
    return createReachLooker(ctx, {
      name,
      keyPrefix: 'karma',
      describe: (author) => `karma of ${author}`,
      fetchReach: async (author) => {
        const user = await getJson<{ karma?: unknown }>(ctx, { url: joinUrl(base, `/users/${encodeURIComponent(author)}`) });
        return typeof user?.karma === 'number' ? user.karma : 0;
      },
    });
  }
}

/** The author whose karma a mention gets (HN usernames are exact, so the handle as it is). */
function karmaKeyOf(mention: FetchedMention): string | null {
  return mention.author.handle;
}

/**
 * One search hit → a mention. Pure. Stories keep their title and `story_text`; comments get `title: null`
 * (the story's title is not the comment's words) and their `comment_text`.
 */
export function normalizeHackerNewsHit(hit: HackerNewsHit, accounts: readonly string[], reach = 0): FetchedMention {
  const comment = isComment(hit);
  const author = hit.author ?? null;
  const text = htmlToText((comment ? hit.comment_text : hit.story_text) ?? '');
  const storyId = comment ? hit.story_id : (hit.story_id ?? hit.objectID);
  return {
    platformId: String(hit.objectID),
    url: `https://news.ycombinator.com/item?id=${hit.objectID}`,
    author: {
      handle: author,
      name: author,
      url: author ? `https://news.ycombinator.com/user?id=${encodeURIComponent(author)}` : null,
      reach,
    },
    title: comment ? null : hit.title ? decodeEntities(hit.title) : null,
    text,
    createdAt: createdSeconds(hit) * 1000,
    own: author !== null && accounts.includes(author),
    addressesBrand: accounts.some((account) => account !== author && mentionsHandle(text, account)),
    threadRef: storyId === null || storyId === undefined ? null : String(storyId),
    raw: withoutHighlights(hit),
  };
}

/** Walks the story tree to the mention, then its descendants for the brand's first reply. Pure. */
export function findBrandReply(tree: HackerNewsItem, check: ThreadCheck, accounts: readonly string[]): ThreadResult {
  const mention = findItem(tree, check.platformId);
  const none = unanswered(check.platformId);
  if (!mention) return none;
  const below = descendants(mention);
  const brandTimes = below.filter((item) => item.author && accounts.includes(item.author)).map(itemTime);
  if (brandTimes.length === 0) return none;
  const lastBrand = Math.max(...brandTimes);
  const reopened =
    check.authorHandle !== null && below.some((item) => item.author === check.authorHandle && itemTime(item) > lastBrand);
  return { platformId: check.platformId, answeredAt: Math.min(...brandTimes), reopened };
}

function findItem(node: HackerNewsItem, id: string): HackerNewsItem | undefined {
  const stack = [node];
  while (stack.length > 0) {
    const item = stack.pop() as HackerNewsItem;
    if (String(item.id) === id) return item;
    for (const child of item.children ?? []) stack.push(child);
  }
  return undefined;
}

function descendants(node: HackerNewsItem): HackerNewsItem[] {
  const out: HackerNewsItem[] = [];
  const stack = [...(node.children ?? [])];
  while (stack.length > 0) {
    const item = stack.pop() as HackerNewsItem;
    out.push(item);
    for (const child of item.children ?? []) stack.push(child);
  }
  return out;
}

function itemTime(item: HackerNewsItem): number {
  if (typeof item.created_at_i === 'number') return item.created_at_i * 1000;
  const parsed = item.created_at ? Date.parse(item.created_at) : NaN;
  return Number.isFinite(parsed) ? parsed : 0;
}

function isComment(hit: HackerNewsHit): boolean {
  if (Array.isArray(hit._tags)) return hit._tags.includes('comment');
  return typeof hit.comment_text === 'string';
}

function createdSeconds(hit: HackerNewsHit): number {
  if (typeof hit.created_at_i === 'number') return hit.created_at_i;
  const parsed = hit.created_at ? Date.parse(hit.created_at) : NaN;
  return Number.isFinite(parsed) ? Math.floor(parsed / 1000) : 0;
}

function withoutHighlights(hit: HackerNewsHit): Record<string, unknown> {
  const { _highlightResult: _ignored, ...rest } = hit;
  return rest;
}

/** `@name` as a whole handle (HN usernames: letters, digits, `-`, `_`; case-sensitive). */
function mentionsHandle(text: string, account: string): boolean {
  const escaped = account.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_@-])@${escaped}(?![A-Za-z0-9_-])`).test(text);
}

function readSearchResponse(name: string, body: unknown): HackerNewsSearchResponse {
  const hits = (body as { hits?: unknown } | null)?.hits;
  if (!Array.isArray(hits) || hits.some((hit) => typeof hit !== 'object' || hit === null || !('objectID' in hit))) {
    throw new SourceError(`${name}: unexpected search response (no "hits" list). Check baseUrl points at the HN Search API`);
  }
  const b = body as HackerNewsSearchResponse;
  return {
    hits: hits.map((hit: HackerNewsHit) => ({ ...hit, objectID: String(hit.objectID) })),
    nbHits: typeof b.nbHits === 'number' ? b.nbHits : undefined,
    page: typeof b.page === 'number' ? b.page : undefined,
    nbPages: typeof b.nbPages === 'number' ? b.nbPages : undefined,
  };
}

function readItem(name: string, body: unknown): HackerNewsItem {
  if (typeof body !== 'object' || body === null || !('id' in body)) {
    throw new SourceError(`${name}: unexpected item response (no "id"). Check baseUrl points at the HN Search API`);
  }
  return body as HackerNewsItem;
}
