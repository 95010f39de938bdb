/** GitHub reply checks on pull requests: the conversation and the review comments on the diff. */
import { afterEach, describe, expect, it } from 'vitest';
import type { GitHubSourceConfig } from '../../src/config/types.js';
import { createGitHubSource } from '../../src/sources/github.js';
import type { ThreadCheck } from '../../src/sources/types.js';
import { startReplayServer, type ReplayServer } from '../support/replay-server.js';
import { createTestSourceContext } from '../support/source-context.js';

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const REPO = '/repos/PyGithub/PyGithub';
const check = (url: string): ThreadCheck => ({ platformId: url, threadRef: 'PyGithub/PyGithub#3372', url, authorHandle: 'iarspider', createdAt: 0 });

async function setUp() {
  server = await startReplayServer();
  const config: GitHubSourceConfig = { type: 'github', name: 'github', enabled: true, baseUrl: server.url };
  const source = createGitHubSource(config, { name: 'PyGithub', keywords: ['workflow'], exclude: [], accounts: { github: ['EnricoMi'] } });
  return { server, source, ctx: createTestSourceContext({ name: 'github' }) };
}

describe('GitHub checkThreads on pull requests', () => {
  it("counts the brand's review comment on the diff as its answer", async () => {
    const { server, source, ctx } = await setUp();
    server.add(
      { path: `${REPO}/issues/3372/comments`, body: [] },
      { path: `${REPO}/pulls/3372/comments`, file: 'github/pull-review-comments.json' },
    );
    const results = await source.checkThreads!([check('https://github.com/PyGithub/PyGithub/pull/3372')], ctx);
    server.assertDone();
    expect(results).toEqual([{ platformId: 'https://github.com/PyGithub/PyGithub/pull/3372', answeredAt: Date.parse('2025-09-16T19:22:02Z'), reopened: false }]);
    expect(server.requests.find((r) => r.path.endsWith('/pulls/3372/comments'))?.query).toEqual({ per_page: '100', page: '1' });
  });

  it('reads the conversation and the review comments together: the customer writing after both reopens', async () => {
    const { server, source, ctx } = await setUp();
    server.add(
      { path: `${REPO}/issues/3372/comments`, file: 'github/issue-comments-reopened.json' },
      { path: `${REPO}/pulls/3372/comments`, file: 'github/pull-review-comments.json' },
    );
    const [result] = await source.checkThreads!([check('https://github.com/PyGithub/PyGithub/pull/3372')], ctx);
    expect(result).toMatchObject({ answeredAt: Date.parse('2025-09-16T19:22:02Z'), reopened: true });
  });

  it('asks an issue for its conversation only', async () => {
    const { server, source, ctx } = await setUp();
    server.add({ path: `${REPO}/issues/3372/comments`, body: [] });
    const [result] = await source.checkThreads!([check('https://github.com/PyGithub/PyGithub/issues/3372')], ctx);
    server.assertDone();
    expect(result?.answeredAt).toBeNull();
    expect(server.requests.some((r) => r.path.includes('/pulls/'))).toBe(false);
  });
});
