/**
 * Bluesky: `app.bsky.feed.searchPosts` through the user's PDS with an app-password session (the public
 * AppView refuses unauthenticated search), reach from `app.bsky.actor.getProfiles`, replies from
 * `app.bsky.feed.getPostThread`. API: https://docs.bsky.app/docs/category/http-reference
 *
 * The keywords' searches run side by side and each search page is yielded as it arrives; the next page is
 * requested before the current one is normalised. Its authors' profiles (and, once per run, the brand's DIDs)
 * are requested then and fill the page in as its `pending` work, while the next search page loads. The cursor
 * goes on a last page of its own. When the login is one of the brand's accounts, its notifications that are
 * posts addressing it (mentions, replies, quotes) are read as one more stream, so an @-mention without a
 * keyword is found.
 *
 * The session is stored in the kv and refreshed when a request finds it expired; requests that find it expired
 * together wait for one renewal (`renewSession`), and it is created again only when refreshing fails.
 */
import type { BlueskySourceConfig, BrandConfig } from '../config/types.js';
import { HttpError } from '../http/errors.js';
import type { HttpResponse } from '../http/types.js';
import { joinUrl, type QueryValue } from '../http/url.js';
import type { FetchedMention } from '../types.js';
import { collectKeywords, quoteIfPhrase } from './keywords.js';
import { mergePages } from './merge-pages.js';
import { createFail } from './prefix-error.js';
import { checkEachThread, skipWithoutBrandAccounts } from './thread-checks.js';
import type { FetchWindow, MentionPage, Source, SourceContext, ThreadCheck, ThreadResult } from './types.js';

/** The PDS (entryway) used when the config has no baseUrl; XRPC paths are appended as /xrpc/<method>. */
export const BLUESKY_BASE_URL = 'https://bsky.social';

const SEARCH_LIMIT = 100;
/** Search requests per keyword per run. */
const MAX_PAGES_PER_STREAM = 5;
/** getProfiles takes at most 25 actors. */
const PROFILES_BATCH = 25;
/** Re-ask for posts this much older than the newest seen: posts are filtered by their sort time, which can trail indexedAt. */
const SINCE_OVERLAP_MS = 60_000;
/** Uris remembered in the cursor to skip the overlap's posts. */
const MAX_CURSOR_URIS = 100;
const THREAD_DEPTH = 20;
/** listNotifications takes at most 100. */
const NOTIFICATIONS_LIMIT = 100;
/** The notifications' entry in the cursor (keyword entries are lower-cased keywords). */
const NOTIFICATIONS_STREAM = '@notifications';
const SESSION_KV_KEY = 'session';
const BRAND_DIDS_KV_KEY = 'brandDids';
const BRAND_DIDS_TTL_MS = 24 * 60 * 60 * 1000;

/** app.bsky.actor.defs#profileViewBasic (the fields we read). */
export interface BlueskyAuthor {
  did: string;
  handle: string;
  displayName?: string;
}

interface BlueskyFacet {
  features?: { $type?: string; did?: string }[];
}

/** app.bsky.feed.defs#postView (the fields we read). */
export interface BlueskyPost {
  uri: string;
  cid?: string;
  author: BlueskyAuthor;
  record: {
    text?: string;
    createdAt?: string;
    facets?: BlueskyFacet[];
    reply?: { parent?: { uri?: string }; root?: { uri?: string } };
  };
  indexedAt: string;
}

/** app.bsky.feed.defs#threadViewPost, or a notFoundPost / blockedPost (no `post`). */
export interface BlueskyThreadNode {
  $type?: string;
  post?: BlueskyPost;
  parent?: BlueskyThreadNode;
  replies?: BlueskyThreadNode[];
}

export interface BlueskyNormalizeOptions {
  /** The brand's accounts: handles and DIDs (handles resolved to DIDs where known). */
  brandAccounts: readonly string[];
  /** The author's followers (getProfiles → followersCount); 0 when unknown. */
  reach?: number;
}

/** The session stored in the source's kv (never in a mention, a log line or an error). */
interface BlueskySession {
  /** The identifier it was created for, so a changed .env starts a new session. */
  identifier: string;
  did: string;
  handle: string;
  accessJwt: string;
  refreshJwt: string;
}

/** The stored cursor: per keyword, the newest indexedAt seen and the uris seen near it. */
interface BlueskyCursor {
  v: 1;
  streams: Record<string, { t: string; uris: string[] }>;
}

/** `at://did/collection/rkey` → its parts. */
export function parseAtUri(uri: string): { did: string; collection: string; rkey: string } | null {
  const match = /^at:\/\/([^/]+)\/([^/]+)\/([^/?#]+)$/.exec(uri);
  return match ? { did: match[1]!, collection: match[2]!, rkey: match[3]! } : null;
}

/** https://bsky.app/profile/<handle or did>/post/<rkey> */
export function blueskyPermalink(post: Pick<BlueskyPost, 'uri' | 'author'>): string | null {
  const parts = parseAtUri(post.uri);
  if (!parts) return null;
  const who = post.author.handle && post.author.handle !== 'handle.invalid' ? post.author.handle : post.author.did;
  return `https://bsky.app/profile/${who}/post/${parts.rkey}`;
}

/** When the post was written: record.createdAt, unless missing or later than indexedAt (client clocks lie). */
export function blueskyPostTime(post: Pick<BlueskyPost, 'record' | 'indexedAt'>): number {
  const indexed = Date.parse(post.indexedAt);
  const created = post.record.createdAt ? Date.parse(post.record.createdAt) : Number.NaN;
  if (Number.isNaN(created)) return indexed;
  if (!Number.isNaN(indexed) && created > indexed) return indexed;
  return created;
}

function normalizeAccount(account: string): string {
  return account.trim().replace(/^@/, '').toLowerCase();
}

function isBrand(author: BlueskyAuthor | undefined, brand: ReadonlySet<string>): boolean {
  if (!author) return false;
  return brand.has(author.did.toLowerCase()) || brand.has(author.handle.toLowerCase());
}

/** One post view → a FetchedMention. Pure. */
export function normalizeBlueskyPost(post: BlueskyPost, options: BlueskyNormalizeOptions): FetchedMention {
  const brand = new Set(options.brandAccounts.map(normalizeAccount));
  const mentionsBrand = (post.record.facets ?? []).some((facet) =>
    (facet.features ?? []).some(
      (f) => f.$type === 'app.bsky.richtext.facet#mention' && typeof f.did === 'string' && brand.has(f.did.toLowerCase()),
    ),
  );
  const parentUri = post.record.reply?.parent?.uri;
  const parentDid = parentUri ? parseAtUri(parentUri)?.did : undefined;
  const repliesToBrand = parentDid !== undefined && brand.has(parentDid.toLowerCase());
  const handle = post.author.handle && post.author.handle !== 'handle.invalid' ? post.author.handle : post.author.did;
  return {
    platformId: post.uri,
    url: blueskyPermalink(post),
    author: {
      handle,
      name: post.author.displayName?.trim() || null,
      url: `https://bsky.app/profile/${handle}`,
      reach: options.reach !== undefined && options.reach > 0 ? options.reach : 0,
    },
    title: null,
    text: (post.record.text ?? '').trim(),
    createdAt: blueskyPostTime(post),
    own: isBrand(post.author, brand),
    addressesBrand: mentionsBrand || repliesToBrand,
    threadRef: post.uri,
    raw: post,
  };
}

/**
 * The brand's first reply below the mention (anywhere in its replies tree) and whether the mention's
 * author wrote again below it after the brand's last reply. Pure.
 */
export function findBrandReply(
  mention: Pick<ThreadCheck, 'platformId' | 'authorHandle'>,
  thread: BlueskyThreadNode,
  brandAccounts: readonly string[],
): ThreadResult {
  const brand = new Set(brandAccounts.map(normalizeAccount));
  const customer = new Set<string>();
  if (thread.post) customer.add(thread.post.author.did.toLowerCase());
  if (mention.authorHandle) customer.add(normalizeAccount(mention.authorHandle));
  const below: BlueskyPost[] = [];
  const walk = (node: BlueskyThreadNode, depth: number): void => {
    if (depth > 1000) return;
    for (const reply of node.replies ?? []) {
      if (reply.post) below.push(reply.post);
      walk(reply, depth + 1);
    }
  };
  walk(thread, 0);
  let first: number | null = null;
  let last: number | null = null;
  for (const post of below) {
    if (!isBrand(post.author, brand)) continue;
    const at = blueskyPostTime(post);
    if (Number.isNaN(at)) continue;
    if (first === null || at < first) first = at;
    if (last === null || at > last) last = at;
  }
  const customerIsBrand = thread.post ? isBrand(thread.post.author, brand) : false;
  const reopened =
    last !== null &&
    !customerIsBrand &&
    below.some(
      (post) =>
        (customer.has(post.author.did.toLowerCase()) || customer.has(post.author.handle.toLowerCase())) &&
        !isBrand(post.author, brand) &&
        blueskyPostTime(post) > last!,
    );
  return { platformId: mention.platformId, answeredAt: first, reopened };
}

function parseCursor(cursor: string | null): BlueskyCursor {
  const empty: BlueskyCursor = { v: 1, streams: {} };
  if (cursor === null) return empty;
  try {
    const parsed = JSON.parse(cursor) as Partial<BlueskyCursor>;
    if (!parsed || typeof parsed.streams !== 'object' || parsed.streams === null) return empty;
    const streams: BlueskyCursor['streams'] = {};
    for (const [key, value] of Object.entries(parsed.streams)) {
      if (value && typeof value.t === 'string' && !Number.isNaN(Date.parse(value.t))) {
        streams[key] = { t: value.t, uris: Array.isArray(value.uris) ? value.uris.filter((u) => typeof u === 'string') : [] };
      }
    }
    return { v: 1, streams };
  } catch {
    return empty;
  }
}

/** A stream's cursor entry: the newest indexedAt and the uris within the overlap below it (newest first). */
function cursorEntry(newestIso: string, newestMs: number, recent: readonly { uri: string; at: number }[]): { t: string; uris: string[] } {
  const floor = newestMs - SINCE_OVERLAP_MS;
  const uris = [...new Set(recent.filter((r) => r.at >= floor).sort((a, b) => b.at - a.at).map((r) => r.uri))].slice(0, MAX_CURSOR_URIS);
  return { t: newestIso, uris };
}

/**
 * One stream's reading of posts against its cursor entry: `take` records a post (for the next entry) and says
 * whether it is new (not in the stored entry's overlap, not already taken); `entry` is the entry to store.
 */
function streamTracker(previous: { t: string; uris: string[] } | undefined): {
  take(post: BlueskyPost): boolean;
  entry(): { t: string; uris: string[] } | undefined;
} {
  const skip = new Set(previous?.uris ?? []);
  const newest = { ms: previous ? Date.parse(previous.t) : Number.NEGATIVE_INFINITY, iso: previous?.t };
  const recent: { uri: string; at: number }[] = previous ? previous.uris.map((uri) => ({ uri, at: Date.parse(previous.t) })) : [];
  return {
    take(post) {
      const at = Date.parse(post.indexedAt);
      recent.push({ uri: post.uri, at });
      if (at > newest.ms) {
        newest.ms = at;
        newest.iso = post.indexedAt;
      }
      if (skip.has(post.uri)) return false;
      skip.add(post.uri);
      return true;
    },
    entry: () => (newest.iso === undefined ? undefined : cursorEntry(newest.iso, newest.ms, recent)),
  };
}

function isPost(value: unknown): value is BlueskyPost {
  const p = value as BlueskyPost | null;
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof p.uri === 'string' &&
    typeof p.indexedAt === 'string' &&
    typeof p.author === 'object' &&
    p.author !== null &&
    typeof p.author.did === 'string' &&
    typeof p.author.handle === 'string' &&
    typeof p.record === 'object' &&
    p.record !== null
  );
}

/** The XRPC error body `{error, message}`, if the body is one. */
function xrpcError(res: HttpResponse): { error?: string; message?: string } | null {
  try {
    const body = JSON.parse(res.text()) as unknown;
    if (body && typeof body === 'object') return body as { error?: string; message?: string };
  } catch {
    // not JSON: an HTML block page, say
  }
  return null;
}

function describeXrpcError(res: HttpResponse): string {
  const body = xrpcError(res);
  if (!body) return `${res.status} with a non-JSON body`;
  return `${res.status} ${body.error ?? 'error'}${body.message ? `: ${body.message}` : ''}`;
}

export function createBlueskySource(config: BlueskySourceConfig, brand: BrandConfig): Source {
  const name = config.name;
  const base = config.baseUrl ?? BLUESKY_BASE_URL;
  const keywords = collectKeywords(brand.keywords, config.keywords);
  const brandAccounts = (brand.accounts.bluesky ?? []).map(normalizeAccount).filter((a) => a !== '');

  const fail = createFail(name);
  const xrpc = (method: string, query?: Record<string, QueryValue>): string => joinUrl(base, `/xrpc/${method}`, query);
  const credentialsHint = `Check ${config.identifierEnv} and ${config.passwordEnv} in .env (an app password: Bluesky Settings → Privacy and security → App passwords)`;

  const readCredentials = (ctx: SourceContext): { identifier: string; password: string } => {
    const identifier = ctx.env[config.identifierEnv]?.trim();
    const password = ctx.env[config.passwordEnv]?.trim();
    const missing = [identifier ? null : config.identifierEnv, password ? null : config.passwordEnv].filter((v) => v !== null);
    if (missing.length > 0) {
      throw fail(`${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not set. Add your handle and an app password to .env`);
    }
    return { identifier: identifier!, password: password! };
  };

  const parseSession = (res: HttpResponse, identifier: string, method: string): BlueskySession => {
    const body = res.json<Partial<BlueskySession>>();
    if (!body || typeof body.accessJwt !== 'string' || typeof body.refreshJwt !== 'string' || typeof body.did !== 'string') {
      throw fail(`unexpected response from ${method}: no session tokens`);
    }
    return { identifier, did: body.did, handle: typeof body.handle === 'string' ? body.handle : body.did, accessJwt: body.accessJwt, refreshJwt: body.refreshJwt };
  };

  const storeSession = (ctx: SourceContext, session: BlueskySession): BlueskySession => {
    ctx.kv.set(SESSION_KV_KEY, JSON.stringify(session));
    return session;
  };

  const createSession = async (ctx: SourceContext): Promise<BlueskySession> => {
    const { identifier, password } = readCredentials(ctx);
    ctx.log.debug(`${name}: creating a session (createSession)`);
    const res = await ctx.http.request({
      url: xrpc('com.atproto.server.createSession'),
      method: 'POST',
      json: { identifier, password },
      accept: [400, 401],
    });
    if (res.status === 401 || res.status === 400) {
      const label = res.status === 401 ? '401 Unauthorized' : '400 Bad Request';
      const body = xrpcError(res);
      const why = body ? ` (${[body.error, body.message].filter(Boolean).join(': ')})` : '';
      throw fail(`${label} from createSession${why}. ${credentialsHint}`);
    }
    return storeSession(ctx, parseSession(res, identifier, 'createSession'));
  };

  const refreshSession = async (ctx: SourceContext, session: BlueskySession): Promise<BlueskySession | null> => {
    ctx.log.debug(`${name}: refreshing the session`);
    const res = await ctx.http.request({
      url: xrpc('com.atproto.server.refreshSession'),
      method: 'POST',
      headers: { authorization: `Bearer ${session.refreshJwt}` },
      accept: [400, 401],
    });
    if (res.status !== 200) {
      ctx.log.debug(`${name}: refreshSession failed (${describeXrpcError(res)}); logging in again`);
      return null;
    }
    return storeSession(ctx, parseSession(res, session.identifier, 'refreshSession'));
  };

  /** The session in the kv, if it belongs to the configured identifier. */
  const storedSession = (ctx: SourceContext): BlueskySession | undefined => {
    const stored = ctx.kv.get(SESSION_KV_KEY);
    if (stored === undefined) return undefined;
    try {
      const session = JSON.parse(stored) as BlueskySession;
      const identifier = ctx.env[config.identifierEnv]?.trim();
      if (typeof session.accessJwt === 'string' && typeof session.refreshJwt === 'string' && session.identifier === identifier) return session;
    } catch {
      // a new session replaces it
    }
    return undefined;
  };

  /** The stored session if it belongs to the configured identifier, else a new one. */
  const currentSession = async (ctx: SourceContext): Promise<{ session: BlueskySession; fresh: boolean }> => {
    const session = storedSession(ctx);
    return session ? { session, fresh: false } : { session: await createSession(ctx), fresh: true };
  };

  /**
   * Renewals in flight, by the access token they replace. Streams that run side by side find an expired token
   * together: the first renews it (refresh, or a new login when refreshing fails) and the others wait for that,
   * so a refresh token is used once and createSession (a few a day) is not called once per stream.
   */
  const renewals = new Map<string, Promise<BlueskySession>>();
  const renewSession = (ctx: SourceContext, expired: BlueskySession): Promise<BlueskySession> => {
    // Renewed already by another request of this run: use that.
    const stored = storedSession(ctx);
    if (stored && stored.accessJwt !== expired.accessJwt) return Promise.resolve(stored);
    let renewal = renewals.get(expired.accessJwt);
    if (!renewal) {
      renewal = (async () => (await refreshSession(ctx, expired)) ?? (await createSession(ctx)))();
      renewals.set(expired.accessJwt, renewal);
      const forget = (): void => void renewals.delete(expired.accessJwt);
      renewal.then(forget, forget);
    }
    return renewal;
  };

  const isSessionProblem = (res: HttpResponse): boolean => {
    if (res.status === 401) return true;
    const error = xrpcError(res)?.error;
    return res.status === 400 && (error === 'ExpiredToken' || error === 'InvalidToken');
  };

  /** A GET with the session's access token: refreshed on ExpiredToken, re-created only if refreshing fails. */
  const authedGet = async (ctx: SourceContext, method: string, query: Record<string, QueryValue>): Promise<HttpResponse> => {
    ctx.signal.throwIfAborted();
    let { session, fresh } = await currentSession(ctx);
    const send = (s: BlueskySession): Promise<HttpResponse> =>
      ctx.http
        .request({ url: xrpc(method, query), headers: { authorization: `Bearer ${s.accessJwt}` }, accept: [400, 401] })
        .catch((error: unknown) => {
          if (error instanceof HttpError && error.status === 403) {
            throw fail(
              `403 Forbidden from ${method}${error.body?.trimStart().startsWith('<') ? ' (an HTML block page)' : ''}. Bluesky refused the request; use your PDS (default ${BLUESKY_BASE_URL}) as baseUrl, not the public AppView`,
              undefined,
              error,
            );
          }
          throw error;
        });
    let res = await send(session);
    if (isSessionProblem(res) && !fresh) {
      session = await renewSession(ctx, session);
      res = await send(session);
    }
    if (res.status === 401) throw fail(`401 Unauthorized from ${method} with a new session. ${credentialsHint}`);
    if (res.status === 400) throw fail(`${method} failed: ${describeXrpcError(res)}`);
    return res;
  };

  /** A page asked for ahead of the round that reads it: awaited (and thrown) there; never an unhandled rejection. */
  const prefetch = (ctx: SourceContext, method: string, query: Record<string, QueryValue>): Promise<HttpResponse> => {
    const request = authedGet(ctx, method, query);
    request.catch(() => {});
    return request;
  };

  /** Brand handles → DIDs (cached a day), so facets and reply parents, which carry only DIDs, can be matched. */
  const resolveBrand = async (ctx: SourceContext): Promise<string[]> => {
    const handles = brandAccounts.filter((a) => !a.startsWith('did:'));
    if (handles.length === 0) return brandAccounts;
    const nowMs = ctx.now().getTime();
    let cached: { handles: Record<string, string>; fetchedAt: number } | null = null;
    try {
      const raw = ctx.kv.get(BRAND_DIDS_KV_KEY);
      if (raw !== undefined) cached = JSON.parse(raw) as { handles: Record<string, string>; fetchedAt: number };
    } catch {
      cached = null;
    }
    let map = cached && nowMs - cached.fetchedAt < BRAND_DIDS_TTL_MS ? cached.handles : null;
    if (!map || handles.some((h) => !(h in map!))) {
      try {
        const profiles = await fetchProfiles(ctx, handles);
        map = {};
        for (const profile of profiles.values()) map[profile.handle.toLowerCase()] = profile.did;
        for (const h of handles) map[h] ??= '';
        ctx.kv.set(BRAND_DIDS_KV_KEY, JSON.stringify({ handles: map, fetchedAt: nowMs }));
      } catch (error) {
        ctx.log.warn(`${name}: could not resolve the brand's handles to DIDs (${(error as Error).message}); replies and mentions are matched by handle only`);
        return brandAccounts;
      }
    }
    const dids = handles.map((h) => map![h]).filter((d): d is string => typeof d === 'string' && d !== '');
    return [...brandAccounts, ...dids.map((d) => d.toLowerCase())];
  };

  /** actor (did or handle) → profile, in batches of 25. */
  const fetchProfiles = async (
    ctx: SourceContext,
    actors: readonly string[],
  ): Promise<Map<string, { did: string; handle: string; followersCount: number }>> => {
    const out = new Map<string, { did: string; handle: string; followersCount: number }>();
    const batches: string[][] = [];
    for (let i = 0; i < actors.length; i += PROFILES_BATCH) batches.push(actors.slice(i, i + PROFILES_BATCH));
    // The batches go out together: one round trip instead of one per 25 authors.
    const responses = await Promise.all(batches.map((batch) => authedGet(ctx, 'app.bsky.actor.getProfiles', { actors: batch })));
    for (const res of responses) {
      const body = res.json<{ profiles?: unknown }>();
      if (!body || !Array.isArray(body.profiles)) throw fail('unexpected response from getProfiles: no profiles[]');
      for (const p of body.profiles as { did?: unknown; handle?: unknown; followersCount?: unknown }[]) {
        if (typeof p?.did !== 'string') continue;
        const profile = {
          did: p.did,
          handle: typeof p.handle === 'string' ? p.handle : p.did,
          followersCount: typeof p.followersCount === 'number' ? p.followersCount : 0,
        };
        out.set(profile.did, profile);
        out.set(profile.handle.toLowerCase(), profile);
      }
    }
    return out;
  };

  /**
   * One keyword's search pages as they arrive, newest first, each without the posts the cursor already covers.
   * `next.streams[key]` follows the newest indexedAt read so far and the uris near it.
   */
  async function* streamPages(
    ctx: SourceContext,
    keyword: string,
    previous: { t: string; uris: string[] } | undefined,
    since: Date,
    next: BlueskyCursor,
  ): AsyncGenerator<BlueskyPost[]> {
    const key = keyword.toLowerCase();
    const tracker = streamTracker(previous);
    const sinceIso = previous ? new Date(Date.parse(previous.t) - SINCE_OVERLAP_MS).toISOString() : since.toISOString();
    const q = quoteIfPhrase(keyword);
    const search = (cursor: string | undefined): Promise<HttpResponse> =>
      prefetch(ctx, 'app.bsky.feed.searchPosts', { q, sort: 'latest', since: sinceIso, limit: SEARCH_LIMIT, cursor });
    let request: Promise<HttpResponse> | undefined = search(undefined);
    for (let i = 0; request !== undefined; i++) {
      const body = (await request).json<{ posts?: unknown; cursor?: unknown }>();
      request = undefined;
      if (!body || typeof body !== 'object' || !Array.isArray(body.posts)) {
        throw fail('unexpected response from searchPosts: no posts[]');
      }
      // The next page is asked for before this one is read through (and normalised).
      const cursor = typeof body.cursor === 'string' && body.cursor !== '' ? body.cursor : undefined;
      if (cursor !== undefined && body.posts.length > 0) {
        if (i < MAX_PAGES_PER_STREAM - 1) request = search(cursor);
        else ctx.log.warn(`${name}: the search for "${keyword}" has more posts than one run reads; older ones were skipped`);
      }
      const page: BlueskyPost[] = [];
      for (const item of body.posts) {
        if (!isPost(item)) {
          ctx.log.warn(`${name}: skipped a malformed post in the search for "${keyword}"`);
          continue;
        }
        if (tracker.take(item)) page.push(item);
      }
      const entry = tracker.entry();
      if (entry) next.streams[key] = entry;
      if (page.length > 0) yield page;
    }
  }

  /**
   * The logged-in account's notifications that are posts addressing it (a mention, a reply, a quote), newest
   * first, back to the stored time (or `since` on the first poll): how the brand sees an @-mention that has
   * none of its keywords. Only when the login is one of the brand's accounts; each post's uri is added to
   * `addressed`. The next page is asked for before this one is read through.
   */
  async function* notificationPages(
    ctx: SourceContext,
    previous: { t: string; uris: string[] } | undefined,
    since: Date,
    next: BlueskyCursor,
    addressed: Set<string>,
  ): AsyncGenerator<BlueskyPost[]> {
    // The session knows both its handle and its DID, so the configured accounts need no resolving here.
    const { session } = await currentSession(ctx);
    const brand = new Set(brandAccounts.map(normalizeAccount));
    if (!brand.has(session.did.toLowerCase()) && !brand.has(normalizeAccount(session.handle))) return;
    const tracker = streamTracker(previous);
    const floorMs = previous ? Date.parse(previous.t) - SINCE_OVERLAP_MS : since.getTime();
    const list = (cursor: string | undefined): Promise<HttpResponse> =>
      prefetch(ctx, 'app.bsky.notification.listNotifications', { limit: NOTIFICATIONS_LIMIT, cursor });
    let request: Promise<HttpResponse> | undefined = list(undefined);
    for (let i = 0; request !== undefined; i++) {
      const body = (await request).json<{ notifications?: unknown; cursor?: unknown }>();
      request = undefined;
      if (!body || typeof body !== 'object' || !Array.isArray(body.notifications)) {
        throw fail('unexpected response from listNotifications: no notifications[]');
      }
      const items = body.notifications as unknown[];
      const times = items.map((n) => Date.parse((n as { indexedAt?: string } | null)?.indexedAt ?? '')).filter((t) => !Number.isNaN(t));
      const cursor = typeof body.cursor === 'string' && body.cursor !== '' ? body.cursor : undefined;
      // Newest first: once a page reaches back past the floor, the older pages hold nothing new.
      if (cursor !== undefined && items.length > 0 && Math.min(...times) >= floorMs) {
        if (i < MAX_PAGES_PER_STREAM - 1) request = list(cursor);
        else ctx.log.warn(`${name}: more notifications than one run reads; older ones were skipped`);
      }
      const page: BlueskyPost[] = [];
      for (const item of items) {
        const reason = (item as { reason?: unknown } | null)?.reason;
        if (reason !== 'mention' && reason !== 'reply' && reason !== 'quote') continue;
        if (!isPost(item)) {
          ctx.log.warn(`${name}: skipped a malformed notification`);
          continue;
        }
        if (!(Date.parse(item.indexedAt) >= floorMs) || !tracker.take(item)) continue;
        addressed.add(item.uri);
        page.push(item);
      }
      const entry = tracker.entry();
      if (entry) next.streams[NOTIFICATIONS_STREAM] = entry;
      if (page.length > 0) yield page;
    }
  }

  /**
   * One run's followers counts. Each page asks for its authors: the DIDs not asked for before in this run go out
   * at once (getProfiles, PROFILES_BATCH a request, the requests side by side), and the answer waits only for the
   * requests holding the page's authors. A failed read is a warning and reach 0 for the rest of the run; an
   * interrupt rejects.
   */
  const createFollowersReader = (ctx: SourceContext): ((dids: readonly string[]) => Promise<Map<string, number>>) => {
    const requested = new Map<string, Promise<ReadonlyMap<string, number>>>();
    let unreadable = false;
    const read = async (dids: string[]): Promise<ReadonlyMap<string, number>> => {
      try {
        const profiles = await fetchProfiles(ctx, dids);
        const byDid = new Map<string, number>();
        for (const did of dids) {
          const followers = profiles.get(did)?.followersCount;
          if (followers !== undefined) byDid.set(did, followers);
        }
        return byDid;
      } catch (error) {
        if ((error as { name?: string }).name === 'InterruptedError') throw error;
        if (!unreadable) ctx.log.warn(`${name}: could not read followers counts (${(error as Error).message}); reach is 0 for this run`);
        unreadable = true;
        return new Map();
      }
    };
    return async (dids) => {
      const fresh = [...new Set(dids)].filter((did) => !requested.has(did));
      if (fresh.length > 0 && !unreadable) {
        const reading = read(fresh);
        reading.catch(() => {}); // awaited by the pages that need it; an interrupt must not surface unhandled first
        for (const did of fresh) requested.set(did, reading);
      }
      const out = new Map<string, number>();
      const needed = new Set(dids.map((did) => requested.get(did)).filter((r) => r !== undefined));
      for (const byDid of await Promise.all(needed)) {
        for (const did of dids) {
          const followers = byDid.get(did);
          if (followers !== undefined) out.set(did, followers);
        }
      }
      return out;
    };
  };

  async function* fetchMentions(window: FetchWindow, ctx: SourceContext): AsyncGenerator<MentionPage> {
    readCredentials(ctx);
    if (keywords.length === 0) throw fail('no keywords to search for. Add brand.keywords or keywords to this source');
    // The searches (and the notifications) run side by side: log in once first instead of once per stream.
    if (keywords.length > 1 || brandAccounts.length > 0) await currentSession(ctx);
    const previous = parseCursor(window.cursor);
    const next: BlueskyCursor = { v: 1, streams: {} };
    const seen = new Set<string>();
    const followers = createFollowersReader(ctx);
    let brandIds: Promise<string[]> | undefined;
    const searches = keywords.map((keyword) => streamPages(ctx, keyword, previous.streams[keyword.toLowerCase()], window.since, next));
    // Posts that @-mention, reply to or quote the brand's login, keywords or not (only with brand accounts).
    const addressed = new Set<string>();
    if (brandAccounts.length > 0) searches.push(notificationPages(ctx, previous.streams[NOTIFICATIONS_STREAM], window.since, next, addressed));
    for await (const page of mergePages(searches)) {
      // The search's next page is already asked for: the rest waits for this source's turn for CPU work.
      await ctx.pace?.();
      const fresh = page.filter((post) => !seen.has(post.uri));
      if (fresh.length === 0) continue;
      for (const post of fresh) seen.add(post.uri);
      // The brand's DIDs (to mark own posts and mentions of the brand) and the authors' followers are looked up
      // while the next page loads; the page is normalised once both are in.
      brandIds ??= resolveBrand(ctx);
      const reach = followers(fresh.map((post) => post.author.did));
      const mentions: FetchedMention[] = [];
      const pending = Promise.all([brandIds, reach]).then(([ids, byDid]) => {
        for (const post of fresh) {
          const mention = normalizeBlueskyPost(post, { brandAccounts: ids, reach: byDid.get(post.author.did) ?? 0 });
          if (addressed.has(post.uri) && !mention.own) mention.addressesBrand = true;
          mentions.push(mention);
        }
      });
      pending.catch(() => {}); // read (and re-thrown) by whoever stores the page; never an unhandled rejection
      yield { mentions, pending };
    }
    yield { mentions: [], cursor: JSON.stringify(next) };
  }

  return {
    type: 'bluesky',
    name,
    fetchMentions,
    async checkThreads(mentions: ThreadCheck[], ctx: SourceContext): Promise<ThreadResult[]> {
      if (mentions.length === 0) return [];
      if (brandAccounts.length === 0) return skipWithoutBrandAccounts(ctx, name, 'bluesky', mentions);
      const brandIds = await resolveBrand(ctx);
      return checkEachThread(ctx, name, mentions, (mention) => `replies to ${mention.platformId}`, async (mention) => {
        const uri = mention.threadRef ?? mention.platformId;
        const res = await authedGet(ctx, 'app.bsky.feed.getPostThread', { uri, depth: THREAD_DEPTH, parentHeight: 0 });
        const body = res.json<{ thread?: BlueskyThreadNode }>();
        if (!body || typeof body.thread !== 'object' || body.thread === null) throw fail('unexpected response from getPostThread: no thread');
        if (!body.thread.post) throw fail(`the post ${uri} is ${body.thread.$type?.split('#')[1] ?? 'not available'}`);
        return findBrandReply(mention, body.thread, brandIds);
      });
    },
    async check(ctx: SourceContext): Promise<string> {
      readCredentials(ctx);
      const res = await authedGet(ctx, 'com.atproto.server.getSession', {});
      const body = res.json<{ handle?: unknown; did?: unknown }>();
      if (!body || typeof body.did !== 'string') throw fail('unexpected response from getSession: no did');
      return `logged in as @${typeof body.handle === 'string' ? body.handle : body.did} via ${new URL(base).host}`;
    },
  };
}
