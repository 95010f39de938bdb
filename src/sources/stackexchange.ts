/**
 * Stack Exchange API 2.3 (https://api.stackexchange.com/docs).
 *
 * - Search: `GET /search/advanced?site=<site>&q="<kw>"&sort=creation&order=desc&fromdate=<epoch s>&pagesize=100
 *   &filter=withbody`, one query per keyword (the `q` syntax has no OR), merged and de-duplicated. This finds
 *   questions; answers that mention the brand are not searchable through this method.
 * - Paging: each search page's new questions are yielded as soon as it is parsed (newest first within the
 *   page), so poll stores one while the next loads; the next page (or the next keyword's first) is requested
 *   before the current one is normalised, unless the API asked for a pause.
 * - Cursor: JSON `{"v":1,"t":<newest creation_date>,"seen":[question ids created in the 15 minutes before t]}`,
 *   from every question the run found, alone on a last page (a crash before it repeats the run);
 *   the next poll asks for `fromdate=t-15min` (the search index lags) and skips the `seen` ids. A run stopped
 *   by a backoff keeps the stored cursor, so the next one repeats it (what it stored is skipped as known).
 * - Reach: `owner.reputation`, on the page itself (no extra request, nothing pending).
 * - Author handle: the numeric `owner.user_id` as a string (what `brand.accounts.stackexchange` lists);
 *   `author.name` is the display name.
 * - Replies: answers (`/questions/{ids}/answers`) and comments on the question and on its answers
 *   (`/posts/{ids}/comments`) whose `owner.user_id` is a brand account; ids batched 100 per call.
 * - Throttling in bodies: a wrapper `backoff` (seconds) and the `throttle_violation` error (id 502) are kept
 *   in ctx.kv (`backoff:<method>` → epoch ms); until then the method is not called and the run fails with a
 *   SourceError saying when it resumes.
 * - The app key (config.keyEnv) travels in the `key` query parameter; it is removed from every error message.
 */
import type { BrandConfig, StackExchangeSourceConfig } from '../config/types.js';
import { InterruptedError, SourceError } from '../errors.js';
import { joinUrl, type QueryValue } from '../http/url.js';
import { decodeEntities, htmlToText } from '../text/html.js';
import type { FetchedMention } from '../types.js';
import { collectKeywords, quotePhrase, requireKeywords } from './keywords.js';
import { nextOverlapCursor, readOverlapWindow } from './overlap-cursor.js';
import { unanswered } from './thread-checks.js';
import type { FetchWindow, MentionPage, Source, SourceContext, ThreadCheck, ThreadResult } from './types.js';

/** Default API root. */
export const STACKEXCHANGE_BASE_URL = 'https://api.stackexchange.com/2.3';
export const STACKEXCHANGE_OVERLAP_SECONDS = 15 * 60;
const PAGE_SIZE = 100;
/** Search requests per keyword per run (quota: 300/day without a key, 10,000 with one). */
const MAX_PAGES_PER_KEYWORD = 5;
/** Pages per thread-lookup method per run. */
const MAX_THREAD_PAGES = 5;
const ERROR_STATUSES = [400, 401, 402, 403, 404, 405, 406, 409];

/** https://api.stackexchange.com/docs/types/shallow-user */
export interface StackExchangeOwner {
  user_id?: number;
  display_name?: string;
  reputation?: number;
  link?: string;
  user_type?: string;
  [key: string]: unknown;
}

/** https://api.stackexchange.com/docs/types/question */
export interface StackExchangeQuestion {
  question_id: number;
  title?: string;
  body?: string;
  link?: string;
  creation_date?: number;
  owner?: StackExchangeOwner;
  [key: string]: unknown;
}

/** Answers and comments, as far as reply detection reads them (docs/types/answer, docs/types/comment). */
export interface StackExchangePost {
  answer_id?: number;
  comment_id?: number;
  question_id?: number;
  post_id?: number;
  creation_date?: number;
  owner?: StackExchangeOwner;
}

/** https://api.stackexchange.com/docs/wrapper */
interface Wrapper<T> {
  items: T[];
  has_more?: boolean;
  backoff?: number;
  quota_max?: number;
  quota_remaining?: number;
}

/** One search page as the run reads it: keyword index, page number (from 1) and the response. */
interface SearchRound {
  k: number;
  page: number;
  body: Wrapper<StackExchangeQuestion>;
}

export function createStackExchangeSource(config: StackExchangeSourceConfig, brand: BrandConfig): Source {
  const name = config.name;
  const base = config.baseUrl ?? STACKEXCHANGE_BASE_URL;
  const keywords = collectKeywords(brand.keywords, config.keywords);
  const accounts = (brand.accounts.stackexchange ?? []).map((id) => String(id).trim());

  const keyOf = (ctx: SourceContext): string | undefined => {
    if (!config.keyEnv) return undefined;
    const key = ctx.env[config.keyEnv];
    if (!key) {
      ctx.log.warn(`${name}: ${config.keyEnv} is not set; calling without an app key (300 requests/day). Set ${config.keyEnv} in .env`);
      return undefined;
    }
    return key;
  };

  /** One API call: honours a stored backoff, records new ones, turns error wrappers into SourceErrors. */
  const isBackingOff = (ctx: SourceContext, method: string): boolean =>
    Number(ctx.kv.get(`backoff:${method}`) ?? 0) > ctx.now().getTime();

  const call = async <T>(ctx: SourceContext, method: string, path: string, query: Record<string, QueryValue>): Promise<Wrapper<T>> => {
    const now = ctx.now().getTime();
    const until = Number(ctx.kv.get(`backoff:${method}`) ?? 0);
    if (until > now) {
      throw new SourceError(
        `${name}: the API asked us not to call ${method} until ${new Date(until).toISOString()}; skipping it this run. It resumes by itself`,
      );
    }
    const key = keyOf(ctx);
    const scrub = (text: string): string => scrubKey(text, key);
    let status: number;
    let body: unknown;
    try {
      const res = await ctx.http.request({
        url: joinUrl(base, path, { ...query, site: config.site, key }),
        accept: ERROR_STATUSES,
      });
      status = res.status;
      body = res.json();
    } catch (error) {
      if (error instanceof InterruptedError) throw error;
      // Pass the client's error through when it shows no key (the app lists keyEnv among the client's secrets).
      const leaks = (text: unknown): boolean => typeof text === 'string' && scrub(text) !== text;
      const e = error as { message?: unknown; url?: unknown; body?: unknown; hint?: unknown };
      if (error instanceof SourceError && error.message.startsWith(`${name}:`) && ![e.message, e.url, e.body, e.hint].some(leaks)) throw error;
      // Otherwise never keep the original as `cause`: its URL carries the key.
      const message = scrub(error instanceof Error ? error.message : String(error));
      const hint = error instanceof SourceError && error.hint ? scrub(error.hint) : undefined;
      throw new SourceError(message.startsWith(`${name}:`) ? message : `${name}: ${message}`, hint);
    }
    const wrapper = body as Partial<Wrapper<T>> & { error_id?: number; error_name?: string; error_message?: string };
    if (typeof wrapper !== 'object' || wrapper === null) {
      throw new SourceError(`${name}: unexpected response from ${method} (not a JSON object). Check baseUrl points at the Stack Exchange API`);
    }
    if (typeof wrapper.error_id === 'number' || status >= 400) {
      throw describeApiError(ctx, method, status, wrapper, scrub);
    }
    if (!Array.isArray(wrapper.items)) {
      throw new SourceError(`${name}: unexpected response from ${method} (no "items" list). Check baseUrl points at the Stack Exchange API`);
    }
    if (typeof wrapper.backoff === 'number' && wrapper.backoff > 0) {
      ctx.kv.set(`backoff:${method}`, String(now + wrapper.backoff * 1000));
      ctx.log.warn(`${name}: the API asked for a ${wrapper.backoff}s pause on ${method}`);
    }
    return wrapper as Wrapper<T>;
  };

  function describeApiError(
    ctx: SourceContext,
    method: string,
    status: number,
    wrapper: { error_id?: number; error_name?: string; error_message?: string },
    scrub: (text: string) => string,
  ): SourceError {
    const detail = scrub(`${wrapper.error_name ?? `HTTP ${status}`}${wrapper.error_message ? `: ${wrapper.error_message}` : ''}`);
    if (wrapper.error_id === 502) {
      const seconds = Number(/(\d+)\s*seconds?/.exec(wrapper.error_message ?? '')?.[1] ?? 60);
      const until = ctx.now().getTime() + seconds * 1000;
      ctx.kv.set(`backoff:${method}`, String(until));
      return new SourceError(`${name}: throttled (${detail}). Calls resume after ${new Date(until).toISOString()}${config.keyEnv ? '' : '; an app key raises the quota (keyEnv)'}`);
    }
    if (wrapper.error_id === 400 && /key/i.test(wrapper.error_message ?? '')) {
      return new SourceError(`${name}: the app key was rejected (${detail}). Check ${config.keyEnv ?? 'keyEnv'} in .env`);
    }
    if (wrapper.error_id === 400 && /site/i.test(wrapper.error_message ?? '')) {
      return new SourceError(`${name}: site "${config.site}" was rejected (${detail}). Use an api_site_parameter such as "stackoverflow"`);
    }
    return new SourceError(`${name}: ${method} failed (${detail})`);
  }

  const search = (ctx: SourceContext, keyword: string, fromSeconds: number | undefined, page: number, pagesize: number) =>
    call<StackExchangeQuestion>(ctx, 'search/advanced', '/search/advanced', {
      q: quotePhrase(keyword),
      sort: 'creation',
      order: 'desc',
      fromdate: fromSeconds,
      pagesize,
      page,
      filter: 'withbody',
    });

  /** Every item of a `{ids}` method, 100 ids per call, following has_more up to MAX_THREAD_PAGES per batch. */
  const listByIds = async <T>(ctx: SourceContext, method: string, ids: string[], path: (joined: string) => string): Promise<T[]> => {
    const out: T[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      const joined = ids.slice(i, i + 100).join(';');
      for (let page = 1; page <= MAX_THREAD_PAGES; page++) {
        const body = await call<T>(ctx, method, path(joined), { pagesize: PAGE_SIZE, page, sort: 'creation', order: 'asc' });
        out.push(...body.items);
        if (!body.has_more) break;
      }
    }
    return out;
  };

  return {
    type: 'stackexchange',
    name,

    async *fetchMentions(window: FetchWindow, ctx: SourceContext): AsyncIterable<MentionPage> {
      requireKeywords(name, keywords);
      const { cursor, sinceSeconds, from, seen } = readOverlapWindow(name, window, 'Stack Exchange', STACKEXCHANGE_OVERLAP_SECONDS);

      /** Page `page` of keyword `k`, requested now: awaited (and so thrown) at the top of the round that reads it. */
      const request = (k: number, page: number): Promise<SearchRound> => {
        const round = search(ctx, keywords[k] as string, from, page, PAGE_SIZE).then((body) => ({ k, page, body }));
        round.catch(() => {}); // never an unhandled rejection
        return round;
      };

      // Creation time (s) of every question this run, by id: the cursor's input, and the run's de-duplication.
      const found = new Map<string, number>();
      let incomplete = false;
      let yielded = false;
      // Each keyword's pages, the keywords one after another; each round asks for the next page before it normalises.
      let requested: Promise<SearchRound> | undefined = request(0, 1);
      while (requested) {
        const { k, page, body } = await requested;
        requested = undefined;
        let following: [k: number, page: number] | undefined;
        if (body.has_more && page < MAX_PAGES_PER_KEYWORD) {
          following = [k, page + 1];
        } else {
          if (body.has_more) {
            ctx.log.warn(`${name}: more than ${MAX_PAGES_PER_KEYWORD * PAGE_SIZE} questions for "${keywords[k]}" in one run; older ones were skipped`);
          }
          if (k + 1 < keywords.length) following = [k + 1, 1];
        }
        if (following && isBackingOff(ctx, 'search/advanced')) {
          // Asked to pause mid-run (by this very response, say): no further request. This page and those before it
          // are still yielded and stored; the cursor stays where it was so the next run repeats (and skips what is stored).
          ctx.log.warn(`${name}: stopped searching early (the API asked for a pause); the next run continues from the same cursor`);
          incomplete = true;
        } else if (following) {
          requested = request(...following);
        }
        // Normalising takes a while: in a poll, only once the other sources' next requests are out.
        await ctx.pace?.();
        const fresh: StackExchangeQuestion[] = [];
        for (const item of body.items) {
          const id = String(item.question_id);
          if (found.has(id)) continue;
          found.set(id, item.creation_date ?? 0);
          if (!seen.has(id)) fresh.push(item);
        }
        // Reputation comes with the page: nothing to wait for.
        if (fresh.length > 0) {
          yield { mentions: newestFirst(fresh).map((q) => normalizeStackExchangeQuestion(q, accounts)) };
          yielded = true;
        }
      }

      const items = [...found].map(([id, seconds]) => ({ id, seconds })).sort((a, b) => b.seconds - a.seconds);
      // Stopped early: keep the stored cursor (or none) so the next run repeats.
      const next = incomplete ? cursor : nextOverlapCursor(cursor, sinceSeconds, items, STACKEXCHANGE_OVERLAP_SECONDS);
      // Last and on its own: the pages before it are stored first, so a crash before this one repeats the run.
      if (next) yield { mentions: [], cursor: JSON.stringify(next) };
      else if (!yielded) yield { mentions: [] };
    },

    async checkThreads(checks: ThreadCheck[], ctx: SourceContext): Promise<ThreadResult[]> {
      const ids = [...new Set(checks.map((c) => c.threadRef ?? c.platformId))];
      const results = new Map<string, ThreadResult>();
      for (let i = 0; i < ids.length; i += 100) {
        const batch = ids.slice(i, i + 100);
        try {
          const answers = await listByIds<StackExchangePost>(ctx, 'questions/answers', batch, (joined) => `/questions/${joined}/answers`);
          const postIds = [...batch, ...answers.map((a) => String(a.answer_id))];
          const comments = await listByIds<StackExchangePost>(ctx, 'posts/comments', postIds, (joined) => `/posts/${joined}/comments`);
          for (const check of checks) {
            const questionId = check.threadRef ?? check.platformId;
            if (!batch.includes(questionId)) continue;
            results.set(check.platformId, findBrandReply(questionId, check, answers, comments, accounts));
          }
        } catch (error) {
          if (error instanceof InterruptedError) throw error;
          for (const check of checks) {
            if (!batch.includes(check.threadRef ?? check.platformId)) continue;
            ctx.log.warn(`${name}: could not check the answers to question ${check.platformId}: ${(error as Error).message}`);
            results.set(check.platformId, unanswered(check.platformId));
          }
        }
      }
      return checks.map((c) => results.get(c.platformId) ?? unanswered(c.platformId));
    },

    async check(ctx: SourceContext): Promise<string> {
      requireKeywords(name, keywords);
      const keyword = keywords[0] as string;
      const body = await search(ctx, keyword, undefined, 1, 1);
      const quota = typeof body.quota_remaining === 'number' ? `, quota ${body.quota_remaining}/${body.quota_max ?? '?'} left` : '';
      return `ok: ${body.items.length === 0 ? 'no' : body.has_more ? 'several' : '1'} results for "${keyword}" on ${config.site}${quota}`;
    },
  };
}

/** Newest first, as the search asks for (sort=creation, order=desc), whatever order a page comes in. Pure. */
function newestFirst(questions: readonly StackExchangeQuestion[]): StackExchangeQuestion[] {
  return [...questions].sort((a, b) => (b.creation_date ?? 0) - (a.creation_date ?? 0));
}

/** One question → a mention. Pure. */
export function normalizeStackExchangeQuestion(question: StackExchangeQuestion, accounts: readonly string[]): FetchedMention {
  const owner = question.owner ?? {};
  const userId = typeof owner.user_id === 'number' ? String(owner.user_id) : null;
  const id = String(question.question_id);
  return {
    platformId: id,
    url: question.link ?? null,
    author: {
      handle: userId,
      name: owner.display_name ? decodeEntities(owner.display_name) : null,
      url: owner.link ?? null,
      reach: typeof owner.reputation === 'number' ? owner.reputation : 0,
    },
    title: question.title ? decodeEntities(question.title) : null,
    text: htmlToText(question.body ?? ''),
    createdAt: (question.creation_date ?? 0) * 1000,
    own: userId !== null && accounts.includes(userId),
    addressesBrand: false,
    threadRef: id,
    raw: question,
  };
}

/**
 * Answers to the question and comments on it or on its answers are all below it. The brand's first one is
 * the answer; the asker (authorHandle = user id) writing after the brand's last one reopens it. Pure.
 */
export function findBrandReply(
  questionId: string,
  check: ThreadCheck,
  answers: readonly StackExchangePost[],
  comments: readonly StackExchangePost[],
  accounts: readonly string[],
): ThreadResult {
  const answerIds = new Set(answers.filter((a) => String(a.question_id) === questionId).map((a) => String(a.answer_id)));
  const below = [
    ...answers.filter((a) => String(a.question_id) === questionId),
    ...comments.filter((c) => String(c.post_id) === questionId || answerIds.has(String(c.post_id))),
  ];
  const ownerOf = (post: StackExchangePost): string | null => (typeof post.owner?.user_id === 'number' ? String(post.owner.user_id) : null);
  const brandTimes = below.filter((p) => accounts.includes(ownerOf(p) ?? '')).map((p) => (p.creation_date ?? 0) * 1000);
  if (brandTimes.length === 0) return unanswered(check.platformId);
  const lastBrand = Math.max(...brandTimes);
  const reopened =
    check.authorHandle !== null && below.some((p) => ownerOf(p) === check.authorHandle && (p.creation_date ?? 0) * 1000 > lastBrand);
  return { platformId: check.platformId, answeredAt: Math.min(...brandTimes), reopened };
}

/** Removes the app key, as written and as URL-encoded either way, and any `key=` query value. */
function scrubKey(text: string, key: string | undefined): string {
  let out = text.replace(/([?&;]key=)[^&\s"')]*/gi, '$1***');
  if (key) {
    for (const form of [key, encodeURIComponent(key), new URLSearchParams({ k: key }).toString().slice(2)]) out = out.split(form).join('***');
  }
  return out;
}

