import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startReplayServer, type ReplayServer } from '../support/replay-server.js';
import { createTempDir, runCli, type TempDir } from '../support/cli.js';

// Payload shapes follow the recorded Algolia HN responses in test/fixtures/hackernews/ (current hit shape),
// with times near "now" so the thread falls inside the answer window.
const now = Math.floor(Date.now() / 1000);
const at = (secondsAgo: number) => ({ created_at: new Date((now - secondsAgo) * 1000).toISOString(), created_at_i: now - secondsAgo });

const hit = {
  ...at(7200),
  author: 'alice',
  comment_text: 'Acme support has ignored my ticket for 3 days. I want a refund.',
  story_id: 500,
  story_title: 'Ask HN: Which cloud do you use?',
  parent_id: 500,
  _tags: ['comment', 'author_alice', 'story_500'],
  objectID: '501',
  children: [],
  updated_at: new Date().toISOString(),
};
const search = (hits: unknown[]) => ({ hits, nbHits: hits.length, page: 0, nbPages: 1, hitsPerPage: 100, exhaustive: { nbHits: true }, query: 'acme', params: '' });
const comment = (id: number, author: string, text: string, secondsAgo: number, children: unknown[] = []) => ({
  id, ...at(secondsAgo), type: 'comment', author, text, points: null, parent_id: null, story_id: 500, options: [], children,
});
const tree = (replies: unknown[]) => ({
  id: 500, ...at(9000), type: 'story', author: 'pg', title: 'Ask HN: Which cloud do you use?', url: null, text: null, points: 10, parent_id: null, story_id: 500, options: [],
  children: [comment(501, 'alice', 'Acme support has ignored my ticket for 3 days. I want a refund.', 7200, replies), comment(510, 'bob', 'We use Acme, it is fine', 7000, [comment(511, 'acmehq', 'Thanks Bob!', 6000)])],
});

let dir: TempDir;
let server: ReplayServer;
beforeEach(async () => {
  dir = createTempDir();
  server = await startReplayServer();
  dir.file(
    'mention-watch.json',
    JSON.stringify({
      brand: { name: 'Acme', keywords: ['acme'], accounts: { hackernews: ['acmehq'] } },
      database: './mentions.db',
      sources: [{ type: 'hackernews', baseUrl: `${server.url}/api/v1` }],
    }),
  );
});
afterEach(async () => {
  await server.close();
  dir.remove();
});

const cli = (args: string[]) => runCli(args, { cwd: dir.path });
const triageIds = async () => JSON.parse((await cli(['triage'])).stdout).map((m: { id: string }) => m.id);

describe('answered on the platform', () => {
  it('poll → triage → the brand replies on Hacker News → poll → gone from triage; the customer writes again → back', async () => {
    server.add(
      { path: '/api/v1/search_by_date', body: search([hit]), times: 1 },
      { path: '/api/v1/search_by_date', body: search([]) },
      { path: '/api/v1/users/alice', body: { username: 'alice', karma: 42 } },
      // First poll: only other people reply (and the brand answers a different comment: not an answer to this one).
      { path: '/api/v1/items/500', body: tree([comment(502, 'acmehq_fan', 'Acme is the best, works for me', 5000)]), times: 1 },
      // Second poll: the brand's own account replies below the complaint.
      { path: '/api/v1/items/500', body: tree([comment(503, 'acmehq', 'Sorry Alice, we are on it: sent you a DM', 3600)]), times: 1 },
      // Third poll: the customer writes again below the brand's answer.
      { path: '/api/v1/items/500', body: tree([comment(503, 'acmehq', 'Sorry Alice, we are on it', 3600, [comment(504, 'alice', 'Still nothing, day 4', 600)])]) },
    );
    const first = JSON.parse((await cli(['poll', '--json'])).stdout);
    expect(first.sources[0]).toMatchObject({ new: 1, complaints: 1, answered: 0 });
    expect(await triageIds()).toEqual(['hackernews:501']);

    const second = JSON.parse((await cli(['poll', '--json'])).stdout);
    expect(second.sources[0]).toMatchObject({ new: 0, answered: 1 });
    expect(await triageIds()).toEqual([]);
    const answered = JSON.parse((await cli(['show', 'hackernews:501'])).stdout);
    expect(answered).toMatchObject({ status: 'answered', answeredBy: 'platform', answeredAt: new Date((now - 3600) * 1000).toISOString() });
    expect(answered.author.reach).toBe(42);

    const third = JSON.parse((await cli(['poll', '--json'])).stdout);
    expect(third.sources[0]).toMatchObject({ reopened: 1 });
    expect(await triageIds()).toEqual(['hackernews:501']);
    const reopened = JSON.parse((await cli(['show', 'hackernews:501'])).stdout);
    expect(reopened).toMatchObject({ status: 'open', reopened: true });
    expect(reopened.actions.map((a: { action: string; actor: string }) => `${a.action}/${a.actor}`)).toEqual(['answer/platform', 'reopen/platform']);
    const text = await cli(['show', 'hackernews:501', '--format', 'text']);
    expect(text.stdout).toContain("the customer wrote again after the brand's answer");
  });
});
