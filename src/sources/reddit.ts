/**
 * Reddit through the OAuth API (https://www.reddit.com/dev/api, https://github.com/reddit-archive/reddit/wiki/OAuth2).
 *
 * - Credentials are required: a "script" app's client id + secret (`clientIdEnv`, `clientSecretEnv`), and
 *   optionally the brand account's username + password (`usernameEnv`, `passwordEnv`: password grant, which
 *   also reads the account's username mentions). Token: `POST <authUrl>/api/v1/access_token` with HTTP basic
 *   auth, cached in ctx.kv (`token`) until a minute before it expires; a 401 drops it and signs in once more.
 *   Requests that need a new token at the same time share one sign-in.
 * - Every call sends `raw_json=1` and a descriptive User-Agent (`config.userAgent`, else
 *   `mention-watch:<version> (by /u/<username>)`).
 * - Search: `GET /search?q=<"kw" OR "kw2">&sort=new&t=<smallest window covering the lookback>&type=link&limit=100`
 *   (or `/r/a+b/search?...&restrict_sr=1` for `subreddits`). Reddit search finds posts only, not comments.
 *   Username mentions: `GET /message/mentions` (password grant only), marked `addressesBrand`.
 * - Cursor: JSON `{"v":1,"t":<newest created_utc>,"seen":[fullnames created in the 15 minutes before t]}`;
 *   pages (`after=`) are read until an item is older than `t - 15 min` (search is eventually consistent).
 *   Each API page's new items are yielded as one page as soon as it is parsed (poll stores it while the next
 *   page loads); the next page (or the next query's, the inbox's first) is requested before the current one is
 *   normalised. A fullname already read this run (another query, the inbox) or in `seen` is skipped. The
 *   cursor is computed from every item of the run and yielded last, on a page of its own: a run that stops
 *   half-way is repeated.
 * - platformId is the fullname (`t3_…` post, `t1_…` comment). threadRef is `<post id>` for a post and
 *   `<post id>/<comment id>` for a comment.
 * - Reach: the author's link + comment karma (`GET /user/<name>/about`), at most 20 per run, cached a day.
 *   A page's lookups start when it is yielded and fill it in as its `pending` work, so they never hold up the
 *   next request; one looker per run shares lookups and the cap between pages and streams.
 * - Replies: `GET /comments/<post id>?sort=new&limit=500` (with `comment=<id>` for a comment mention) and a walk
 *   of the mention's subtree for a brand account (username, case-insensitive), with the comments behind the
 *   "load more" stubs below the mention read by one `/api/morechildren` request (at most 100).
 */
import { VERSION } from '../version.js';
import { createHash } from 'node:crypto';
import type { BrandConfig, RedditSourceConfig } from '../config/types.js';
import { InterruptedError, SourceError } from '../errors.js';
import type { HttpRequest, HttpResponse } from '../http/types.js';
import { joinUrl, type QueryValue } from '../http/url.js';
import { htmlToText } from '../text/html.js';
import type { FetchedMention } from '../types.js';
import { collectKeywords, quotePhrase } from './keywords.js';
import { withPendingReach } from './mention-pages.js';
import { nextOverlapCursor, readOverlapWindow } from './overlap-cursor.js';
import { createReachLooker, type ReachLooker } from './reach-cache.js';
import { readJson } from './read-json.js';
import { checkEachThread, unanswered } from './thread-checks.js';
import type { FetchWindow, MentionPage, Source, SourceContext, ThreadCheck, ThreadResult } from './types.js';

/** Default API root. */
export const REDDIT_BASE_URL = 'https://oauth.reddit.com';
/** Default root of the token endpoint. */
export const REDDIT_AUTH_URL = 'https://www.reddit.com';
/** For the default User-Agent (keep in step with package.json, like src/cli/version.ts). */
const APP_VERSION = VERSION;
export const REDDIT_OVERLAP_SECONDS = 15 * 60;
const LIMIT = 100;
const MAX_PAGES = 10;
const MAX_QUERY_CHARS = 480;

/** A t3 (post) or t1 (comment, also as an inbox message) `data` object: the fields read. */
export interface RedditThing {
  name: string;
  id?: string;
  author?: string | null;
  created_utc?: number;
  permalink?: string;
  title?: string | null;
  selftext?: string | null;
  selftext_html?: string | null;
  body?: string | null;
  body_html?: string | null;
  link_id?: string;
  parent_id?: string;
  /** Inbox messages: the comment's permalink with `?context=3`. */
  context?: string;
  link_title?: string;
  subreddit?: string;
  replies?: RedditListing | '' | null;
  [key: string]: unknown;
}

export interface RedditListing {
  kind: 'Listing';
  data: { after?: string | null; children: { kind: string; data: RedditThing }[] };
}

/** One listing read page by page in a run: a search query, or the inbox's username mentions. */
interface ListingStream {
  /** For the warning when it has more than MAX_PAGES pages. */
  what: string;
  inbox: boolean;
  fetchPage(after?: string): Promise<RedditListing>;
}

/** One page of a stream as the run reads it: stream index, page number (from 1) and the listing. */
interface ListingRound {
  s: number;
  page: number;
  body: RedditListing;
}

interface Credentials {
  clientId: string;
  clientSecret: string;
  username?: string;
  password?: string;
}

export function createRedditSource(config: RedditSourceConfig, brand: BrandConfig): Source {
  const name = config.name;
  const base = config.baseUrl ?? REDDIT_BASE_URL;
  const authBase = config.authUrl ?? REDDIT_AUTH_URL;
  const keywords = collectKeywords(brand.keywords, config.keywords);
  const accounts = (brand.accounts.reddit ?? []).map((a) => a.trim().replace(/^\/?u\//i, '').toLowerCase());
  const subreddits = (config.subreddits ?? []).map((s) => s.trim().replace(/^\/?r\//i, '')).filter(Boolean);

  const credentialsOf = (ctx: SourceContext): Credentials => {
    const idVar = config.clientIdEnv ?? 'REDDIT_CLIENT_ID';
    const secretVar = config.clientSecretEnv ?? 'REDDIT_CLIENT_SECRET';
    const clientId = config.clientIdEnv ? ctx.env[config.clientIdEnv] : undefined;
    const clientSecret = config.clientSecretEnv ? ctx.env[config.clientSecretEnv] : undefined;
    if (!clientId || !clientSecret) {
      const missing = [!clientId && idVar, !clientSecret && secretVar].filter(Boolean).join(' and ');
      const naming = config.clientIdEnv && config.clientSecretEnv ? '' : ' and name them in this source\'s clientIdEnv/clientSecretEnv';
      throw new SourceError(
        `${name}: no API credentials. Set ${missing} in .env${naming} (a Reddit "script" app's client id and secret; Reddit blocks anonymous JSON requests)`,
      );
    }
    const username = config.usernameEnv ? ctx.env[config.usernameEnv] : undefined;
    const password = config.passwordEnv ? ctx.env[config.passwordEnv] : undefined;
    if ((config.usernameEnv || config.passwordEnv) && !(username && password)) {
      ctx.log.warn(
        `${name}: ${[!username && (config.usernameEnv ?? 'usernameEnv'), !password && (config.passwordEnv ?? 'passwordEnv')].filter(Boolean).join(' and ')} not set; signing in app-only (no username mentions)`,
      );
      return { clientId, clientSecret };
    }
    return { clientId, clientSecret, username, password };
  };

  const userAgentOf = (creds: Credentials): string =>
    config.userAgent ?? `mention-watch:${APP_VERSION}${creds.username ? ` (by /u/${creds.username})` : ''}`;

  const secretsOf = (creds: Credentials): string[] => [creds.clientSecret, creds.password ?? ''].filter((s) => s.length > 0);

  const wrap = (error: unknown, secrets: string[]): Error => {
    if (error instanceof InterruptedError) return error;
    let message = error instanceof Error ? error.message : String(error);
    for (const secret of secrets) message = message.split(secret).join('***');
    const body = (error as { body?: unknown }).body;
    const status = (error as { status?: unknown }).status;
    if (status === 403 && typeof body === 'string' && /blocked|pardner/i.test(body)) {
      return new SourceError(
        `${name}: blocked by Reddit (HTTP 403 "whoa there, pardner!" page). Check the client id/secret and that userAgent is descriptive`,
      );
    }
    if (error instanceof SourceError && message === error.message && message.startsWith(`${name}:`)) return error;
    return new SourceError(message.startsWith(`${name}:`) ? message : `${name}: ${message}`, error instanceof SourceError ? error.hint : undefined);
  };

  /**
   * A sign-in in flight: requests that need a token at the same time (lookups run side by side) wait for one
   * sign-in instead of each asking the token endpoint.
   */
  let signingIn: Promise<string> | undefined;

  /** The token in ctx.kv unless it is `rejected` (it just got a 401), else a new one from the token endpoint. */
  const tokenOf = (ctx: SourceContext, creds: Credentials, rejected?: string): Promise<string> => {
    const who = whoOf(creds);
    const cached = readJson<{ token?: string; expiresAt?: number; who?: string }>(ctx.kv.get('token'));
    if (cached?.token && cached.token !== rejected && cached.who === who && typeof cached.expiresAt === 'number' && cached.expiresAt > ctx.now().getTime()) {
      return Promise.resolve(cached.token);
    }
    if (!signingIn) {
      signingIn = signIn(ctx, creds, who);
      const done = (): void => {
        signingIn = undefined;
      };
      signingIn.then(done, done);
    }
    return signingIn;
  };

  const whoOf = (creds: Credentials): string => createHash('sha256').update(`${creds.clientId}\n${creds.username ?? ''}`).digest('hex').slice(0, 16);

  /** A new token from the token endpoint, stored in ctx.kv. */
  const signIn = async (ctx: SourceContext, creds: Credentials, who: string): Promise<string> => {
    const now = ctx.now().getTime();
    const form: Record<string, string> = creds.username
      ? { grant_type: 'password', username: creds.username, password: creds.password ?? '' }
      : { grant_type: 'client_credentials' };
    let res: HttpResponse;
    try {
      res = await ctx.http.request({
        url: joinUrl(authBase, '/api/v1/access_token'),
        method: 'POST',
        form,
        headers: {
          authorization: `Basic ${Buffer.from(`${creds.clientId}:${creds.clientSecret}`).toString('base64')}`,
          'user-agent': userAgentOf(creds),
        },
        accept: [400, 401, 403],
      });
    } catch (error) {
      throw wrap(error, secretsOf(creds));
    }
    const body = safeJson<{ access_token?: unknown; expires_in?: unknown; error?: unknown }>(res);
    const vars = `${config.clientIdEnv ?? 'clientIdEnv'}/${config.clientSecretEnv ?? 'clientSecretEnv'}`;
    if (res.status === 401 || res.status === 403) {
      throw new SourceError(`${name}: ${res.status} from the token endpoint: the client id or secret was rejected. Check ${vars} in .env`);
    }
    if (body?.error === 'invalid_grant') {
      throw new SourceError(
        `${name}: sign-in refused (invalid_grant): wrong username or password, or two-factor auth is on. Check ${config.usernameEnv ?? 'usernameEnv'}/${config.passwordEnv ?? 'passwordEnv'} in .env`,
      );
    }
    if (res.status >= 400 || typeof body?.access_token !== 'string') {
      const reason = typeof body?.error === 'string' ? body.error : `HTTP ${res.status}`;
      throw new SourceError(`${name}: no token from ${joinUrl(authBase, '/api/v1/access_token')} (${reason}). Check ${vars} in .env and authUrl`);
    }
    const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 3600;
    ctx.kv.set('token', JSON.stringify({ token: body.access_token, expiresAt: now + Math.max(0, expiresIn - 60) * 1000, who }));
    return body.access_token;
  };

  /** One authorised GET with raw_json=1; a 401 drops the cached token and signs in once more. */
  const get = async <T>(ctx: SourceContext, creds: Credentials, path: string, query: Record<string, QueryValue>): Promise<T> => {
    const secrets = secretsOf(creds);
    let rejected: string | undefined;
    for (let attempt = 0; ; attempt++) {
      const token = await tokenOf(ctx, creds, rejected);
      const req: HttpRequest = {
        url: joinUrl(base, path, { ...query, raw_json: 1 }),
        headers: { authorization: `bearer ${token}`, 'user-agent': userAgentOf(creds) },
        accept: [401],
      };
      let res: HttpResponse;
      try {
        res = await ctx.http.request(req);
      } catch (error) {
        throw wrap(error, [...secrets, token]);
      }
      if (res.status === 401) {
        rejected = token;
        if (readJson<{ token?: string }>(ctx.kv.get('token'))?.token === token) ctx.kv.set('token', undefined);
        if (attempt === 0) continue;
        throw new SourceError(`${name}: 401 Unauthorized with a fresh token. Check ${config.clientIdEnv ?? 'clientIdEnv'}/${config.clientSecretEnv ?? 'clientSecretEnv'} in .env`);
      }
      try {
        return res.json<T>();
      } catch (error) {
        throw wrap(error, [...secrets, token]);
      }
    }
  };

  const listing = async (ctx: SourceContext, creds: Credentials, path: string, query: Record<string, QueryValue>): Promise<RedditListing> => {
    const body = await get<unknown>(ctx, creds, path, query);
    if (!isListing(body)) {
      throw new SourceError(`${name}: unexpected response from ${path} (not a Listing). Check baseUrl points at the Reddit OAuth API`);
    }
    return body;
  };

  const searchPath = subreddits.length > 0 ? `/r/${subreddits.map(encodeURIComponent).join('+')}/search` : '/search';
  const searchQuery = (q: string, t: string, limit: number, after?: string): Record<string, QueryValue> => ({
    q,
    sort: 'new',
    t,
    type: 'link',
    limit,
    after,
    restrict_sr: subreddits.length > 0 ? 1 : undefined,
  });

  return {
    type: 'reddit',
    name,

    async *fetchMentions(window: FetchWindow, ctx: SourceContext): AsyncIterable<MentionPage> {
      const creds = credentialsOf(ctx);
      const { cursor, sinceSeconds, from, seen } = readOverlapWindow(name, window, 'Reddit', REDDIT_OVERLAP_SECONDS);
      const t = timeWindow(ctx.now().getTime() / 1000 - from);

      const karma = karmaLooker(ctx, creds);

      // The searches (one per OR-query), then the inbox: read one after another, each up to MAX_PAGES pages.
      const streams: ListingStream[] = orQueries(keywords).map((q) => ({
        what: `results for ${q}`,
        inbox: false,
        fetchPage: (after) => listing(ctx, creds, searchPath, searchQuery(q, t, LIMIT, after)),
      }));
      if (creds.username) {
        streams.push({ what: 'username mentions', inbox: true, fetchPage: (after) => listing(ctx, creds, '/message/mentions', { limit: LIMIT, after }) });
      }
      /** Page `page` of stream `s`, requested now: awaited (and so thrown) at the top of the round that reads it. */
      const request = (s: number, page: number, after?: string): Promise<ListingRound> => {
        const round = (streams[s] as ListingStream).fetchPage(after).then((body) => ({ s, page, body }));
        round.catch(() => {}); // never an unhandled rejection
        return round;
      };

      // Creation time (s) of every item this run, by fullname: the cursor's input, and the run's de-duplication.
      const found = new Map<string, number>();
      // Each round asks for the next page (from the raw listing: `after`, the window's end) before it normalises.
      let requested: Promise<ListingRound> | undefined = streams.length > 0 ? request(0, 1) : undefined;
      while (requested) {
        const { s, page, body } = await requested;
        requested = undefined;
        const stream = streams[s] as ListingStream;
        const things = body.data.children.filter((child) => child.kind === 't3' || child.kind === 't1').map((child) => child.data);
        const reachedEnd = things.some((thing) => (thing.created_utc ?? 0) < from);
        const after = body.data.after ?? undefined;
        if (!reachedEnd && after && body.data.children.length > 0) {
          if (page < MAX_PAGES) requested = request(s, page + 1, after);
          else ctx.log.warn(`${name}: more than ${MAX_PAGES * LIMIT} ${stream.what} in one run; older ones were skipped`);
        }
        if (!requested && s + 1 < streams.length) requested = request(s + 1, 1);
        // Normalising takes a while: in a poll, only once the other sources' next requests are out.
        await ctx.pace?.();
        const fresh: RedditThing[] = [];
        for (const thing of things) {
          if ((thing.created_utc ?? 0) < from) continue;
          if (found.has(thing.name)) continue;
          found.set(thing.name, thing.created_utc ?? 0);
          if (!seen.has(thing.name)) fresh.push(thing);
        }
        if (fresh.length === 0) continue;
        // Newest first within the page; reach 0 until the page's lookups settle, while the next page loads.
        const mentions = fresh.sort((a, b) => (b.created_utc ?? 0) - (a.created_utc ?? 0)).map((thing) => {
          const mention = normalizeRedditThing(thing, accounts);
          if (stream.inbox) mention.addressesBrand = true;
          return mention;
        });
        yield withPendingReach(mentions, karma.lookUp(mentions.map(karmaKeyOf)), karmaKeyOf);
      }

      const items = [...found].map(([id, seconds]) => ({ id, seconds })).sort((a, b) => b.seconds - a.seconds);
      const next = nextOverlapCursor(cursor, sinceSeconds, items, REDDIT_OVERLAP_SECONDS);
      // Last and on its own: the pages before it are stored first, so a crash before this one repeats the run.
      yield { mentions: [], cursor: JSON.stringify(next) };
    },

    async checkThreads(checks: ThreadCheck[], ctx: SourceContext): Promise<ThreadResult[]> {
      const creds = credentialsOf(ctx);
      return checkEachThread(ctx, name, checks, (check) => `the thread of ${check.platformId}`, async (check) => {
        const ref = /^([a-z0-9]+)(?:\/([a-z0-9]+))?$/i.exec(check.threadRef ?? '');
        if (!ref) throw new Error(`thread reference ${JSON.stringify(check.threadRef)} is not <post id>[/<comment id>]`);
        const [, postId, commentId] = ref as unknown as [string, string, string | undefined];
        const body = await get<unknown>(ctx, creds, `/comments/${postId}`, { comment: commentId, sort: 'new', limit: 500 });
        if (!Array.isArray(body) || !isListing(body[0]) || !isListing(body[1])) throw new Error('unexpected thread response (not [Listing, Listing])');
        const post = body[0].data.children[0]?.data;
        const root: RedditThing = { ...(post ?? { name: `t3_${postId}` }), replies: body[1] };
        // Long threads stop at "load more" stubs: the comments behind the ones below the mention are read too.
        const hidden = moreBelow(root, check.platformId).slice(0, MAX_MORE_CHILDREN);
        let expanded: RedditThing[] = [];
        if (hidden.length > 0) {
          const more = await get<unknown>(ctx, creds, '/api/morechildren', { api_type: 'json', link_id: `t3_${postId}`, children: hidden.join(','), sort: 'new', limit_children: 'false' });
          expanded = moreChildrenThings(more);
        }
        return findBrandReply(root, check, accounts, expanded);
      });
    },

    async check(ctx: SourceContext): Promise<string> {
      const creds = credentialsOf(ctx);
      const keyword = keywords[0];
      const who = creds.username ? `signed in as u/${creds.username}` : 'app-only token';
      if (!keyword) {
        await listing(ctx, creds, '/r/all/new', { limit: 1 });
        return `ok: ${who}`;
      }
      const body = await listing(ctx, creds, searchPath, searchQuery(quotePhrase(keyword), 'all', 3));
      return `ok: ${body.data.children.length} recent results for "${keyword}" (${who})`;
    },
  };

  /** One run's link + comment karma lookups: the day-long kv cache, then at most MAX_REACH_LOOKUPS requests per run. */
  function karmaLooker(ctx: SourceContext, creds: Credentials): ReachLooker {
    return createReachLooker(ctx, {
      name,
      keyPrefix: 'karma',
      describe: (author) => `karma of u/${author}`,
      fetchReach: async (author) => {
        const about = await get<{ data?: { link_karma?: unknown; comment_karma?: unknown } }>(ctx, creds, `/user/${encodeURIComponent(author)}/about`, {});
        return num(about?.data?.link_karma) + num(about?.data?.comment_karma);
      },
    });
  }
}

/**
 * The author whose karma a mention gets, lower-cased (Reddit usernames are case-insensitive, so one lookup
 * and one cache entry per user); null for a deleted author (normalizeRedditThing leaves its handle null).
 */
function karmaKeyOf(mention: FetchedMention): string | null {
  const handle = mention.author.handle;
  return handle && handle !== '[deleted]' ? handle.toLowerCase() : null;
}

/** One post (t3) or comment (t1, also an inbox mention) → a mention. Pure. */
export function normalizeRedditThing(thing: RedditThing, brandAccounts: readonly string[], reach = 0): FetchedMention {
  const accounts = brandAccounts.map((a) => a.toLowerCase());
  const isPost = thing.name.startsWith('t3_');
  const author = thing.author && thing.author !== '[deleted]' ? thing.author : null;
  const html = isPost ? thing.selftext_html : thing.body_html;
  const text = html ? htmlToText(html) : ((isPost ? thing.selftext : thing.body) ?? '').trim();
  const permalink = thing.permalink ?? thing.context?.replace(/\?.*$/, '');
  const postId = isPost ? (thing.id ?? thing.name.slice(3)) : postIdOf(thing);
  const commentId = thing.id ?? thing.name.slice(3);
  return {
    platformId: thing.name,
    url: permalink ? `https://www.reddit.com${permalink}` : null,
    author: { handle: author, name: author, url: author ? `https://www.reddit.com/user/${author}` : null, reach },
    title: isPost ? (thing.title ?? null) : null,
    text,
    createdAt: Math.round((thing.created_utc ?? 0) * 1000),
    own: author !== null && accounts.includes(author.toLowerCase()),
    addressesBrand: accounts.some((a) => a !== author?.toLowerCase() && mentionsUser(`${isPost ? (thing.title ?? '') : ''}\n${text}`, a)),
    threadRef: postId ? (isPost ? postId : `${postId}/${commentId}`) : null,
    raw: withoutReplies(thing),
  };
}

/**
 * Finds the mention (`platformId`, a fullname) in the tree and the brand's replies in its subtree; the
 * mention's author writing there after the brand's last reply reopens it. Pure.
 */
export function findBrandReply(root: RedditThing, check: ThreadCheck, brandAccounts: readonly string[], expanded: readonly RedditThing[] = []): ThreadResult {
  const accounts = brandAccounts.map((a) => a.toLowerCase());
  const none = unanswered(check.platformId);
  const mention = findThing(root, check.platformId);
  if (!mention) return none;
  const below = [...descendants(mention), ...expandedBelow(mention, [root, ...descendants(root)], expanded)];
  const isBrand = (t: RedditThing): boolean => !!t.author && accounts.includes(t.author.toLowerCase());
  const brandTimes = below.filter(isBrand).map((t) => Math.round((t.created_utc ?? 0) * 1000));
  if (brandTimes.length === 0) return none;
  const lastBrand = Math.max(...brandTimes);
  const author = check.authorHandle?.toLowerCase();
  const reopened = !!author && below.some((t) => t.author?.toLowerCase() === author && (t.created_utc ?? 0) * 1000 > lastBrand);
  return { platformId: check.platformId, answeredAt: Math.min(...brandTimes), reopened };
}

/** Comments behind "load more" stubs, read with one `/api/morechildren` request per thread check. */
export const MAX_MORE_CHILDREN = 100;

/** The comment ids (base 36) of the "load more" stubs at or below the mention, nearest first. */
export function moreBelow(root: RedditThing, mentionName: string): string[] {
  const mention = findThing(root, mentionName);
  if (!mention) return [];
  const ids: string[] = [];
  for (const thing of [mention, ...descendants(mention)]) {
    const replies = thing.replies;
    if (!replies || typeof replies !== 'object') continue;
    for (const child of replies.data.children) {
      if (child.kind !== 'more') continue;
      const children = (child.data as { children?: unknown }).children;
      if (Array.isArray(children)) ids.push(...children.filter((id): id is string => typeof id === 'string' && /^[a-z0-9]+$/i.test(id)));
    }
  }
  return [...new Set(ids)];
}

/** The comments of a `/api/morechildren?api_type=json` answer (a flat list; `parent_id` links them). */
export function moreChildrenThings(body: unknown): RedditThing[] {
  const things = (body as { json?: { data?: { things?: unknown } } } | null)?.json?.data?.things;
  if (!Array.isArray(things)) throw new Error('unexpected /api/morechildren response (no json.data.things)');
  return things
    .filter((t): t is { kind: string; data: RedditThing } => !!t && typeof t === 'object' && (t as { kind?: unknown }).kind === 't1')
    .map((t) => t.data)
    .filter((t) => typeof t?.name === 'string');
}

/** The expanded comments whose `parent_id` chain (through the tree and the expanded ones) reaches the mention. */
function expandedBelow(mention: RedditThing, tree: readonly RedditThing[], expanded: readonly RedditThing[]): RedditThing[] {
  const parentOf = new Map<string, string | undefined>();
  for (const thing of [...tree, ...expanded]) parentOf.set(thing.name, thing.parent_id);
  const isBelow = (thing: RedditThing): boolean => {
    let parent = thing.parent_id;
    for (let hops = 0; parent !== undefined && hops < 1000; hops++) {
      if (parent === mention.name) return true;
      parent = parentOf.get(parent);
    }
    return false;
  };
  return expanded.filter((thing) => thing.name !== mention.name && isBelow(thing));
}

function childrenOf(thing: RedditThing): RedditThing[] {
  const replies = thing.replies;
  if (!replies || typeof replies !== 'object') return [];
  return replies.data.children.filter((c) => c.kind === 't1').map((c) => c.data);
}

function findThing(root: RedditThing, fullname: string): RedditThing | undefined {
  const stack = [root];
  while (stack.length > 0) {
    const thing = stack.pop() as RedditThing;
    if (thing.name === fullname) return thing;
    stack.push(...childrenOf(thing));
  }
  return undefined;
}

function descendants(thing: RedditThing): RedditThing[] {
  const out: RedditThing[] = [];
  const stack = childrenOf(thing);
  while (stack.length > 0) {
    const t = stack.pop() as RedditThing;
    out.push(t);
    stack.push(...childrenOf(t));
  }
  return out;
}

function postIdOf(thing: RedditThing): string | null {
  if (thing.link_id?.startsWith('t3_')) return thing.link_id.slice(3);
  const fromPath = /\/comments\/([a-z0-9]+)\//i.exec(thing.permalink ?? thing.context ?? '');
  return fromPath?.[1] ?? null;
}

function withoutReplies(thing: RedditThing): Record<string, unknown> {
  const { replies: _replies, ...rest } = thing;
  return rest;
}

/** `u/name` or `/u/name` as a whole username (letters, digits, `_`, `-`; case-insensitive). */
function mentionsUser(text: string, account: string): boolean {
  const escaped = account.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_-])/?u/${escaped}(?![A-Za-z0-9_-])`, 'i').test(text);
}

/** The smallest `t` that covers `seconds` back from now. */
function timeWindow(seconds: number): string {
  if (seconds <= 3600) return 'hour';
  if (seconds <= 86_400) return 'day';
  if (seconds <= 7 * 86_400) return 'week';
  if (seconds <= 31 * 86_400) return 'month';
  if (seconds <= 365 * 86_400) return 'year';
  return 'all';
}

/** `"a" OR "b"` queries within Reddit's query length. */
function orQueries(keywords: readonly string[]): string[] {
  const out: string[] = [];
  let current = '';
  for (const keyword of keywords) {
    const phrase = quotePhrase(keyword);
    if (current && current.length + phrase.length + 4 > MAX_QUERY_CHARS) {
      out.push(current);
      current = '';
    }
    current = current ? `${current} OR ${phrase}` : phrase;
  }
  if (current) out.push(current);
  return out;
}

function isListing(value: unknown): value is RedditListing {
  const data = (value as { kind?: unknown; data?: { children?: unknown } } | null)?.data;
  return (value as { kind?: unknown })?.kind === 'Listing' && Array.isArray(data?.children);
}

function safeJson<T>(res: HttpResponse): T | undefined {
  try {
    return JSON.parse(res.text()) as T;
  } catch {
    return undefined;
  }
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
