/**
 * GitHub issues, pull requests and (with a token) discussions (https://docs.github.com/rest).
 *
 * - Search: `GET /search/issues?q=(<"kw" OR "kw2">) in:title,body is:issue|is:pull-request created:>=<ISO>
 *   &advanced_search=true&sort=created&order=desc&per_page=100`; one query each for issues and pull requests
 *   (the API requires one of the two), keywords OR-ed in groups of at most 5 phrases.
 * - Discussions (only with a token): GraphQL `search(type: DISCUSSION)`, one query per keyword
 *   (`"kw" in:title,body created:>=<ISO> sort:created-desc`).
 * - Paging: the issue, pull-request and discussion searches are read side by side (mergePages); each API
 *   page's new mentions are yielded as soon as it is parsed, so poll stores one while the next loads. In each
 *   search the next page (or the next query's first) is requested before the current one is normalised.
 * - Cursor: JSON `{"v":1,"t":<newest created_at, epoch s>,"seen":[ids created in the 10 minutes before t]}`,
 *   from everything the run found, alone on a last page (a crash before it repeats the run);
 *   the next poll searches `created:>=t-10min` (the search index lags) and skips the `seen` ids.
 * - Reach: the author's followers (`GET /users/:login`, at most 20 per run, cached a day in ctx.kv;
 *   discussions get it from GraphQL). A page's lookups start when it is yielded and finish as its `pending`
 *   while the next pages load; one looker per run, so an author on several pages is looked up once.
 *   `reactions.total_count` is not the author's reach and is not used.
 * - Replies: issue comments (`/repos/{owner}/{repo}/issues/{n}/comments`) whose `user.login` is a brand account
 *   (case-insensitive), or whose `author_association` is OWNER/MEMBER/COLLABORATOR when the repository's
 *   owner is itself a brand account: maintainers of the brand's own repos answer for the brand, maintainers
 *   of other people's repos do not. Discussions: the same rule over comments and their replies.
 *   Issue comments are fetched with `If-None-Match` and the answer is cached per thread in ctx.kv. On a pull
 *   request, review comments on its diff (`/pulls/{n}/comments`) count too; both lists are read on each check.
 * - Deprecation/Sunset headers (and `Link; rel="deprecation"`) are logged once per run with ctx.log.warn.
 */
import type { BrandConfig, GitHubSourceConfig } from '../config/types.js';
import { InterruptedError, SourceError } from '../errors.js';
import type { HttpRequest, HttpResponse } from '../http/types.js';
import { joinUrl } from '../http/url.js';
import { decodeEntities } from '../text/html.js';
import type { FetchedMention } from '../types.js';
import { collectKeywords, quotePhrase, requireKeywords } from './keywords.js';
import { withPendingReach } from './mention-pages.js';
import { mergePages } from './merge-pages.js';
import { nextOverlapCursor, readOverlapWindow } from './overlap-cursor.js';
import { createReachLooker, type ReachLooker } from './reach-cache.js';
import { readJson } from './read-json.js';
import { checkEachThread, unanswered } from './thread-checks.js';
import type { FetchWindow, MentionPage, Source, SourceContext, ThreadCheck, ThreadResult } from './types.js';

/** Default API root (GitHub Enterprise: `https://<host>/api/v3`). */
export const GITHUB_BASE_URL = 'https://api.github.com';
export const GITHUB_OVERLAP_SECONDS = 10 * 60;
const PER_PAGE = 100;
/** Search pages per query per run (the API stops at 1,000 results anyway). */
const MAX_SEARCH_PAGES = 10;
const MAX_COMMENT_PAGES = 5;
/** GitHub counts at most 5 AND/OR/NOT operators per query; keep phrase groups well inside 256 characters. */
const MAX_PHRASES_PER_QUERY = 5;
const MAX_QUERY_CHARS = 200;
const MAINTAINER_ASSOCIATIONS = ['OWNER', 'MEMBER', 'COLLABORATOR'];

/** https://docs.github.com/rest/search/search#search-issues-and-pull-requests (the fields read). */
export interface GitHubIssue {
  id: number;
  number: number;
  title?: string | null;
  body?: string | null;
  html_url?: string;
  repository_url?: string;
  created_at?: string;
  author_association?: string;
  user?: { login?: string; html_url?: string; [key: string]: unknown } | null;
  pull_request?: unknown;
  [key: string]: unknown;
}

/** https://docs.github.com/rest/issues/comments#list-issue-comments */
export interface GitHubComment {
  id?: number;
  created_at?: string;
  author_association?: string;
  user?: { login?: string } | null;
}

/** A GraphQL Discussion node, as queried below. */
export interface GitHubDiscussion {
  id: string;
  number: number;
  title?: string | null;
  body?: string | null;
  url?: string;
  createdAt?: string;
  authorAssociation?: string;
  author?: { login?: string; url?: string; followers?: { totalCount?: number } } | null;
  repository?: { nameWithOwner?: string };
}

/** The discussions search's `data`, as queried below. */
interface DiscussionSearch {
  search?: { pageInfo?: { hasNextPage?: boolean; endCursor?: string | null }; nodes?: (GitHubDiscussion | null)[] };
}

interface DiscussionComment {
  createdAt?: string;
  authorAssociation?: string;
  author?: { login?: string } | null;
  replies?: { nodes?: DiscussionComment[] };
}

const DISCUSSION_SEARCH = `query($q: String!, $after: String) {
  search(type: DISCUSSION, query: $q, first: 50, after: $after) {
    discussionCount
    pageInfo { hasNextPage endCursor }
    nodes { ... on Discussion { id number title body url createdAt authorAssociation
      author { login url ... on User { followers { totalCount } } }
      repository { nameWithOwner } } }
  }
}`;

const DISCUSSION_THREAD = `query($owner: String!, $name: String!, $number: Int!) {
  repository(owner: $owner, name: $name) {
    discussion(number: $number) {
      comments(first: 100) { nodes { createdAt authorAssociation author { login }
        replies(first: 100) { nodes { createdAt authorAssociation author { login } } } } }
    }
  }
}`;

export function createGitHubSource(config: GitHubSourceConfig, brand: BrandConfig): Source {
  const name = config.name;
  const base = config.baseUrl ?? GITHUB_BASE_URL;
  const keywords = collectKeywords(brand.keywords, config.keywords);
  const accounts = (brand.accounts.github ?? []).map((a) => a.trim().replace(/^@/, '').toLowerCase());
  let deprecationLogged = false;

  const tokenOf = (ctx: SourceContext): string | undefined => {
    if (!config.tokenEnv) return undefined;
    const token = ctx.env[config.tokenEnv];
    if (!token) {
      ctx.log.warn(`${name}: ${config.tokenEnv} is not set; searching unauthenticated (10 searches/min, no discussions). Set ${config.tokenEnv} in .env`);
      return undefined;
    }
    return token;
  };

  const send = async (ctx: SourceContext, token: string | undefined, req: HttpRequest): Promise<HttpResponse> => {
    const headers: Record<string, string> = {
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      ...req.headers,
    };
    if (token) headers.authorization = `Bearer ${token}`;
    let res: HttpResponse;
    try {
      res = await ctx.http.request({ ...req, headers, accept: [401, 422, ...(req.accept ?? [])] });
    } catch (error) {
      throw prefixError(name, error, token);
    }
    warnIfDeprecated(ctx, res);
    if (res.status === 401) {
      throw new SourceError(
        `${name}: 401 ${apiMessage(res) ?? 'Unauthorized'}. ${config.tokenEnv ? `Check ${config.tokenEnv} in .env (a token with public read access)` : 'Set tokenEnv and a token in .env'}`,
      );
    }
    if (res.status === 422) {
      throw new SourceError(`${name}: 422 ${apiMessage(res) ?? 'Unprocessable'} for ${new URL(res.url).pathname}. Check the keywords in the config`);
    }
    return res;
  };

  const json = <T>(res: HttpResponse, token: string | undefined): T => {
    try {
      return res.json<T>();
    } catch (error) {
      throw prefixError(name, error, token);
    }
  };

  function warnIfDeprecated(ctx: SourceContext, res: HttpResponse): void {
    if (deprecationLogged) return;
    const deprecation = res.headers.deprecation;
    const sunset = res.headers.sunset;
    const link = /<([^>]+)>\s*;\s*rel="?deprecation"?/i.exec(res.headers.link ?? '')?.[1];
    if (!deprecation && !sunset && !link) return;
    deprecationLogged = true;
    const parts = [deprecation && `Deprecation: ${deprecation}`, sunset && `Sunset: ${sunset}`, link && `see ${link}`].filter(Boolean);
    ctx.log.warn(`${name}: ${new URL(res.url).pathname} is deprecated (${parts.join(', ')}). Update mention-watch before it is removed`);
  }

  const searchIssues = async (ctx: SourceContext, token: string | undefined, q: string, page: number, perPage: number) => {
    const res = await send(ctx, token, {
      url: joinUrl(base, '/search/issues', { q, advanced_search: 'true', sort: 'created', order: 'desc', per_page: perPage, page }),
    });
    const body = json<{ total_count?: number; incomplete_results?: boolean; items?: unknown }>(res, token);
    if (typeof body !== 'object' || body === null || !Array.isArray(body.items)) {
      throw new SourceError(`${name}: unexpected search response (no "items" list). Check baseUrl points at the GitHub REST API`);
    }
    return { total: body.total_count ?? body.items.length, items: body.items as GitHubIssue[] };
  };

  const graphql = async <T>(ctx: SourceContext, token: string, query: string, variables: Record<string, unknown>): Promise<T> => {
    const res = await send(ctx, token, { url: joinUrl(base, '/graphql'), method: 'POST', json: { query, variables } });
    const body = json<{ data?: T; errors?: { message?: string }[] }>(res, token);
    if (body?.errors?.length) {
      throw new SourceError(`${name}: GraphQL error: ${body.errors.map((e) => e.message).join('; ')}`);
    }
    if (!body?.data) throw new SourceError(`${name}: unexpected GraphQL response (no "data"). Check baseUrl`);
    return body.data;
  };

  return {
    type: 'github',
    name,

    async *fetchMentions(window: FetchWindow, ctx: SourceContext): AsyncIterable<MentionPage> {
      requireKeywords(name, keywords);
      const token = tokenOf(ctx);
      const { cursor, sinceSeconds, from, seen } = readOverlapWindow(name, window, 'GitHub', GITHUB_OVERLAP_SECONDS);
      const created = `created:>=${new Date(from * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')}`;

      /** A request started now: awaited (and so thrown) at the top of the round that reads it. */
      const started = <T>(round: Promise<T>): Promise<T> => {
        round.catch(() => {}); // never an unhandled rejection
        return round;
      };
      /**
       * Every page of one search (issues or pull requests) as it arrives, the keyword groups one after another;
       * each round asks for the next page before it makes the page's hits.
       */
      async function* searchPages(kind: string): AsyncGenerator<SearchHit[]> {
        const queries = groupPhrases(keywords).map((group) => `${group} in:title,body ${kind} ${created}`);
        const request = (g: number, page: number) =>
          started(searchIssues(ctx, token, queries[g] as string, page, PER_PAGE).then(({ items }) => ({ g, page, items })));
        let requested = queries.length > 0 ? request(0, 1) : undefined;
        while (requested) {
          const { g, page, items } = await requested;
          requested = undefined;
          const full = items.length >= PER_PAGE;
          if (full && page < MAX_SEARCH_PAGES) {
            requested = request(g, page + 1);
          } else {
            if (full) ctx.log.warn(`${name}: more than ${MAX_SEARCH_PAGES * PER_PAGE} results for ${queries[g]}; older ones were skipped`);
            if (g + 1 < queries.length) requested = request(g + 1, 1);
          }
          // Making the page's mentions takes a while: in a poll, only once the other sources' next requests are out.
          await ctx.pace?.();
          yield items.map((item) => issueHit(item, accounts));
        }
      }
      /**
       * Every page of the discussions search (GraphQL needs a token) as it arrives, one keyword after another;
       * each round asks for the next page before it makes the page's hits.
       */
      async function* discussionPages(auth: string): AsyncGenerator<SearchHit[]> {
        const queries = keywords.map((keyword) => `${quotePhrase(keyword)} in:title,body ${created} sort:created-desc`);
        const request = (k: number, page: number, after: string | null) =>
          started(graphql<DiscussionSearch>(ctx, auth, DISCUSSION_SEARCH, { q: queries[k], after }).then((data) => ({ k, page, data })));
        let requested = queries.length > 0 ? request(0, 1, null) : undefined;
        while (requested) {
          const { k, page, data } = await requested;
          requested = undefined;
          const pageInfo = data.search?.pageInfo;
          if (pageInfo?.hasNextPage && page < MAX_SEARCH_PAGES) requested = request(k, page + 1, pageInfo.endCursor ?? null);
          else if (k + 1 < queries.length) requested = request(k + 1, 1, null);
          // Making the page's mentions takes a while: in a poll, only once the other sources' next requests are out.
          await ctx.pace?.();
          const nodes = (data.search?.nodes ?? []).filter((node): node is GitHubDiscussion => !!node?.id);
          yield nodes.map((node) => discussionHit(node, accounts)).filter((hit) => hit.at >= from * 1000);
        }
      }

      const followers = followersLooker(ctx, token);
      // Issues and pull requests are two searches (the API requires one or the other), discussions a third:
      // read side by side, each page yielded as soon as it arrives.
      const streams = [searchPages('is:issue'), searchPages('is:pull-request'), ...(token ? [discussionPages(token)] : [])];
      // Creation time (ms) of every hit this run, by id: the cursor's input, and the run's de-duplication.
      const found = new Map<string, number>();
      for await (const hits of mergePages(streams)) {
        const fresh: SearchHit[] = [];
        for (const hit of hits) {
          if (found.has(hit.id)) continue;
          found.set(hit.id, hit.at);
          if (!seen.has(hit.id)) fresh.push(hit);
        }
        if (fresh.length === 0) continue;
        // Reach 0 until the page's lookups settle; they run while the next pages are fetched.
        const loginOf = new Map(fresh.map((hit) => [hit.mention(), hit.lookUp] as const));
        yield withPendingReach([...loginOf.keys()], followers.lookUp(loginOf.values()), (mention) => loginOf.get(mention) ?? null);
      }

      // This run queried from before every previously seen id, so `found` holds all ids the next overlap can return.
      const items = [...found].map(([id, at]) => ({ id, seconds: at / 1000 })).sort((a, b) => b.seconds - a.seconds);
      const next = nextOverlapCursor(cursor, sinceSeconds, items, GITHUB_OVERLAP_SECONDS);
      // Last and on its own: the pages before it are stored first, so a crash before this one repeats the run.
      yield { mentions: [], cursor: JSON.stringify(next) };
    },

    async checkThreads(checks: ThreadCheck[], ctx: SourceContext): Promise<ThreadResult[]> {
      const token = tokenOf(ctx);
      return checkEachThread(ctx, name, checks, (check) => `the thread of ${check.threadRef ?? check.platformId}`, async (check) => {
        const ref = parseThreadRef(check.threadRef);
        if (!ref) throw new Error(`thread reference ${JSON.stringify(check.threadRef)} is not owner/repo#number`);
        if (!ref.discussion) return checkIssue(ctx, token, check, ref);
        if (!token) throw new Error(`discussions need a token (${config.tokenEnv ?? 'tokenEnv'})`);
        return checkDiscussion(ctx, token, check, ref);
      });
    },

    async check(ctx: SourceContext): Promise<string> {
      requireKeywords(name, keywords);
      const token = tokenOf(ctx);
      const keyword = keywords[0] as string;
      const { total } = await searchIssues(ctx, token, `${quotePhrase(keyword)} in:title,body is:issue`, 1, 1);
      return `ok: ${total} results for "${keyword}"${token ? '' : ' (unauthenticated: 10 searches/min, no discussions)'}`;
    },
  };

  async function checkIssue(ctx: SourceContext, token: string | undefined, check: ThreadCheck, ref: ThreadRef): Promise<ThreadResult> {
    const repoPath = `/repos/${encodeURIComponent(ref.owner)}/${encodeURIComponent(ref.repo)}`;
    if (isPullRequest(check)) {
      // A pull request's answers are also review comments on its diff: both lists, read whole each time.
      const [conversation, review] = await Promise.all([
        readComments(ctx, token, `${repoPath}/issues/${ref.number}/comments`),
        readComments(ctx, token, `${repoPath}/pulls/${ref.number}/comments`),
      ]);
      return findBrandReply(check, [...conversation, ...review], accounts, ref.owner);
    }
    const path = `${repoPath}/issues/${ref.number}/comments`;
    // The stored answer depends on the brand accounts and the mention's author too.
    const cacheKey = `thread:${ref.owner}/${ref.repo}#${ref.number}:${check.authorHandle ?? ''}:${accounts.join(',')}`.toLowerCase();
    const cached = readJson<{ etag: string; result: ThreadResult }>(ctx.kv.get(cacheKey));
    const comments: GitHubComment[] = [];
    let etag: string | undefined;
    for (let page = 1; page <= MAX_COMMENT_PAGES; page++) {
      const conditional = page === 1 && cached?.etag ? { 'if-none-match': cached.etag } : undefined;
      const res = await send(ctx, token, { url: joinUrl(base, path, { per_page: PER_PAGE, page }), headers: conditional, accept: [304] });
      if (res.status === 304 && cached) return { ...cached.result, platformId: check.platformId };
      const body = json<unknown>(res, token);
      if (!Array.isArray(body)) throw new Error('unexpected comments response (not a list)');
      comments.push(...(body as GitHubComment[]));
      if (page === 1) etag = res.headers.etag;
      if (body.length < PER_PAGE) {
        const result = findBrandReply(check, comments, accounts, ref.owner);
        if (page === 1 && etag) ctx.kv.set(cacheKey, JSON.stringify({ etag, result }));
        return result;
      }
    }
    return findBrandReply(check, comments, accounts, ref.owner);
  }

  /** Every comment of a list endpoint, page by page (at most MAX_COMMENT_PAGES). */
  async function readComments(ctx: SourceContext, token: string | undefined, path: string): Promise<GitHubComment[]> {
    const comments: GitHubComment[] = [];
    for (let page = 1; page <= MAX_COMMENT_PAGES; page++) {
      const body = json<unknown>(await send(ctx, token, { url: joinUrl(base, path, { per_page: PER_PAGE, page }) }), token);
      if (!Array.isArray(body)) throw new Error(`unexpected response from ${path} (not a list)`);
      comments.push(...(body as GitHubComment[]));
      if (body.length < PER_PAGE) break;
    }
    return comments;
  }

  async function checkDiscussion(ctx: SourceContext, token: string, check: ThreadCheck, ref: ThreadRef): Promise<ThreadResult> {
    const data = await graphql<{ repository?: { discussion?: { comments?: { nodes?: DiscussionComment[] } } | null } | null }>(
      ctx,
      token,
      DISCUSSION_THREAD,
      { owner: ref.owner, name: ref.repo, number: ref.number },
    );
    const discussion = data.repository?.discussion;
    if (!discussion) throw new Error('discussion not found');
    const below: GitHubComment[] = [];
    for (const comment of discussion.comments?.nodes ?? []) {
      for (const c of [comment, ...(comment.replies?.nodes ?? [])]) {
        below.push({ created_at: c.createdAt, author_association: c.authorAssociation, user: c.author ? { login: c.author.login } : null });
      }
    }
    return findBrandReply(check, below, accounts, ref.owner);
  }

  /** One run's follower lookups (lower-cased logins): the day-long kv cache, then at most MAX_REACH_LOOKUPS requests per run. */
  function followersLooker(ctx: SourceContext, token: string | undefined): ReachLooker {
    return createReachLooker(ctx, {
      name,
      keyPrefix: 'followers',
      describe: (login) => `followers of ${login}`,
      fetchReach: async (login) => {
        const res = await send(ctx, token, { url: joinUrl(base, `/users/${encodeURIComponent(login)}`) });
        const user = json<{ followers?: unknown }>(res, token);
        return typeof user?.followers === 'number' ? user.followers : 0;
      },
    });
  }
}

/** One search result as the run sees it: its id and creation time (ms) for the cursor, its mention made on demand. */
interface SearchHit {
  id: string;
  at: number;
  /** The lower-cased login whose followers are looked up, or null (discussions come with them). */
  lookUp: string | null;
  mention(): FetchedMention;
}

function issueHit(item: GitHubIssue, accounts: readonly string[]): SearchHit {
  return {
    id: String(item.id),
    at: Date.parse(item.created_at ?? '') || 0,
    lookUp: item.user?.login?.toLowerCase() ?? null,
    mention: () => normalizeGitHubIssue(item, accounts),
  };
}

function discussionHit(node: GitHubDiscussion, accounts: readonly string[]): SearchHit {
  return { id: node.id, at: Date.parse(node.createdAt ?? '') || 0, lookUp: null, mention: () => normalizeGitHubDiscussion(node, accounts) };
}

/** One search item (issue or pull request) → a mention. Pure; reach is filled in by the caller. */
export function normalizeGitHubIssue(item: GitHubIssue, accounts: readonly string[], reach = 0): FetchedMention {
  const login = item.user?.login ?? null;
  const repo = repoOf(item);
  const body = cleanMarkdown(item.body ?? '');
  const title = item.title ? decodeEntities(item.title) : null;
  return {
    platformId: String(item.id),
    url: item.html_url ?? null,
    author: { handle: login, name: login, url: item.user?.html_url ?? (login ? `https://github.com/${login}` : null), reach },
    title,
    text: body,
    createdAt: Date.parse(item.created_at ?? '') || 0,
    own: isBrand(login, accounts),
    addressesBrand: accounts.some((a) => a.toLowerCase() !== login?.toLowerCase() && mentionsLogin(`${title ?? ''}\n${body}`, a)),
    threadRef: repo ? `${repo}#${item.number}` : null,
    raw: item,
  };
}

/** One GraphQL Discussion → a mention. Pure. threadRef is `discussion:owner/repo#number`. */
export function normalizeGitHubDiscussion(node: GitHubDiscussion, accounts: readonly string[]): FetchedMention {
  const login = node.author?.login ?? null;
  const body = cleanMarkdown(node.body ?? '');
  const title = node.title ? decodeEntities(node.title) : null;
  return {
    platformId: node.id,
    url: node.url ?? null,
    author: { handle: login, name: login, url: node.author?.url ?? null, reach: node.author?.followers?.totalCount ?? 0 },
    title,
    text: body,
    createdAt: Date.parse(node.createdAt ?? '') || 0,
    own: isBrand(login, accounts),
    addressesBrand: accounts.some((a) => a.toLowerCase() !== login?.toLowerCase() && mentionsLogin(`${title ?? ''}\n${body}`, a)),
    threadRef: node.repository?.nameWithOwner ? `discussion:${node.repository.nameWithOwner}#${node.number}` : null,
    raw: node,
  };
}

/**
 * Comments on an issue are all below it (GitHub threads are flat). A comment is the brand's when its login
 * is a brand account, or when its author is a maintainer (OWNER/MEMBER/COLLABORATOR) and the repository
 * owner is a brand account. Pure.
 */
export function findBrandReply(check: ThreadCheck, comments: readonly GitHubComment[], accounts: readonly string[], repoOwner: string): ThreadResult {
  const brandRepo = isBrand(repoOwner, accounts);
  const isBrandComment = (c: GitHubComment): boolean =>
    isBrand(c.user?.login ?? null, accounts) || (brandRepo && MAINTAINER_ASSOCIATIONS.includes(c.author_association ?? ''));
  const time = (c: GitHubComment): number => Date.parse(c.created_at ?? '') || 0;
  const brandTimes = comments.filter(isBrandComment).map(time);
  if (brandTimes.length === 0) return unanswered(check.platformId);
  const lastBrand = Math.max(...brandTimes);
  const author = check.authorHandle?.toLowerCase();
  const reopened = !!author && comments.some((c) => c.user?.login?.toLowerCase() === author && !isBrandComment(c) && time(c) > lastBrand);
  return { platformId: check.platformId, answeredAt: Math.min(...brandTimes), reopened };
}

interface ThreadRef {
  owner: string;
  repo: string;
  number: number;
  discussion: boolean;
}

/** A mention of a pull request (its permalink is …/pull/<number>), as opposed to an issue. */
function isPullRequest(check: ThreadCheck): boolean {
  return /^https?:\/\/[^/]+\/[^/]+\/[^/]+\/pull\/\d+/.test(check.url ?? '');
}

function parseThreadRef(ref: string | null): ThreadRef | null {
  const match = /^(discussion:)?([^/\s]+)\/([^#\s]+)#(\d+)$/.exec(ref ?? '');
  if (!match) return null;
  return { discussion: !!match[1], owner: match[2] as string, repo: match[3] as string, number: Number(match[4]) };
}

/** `owner/repo` from `repository_url` (…/repos/owner/repo), else from `html_url`. */
function repoOf(item: GitHubIssue): string | null {
  const fromApi = /\/repos\/([^/]+)\/([^/?#]+)\/?$/.exec(item.repository_url ?? '');
  if (fromApi) return `${fromApi[1]}/${fromApi[2]}`;
  const fromHtml = /^https?:\/\/[^/]+\/([^/]+)\/([^/]+)\/(?:issues|pull)\/\d+/.exec(item.html_url ?? '');
  return fromHtml ? `${fromHtml[1]}/${fromHtml[2]}` : null;
}

function isBrand(login: string | null, accounts: readonly string[]): boolean {
  return login !== null && accounts.some((a) => a.toLowerCase() === login.toLowerCase());
}

/** `@login` as a whole login (letters, digits, hyphens; case-insensitive); `@org/team` counts for the org. */
function mentionsLogin(text: string, account: string): boolean {
  const escaped = account.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_@/-])@${escaped}(?![A-Za-z0-9_-])`, 'i').test(text);
}

/** Bodies are Markdown: kept as written, minus HTML comments (issue templates) and \r. */
function cleanMarkdown(body: string): string {
  return body.replace(/<!--[\s\S]*?-->/g, '').replace(/\r\n?/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}

/** `("a" OR "b")` groups within GitHub's operator and length limits. */
function groupPhrases(keywords: readonly string[]): string[] {
  const groups: string[][] = [];
  let current: string[] = [];
  for (const keyword of keywords) {
    const phrase = quotePhrase(keyword);
    const length = current.join(' OR ').length + phrase.length + 4;
    if (current.length > 0 && (current.length >= MAX_PHRASES_PER_QUERY || length > MAX_QUERY_CHARS)) {
      groups.push(current);
      current = [];
    }
    current.push(phrase);
  }
  if (current.length > 0) groups.push(current);
  return groups.map((g) => (g.length === 1 ? (g[0] as string) : `(${g.join(' OR ')})`));
}

function apiMessage(res: HttpResponse): string | undefined {
  try {
    const body = JSON.parse(res.text()) as { message?: unknown };
    return typeof body.message === 'string' ? body.message.slice(0, 200) : undefined;
  } catch {
    return undefined;
  }
}

function prefixError(name: string, error: unknown, token: string | undefined): Error {
  const scrub = (text: string): string => (token ? text.split(token).join('***') : text);
  if (error instanceof InterruptedError) return error;
  if (error instanceof SourceError && error.message.startsWith(`${name}:`) && !(token && error.message.includes(token))) return error;
  const message = scrub(error instanceof Error ? error.message : String(error));
  return new SourceError(message.startsWith(`${name}:`) ? message : `${name}: ${message}`, error instanceof SourceError ? error.hint : undefined, {
    cause: error,
  });
}
