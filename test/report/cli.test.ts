/** The report commands through the built CLI (npm run build first): output formats and exit codes. */
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { configJson, createTempDir, ndjson, record, runCli, type TempDir } from '../support/cli.js';
import { startReplayServer, type ReplayServer } from '../support/replay-server.js';

const HOUR = 3_600_000;
let dir: TempDir;
let server: ReplayServer;
beforeEach(async () => {
  dir = createTempDir();
  server = await startReplayServer();
});
afterEach(async () => {
  await server.close();
  dir.remove();
});

const cli = (args: string[], input?: string, env?: Record<string, string>) => runCli(args, { cwd: dir.path, input, env });
/** The spawned CLI runs on the real clock: data is placed relative to it. */
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

async function importSample(): Promise<void> {
  const complaints = ['login fails with 503', 'login broken, 503 again', 'cannot login, 503 page'].map((text, i) =>
    record({
      id: `hackernews:${i}`,
      text: `Acme ${text}`,
      createdAt: ago((i + 1) * HOUR),
      complaint: true,
      sentiment: { score: -2, comparative: -0.5, label: 'negative' },
      author: { handle: `u${i}`, name: null, url: null, reach: i * 500 },
      ...(i === 0 ? { status: 'answered', answeredAt: ago(HOUR / 2), answeredBy: 'platform' } : {}),
    }),
  );
  const r = await cli(['import', '-'], ndjson(complaints));
  expect(r.code).toBe(0);
}

describe('stats', () => {
  beforeEach(() => {
    dir.file('mention-watch.json', configJson());
  });

  it('prints JSON when piped, CSV on request, and rejects a bad --by with exit 2', async () => {
    await importSample();
    const json = await cli(['stats']);
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('');
    const stats = JSON.parse(json.stdout);
    expect(Object.keys(stats)).toEqual(['since', 'until', 'by', 'slaHours', 'days', 'rows', 'total', 'fairness']);
    expect(stats.rows[0]).toMatchObject({ key: 'hackernews', mentions: 3, complaints: 3, answered: 1, open: 2, answeredShare: 0.333 });
    expect(stats.rows[0].firstResponse.platform).toEqual({ count: 1, medianMinutes: 30, p90Minutes: 30 });
    expect(stats.days).toHaveLength(8);
    const csv = await cli(['stats', '--by', 'day', '--format', 'csv']);
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\r\n')[0]).toMatch(/^key,mentions,complaints,negativeShare,/);
    expect(csv.stdout.split('\r\n').at(-2)).toMatch(/^total,3,3,1,1,0.333,/);
    const bad = await cli(['stats', '--by', 'month']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("argument 'month' is invalid");
    expect((await cli(['stats', '--since', 'last tuesday'])).code).toBe(2);
  });

  it('needs a database', async () => {
    const r = await cli(['stats']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no database here yet');
  });
});

describe('topics', () => {
  it('lists repeated complaints as JSON with their member ids', async () => {
    dir.file('mention-watch.json', configJson());
    await importSample();
    const r = await cli(['topics', '--since', '24h']);
    expect(r.code).toBe(0);
    const topics = JSON.parse(r.stdout);
    expect(topics).toHaveLength(1);
    expect(topics[0]).toMatchObject({ terms: ['503', 'login'], size: 3, sources: ['hackernews'], ids: ['hackernews:0', 'hackernews:1', 'hackernews:2'] });
    expect(JSON.parse((await cli(['topics', '--min', '4'])).stdout)).toEqual([]);
    expect((await cli(['topics', '--min', '1'])).code).toBe(2);
  });
});

describe('alerts', () => {
  it('lists stored spikes as JSON, and [] when there are none', async () => {
    dir.file('mention-watch.json', configJson());
    await importSample();
    expect(JSON.parse((await cli(['alerts'])).stdout)).toEqual([]);
    const store = openStore(join(dir.path, 'mentions.db'));
    const now = Date.now();
    store.recordSpike({
      source: 'hackernews', windowStart: now - HOUR, windowEnd: now, detectedAt: now, count: 12, baselineMean: 0.4, baselineSd: 0.6, threshold: 5,
      topWords: ['login', '503'], mentionIds: ['hackernews:1'],
    });
    store.close();
    const r = await cli(['alerts', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      expect.objectContaining({ source: 'hackernews', count: 12, baselineMean: 0.4, topWords: ['login', '503'], mentionIds: ['hackernews:1'] }),
    ]);
    expect((await cli(['alerts', '--format', 'csv'])).code).toBe(2);
  });
});

describe('notify', () => {
  const env = (): Record<string, string> => ({ HOOK_URL: `${server.url}/hook/secret-path`, HOOK_SECRET: 's3cret' });
  const notifyConfig = (extra: Record<string, unknown> = {}) =>
    configJson({ notify: { webhookUrlEnv: 'HOOK_URL', secretEnv: 'HOOK_SECRET', ...extra }, poll: { retries: 0, timeoutSeconds: 2 } });

  it('--test sends a signed sample message', async () => {
    dir.file('mention-watch.json', notifyConfig());
    server.add({ method: 'POST', path: '/hook/secret-path', body: 'ok' });
    const r = await cli(['notify', '--test'], undefined, env());
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('notify: test message sent to $HOOK_URL, signed\n');
    const req = server.requests[0]!;
    const body = JSON.parse(req.body);
    expect(body).toMatchObject({ test: true, brand: 'Acme', events: [{ type: 'test' }] });
    expect(body.text).toMatch(/^\*mention-watch · Acme\*: test message\n• \[test\] @mention-watch/);
    const ts = req.headers['x-mention-watch-timestamp'];
    expect(req.headers['x-mention-watch-signature']).toBe(`sha256=${createHmac('sha256', 's3cret').update(`${ts}.${req.body}`).digest('hex')}`);
  });

  it('--test exits 3 when the webhook fails, without showing its URL; 2 without config or variable', async () => {
    dir.file('mention-watch.json', notifyConfig());
    server.add({ method: 'POST', path: '/hook/secret-path', status: 404, body: 'no such hook' });
    const failed = await cli(['notify', '--test'], undefined, env());
    expect(failed.code).toBe(3);
    expect(failed.stderr).toContain('notify: POST *** 404');
    expect(failed.stderr).not.toContain('secret-path');
    const unset = await cli(['notify', '--test']);
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain('notify: environment variable HOOK_URL is not set');
    dir.file('mention-watch.json', configJson());
    const none = await cli(['notify', '--test'], undefined, env());
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no "notify" section');
  });

  it('a failing webhook fails only the exit code of poll: the mentions are stored, the event waits', async () => {
    const nowSec = Math.floor(Date.now() / 1000);
    server.add(
      {
        path: '/hn/api/v1/search_by_date',
        body: {
          hits: [
            {
              objectID: '990001', author: 'pg', created_at_i: nowSec - 120, created_at: new Date((nowSec - 120) * 1000).toISOString(),
              comment_text: 'Acme is down again and login fails with 503. Terrible, nobody answers support tickets.', story_title: 'Ask HN', _tags: ['comment'],
            },
          ],
          nbPages: 1,
          page: 0,
        },
      },
      { path: '/hn/api/v1/users/pg', file: 'hackernews/user.json' },
      { method: 'POST', path: '/hook/secret-path', status: 500, body: 'down' },
    );
    dir.file('mention-watch.json', notifyConfig({ minPriority: 0 }).replace('"sources": []', `"sources": [{ "type": "hackernews", "baseUrl": "${server.url}/hn/api/v1" }]`));
    // Polled before: this run's mentions are news, not history.
    const store = openStore(join(dir.path, 'mentions.db'));
    store.insertMentions({ name: 'hackernews', type: 'hackernews' }, [], JSON.stringify({ v: 1, t: nowSec - 3600, seen: [] }));
    store.close();
    const r = await cli(['poll', '--json'], undefined, env());
    expect(r.code).toBe(3);
    const summary = JSON.parse(r.stdout);
    expect(summary.new).toBe(1);
    expect(summary.notify).toMatchObject({ queued: 1, sent: 0, pending: 1 });
    expect(summary.notify.error).toMatch(/^notify: POST \*\*\* 500 Internal Server Error; 1 event kept for the next poll$/);
    expect(r.stderr).toContain('poll: everything was stored, but notifying failed');
    expect(r.stderr).not.toContain('secret-path');
    const db = new BetterSqlite3(join(dir.path, 'mentions.db'), { readonly: true });
    try {
      expect(db.prepare("SELECT count(*) AS n FROM mentions WHERE id = 'hackernews:990001' AND complaint = 1").get()).toEqual({ n: 1 });
      expect(db.prepare('SELECT key, state FROM notifications').all()).toEqual([{ key: 'complaint:hackernews:990001', state: 'pending' }]);
    } finally {
      db.close();
    }
    const log = JSON.parse((await cli(['notify', '--format', 'json'])).stdout);
    expect(log).toEqual([expect.objectContaining({ key: 'complaint:hackernews:990001', state: 'pending', attempts: 1, sentAt: null })]);
  });
});

describe('poll: spikes', () => {
  it('poll --quiet still prints a new spike on stderr, and --json lists it', async () => {
    const nowSec = Math.floor(Date.now() / 1000);
    const authors = ['ann', 'bob', 'cat', 'dan', 'eve', 'fay'];
    const hits = authors.map((author, i) => ({
      objectID: String(990100 + i), author, created_at_i: nowSec - 300 - i * 60, created_at: new Date((nowSec - 300 - i * 60) * 1000).toISOString(),
      comment_text: `Acme is down, login fails with 503 error. Terrible, ${i}`, story_title: 'Ask HN', _tags: ['comment'],
    }));
    server.add(
      { path: '/hn/api/v1/search_by_date', body: { hits, nbPages: 1, page: 0 }, times: 1 },
      { path: '/hn/api/v1/search_by_date', body: { hits: [], nbPages: 1, page: 0 } },
      ...authors.map((a) => ({ path: `/hn/api/v1/users/${a}`, file: 'hackernews/user.json' })),
    );
    dir.file('mention-watch.json', configJson({ sources: [{ type: 'hackernews', baseUrl: `${server.url}/hn/api/v1` }] }));
    const r = await cli(['poll', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('spike: 6 complaints in the last hour on hackernews (usually 0): "503", "down", "error", "fails", "login"\n');
    // The next poll sees the same burst: one spike, continuing (an info line, hidden by --quiet).
    const again = await cli(['poll', '--quiet', '--json']);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe('');
    expect(JSON.parse(again.stdout).spikes).toEqual([expect.objectContaining({ source: 'hackernews', count: 6, new: false, id: 1 })]);
    const alerts = JSON.parse((await cli(['alerts'])).stdout);
    expect(alerts).toHaveLength(1);
  });
});
