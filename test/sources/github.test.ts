import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { BrandConfig, GitHubSourceConfig } from '../../src/config/types.js';
import { SourceError } from '../../src/errors.js';
import type { HttpRequest } from '../../src/http/types.js';
import {
  createGitHubSource,
  findBrandReply,
  normalizeGitHubDiscussion,
  normalizeGitHubIssue,
  type GitHubIssue,
} from '../../src/sources/github.js';
import type { MentionPage, ThreadCheck } from '../../src/sources/types.js';
import { collect, gatedPace, recordRequests, settledMentions, waitFor, watch } from '../support/paging.js';
import { fixturePath, startReplayServer, type ReplayServer } from '../support/replay-server.js';
import { createTestSourceContext } from '../support/source-context.js';

const fixture = <T = any>(name: string): T => JSON.parse(readFileSync(fixturePath('github', name), 'utf8')) as T;
const REPO = 'octokit-fixture-org/tmp-scenario-search-issues-20220719044045959-jlcli';
const TOKEN = 'ghp_s3cretTOKEN';
const SINCE = new Date('2022-07-19T00:00:00Z');
const NOW = new Date('2022-07-19T06:00:00Z');
const brandWith = (accounts: string[]): BrandConfig => ({ name: 'Acme', keywords: ['sesame'], exclude: [], accounts: { github: accounts } });

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setUp(options: { prefix?: string; kv?: Record<string, string>; env?: Record<string, string>; accounts?: string[] } = {}) {
  server = await startReplayServer();
  const prefix = options.prefix ?? '';
  const config: GitHubSourceConfig = { type: 'github', name: 'github', enabled: true, tokenEnv: 'GITHUB_TOKEN', baseUrl: `${server.url}${prefix}` };
  const source = createGitHubSource(config, brandWith(options.accounts ?? ['acme']));
  const ctx = createTestSourceContext({ name: 'github', now: NOW, kv: options.kv, env: options.env ?? {} });
  return { server, source, ctx, prefix };
}

/** `count` issues like the real first one, ids counting down from 2000000000, all created at `createdAt`. */
const issues = (count: number, createdAt = '2022-07-19T05:00:00Z') => {
  const real = fixture('search-issues.json');
  return { ...real, total_count: count, items: Array.from({ length: count }, (_, i) => ({ ...real.items[0], id: 2000000000 - i, number: 100 + i, created_at: createdAt })) };
};
const ISSUES_Q = '"sesame" in:title,body is:issue created:>=2022-07-19T00:00:00Z';
const PULLS_Q = '"sesame" in:title,body is:pull-request created:>=2022-07-19T00:00:00Z';

/** What recordRequests keeps of each request in these tests: its URL, parsed, and its JSON body. */
const urlAndBody = (req: HttpRequest) => ({ url: new URL(req.url), json: req.json });

const usersRoute = (login: string, prefix = '') => ({ path: `${prefix}/users/${login}`, file: 'github/user.json' });

describe('normalizeGitHubIssue', () => {
  it('normalises a real search item', () => {
    const item = fixture('search-issues.json').items[0] as GitHubIssue;
    expect(normalizeGitHubIssue(item, ['acme'], 12)).toEqual({
      platformId: '1308970076',
      url: `https://github.com/${REPO}/issues/2`,
      author: { handle: 'octokit-fixture-user-b', name: 'octokit-fixture-user-b', url: 'https://github.com/octokit-fixture-user-b', reach: 12 },
      title: 'Sesame seeds split without a pop!',
      text: 'I’ve waited all year long, but there was no pop 😭',
      createdAt: Date.parse('2022-07-19T04:40:52Z'),
      own: false,
      addressesBrand: false,
      threadRef: `${REPO}#2`,
      raw: item,
    });
  });

  it.each([
    { case: 'the brand login, other case', accounts: ['Octokit-Fixture-User-A'], body: 'x', own: true, addresses: false },
    { case: 'a login containing the brand login', accounts: ['octokit-fixture-user'], body: 'x', own: false, addresses: false },
    { case: '@mention of the brand', accounts: ['acme'], body: 'ping @ACME please', own: false, addresses: true },
    { case: '@mention of an org team', accounts: ['acme'], body: 'cc @acme/support', own: false, addresses: true },
    { case: '@mention of a longer login', accounts: ['acme'], body: 'cc @acme-fan', own: false, addresses: false },
    { case: 'an e-mail address', accounts: ['acme'], body: 'mail me@acme.com', own: false, addresses: false },
  ])('own/addressesBrand: $case', ({ accounts, body, own, addresses }) => {
    const item = { ...fixture('search-issues.json').items[1], body } as GitHubIssue;
    const mention = normalizeGitHubIssue(item, accounts.map((a) => a.toLowerCase()));
    expect([mention.own, mention.addressesBrand]).toEqual([own, addresses]);
  });

  it('normalises a discussion node', () => {
    const node = fixture('graphql-search-discussions.json').data.search.nodes[0];
    expect(normalizeGitHubDiscussion(node, ['octokit-fixture-org'])).toMatchObject({
      platformId: 'D_kwDOHrjvNc4ARiWx',
      title: 'Open sesame & friends?',
      author: { handle: 'octokit-fixture-user-b', reach: 5 },
      addressesBrand: true,
      threadRef: `discussion:${REPO}#3`,
    });
  });
});

describe('findBrandReply (pure)', () => {
  const comments = fixture('issue-comments.json');
  const check: ThreadCheck = { platformId: '1', threadRef: 'PyGithub/PyGithub#3372', url: null, authorHandle: 'iarspider', createdAt: 0 };
  it.each([
    { case: 'a brand login (case-insensitive)', accounts: ['enricomi'], answeredAt: Date.parse('2025-09-16T19:22:02Z') },
    { case: 'a COLLABORATOR on the brand org repo', accounts: ['pygithub'], answeredAt: Date.parse('2025-09-16T19:22:02Z') },
    { case: 'a COLLABORATOR on someone else’s repo (only others replied)', accounts: ['acme'], answeredAt: null },
    { case: 'a login merely containing the brand login', accounts: ['enrico'], answeredAt: null },
  ])('$case', ({ accounts, answeredAt }) => {
    expect(findBrandReply(check, comments, accounts, 'PyGithub')).toEqual({ platformId: '1', answeredAt, reopened: false });
  });

  it('the author writing after the brand’s last comment reopens it', () => {
    expect(findBrandReply(check, fixture('issue-comments-reopened.json'), ['enricomi'], 'PyGithub')).toEqual({
      platformId: '1',
      answeredAt: Date.parse('2025-09-16T19:22:02Z'),
      reopened: true,
    });
  });
});

describe('createGitHubSource', () => {
  it('first poll: issues and PRs with advanced_search, created:>= since, followers as reach, deprecation logged', async () => {
    const { server, source, ctx } = await setUp();
    const deprecated = { deprecation: 'true', sunset: 'Thu, 04 Sep 2025 00:00:00 GMT', 'x-ratelimit-resource': 'search' };
    server.add(
      { path: '/search/issues', query: { q: '"sesame" in:title,body is:issue created:>=2022-07-19T00:00:00Z' }, file: 'github/search-issues.json', headers: deprecated },
      { path: '/search/issues', query: { q: '"sesame" in:title,body is:pull-request created:>=2022-07-19T00:00:00Z' }, file: 'github/search-issues-empty.json' },
      usersRoute('octokit-fixture-user-b'),
      usersRoute('octokit-fixture-user-a'),
    );
    const pages = await collect(source, { cursor: null, since: SINCE }, ctx);
    server.assertDone();

    const issues = server.requests.find((r) => r.query.q?.includes('is:issue'));
    expect(issues?.query).toEqual({
      q: '"sesame" in:title,body is:issue created:>=2022-07-19T00:00:00Z',
      advanced_search: 'true',
      sort: 'created',
      order: 'desc',
      per_page: '100',
      page: '1',
    });
    expect(issues?.headers).toMatchObject({ accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' });
    expect(issues?.headers).not.toHaveProperty('authorization');
    // The issues page, then the cursor alone (the empty pull-request page yields nothing).
    expect(pages.map((p) => p.mentions.length)).toEqual([2, 0]);
    expect(pages[0]?.cursor).toBeUndefined();
    expect(pages[0]?.mentions.map((m) => [m.platformId, m.author.reach])).toEqual([
      ['1308970076', 12],
      ['1308970043', 12],
    ]);
    expect(JSON.parse(pages[1]?.cursor ?? '')).toEqual({ v: 1, t: Date.parse('2022-07-19T04:40:52Z') / 1000, seen: ['1308970076', '1308970043'] });
    expect(ctx.log.warnings).toEqual([
      'github: GITHUB_TOKEN is not set; searching unauthenticated (10 searches/min, no discussions). Set GITHUB_TOKEN in .env',
      'github: /search/issues is deprecated (Deprecation: true, Sunset: Thu, 04 Sep 2025 00:00:00 GMT). Update mention-watch before it is removed',
    ]);
    expect(JSON.parse(ctx.kv.get('followers:octokit-fixture-user-a') ?? '')).toEqual({ reach: 12, at: NOW.getTime() });
  });

  it('next poll with a token: created:>= cursor minus overlap, seen skipped, discussions via GraphQL', async () => {
    const at = Date.parse('2022-07-19T04:40:52Z') / 1000;
    const { server, source, ctx } = await setUp({
      env: { GITHUB_TOKEN: TOKEN },
      kv: { 'followers:octokit-fixture-user-a': JSON.stringify({ reach: 3, at: NOW.getTime() - 1000 }) },
    });
    const created = 'created:>=2022-07-19T04:30:52Z';
    server.add(
      { path: '/search/issues', query: { q: `"sesame" in:title,body is:issue ${created}` }, file: 'github/search-issues.json' },
      { path: '/search/issues', query: { q: `"sesame" in:title,body is:pull-request ${created}` }, file: 'github/search-issues-empty.json' },
      { method: 'POST', path: '/graphql', file: 'github/graphql-search-discussions.json' },
    );
    const cursor = JSON.stringify({ v: 1, t: at, seen: ['1308970076'] });
    const pages = await collect(source, { cursor, since: SINCE }, ctx);
    server.assertDone();

    for (const request of server.requests) expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const graphql = JSON.parse(server.requests.find((r) => r.path === '/graphql')?.body ?? '{}');
    expect(graphql.variables).toEqual({ q: `"sesame" in:title,body ${created} sort:created-desc`, after: null });
    // The searches run side by side: their pages come in whichever order they are answered.
    const mentions = pages.flatMap((p) => p.mentions).sort((a, b) => b.createdAt - a.createdAt);
    expect(mentions.map((m) => [m.platformId, m.author.reach])).toEqual([
      ['D_kwDOHrjvNc4ARiWx', 5],
      ['1308970043', 3],
    ]);
    expect(pages.slice(0, -1).map((p) => p.cursor)).toEqual([undefined, undefined]);
    expect(JSON.parse(pages.at(-1)?.cursor ?? '')).toEqual({
      v: 1,
      t: Date.parse('2022-07-19T04:41:00Z') / 1000,
      seen: ['D_kwDOHrjvNc4ARiWx', '1308970076', '1308970043'],
    });
    expect(JSON.stringify(pages)).not.toContain(TOKEN);
  });

  it('pages back while pages are full; the cursor is on the last page only', async () => {
    const { server, source, ctx } = await setUp({ kv: { 'followers:octokit-fixture-user-b': JSON.stringify({ reach: 1, at: NOW.getTime() }), 'followers:octokit-fixture-user-a': JSON.stringify({ reach: 1, at: NOW.getTime() }) } });
    const real = fixture('search-issues.json');
    const full = { ...real, total_count: 102, items: Array.from({ length: 100 }, (_, i) => ({ ...real.items[0], id: 2000000000 - i, number: 100 + i, created_at: `2022-07-19T05:${String(59 - Math.floor(i / 2)).padStart(2, '0')}:00Z` })) };
    server.add(
      { path: '/search/issues', query: { page: '1', q: '"sesame" in:title,body is:issue created:>=2022-07-19T00:00:00Z' }, body: full },
      { path: '/search/issues', query: { page: '2' }, file: 'github/search-issues.json' },
      { path: '/search/issues', query: { q: '"sesame" in:title,body is:pull-request created:>=2022-07-19T00:00:00Z' }, file: 'github/search-issues-empty.json' },
    );
    const pages = await collect(source, { cursor: null, since: SINCE }, ctx);
    server.assertDone();
    expect(pages.map((p) => p.mentions.length)).toEqual([100, 2, 0]);
    expect(pages.map((p) => p.cursor === undefined)).toEqual([true, true, false]);
    expect(JSON.parse(pages[2]?.cursor ?? '').t).toBe(Date.parse('2022-07-19T05:59:00Z') / 1000);
  });

  it('requests the next page before handing over the current one; followers looked up meanwhile, once per author', async () => {
    const { server, source, ctx } = await setUp();
    // 100 issues by octokit-fixture-user-b, who also wrote the first issue of page 2.
    const full = issues(100);
    server.add(
      { path: '/search/issues', query: { page: '1', q: ISSUES_Q }, body: full },
      { path: '/search/issues', query: { page: '2' }, file: 'github/search-issues.json' },
      { path: '/search/issues', query: { q: PULLS_Q }, file: 'github/search-issues-empty.json' },
      usersRoute('octokit-fixture-user-b'),
      usersRoute('octokit-fixture-user-a'),
    );
    const pages = source.fetchMentions({ cursor: null, since: SINCE }, ctx)[Symbol.asyncIterator]();

    const first = (await pages.next()).value as MentionPage;
    // Handed over without waiting for the followers lookup: it is the page's pending work.
    expect(first.mentions[0]?.author.reach).toBe(0);
    // Page 2 was asked for before page 1 was handed over: it reaches the server though nobody reads on.
    await waitFor('the request for page 2', () => server.requests.some((r) => r.query.page === '2'));
    expect(first.mentions).toHaveLength(100);
    expect(first.cursor).toBeUndefined();
    await first.pending;
    expect(first.mentions.every((m) => m.author.reach === 12)).toBe(true);

    const second = (await pages.next()).value as MentionPage;
    expect(second.mentions.map((m) => m.platformId)).toEqual(['1308970076', '1308970043']);
    expect(second.cursor).toBeUndefined();
    expect(await settledMentions(second).then((ms) => ms.map((m) => m.author.reach))).toEqual([12, 12]);

    const last = (await pages.next()).value as MentionPage;
    expect(last.mentions).toEqual([]);
    expect(JSON.parse(last.cursor ?? '').t).toBe(Date.parse('2022-07-19T05:00:00Z') / 1000);
    expect((await pages.next()).done).toBe(true);
    server.assertDone();
    const lookups = server.requests.filter((r) => r.path.startsWith('/users/')).map((r) => r.path);
    expect(lookups).toEqual(['/users/octokit-fixture-user-b', '/users/octokit-fixture-user-a']);
  });

  it('stops each search at a short page or at the page cap (with a warning): no page beyond is requested', async () => {
    const { server, source, ctx } = await setUp({ kv: { 'followers:octokit-fixture-user-b': JSON.stringify({ reach: 1, at: NOW.getTime() }) } });
    // Issues: the same full page every time, so up to the cap (its issues yielded once). Pull requests: one short page.
    server.add({ path: '/search/issues', query: { q: ISSUES_Q }, body: issues(100) }, { path: '/search/issues', query: { q: PULLS_Q }, file: 'github/search-issues.json' });
    const sent = recordRequests(ctx, urlAndBody);
    const pages = await collect(source, { cursor: null, since: SINCE }, ctx);
    expect(pages.flatMap((p) => p.mentions)).toHaveLength(102);
    // Every request the run made was made by the time it ended.
    const pagesOf = (q: string) => sent.filter((r) => r.url.searchParams.get('q') === q).map((r) => r.url.searchParams.get('page'));
    expect(pagesOf(ISSUES_Q)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    expect(pagesOf(PULLS_Q)).toEqual(['1']);
    expect(sent.filter((r) => r.url.pathname.startsWith('/users/'))).toHaveLength(1); // octokit-fixture-user-a
    expect(ctx.log.warnings.filter((w) => w.includes('more than'))).toEqual([`github: more than 1000 results for ${ISSUES_Q}; older ones were skipped`]);
  });

  it('discussions: the next page is requested before the current one is handed over, none after the last', async () => {
    const { server, source, ctx } = await setUp({ env: { GITHUB_TOKEN: TOKEN } });
    const real = fixture('graphql-search-discussions.json');
    const withNext = { data: { search: { ...real.data.search, pageInfo: { hasNextPage: true, endCursor: 'Y3Vyc29yOjE=' } } } };
    const lastPage = { data: { search: { ...real.data.search, nodes: [], pageInfo: { hasNextPage: false, endCursor: null } } } };
    server.add(
      { path: '/search/issues', file: 'github/search-issues-empty.json' },
      { method: 'POST', path: '/graphql', body: withNext, times: 1 },
      { method: 'POST', path: '/graphql', body: lastPage, times: 1 },
    );
    const sent = recordRequests(ctx, urlAndBody);
    const pages = source.fetchMentions({ cursor: null, since: SINCE }, ctx)[Symbol.asyncIterator]();
    const first = (await pages.next()).value as MentionPage;
    expect(first.mentions.map((m) => m.platformId)).toEqual(['D_kwDOHrjvNc4ARiWx']);
    await waitFor('the second discussions request', () => server.requests.filter((r) => r.path === '/graphql').length === 2);
    const rest: MentionPage[] = [];
    for (let r = await pages.next(); !r.done; r = await pages.next()) rest.push(r.value);
    expect(rest.map((p) => p.mentions.length)).toEqual([0]);
    const afters = sent.filter((r) => r.url.pathname === '/graphql').map((r) => (r.json as { variables: { after: unknown } }).variables.after);
    expect(afters).toEqual([null, 'Y3Vyc29yOjE=']);
    server.assertDone();
  });

  it('awaits ctx.pace before making a page\'s mentions: the page waits for it, the next request does not', async () => {
    const { server, source, ctx } = await setUp();
    server.add(
      { path: '/search/issues', query: { page: '1', q: ISSUES_Q }, body: issues(100) },
      { path: '/search/issues', query: { page: '2' }, file: 'github/search-issues.json' },
      { path: '/search/issues', query: { q: PULLS_Q }, file: 'github/search-issues-empty.json' },
      usersRoute('octokit-fixture-user-b'),
      usersRoute('octokit-fixture-user-a'),
    );
    const pace = gatedPace(ctx);
    const sent = recordRequests(ctx, urlAndBody);
    const pages = source.fetchMentions({ cursor: null, since: SINCE }, ctx)[Symbol.asyncIterator]();

    const next = pages.next();
    const handedOver = watch(next);
    await waitFor('the request for page 2', () => server.requests.some((r) => r.query.page === '2'));
    expect(pace.calls).toBeGreaterThanOrEqual(1);
    expect(handedOver.settled).toBe(false);
    // Not normalised yet, so no followers lookup either.
    expect(sent.filter((r) => r.url.pathname.startsWith('/users/'))).toEqual([]);

    pace.release();
    const first = (await next).value as MentionPage;
    expect(first.mentions).toHaveLength(100);
    expect(await settledMentions(first).then((ms) => ms.every((m) => m.author.reach === 12))).toBe(true);
    const rest: MentionPage[] = [];
    for (let r = await pages.next(); !r.done; r = await pages.next()) rest.push(r.value);
    expect(await Promise.all(rest.map((p) => settledMentions(p).then((ms) => ms.length)))).toEqual([2, 0]);
    // Once per API page: issues 1 and 2, the pull requests' one.
    expect(pace.calls).toBe(3);
    server.assertDone();
  });

  it('a failure after a page: the pages before it carry no cursor, so the next run repeats from the stored one', async () => {
    const { server, source, ctx } = await setUp({ kv: { 'followers:octokit-fixture-user-b': JSON.stringify({ reach: 1, at: NOW.getTime() }) } });
    const real = fixture('search-issues.json');
    const full = { ...real, items: Array.from({ length: 100 }, (_, i) => ({ ...real.items[0], id: 2000000000 - i, number: 100 + i })) };
    server.add(
      { path: '/search/issues', query: { page: '1', q: '"sesame" in:title,body is:issue created:>=2022-07-19T00:00:00Z' }, body: full },
      { path: '/search/issues', query: { page: '2' }, body: '<html>Unicorn!</html>', headers: { 'content-type': 'text/html' } },
      { path: '/search/issues', query: { q: '"sesame" in:title,body is:pull-request created:>=2022-07-19T00:00:00Z' }, file: 'github/search-issues-empty.json' },
    );
    const pages: MentionPage[] = [];
    const error = await (async () => {
      for await (const page of source.fetchMentions({ cursor: null, since: SINCE }, ctx)) pages.push(page);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect(pages.map((p) => [p.mentions.length, p.cursor])).toEqual([[100, undefined]]);
  });

  it('empty result: one empty page with the cursor', async () => {
    const { server, source, ctx } = await setUp();
    server.add({ path: '/search/issues', file: 'github/search-issues-empty.json', times: 2 });
    expect(await collect(source, { cursor: null, since: SINCE }, ctx)).toEqual([
      { mentions: [], cursor: JSON.stringify({ v: 1, t: SINCE.getTime() / 1000, seen: [] }) },
    ]);
  });

  it('OR-groups keywords within the limits', async () => {
    server = await startReplayServer([{ path: '/search/issues', file: 'github/search-issues-empty.json' }]);
    const source = createGitHubSource(
      { type: 'github', name: 'gh', enabled: true, baseUrl: server.url, keywords: ['a b', 'c', 'd', 'e', 'f', 'g'] },
      brandWith([]),
    );
    await collect(source, { cursor: null, since: SINCE }, createTestSourceContext({ name: 'gh' }));
    // Each search goes through the groups in order (the issue and pull-request searches side by side).
    const groupsOf = (kind: string) => server!.requests.filter((r) => r.query.q?.includes(kind)).map((r) => r.query.q?.replace(/ in:title.*$/, ''));
    for (const kind of ['is:issue', 'is:pull-request']) {
      expect(groupsOf(kind)).toEqual(['("sesame" OR "a b" OR "c" OR "d" OR "e")', '("f" OR "g")']);
    }
    expect(server.requests).toHaveLength(4);
  });

  it('a 401 says which variable to check, without the token', async () => {
    const { server, source, ctx } = await setUp({ env: { GITHUB_TOKEN: TOKEN } });
    server.add({ path: '/search/issues', status: 401, body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' } });
    const error = (await source.check(ctx).catch((e: unknown) => e)) as SourceError;
    expect(error).toBeInstanceOf(SourceError);
    expect(error.message).toBe('github: 401 Bad credentials. Check GITHUB_TOKEN in .env (a token with public read access)');
  });

  it.each([
    { case: 'an HTML body', route: { body: '<html><body>Unicorn!</body></html>', headers: { 'content-type': 'text/html' } } },
    { case: 'JSON without items', route: { body: { message: 'hi' } } },
  ])('$case is a SourceError naming the source', async ({ route }) => {
    const { server, source, ctx } = await setUp();
    server.add({ path: '/search/issues', ...route });
    await expect(collect(source, { cursor: null, since: SINCE }, ctx)).rejects.toThrow(/^github: /);
  });

  it('keeps a baseUrl path prefix (GitHub Enterprise style)', async () => {
    const { server, source, ctx } = await setUp({ prefix: '/api/v3' });
    server.add(
      { path: '/api/v3/search/issues', query: { q: '"sesame" in:title,body is:issue created:>=2022-07-19T00:00:00Z' }, file: 'github/search-issues.json' },
      { path: '/api/v3/search/issues', file: 'github/search-issues-empty.json' },
      usersRoute('octokit-fixture-user-b', '/api/v3'),
      usersRoute('octokit-fixture-user-a', '/api/v3'),
    );
    const pages = await collect(source, { cursor: null, since: SINCE }, ctx);
    server.assertDone();
    expect(pages[0]?.mentions).toHaveLength(2);
  });

  it('checkThreads: comments per issue, brand rules, reopened, failures isolated', async () => {
    const { server, source, ctx } = await setUp({ accounts: ['EnricoMi'] });
    const etag = fixture('conditional-request-304.json').response.headers.etag as string;
    server.add(
      { path: '/repos/PyGithub/PyGithub/issues/3372/comments', file: 'github/issue-comments.json', headers: { etag }, times: 1 },
      { path: '/repos/PyGithub/PyGithub/issues/3373/comments', file: 'github/issue-comments-reopened.json' },
      { path: '/repos/someone/else/issues/1/comments', status: 404, body: { message: 'Not Found' } },
    );
    const check = (platformId: string, threadRef: string | null): ThreadCheck => ({ platformId, threadRef, url: null, authorHandle: 'iarspider', createdAt: 0 });
    const results = await source.checkThreads?.(
      [check('a', 'PyGithub/PyGithub#3372'), check('b', 'PyGithub/PyGithub#3373'), check('c', 'someone/else#1'), check('d', null)],
      ctx,
    );
    server.assertDone();
    expect(server.requests[0]?.query).toEqual({ per_page: '100', page: '1' });
    expect(results).toEqual([
      { platformId: 'a', answeredAt: Date.parse('2025-09-16T19:22:02Z'), reopened: false },
      { platformId: 'b', answeredAt: Date.parse('2025-09-16T19:22:02Z'), reopened: true },
      { platformId: 'c', answeredAt: null, reopened: false },
      { platformId: 'd', answeredAt: null, reopened: false },
    ]);
    const failures = ctx.log.warnings.filter((w) => w.includes('could not check'));
    expect(failures).toHaveLength(2);
    expect(failures[0]).toMatch(/^github: could not check the thread of someone\/else#1: github: GET .* 404/);

    // Next run: If-None-Match with the stored ETag; a 304 reuses the stored answer.
    server.add({ path: '/repos/PyGithub/PyGithub/issues/3372/comments', status: 304, headers: { etag } });
    const again = await source.checkThreads?.([check('a', 'PyGithub/PyGithub#3372')], ctx);
    expect(server.requests.at(-1)?.headers['if-none-match']).toBe(etag);
    expect(again).toEqual([{ platformId: 'a', answeredAt: Date.parse('2025-09-16T19:22:02Z'), reopened: false }]);
    server.assertDone();
  });

  it('checkThreads: discussions via GraphQL with a token; maintainers of the brand org count', async () => {
    const { server, source, ctx } = await setUp({ accounts: ['octokit-fixture-org'], env: { GITHUB_TOKEN: TOKEN } });
    server.add({ method: 'POST', path: '/graphql', file: 'github/graphql-discussion-thread.json' });
    const results = await source.checkThreads?.(
      [{ platformId: 'D_kwDOHrjvNc4ARiWx', threadRef: `discussion:${REPO}#3`, url: null, authorHandle: 'octokit-fixture-user-b', createdAt: 0 }],
      ctx,
    );
    expect(JSON.parse(server.requests[0]?.body ?? '{}').variables).toEqual({ owner: 'octokit-fixture-org', name: REPO.split('/')[1], number: 3 });
    expect(results).toEqual([{ platformId: 'D_kwDOHrjvNc4ARiWx', answeredAt: Date.parse('2022-07-19T05:10:00Z'), reopened: true }]);
  });

  it('check: one search with per_page 1', async () => {
    const { server, source, ctx } = await setUp({ env: { GITHUB_TOKEN: TOKEN } });
    server.add({ path: '/search/issues', query: { per_page: '1' }, file: 'github/search-issues.json' });
    expect(await source.check(ctx)).toBe('ok: 2 results for "sesame"');
  });

  it('a 503 is retried by the client; a 429 with a long Retry-After fails naming the source', async () => {
    const { server, source, ctx } = await setUp();
    server.add(
      { path: '/search/issues', status: 503, body: 'busy', times: 1 },
      { path: '/search/issues', file: 'github/search-issues-empty.json', times: 2 },
      { path: '/search/issues', status: 429, headers: { 'retry-after': '600' }, body: { message: 'secondary rate limit' } },
    );
    expect(await collect(source, { cursor: null, since: SINCE }, ctx)).toHaveLength(1);
    await expect(collect(source, { cursor: null, since: SINCE }, ctx)).rejects.toThrow(/^github: rate limited/);
    server.assertDone();
  });
});

/** Reply checks on pull requests: the conversation and the review comments on the diff. */
const PYGITHUB = '/repos/PyGithub/PyGithub';
const pullCheck = (url: string): ThreadCheck => ({ platformId: url, threadRef: 'PyGithub/PyGithub#3372', url, authorHandle: 'iarspider', createdAt: 0 });

describe('GitHub checkThreads on pull requests', () => {
  it("counts the brand's review comment on the diff as its answer", async () => {
    const { server, source, ctx } = await setUp({ accounts: ['EnricoMi'] });
    server.add(
      { path: `${PYGITHUB}/issues/3372/comments`, body: [] },
      { path: `${PYGITHUB}/pulls/3372/comments`, file: 'github/pull-review-comments.json' },
    );
    const results = await source.checkThreads!([pullCheck('https://github.com/PyGithub/PyGithub/pull/3372')], ctx);
    server.assertDone();
    expect(results).toEqual([{ platformId: 'https://github.com/PyGithub/PyGithub/pull/3372', answeredAt: Date.parse('2025-09-16T19:22:02Z'), reopened: false }]);
    expect(server.requests.find((r) => r.path.endsWith('/pulls/3372/comments'))?.query).toEqual({ per_page: '100', page: '1' });
  });

  it('reads the conversation and the review comments together: the customer writing after both reopens', async () => {
    const { server, source, ctx } = await setUp({ accounts: ['EnricoMi'] });
    server.add(
      { path: `${PYGITHUB}/issues/3372/comments`, file: 'github/issue-comments-reopened.json' },
      { path: `${PYGITHUB}/pulls/3372/comments`, file: 'github/pull-review-comments.json' },
    );
    const [result] = await source.checkThreads!([pullCheck('https://github.com/PyGithub/PyGithub/pull/3372')], ctx);
    expect(result).toMatchObject({ answeredAt: Date.parse('2025-09-16T19:22:02Z'), reopened: true });
  });

  it('asks an issue for its conversation only', async () => {
    const { server, source, ctx } = await setUp({ accounts: ['EnricoMi'] });
    server.add({ path: `${PYGITHUB}/issues/3372/comments`, body: [] });
    const [result] = await source.checkThreads!([pullCheck('https://github.com/PyGithub/PyGithub/issues/3372')], ctx);
    server.assertDone();
    expect(result?.answeredAt).toBeNull();
    expect(server.requests.some((r) => r.path.includes('/pulls/'))).toBe(false);
  });
});
