/**
 * Mastodon, one instance: mentions of the brand's account (notifications, needs the token), full-text
 * search (needs the token, and only finds posts from accounts that opted in), and public hashtag timelines.
 * API: https://docs.joinmastodon.org/methods/ (notifications, search, timelines, statuses, instance).
 *
 * The streams run side by side, each page yielded as it arrives; the next page is requested before the current
 * one is normalised. The instance's domain (`/api/v2/instance`, cached a day) is requested together with the
 * streams' first pages, not before them; pages are normalised once it is in. The cursor goes on a last page of
 * its own.
 */
import type { BrandConfig, MastodonSourceConfig } from '../config/types.js';
import { HttpError } from '../http/errors.js';
import type { HttpResponse } from '../http/types.js';
import { joinUrl, type QueryValue } from '../http/url.js';
import { htmlToText } from '../text/html.js';
import type { FetchedMention } from '../types.js';
import { collectKeywords, quoteIfPhrase } from './keywords.js';
import { mergePages } from './merge-pages.js';
import { createFail } from './prefix-error.js';
import { checkEachThread, skipWithoutBrandAccounts } from './thread-checks.js';
import type { FetchWindow, MentionPage, Source, SourceContext, ThreadCheck, ThreadResult } from './types.js';

/** The instance used when the config has no baseUrl. */
export const MASTODON_BASE_URL = 'https://mastodon.social';

/** Largest `limit` the list endpoints accept. */
const PAGE_SIZE = 40;
/** Requests per stream per run; a longer backlog continues next run (min_id paging leaves no gap). */
const MAX_PAGES_PER_STREAM = 10;
/** How long the instance's domain and timeline settings stay cached in the source's kv. */
const INSTANCE_TTL_MS = 24 * 60 * 60 * 1000;
const INSTANCE_KV_KEY = 'instance';

/** https://docs.joinmastodon.org/entities/Account/ (the fields we read). */
export interface MastodonAccount {
  id: string;
  username: string;
  /** `user` for local accounts, `user@domain` for remote ones. */
  acct: string;
  display_name?: string;
  url?: string;
  followers_count?: number;
}

export interface MastodonMention {
  id: string;
  acct: string;
  username?: string;
  url?: string;
}

/** https://docs.joinmastodon.org/entities/Status/ (the fields we read). */
export interface MastodonStatus {
  id: string;
  created_at: string;
  in_reply_to_id: string | null;
  in_reply_to_account_id?: string | null;
  spoiler_text?: string;
  content: string;
  url?: string | null;
  uri: string;
  account: MastodonAccount;
  mentions?: MastodonMention[];
  reblog?: MastodonStatus | null;
}

/** https://docs.joinmastodon.org/entities/Notification/ */
export interface MastodonNotification {
  id: string;
  type: string;
  created_at: string;
  account?: MastodonAccount;
  status?: MastodonStatus | null;
}

/** https://docs.joinmastodon.org/entities/Context/ */
export interface MastodonContext {
  ancestors: MastodonStatus[];
  descendants: MastodonStatus[];
}

/** What normalising needs besides the status: the instance's domain and the brand's accounts there. */
export interface MastodonNormalizeOptions {
  /** The instance's domain (`/api/v2/instance` → `domain`), appended to local accounts. */
  domain: string;
  /** The brand's accounts, as configured (`user@instance`; a bare `user` is local to the instance). */
  brandAccounts: readonly string[];
  /** The status came from the brand account's mention notifications. */
  fromNotification?: boolean;
}

/** `user`, `@user` or `user@domain` → lower-cased `user@domain`, local accounts getting the instance's domain. */
export function toMastodonAddress(acct: string, domain: string): string {
  const bare = acct.trim().replace(/^@/, '');
  return (bare.includes('@') ? bare : `${bare}@${domain}`).toLowerCase();
}

/** The account as `user@domain` in its own spelling (a display handle). */
function displayAddress(acct: string, domain: string): string {
  const bare = acct.replace(/^@/, '');
  return bare.includes('@') ? bare : `${bare}@${domain}`;
}

/** One status → a FetchedMention. Pure. */
export function normalizeMastodonStatus(status: MastodonStatus, options: MastodonNormalizeOptions): FetchedMention {
  const brand = new Set(options.brandAccounts.map((a) => toMastodonAddress(a, options.domain)));
  const account = status.account;
  const address = toMastodonAddress(account.acct, options.domain);
  const mentionsBrand = (status.mentions ?? []).some((m) => brand.has(toMastodonAddress(m.acct, options.domain)));
  const spoiler = status.spoiler_text?.trim() ?? '';
  return {
    platformId: String(status.id),
    url: status.url ?? status.uri ?? null,
    author: {
      handle: displayAddress(account.acct, options.domain),
      name: account.display_name?.trim() || account.username || null,
      url: account.url ?? null,
      reach: typeof account.followers_count === 'number' && account.followers_count > 0 ? account.followers_count : 0,
    },
    title: spoiler === '' ? null : htmlToText(spoiler),
    text: htmlToText(status.content ?? ''),
    createdAt: Date.parse(status.created_at),
    own: brand.has(address),
    addressesBrand: mentionsBrand || options.fromNotification === true,
    threadRef: String(status.id),
    raw: status,
  };
}

/** Snowflake ids as strings: longer is newer, then lexicographic. Never Number() them. */
export function compareMastodonIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The stored cursor: per stream, the newest id seen (`min_id` for the next poll). */
interface MastodonCursor {
  v: 1;
  streams: Record<string, string>;
}

function parseCursor(cursor: string | null): MastodonCursor {
  if (cursor === null) return { v: 1, streams: {} };
  try {
    const parsed = JSON.parse(cursor) as Partial<MastodonCursor>;
    const streams: Record<string, string> = {};
    if (parsed && typeof parsed.streams === 'object' && parsed.streams !== null) {
      for (const [key, value] of Object.entries(parsed.streams)) {
        if (typeof value === 'string' && /^\d+$/.test(value)) streams[key] = value;
      }
    }
    return { v: 1, streams };
  } catch {
    return { v: 1, streams: {} };
  }
}

type StreamKind = 'notifications' | 'search' | 'tag';

/** One endpoint polled with its own min_id. */
interface Stream {
  key: string;
  kind: StreamKind;
  label: string;
  path: string;
  query: Record<string, QueryValue>;
}

/** An item of a stream page: the id used for paging (a notification's own id, else the status id). */
interface StreamItem {
  pageId: string;
  createdAt: number;
  status: MastodonStatus | null;
}

/** One API page of one stream, as read (before de-duplication across streams). */
interface StreamPage {
  stream: Stream;
  items: StreamItem[];
}

interface InstanceInfo {
  domain: string;
  /** `configuration.timelines_access.hashtag_feeds` (4.5+): public | authenticated | disabled. */
  hashtagFeeds: { local?: string; remote?: string } | null;
  version: string | null;
  fetchedAt: number;
}

export function createMastodonSource(config: MastodonSourceConfig, brand: BrandConfig): Source {
  const name = config.name;
  const base = config.baseUrl ?? MASTODON_BASE_URL;
  const keywords = collectKeywords(brand.keywords, config.keywords);
  const hashtags = collectKeywords((config.hashtags ?? []).map((t) => t.replace(/^#/, '')));
  const brandAccounts = brand.accounts.mastodon ?? [];

  const fail = createFail(name);

  /** The token, or undefined when none is configured; a configured but missing variable is an error. */
  const readToken = (ctx: SourceContext): string | undefined => {
    if (!config.tokenEnv) return undefined;
    const token = ctx.env[config.tokenEnv]?.trim();
    if (!token) {
      throw fail(`${config.tokenEnv} is not set. Add the access token to .env, or remove tokenEnv from the config to use only public hashtag timelines`);
    }
    return token;
  };

  const authHeaders = (token: string | undefined): Record<string, string> =>
    token === undefined ? {} : { authorization: `Bearer ${token}` };

  const get = async (
    ctx: SourceContext,
    path: string,
    query: Record<string, QueryValue> | undefined,
    token: string | undefined,
    what: string,
  ): Promise<HttpResponse> => {
    ctx.signal.throwIfAborted();
    try {
      return await ctx.http.request({ url: joinUrl(base, path, query), headers: authHeaders(token) });
    } catch (error) {
      throw explainHttpError(error, what, token !== undefined);
    }
  };

  const explainHttpError = (error: unknown, what: string, withToken: boolean): unknown => {
    if (!(error instanceof HttpError) || error.status === undefined) return error;
    if (error.status === 401) {
      return withToken
        ? fail(`401 Unauthorized from ${what}. Check ${config.tokenEnv ?? 'the token'} in .env (a token with the read scope)`, undefined, error)
        : fail(`401 Unauthorized from ${what}: the instance requires authentication. Set tokenEnv in the config and the token in .env`, undefined, error);
    }
    if (error.status === 403) {
      return fail(`403 Forbidden from ${what}. The token may lack the read scope, or the instance blocks this client`, undefined, error);
    }
    return error;
  };

  const loadInstance = async (ctx: SourceContext): Promise<InstanceInfo> => {
    const cached = ctx.kv.get(INSTANCE_KV_KEY);
    const nowMs = ctx.now().getTime();
    if (cached !== undefined) {
      try {
        const info = JSON.parse(cached) as InstanceInfo;
        if (typeof info.domain === 'string' && info.domain !== '' && nowMs - info.fetchedAt < INSTANCE_TTL_MS) return info;
      } catch {
        // refetch below
      }
    }
    const res = await ctx.http
      .request({ url: joinUrl(base, '/api/v2/instance'), accept: [404] })
      .catch((error: unknown) => {
        throw explainHttpError(error, '/api/v2/instance', false);
      });
    let info: InstanceInfo;
    if (res.status === 404) {
      // Mastodon before 4.0 has no v2 instance endpoint: the base URL's host is the best guess.
      ctx.log.debug(`${name}: /api/v2/instance not found; using ${new URL(base).host} as the instance domain`);
      info = { domain: new URL(base).host, hashtagFeeds: null, version: null, fetchedAt: nowMs };
    } else {
      const body = res.json<{
        domain?: unknown;
        version?: unknown;
        configuration?: { timelines_access?: { hashtag_feeds?: { local?: string; remote?: string } } };
      }>();
      if (!body || typeof body !== 'object' || typeof body.domain !== 'string' || body.domain === '') {
        throw fail(`unexpected response from /api/v2/instance (no domain). Is ${base} a Mastodon instance?`);
      }
      info = {
        domain: body.domain,
        hashtagFeeds: body.configuration?.timelines_access?.hashtag_feeds ?? null,
        version: typeof body.version === 'string' ? body.version : null,
        fetchedAt: nowMs,
      };
    }
    ctx.kv.set(INSTANCE_KV_KEY, JSON.stringify(info));
    return info;
  };

  const buildStreams = (token: string | undefined, ctx: SourceContext): Stream[] => {
    const streams: Stream[] = [];
    if (token !== undefined) {
      streams.push({
        key: 'notifications',
        kind: 'notifications',
        label: 'mention notifications',
        path: '/api/v1/notifications',
        query: { 'types[]': ['mention'] },
      });
      for (const keyword of keywords) {
        streams.push({
          key: `search:${keyword.toLowerCase()}`,
          kind: 'search',
          label: `search "${keyword}"`,
          path: '/api/v2/search',
          // One search per keyword: Mastodon's search has no OR operator.
          query: { q: quoteIfPhrase(keyword), type: 'statuses', resolve: 'false' },
        });
      }
    } else if (keywords.length > 0 && hashtags.length === 0) {
      ctx.log.info(`${name}: no token configured, so no full-text search; add hashtags or set tokenEnv`);
    }
    for (const tag of hashtags) {
      streams.push({
        key: `tag:${tag.toLowerCase()}`,
        kind: 'tag',
        label: `#${tag} timeline`,
        path: `/api/v1/timelines/tag/${encodeURIComponent(tag)}`,
        query: {},
      });
    }
    return streams;
  };

  const fetchStreamPage = async (
    ctx: SourceContext,
    stream: Stream,
    token: string | undefined,
    paging: Record<string, QueryValue>,
  ): Promise<StreamItem[]> => {
    const res = await get(ctx, stream.path, { ...stream.query, limit: PAGE_SIZE, ...paging }, token, stream.path);
    const asyncRefresh = res.headers['mastodon-async-refresh'];
    if (asyncRefresh) ctx.log.debug(`${name}: ${stream.label} is still being refreshed by the instance (${asyncRefresh})`);
    const body = res.json<unknown>();
    const list = stream.kind === 'search' ? (body as { statuses?: unknown } | null)?.statuses : body;
    if (!Array.isArray(list)) {
      throw fail(`unexpected response from ${stream.path}: expected ${stream.kind === 'search' ? 'an object with statuses[]' : 'an array'}`);
    }
    const items: StreamItem[] = [];
    for (const entry of list) {
      if (stream.kind === 'notifications') {
        const n = entry as MastodonNotification;
        if (!n || typeof n.id !== 'string') continue;
        const status = n.type === 'mention' && isStatus(n.status) ? n.status : null;
        items.push({ pageId: n.id, createdAt: Date.parse(n.created_at), status });
      } else if (isStatus(entry)) {
        items.push({ pageId: entry.id, createdAt: Date.parse(entry.created_at), status: entry });
      } else {
        ctx.log.warn(`${name}: skipped a malformed status in ${stream.label}`);
      }
    }
    return items;
  };

  /**
   * One stream's pages as they arrive (forward from the cursor: oldest first; first poll: newest first).
   * `next.streams[stream.key]` follows the newest id read so far. Each page's successor is asked for as soon
   * as the page is read, before it is yielded (and normalised); a failure of that request is thrown at the top
   * of the next round, after the page.
   */
  async function* streamPages(
    ctx: SourceContext,
    stream: Stream,
    token: string | undefined,
    cursorId: string | undefined,
    since: Date,
    next: MastodonCursor,
  ): AsyncGenerator<StreamPage> {
    const fetchPage = (paging: Record<string, QueryValue>): Promise<StreamItem[]> => {
      const request = fetchStreamPage(ctx, stream, token, paging);
      request.catch(() => {}); // awaited (and thrown) at the top of the next round; never an unhandled rejection
      return request;
    };
    if (cursorId !== undefined) {
      // Forward from the cursor with min_id: each answer is the page just above it, so nothing is skipped.
      let minId = cursorId;
      next.streams[stream.key] = minId;
      let request: Promise<StreamItem[]> | undefined = fetchPage({ min_id: minId });
      for (let i = 0; request !== undefined; i++) {
        const items: StreamItem[] = await request;
        request = undefined;
        const fresh = items.filter((item) => compareMastodonIds(item.pageId, minId) > 0);
        if (fresh.length === 0) return;
        minId = fresh.reduce((max, item) => (compareMastodonIds(item.pageId, max) > 0 ? item.pageId : max), minId);
        next.streams[stream.key] = minId;
        if (items.length >= PAGE_SIZE) {
          if (i < MAX_PAGES_PER_STREAM - 1) request = fetchPage({ min_id: minId });
          else ctx.log.info(`${name}: ${stream.label} has more new posts; the next run continues from here`);
        }
        yield { stream, items: fresh };
      }
      return;
    }
    // First poll: back from the newest with max_id until window.since.
    const sinceMs = since.getTime();
    let request: Promise<StreamItem[]> | undefined = fetchPage({ max_id: undefined });
    for (let i = 0; request !== undefined; i++) {
      const items: StreamItem[] = await request;
      request = undefined;
      if (items.length === 0) return;
      for (const item of items) {
        const newest = next.streams[stream.key];
        if (newest === undefined || compareMastodonIds(item.pageId, newest) > 0) next.streams[stream.key] = item.pageId;
      }
      const inWindow = items.filter((item) => !(item.createdAt < sinceMs));
      if (inWindow.length === items.length && items.length >= PAGE_SIZE) {
        const maxId = items.reduce((min, item) => (compareMastodonIds(item.pageId, min) < 0 ? item.pageId : min), items[0]!.pageId);
        if (i < MAX_PAGES_PER_STREAM - 1) request = fetchPage({ max_id: maxId });
        else ctx.log.warn(`${name}: ${stream.label} has more posts since ${since.toISOString()} than one run reads; older ones were skipped`);
      }
      if (inWindow.length > 0) yield { stream, items: inWindow };
    }
  }

  /**
   * A stream that fails alone, among others: its error is logged and kept in `errors`, its cursor entry goes back
   * to what it was (its pages already yielded are read again next run), and the other streams go on.
   */
  async function* failingAlone(
    ctx: SourceContext,
    stream: Stream,
    pages: AsyncIterable<StreamPage>,
    cursorId: string | undefined,
    next: MastodonCursor,
    errors: Map<Stream, unknown>,
  ): AsyncGenerator<StreamPage> {
    try {
      yield* pages;
    } catch (error) {
      if ((error as { name?: string }).name === 'InterruptedError') throw error;
      if (cursorId !== undefined) next.streams[stream.key] = cursorId;
      else delete next.streams[stream.key];
      ctx.log.warn(`${name}: ${stream.label} failed: ${(error as Error).message}`);
      errors.set(stream, error);
    }
  }

  /** The hashtag timelines will find little or nothing on this instance: say so. */
  const warnAboutHashtagFeeds = (ctx: SourceContext, instance: InstanceInfo, token: string | undefined): void => {
    if (hashtags.length === 0 || !instance.hashtagFeeds) return;
    const { local, remote } = instance.hashtagFeeds;
    if (local === 'disabled' && remote === 'disabled') {
      ctx.log.warn(`${name}: ${instance.domain} has disabled hashtag timelines; the hashtags will find nothing`);
    } else if (token === undefined && (local === 'authenticated' || remote === 'authenticated')) {
      ctx.log.warn(`${name}: ${instance.domain} shows hashtag timelines only to logged-in users; set tokenEnv to read them fully`);
    }
  };

  async function* fetchMentions(window: FetchWindow, ctx: SourceContext): AsyncGenerator<MentionPage> {
    const token = readToken(ctx);
    const streams = buildStreams(token, ctx);
    const previous = parseCursor(window.cursor);
    const next: MastodonCursor = { v: 1, streams: {} };
    const errors = new Map<Stream, unknown>();
    const pages = mergePages(
      streams.map((stream) => {
        const cursorId = previous.streams[stream.key];
        const own = streamPages(ctx, stream, token, cursorId, window.since, next);
        return streams.length === 1 ? own : failingAlone(ctx, stream, own, cursorId, next, errors);
      }),
    );
    // Every stream's first request goes out now, and the instance lookup (normalising needs its domain) beside
    // them instead of a round trip before them.
    const firstPage = pages.next();
    firstPage.catch(() => {}); // read below
    const instance = loadInstance(ctx).then((info) => {
      warnAboutHashtagFeeds(ctx, info, token);
      return info;
    });
    instance.catch(() => {}); // read below, unless a stream's error ends the run first

    const seen = new Set<string>();
    let done = false;
    try {
      for (let result = await firstPage; !result.done; result = await pages.next()) {
        const { stream, items } = result.value;
        const { domain } = await instance;
        // The stream's next page is already asked for: normalising waits for this source's turn for CPU work.
        await ctx.pace?.();
        const mentions = newMentions(items, seen, { domain, brandAccounts, fromNotification: stream.kind === 'notifications' });
        if (mentions.length > 0) yield { mentions };
      }
      done = true;
      if (errors.size === streams.length && errors.size > 0) throw firstError(streams, errors);
      await instance;
    } catch (error) {
      // As when the lookup went first: a failed instance lookup is the error reported, not what followed from it.
      if ((error as { name?: string }).name !== 'InterruptedError') await instance;
      throw error;
    } finally {
      if (!done) void pages.return(undefined).catch(() => {});
    }

    yield { mentions: [], cursor: JSON.stringify(next) };
    if (errors.size > 0) {
      const first = firstError(streams, errors) as Error;
      throw fail(
        `${errors.size} of ${streams.length} feeds failed (the others were stored): ${first.message.replace(new RegExp(`^${escapeRegExp(name)}: `), '')}`,
        undefined,
        first,
      );
    }
  }

  const checkThread = async (mention: ThreadCheck, ctx: SourceContext, token: string | undefined, domain: string): Promise<ThreadResult> => {
    const id = mention.threadRef ?? mention.platformId;
    const res = await get(ctx, `/api/v1/statuses/${encodeURIComponent(id)}/context`, undefined, token, 'the status context');
    if (res.headers['mastodon-async-refresh']) {
      ctx.log.debug(`${name}: replies to ${id} are still being fetched by the instance; using what is there`);
    }
    const context = res.json<Partial<MastodonContext>>();
    if (!context || !Array.isArray(context.descendants)) throw fail(`unexpected response from the context of ${id}: no descendants[]`);
    return findBrandReply(mention, id, context.descendants.filter(isStatus), brandAccounts, domain);
  };

  return {
    type: 'mastodon',
    name,
    fetchMentions,
    async checkThreads(mentions: ThreadCheck[], ctx: SourceContext): Promise<ThreadResult[]> {
      if (mentions.length === 0) return [];
      if (brandAccounts.length === 0) return skipWithoutBrandAccounts(ctx, name, 'mastodon', mentions);
      const token = readToken(ctx);
      const instance = await loadInstance(ctx);
      return checkEachThread(ctx, name, mentions, (mention) => `replies to ${mention.platformId}`, (mention) =>
        checkThread(mention, ctx, token, instance.domain),
      );
    },
    async check(ctx: SourceContext): Promise<string> {
      const token = readToken(ctx);
      const instance = await loadInstance(ctx);
      const where = `${instance.domain}${instance.version ? ` (Mastodon ${instance.version})` : ''}`;
      if (token === undefined) return `${where}, no token: hashtag timelines only`;
      const res = await get(ctx, '/api/v1/accounts/verify_credentials', undefined, token, 'verify_credentials');
      const account = res.json<Partial<MastodonAccount>>();
      if (!account || typeof account.acct !== 'string') throw fail('unexpected response from verify_credentials (no acct)');
      return `${where}, logged in as @${displayAddress(account.acct, instance.domain)}`;
    },
  };
}

/**
 * The brand's first reply below the mention (descendants chained by in_reply_to_id to it), and whether the
 * mention's author wrote again below it after the brand's last reply. Pure.
 */
export function findBrandReply(
  mention: Pick<ThreadCheck, 'platformId' | 'authorHandle'>,
  mentionId: string,
  descendants: readonly MastodonStatus[],
  brandAccounts: readonly string[],
  domain: string,
): ThreadResult {
  const brand = new Set(brandAccounts.map((a) => toMastodonAddress(a, domain)));
  const below = new Set<string>([mentionId]);
  const inThread: MastodonStatus[] = [];
  // Descendants come parent-first, but do not rely on it: repeat until no new link is found.
  let remaining = [...descendants];
  for (let changed = true; changed; ) {
    changed = false;
    const rest: MastodonStatus[] = [];
    for (const status of remaining) {
      if (status.in_reply_to_id !== null && below.has(status.in_reply_to_id)) {
        below.add(status.id);
        inThread.push(status);
        changed = true;
      } else {
        rest.push(status);
      }
    }
    remaining = rest;
  }
  const author = mention.authorHandle ? toMastodonAddress(mention.authorHandle, domain) : null;
  let firstBrand: number | null = null;
  let lastBrand: number | null = null;
  for (const status of inThread) {
    if (!brand.has(toMastodonAddress(status.account.acct, domain))) continue;
    const at = Date.parse(status.created_at);
    if (Number.isNaN(at)) continue;
    if (firstBrand === null || at < firstBrand) firstBrand = at;
    if (lastBrand === null || at > lastBrand) lastBrand = at;
  }
  const reopened =
    lastBrand !== null &&
    author !== null &&
    !brand.has(author) &&
    inThread.some((s) => toMastodonAddress(s.account.acct, domain) === author && Date.parse(s.created_at) > lastBrand!);
  return { platformId: mention.platformId, answeredAt: firstBrand, reopened };
}

function isStatus(value: unknown): value is MastodonStatus {
  const s = value as MastodonStatus | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.id === 'string' &&
    typeof s.created_at === 'string' &&
    typeof s.account === 'object' &&
    s.account !== null &&
    typeof s.account.acct === 'string'
  );
}

/**
 * A page's statuses not seen before in this run → mentions (reblogs and notifications of other kinds skipped);
 * marks them seen. Pure but for `seen`.
 */
function newMentions(items: readonly StreamItem[], seen: Set<string>, options: MastodonNormalizeOptions): FetchedMention[] {
  const mentions: FetchedMention[] = [];
  for (const { status } of items) {
    if (!status || status.reblog || seen.has(status.id)) continue;
    seen.add(status.id);
    mentions.push(normalizeMastodonStatus(status, options));
  }
  return mentions;
}

/** The error of the first failed stream, in the order the streams were configured. */
function firstError<S>(streams: readonly S[], errors: ReadonlyMap<S, unknown>): unknown {
  return errors.get(streams.find((stream) => errors.has(stream))!);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
