/** Reddit reply checks behind "load more" stubs (`kind: "more"`), read with `/api/morechildren`. */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { RedditSourceConfig } from '../../src/config/types.js';
import { MAX_MORE_CHILDREN, createRedditSource, findBrandReply, moreBelow, moreChildrenThings, type RedditThing } from '../../src/sources/reddit.js';
import type { ThreadCheck } from '../../src/sources/types.js';
import { fixturePath, startReplayServer, type ReplayServer } from '../support/replay-server.js';
import { createTestSourceContext } from '../support/source-context.js';

const fixture = <T = any>(name: string): T => JSON.parse(readFileSync(fixturePath('reddit', name), 'utf8')) as T;
const tree = (name: string): RedditThing => {
  const [post, comments] = fixture(name);
  return { ...post.data.children[0].data, replies: comments };
};
const check = (platformId: string, authorHandle: string, threadRef: string | null = null): ThreadCheck => ({ platformId, threadRef, url: null, authorHandle, createdAt: 0 });

let server: ReplayServer | undefined;

/** A Reddit source against the replay server, whose brand account is bboe (who answers in the fixtures). */
function brandSource(replay: ReplayServer) {
  const config: RedditSourceConfig = {
    type: 'reddit',
    name: 'reddit',
    enabled: true,
    clientIdEnv: 'REDDIT_CLIENT_ID',
    clientSecretEnv: 'REDDIT_CLIENT_SECRET',
    baseUrl: `${replay.url}/oauth`,
    authUrl: `${replay.url}/www`,
  };
  const source = createRedditSource(config, { name: 'Acme', keywords: ['praw'], exclude: [], accounts: { reddit: ['bboe'] } });
  const ctx = createTestSourceContext({ name: 'reddit', env: { REDDIT_CLIENT_ID: 'id', REDDIT_CLIENT_SECRET: 'secret' } });
  return { source, ctx };
}
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('load-more stubs (pure)', () => {
  it('lists the hidden comment ids at or below the mention only', () => {
    const root = tree('submission-comments-more.json');
    expect(moreBelow(root, 't1_cklfmye')).toEqual(['cklhv0f']);
    expect(moreBelow(root, 't3_2gmzqe')).toEqual(['cklhv0f']); // the post: the whole thread
    expect(moreBelow(root, 't1_cklzzzz')).toEqual([]); // the other branch has none
    expect(moreBelow(root, 't1_unknown')).toEqual([]);
  });

  it('finds the brand reply and the customer writing again among the expanded comments, by their parent chain', () => {
    const root = tree('submission-comments-more.json');
    const expanded = moreChildrenThings(fixture('morechildren.json'));
    expect(expanded.map((t) => t.name)).toEqual(['t1_cklhv0f', 't1_cklj000']);
    // Without the stub's comments the brand's answer is invisible.
    expect(findBrandReply(root, check('t1_cklfmye', 'paneer_burrito'), ['bboe'])).toEqual({ platformId: 't1_cklfmye', answeredAt: null, reopened: false });
    expect(findBrandReply(root, check('t1_cklfmye', 'paneer_burrito'), ['bboe'], expanded)).toEqual({ platformId: 't1_cklfmye', answeredAt: 1411010034000, reopened: true });
    // An expanded comment below another branch answers nothing here.
    expect(findBrandReply(root, check('t1_cklzzzz', 'another_user'), ['bboe'], expanded)).toEqual({ platformId: 't1_cklzzzz', answeredAt: null, reopened: false });
  });

  it('rejects an answer that is not a morechildren listing', () => {
    expect(() => moreChildrenThings({ error: 403 })).toThrow('unexpected /api/morechildren response');
    expect(moreChildrenThings({ json: { errors: [], data: { things: [{ kind: 'more', data: { name: 't1_x', children: ['y'] } }] } } })).toEqual([]);
  });
});

describe('checkThreads with load-more stubs', () => {
  it('reads the comments behind the stubs below the mention in one request, then decides', async () => {
    server = await startReplayServer();
    server.add(
      { method: 'POST', path: '/www/api/v1/access_token', file: 'reddit/access-token.json' },
      { path: '/oauth/comments/2gmzqe', file: 'reddit/submission-comments-more.json', times: 2 },
      { path: '/oauth/api/morechildren', query: { link_id: 't3_2gmzqe', children: 'cklhv0f' }, file: 'reddit/morechildren.json' },
    );
    const { source, ctx } = brandSource(server);
    const results = await source.checkThreads!([check('t1_cklfmye', 'paneer_burrito', '2gmzqe/cklfmye'), check('t1_cklzzzz', 'another_user', '2gmzqe/cklzzzz')], ctx);
    server.assertDone();
    expect(results).toEqual([
      { platformId: 't1_cklfmye', answeredAt: 1411010034000, reopened: true },
      { platformId: 't1_cklzzzz', answeredAt: null, reopened: false },
    ]);
    // Only the thread with stubs below its mention asked for them.
    const more = server.requests.filter((r) => r.path === '/oauth/api/morechildren');
    expect(more).toHaveLength(1);
    expect(more[0]?.query).toMatchObject({ api_type: 'json', link_id: 't3_2gmzqe', children: 'cklhv0f', sort: 'new' });
    expect(ctx.log.warnings).toEqual([]);
  });

  it(`asks for at most ${MAX_MORE_CHILDREN} hidden comments per thread`, async () => {
    const thread = fixture('submission-comments-more.json');
    const stub = thread[1].data.children[0].data.replies.data.children[0];
    stub.data.children = ['cklhv0f', ...Array.from({ length: MAX_MORE_CHILDREN + 20 }, (_, i) => `zz${i.toString(36)}`)];
    server = await startReplayServer();
    server.add(
      { method: 'POST', path: '/www/api/v1/access_token', file: 'reddit/access-token.json' },
      { path: '/oauth/comments/2gmzqe', body: thread },
      { path: '/oauth/api/morechildren', file: 'reddit/morechildren.json' },
    );
    const { source, ctx } = brandSource(server);
    const [result] = await source.checkThreads!([check('t1_cklfmye', 'paneer_burrito', '2gmzqe/cklfmye')], ctx);
    expect(result?.answeredAt).toBe(1411010034000);
    const asked = server.requests.find((r) => r.path === '/oauth/api/morechildren')?.query.children?.split(',') ?? [];
    expect(asked).toHaveLength(MAX_MORE_CHILDREN);
    expect(asked[0]).toBe('cklhv0f');
  });
});
