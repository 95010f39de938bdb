/**
 * X (Twitter) API v2 recent search (the last 7 days) with an app-only Bearer token; reach from the
 * expanded authors' public_metrics (on the page itself: nothing to look up); replies by searching the
 * mentions' conversations for the brand. Each search page's new posts are yielded as soon as it is parsed;
 * the next page is requested before the current one is normalised. The cursor
 * (`{"v":1,"sinceId":<newest id of the run>}`) comes alone on a last page, so a crash before it repeats the run.
 * API: https://docs.x.com/x-api/posts/search-recent-posts
 */
import type { BrandConfig, XSourceConfig } from '../config/types.js';
import { HttpError } from '../http/errors.js';
import type { HttpResponse } from '../http/types.js';
import { joinUrl, type QueryValue } from '../http/url.js';
import { decodeEntities } from '../text/html.js';
import type { FetchedMention } from '../types.js';
import { createFail } from './prefix-error.js';
import { skipWithoutBrandAccounts, unanswered } from './thread-checks.js';
import type { FetchWindow, MentionPage, Source, SourceContext, ThreadCheck, ThreadResult } from './types.js';

/** The API root used when the config has no baseUrl; paths are /2/... */
export const X_BASE_URL = 'https://api.x.com';

/** Recent search rejects longer queries. */
export const X_MAX_QUERY_LENGTH = 512;
const SEARCH_PATH = '/2/tweets/search/recent';
const MAX_RESULTS = 100;
/** Search pages per query per run. */
const MAX_PAGES_PER_QUERY = 10;
/** Search pages per reply-check batch. */
const MAX_THREAD_PAGES = 3;
/** Recent search covers 7 days; stay a minute inside so a slow request is not refused. */
const WINDOW_MS = 7 * 24 * 60 * 60 * 1000 - 60_000;
/** Twitter's snowflake epoch (ms). */
const SNOWFLAKE_EPOCH = 1288834974657n;
const MAX_EXCLUSIONS_CHARS = 150;

const TWEET_FIELDS = 'created_at,conversation_id,in_reply_to_user_id,referenced_tweets,public_metrics,author_id,entities,lang,note_tweet';
const USER_FIELDS = 'username,name,public_metrics';

/** https://docs.x.com/x-api/fundamentals/data-dictionary#user (the fields we read). */
export interface XUser {
  id: string;
  username: string;
  name?: string;
  public_metrics?: { followers_count?: number };
}

/** https://docs.x.com/x-api/fundamentals/data-dictionary#tweet (the fields we read). */
export interface XTweet {
  id: string;
  text: string;
  author_id?: string;
  created_at?: string;
  conversation_id?: string;
  in_reply_to_user_id?: string;
  referenced_tweets?: { type: string; id: string }[];
  entities?: { mentions?: { username: string; id?: string }[] };
  note_tweet?: { text?: string };
}

export interface XSearchResponse {
  data?: XTweet[];
  includes?: { users?: XUser[]; tweets?: XTweet[] };
  meta?: { newest_id?: string; oldest_id?: string; result_count?: number; next_token?: string };
  errors?: { title?: string; detail?: string }[];
}

export interface XNormalizeOptions {
  /** includes.users by id (authors and replied-to users). */
  users: ReadonlyMap<string, XUser>;
  /** The brand's X usernames (with or without @, any case). */
  brandAccounts: readonly string[];
}

function normalizeUsername(name: string): string {
  return name.trim().replace(/^@/, '').toLowerCase();
}

/** Snowflake ids as strings: longer is newer, then lexicographic. Never Number() them. */
export function compareXIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** When a snowflake id was minted (epoch ms), or NaN for a non-snowflake. */
export function xIdTime(id: string): number {
  if (!/^\d{1,20}$/.test(id)) return Number.NaN;
  return Number((BigInt(id) >> 22n) + SNOWFLAKE_EPOCH);
}

/** One tweet (with the expanded users) → a FetchedMention. Pure. */
export function normalizeXTweet(tweet: XTweet, options: XNormalizeOptions): FetchedMention {
  const brand = new Set(options.brandAccounts.map(normalizeUsername));
  const author = tweet.author_id !== undefined ? options.users.get(tweet.author_id) : undefined;
  const repliedTo = tweet.in_reply_to_user_id !== undefined ? options.users.get(tweet.in_reply_to_user_id) : undefined;
  const mentionsBrand = (tweet.entities?.mentions ?? []).some((m) => brand.has(normalizeUsername(m.username)));
  const username = author?.username;
  const followers = author?.public_metrics?.followers_count;
  return {
    platformId: tweet.id,
    url: username ? `https://x.com/${username}/status/${tweet.id}` : `https://x.com/i/web/status/${tweet.id}`,
    author: {
      handle: username ?? null,
      name: author?.name?.trim() || null,
      url: username ? `https://x.com/${username}` : null,
      reach: typeof followers === 'number' && followers > 0 ? followers : 0,
    },
    title: null,
    text: decodeEntities(tweet.note_tweet?.text ?? tweet.text ?? '').trim(),
    createdAt: tweet.created_at ? Date.parse(tweet.created_at) : xIdTime(tweet.id),
    own: username !== undefined && brand.has(normalizeUsername(username)),
    addressesBrand: mentionsBrand || (repliedTo !== undefined && brand.has(normalizeUsername(repliedTo.username))),
    threadRef: tweet.conversation_id ?? tweet.id,
    raw: author ? { tweet, author } : { tweet },
  };
}

/** `"phrase"` for the query: X has no escape for a double quote inside a phrase, so those are dropped. */
function quote(term: string): string {
  return `"${term.replace(/"/g, '').trim()}"`;
}

/**
 * The search queries: OR-groups of quoted keywords and @brand accounts, without retweets, each at most
 * 512 characters; exclusions are appended while they fit a small budget.
 */
export function buildXQueries(keywords: readonly string[], brandAccounts: readonly string[], exclude: readonly string[] = []): string[] {
  const terms = [
    ...keywords.map((k) => k.trim()).filter((k) => k.replace(/"/g, '').trim() !== '').map(quote),
    ...brandAccounts.map(normalizeUsername).filter((a) => /^\w{1,15}$/.test(a)).map((a) => `@${a}`),
  ];
  const unique = [...new Set(terms)];
  let suffix = ' -is:retweet';
  for (const ex of exclude) {
    const term = ` -${quote(ex)}`;
    if (ex.replace(/"/g, '').trim() === '' || suffix.length + term.length > MAX_EXCLUSIONS_CHARS) continue;
    suffix += term;
  }
  const budget = X_MAX_QUERY_LENGTH - suffix.length;
  const queries: string[] = [];
  let group: string[] = [];
  const render = (g: string[]): string => (g.length === 1 ? g[0]! : `(${g.join(' OR ')})`);
  for (const term of unique) {
    if (term.length + 2 > budget) continue; // a single keyword longer than a query: cannot be searched
    if (group.length > 0 && render([...group, term]).length > budget) {
      queries.push(render(group) + suffix);
      group = [];
    }
    group.push(term);
  }
  if (group.length > 0) queries.push(render(group) + suffix);
  return queries;
}

/** X's `start_time` format: RFC 3339 without milliseconds. */
function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

interface XCursor {
  v: 1;
  sinceId: string | null;
}

function parseCursor(cursor: string | null): XCursor {
  if (cursor === null) return { v: 1, sinceId: null };
  try {
    const parsed = JSON.parse(cursor) as Partial<XCursor>;
    return { v: 1, sinceId: typeof parsed?.sinceId === 'string' && /^\d+$/.test(parsed.sinceId) ? parsed.sinceId : null };
  } catch {
    return { v: 1, sinceId: null };
  }
}

function usersById(body: XSearchResponse): Map<string, XUser> {
  const users = new Map<string, XUser>();
  for (const user of body.includes?.users ?? []) {
    if (user && typeof user.id === 'string' && typeof user.username === 'string') users.set(user.id, user);
  }
  return users;
}

function isTweet(value: unknown): value is XTweet {
  const t = value as XTweet | null;
  return typeof t === 'object' && t !== null && typeof t.id === 'string' && typeof t.text === 'string';
}

function repliedToId(tweet: XTweet): string | undefined {
  return tweet.referenced_tweets?.find((r) => r.type === 'replied_to')?.id;
}

/** Thread posts found for a batch of mentions: tweets (results and expanded parents) and their authors. */
export interface XThreadData {
  tweets: readonly XTweet[];
  users: ReadonlyMap<string, XUser>;
}

/**
 * The brand's first reply below this mention and whether the mention's author wrote again below it after
 * the brand's last reply. A tweet is below the mention when its replied_to chain reaches the mention's id
 * (every tweet of the conversation, when the mention starts it). Pure.
 */
export function findBrandReply(mention: Pick<ThreadCheck, 'platformId' | 'threadRef' | 'authorHandle'>, data: XThreadData, brandAccounts: readonly string[]): ThreadResult {
  const brand = new Set(brandAccounts.map(normalizeUsername));
  const conversation = mention.threadRef ?? mention.platformId;
  const isRoot = conversation === mention.platformId;
  const byId = new Map<string, XTweet>();
  for (const tweet of data.tweets) byId.set(tweet.id, tweet);
  const isBelow = (tweet: XTweet): boolean => {
    if (tweet.id === mention.platformId) return false;
    if (isRoot) return tweet.conversation_id === conversation;
    let parent = repliedToId(tweet);
    for (let hops = 0; parent !== undefined && hops < 200; hops++) {
      if (parent === mention.platformId) return true;
      parent = byId.get(parent) ? repliedToId(byId.get(parent)!) : undefined;
    }
    return false;
  };
  const username = (tweet: XTweet): string | undefined => {
    const user = tweet.author_id !== undefined ? data.users.get(tweet.author_id) : undefined;
    return user ? normalizeUsername(user.username) : undefined;
  };
  const below = [...byId.values()].filter(isBelow);
  let first: number | null = null;
  let last: number | null = null;
  for (const tweet of below) {
    const who = username(tweet);
    if (who === undefined || !brand.has(who)) continue;
    const at = tweet.created_at ? Date.parse(tweet.created_at) : xIdTime(tweet.id);
    if (Number.isNaN(at)) continue;
    if (first === null || at < first) first = at;
    if (last === null || at > last) last = at;
  }
  const customer = mention.authorHandle ? normalizeUsername(mention.authorHandle) : null;
  const reopened =
    last !== null &&
    customer !== null &&
    !brand.has(customer) &&
    below.some((t) => username(t) === customer && (t.created_at ? Date.parse(t.created_at) : xIdTime(t.id)) > last!);
  return { platformId: mention.platformId, answeredAt: first, reopened };
}

/**
 * Reply-check queries: `(conversation_id:A OR conversation_id:B) (from:brand OR from:customer ...)`,
 * as many conversations per query as 512 characters allow. Returns the mentions each query covers.
 */
export function buildXThreadQueries(mentions: readonly ThreadCheck[], brandAccounts: readonly string[]): { query: string; mentions: ThreadCheck[] }[] {
  const brand = [...new Set(brandAccounts.map(normalizeUsername).filter((a) => /^\w{1,15}$/.test(a)))];
  const render = (batch: ThreadCheck[]): string => {
    const conversations = [...new Set(batch.map((m) => m.threadRef ?? m.platformId))].map((c) => `conversation_id:${c}`);
    const authors = [...new Set([...brand, ...batch.map((m) => (m.authorHandle ? normalizeUsername(m.authorHandle) : '')).filter((a) => /^\w{1,15}$/.test(a))])].map(
      (a) => `from:${a}`,
    );
    const group = (terms: string[]): string => (terms.length === 1 ? terms[0]! : `(${terms.join(' OR ')})`);
    return `${group(conversations)} ${group(authors)}`;
  };
  const batches: { query: string; mentions: ThreadCheck[] }[] = [];
  let batch: ThreadCheck[] = [];
  for (const mention of mentions) {
    if (batch.length > 0 && render([...batch, mention]).length > X_MAX_QUERY_LENGTH) {
      batches.push({ query: render(batch), mentions: batch });
      batch = [];
    }
    batch.push(mention);
  }
  if (batch.length > 0) batches.push({ query: render(batch), mentions: batch });
  return batches;
}

export function createXSource(config: XSourceConfig, brand: BrandConfig): Source {
  const name = config.name;
  const base = config.baseUrl ?? X_BASE_URL;
  const keywords = [...brand.keywords, ...(config.keywords ?? [])];
  const brandAccounts = (brand.accounts.x ?? []).map(normalizeUsername).filter((a) => a !== '');
  const queries = buildXQueries(keywords, brandAccounts, brand.exclude);

  const fail = createFail(name);

  const readToken = (ctx: SourceContext): string => {
    const token = ctx.env[config.bearerTokenEnv]?.trim();
    if (!token) throw fail(`${config.bearerTokenEnv} is not set. Add the app's Bearer token (developer console → Keys and tokens) to .env`);
    return token;
  };

  /** The problem X reports in an error body (`{title, detail}` or `{errors: [{message}]}`), if any. */
  const problemOf = (body: string | undefined): string => {
    if (!body) return '';
    try {
      const parsed = JSON.parse(body) as { title?: string; detail?: string; errors?: { message?: string; detail?: string }[] };
      const text = parsed.detail ?? parsed.title ?? parsed.errors?.[0]?.message ?? parsed.errors?.[0]?.detail;
      return typeof text === 'string' && text !== '' ? ` (${text})` : '';
    } catch {
      return '';
    }
  };

  const get = async (ctx: SourceContext, path: string, query: Record<string, QueryValue>, what: string): Promise<HttpResponse> => {
    ctx.signal.throwIfAborted();
    const token = readToken(ctx);
    try {
      return await ctx.http.request({ url: joinUrl(base, path, query), headers: { authorization: `Bearer ${token}` } });
    } catch (error) {
      if (!(error instanceof HttpError) || error.status === undefined) throw error;
      const problem = problemOf(error.body);
      if (error.status === 401) throw fail(`401 Unauthorized from ${what}${problem}. Check ${config.bearerTokenEnv} in .env (the app's Bearer token)`, undefined, error);
      if (error.status === 402 || error.status === 403) {
        throw fail(`${error.status} from ${what}${problem}. The app needs X API access with credits for recent search (developer console)`, undefined, error);
      }
      if (error.status === 400) throw fail(`400 Bad Request from ${what}${problem}`, undefined, error);
      throw error;
    }
  };

  const readSearch = (res: HttpResponse, what: string): XSearchResponse => {
    const body = res.json<XSearchResponse>();
    if (!body || typeof body !== 'object' || Array.isArray(body) || (body.data !== undefined && !Array.isArray(body.data)) || (body.data === undefined && body.meta === undefined)) {
      throw fail(`unexpected response from ${what}: neither data[] nor meta`);
    }
    return body;
  };

  async function* fetchMentions(window: FetchWindow, ctx: SourceContext): AsyncGenerator<MentionPage> {
    readToken(ctx);
    if (queries.length === 0) throw fail('nothing to search for. Add brand.keywords, keywords to this source, or brand.accounts.x');
    const previous = parseCursor(window.cursor);
    const nowMs = ctx.now().getTime();
    const oldest = nowMs - WINDOW_MS;
    let sinceId = previous.sinceId;
    if (sinceId !== null && !(xIdTime(sinceId) > oldest)) {
      ctx.log.warn(`${name}: the last poll is older than the 7 days recent search covers; posts in between were missed`);
      sinceId = null;
    }
    const startTime = sinceId === null ? formatTime(Math.max(window.since.getTime(), oldest)) : undefined;
    // The newest id of the run, from every page (the cursor), and the ids yielded so far (the run's de-duplication).
    let newest = sinceId;
    const seen = new Set<string>();
    const search = (query: string, nextToken: string | undefined): Promise<HttpResponse> => {
      const request = get(
        ctx,
        SEARCH_PATH,
        {
          query,
          max_results: MAX_RESULTS,
          since_id: sinceId ?? undefined,
          start_time: startTime,
          next_token: nextToken,
          'tweet.fields': TWEET_FIELDS,
          expansions: 'author_id,in_reply_to_user_id',
          'user.fields': USER_FIELDS,
        },
        'recent search',
      );
      request.catch(() => {}); // awaited (and thrown) at the top of the next round; never an unhandled rejection
      return request;
    };
    // The queries one after the other, each page by page; `page` counts the current query's pages.
    let queryIndex = 0;
    let page = 0;
    let request: Promise<HttpResponse> | undefined = search(queries[0]!, undefined);
    while (request !== undefined) {
      const body = readSearch(await request, 'recent search');
      // The next page (or the next query's first) is asked for before this one is normalised.
      const nextToken = typeof body.meta?.next_token === 'string' && body.meta.next_token !== '' ? body.meta.next_token : undefined;
      if (nextToken !== undefined && page === MAX_PAGES_PER_QUERY - 1) {
        ctx.log.warn(`${name}: more posts match than one run reads (${MAX_PAGES_PER_QUERY * MAX_RESULTS}); older ones were skipped`);
      }
      if (nextToken !== undefined && page < MAX_PAGES_PER_QUERY - 1) {
        page++;
        request = search(queries[queryIndex]!, nextToken);
      } else if (queryIndex < queries.length - 1) {
        queryIndex++;
        page = 0;
        request = search(queries[queryIndex]!, undefined);
      } else {
        request = undefined;
      }
      // Normalising waits for this source's turn for CPU work.
      await ctx.pace?.();
      const users = usersById(body);
      const mentions: FetchedMention[] = [];
      for (const tweet of body.data ?? []) {
        if (!isTweet(tweet)) {
          ctx.log.warn(`${name}: skipped a malformed post in recent search`);
          continue;
        }
        if (newest === null || compareXIds(tweet.id, newest) > 0) newest = tweet.id;
        if (seen.has(tweet.id)) continue;
        seen.add(tweet.id);
        mentions.push(normalizeXTweet(tweet, { users, brandAccounts }));
      }
      const metaNewest = body.meta?.newest_id;
      if (typeof metaNewest === 'string' && /^\d+$/.test(metaNewest) && (newest === null || compareXIds(metaNewest, newest) > 0)) newest = metaNewest;
      // Reach (public_metrics) comes with the page: nothing to wait for.
      if (mentions.length > 0) yield { mentions };
    }
    // Last and on its own: the pages before it are stored first, so a crash before this one repeats the run.
    yield { mentions: [], cursor: JSON.stringify({ v: 1, sinceId: newest } satisfies XCursor) };
  }

  const searchThreads = async (ctx: SourceContext, query: string): Promise<XThreadData> => {
    const tweets: XTweet[] = [];
    const users = new Map<string, XUser>();
    let nextToken: string | undefined;
    for (let i = 0; i < MAX_THREAD_PAGES; i++) {
      const res = await get(
        ctx,
        SEARCH_PATH,
        {
          query,
          max_results: MAX_RESULTS,
          next_token: nextToken,
          'tweet.fields': 'created_at,conversation_id,author_id,in_reply_to_user_id,referenced_tweets',
          expansions: 'author_id,referenced_tweets.id',
          'user.fields': 'username',
        },
        'recent search (reply check)',
      );
      const body = readSearch(res, 'recent search (reply check)');
      for (const tweet of [...(body.data ?? []), ...(body.includes?.tweets ?? [])]) if (isTweet(tweet)) tweets.push(tweet);
      for (const [id, user] of usersById(body)) users.set(id, user);
      nextToken = typeof body.meta?.next_token === 'string' && body.meta.next_token !== '' ? body.meta.next_token : undefined;
      if (nextToken === undefined) break;
    }
    return { tweets, users };
  };

  return {
    type: 'x',
    name,
    fetchMentions,
    async checkThreads(mentions: ThreadCheck[], ctx: SourceContext): Promise<ThreadResult[]> {
      if (mentions.length === 0) return [];
      if (brandAccounts.length === 0) return skipWithoutBrandAccounts(ctx, name, 'x', mentions);
      const results = new Map<string, ThreadResult>();
      for (const batch of buildXThreadQueries(mentions, brandAccounts)) {
        try {
          const data = await searchThreads(ctx, batch.query);
          for (const mention of batch.mentions) results.set(mention.platformId, findBrandReply(mention, data, brandAccounts));
        } catch (error) {
          if ((error as { name?: string }).name === 'InterruptedError') throw error;
          ctx.log.warn(`${name}: could not check replies to ${batch.mentions.map((m) => m.platformId).join(', ')}: ${(error as Error).message}`);
        }
      }
      return mentions.map((m) => results.get(m.platformId) ?? unanswered(m.platformId));
    },
    async check(ctx: SourceContext): Promise<string> {
      readToken(ctx);
      const account = brandAccounts.find((a) => /^\w{1,15}$/.test(a));
      if (account !== undefined) {
        const res = await get(ctx, `/2/users/by/username/${account}`, { 'user.fields': 'public_metrics' }, 'user lookup');
        const body = res.json<{ data?: XUser; errors?: { detail?: string }[] }>();
        if (!body?.data || typeof body.data.username !== 'string') {
          throw fail(`@${account} not found${body?.errors?.[0]?.detail ? ` (${body.errors[0].detail})` : ''}. Check brand.accounts.x`);
        }
        return `Bearer token accepted; @${body.data.username} has ${body.data.public_metrics?.followers_count ?? 0} followers`;
      }
      if (queries.length === 0) throw fail('nothing to search for. Add brand.keywords or brand.accounts.x');
      const res = await get(ctx, SEARCH_PATH, { query: queries[0], max_results: 10 }, 'recent search');
      readSearch(res, 'recent search');
      return 'Bearer token accepted; recent search works';
    },
  };
}
