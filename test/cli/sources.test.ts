import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startReplayServer, type ReplayServer } from '../support/replay-server.js';
import { createTempDir, runCli, type TempDir } from '../support/cli.js';

let dir: TempDir;
let server: ReplayServer;
beforeEach(async () => {
  dir = createTempDir();
  server = await startReplayServer();
  dir.file(
    'mention-watch.json',
    JSON.stringify({
      brand: { name: 'Apple', keywords: ['apple'] },
      database: './mentions.db',
      sources: [
        { type: 'hackernews', baseUrl: `${server.url}/hn/api/v1` },
        { type: 'rss', name: 'feed', url: 'https://example.com/feed.xml', baseUrl: server.url },
        { type: 'x', baseUrl: server.url },
        { type: 'github', enabled: false },
      ],
      poll: { retries: 0, lookbackHours: 24 * 365 * 20 },
    }),
  );
});
afterEach(async () => {
  await server.close();
  dir.remove();
});

const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: dir.path, env: { X_BEARER_TOKEN: 'AAAA-super-secret-bearer', ...env } });

describe('sources', () => {
  it('shows each source state and flags stale ones with exit 3', async () => {
    server.add(
      { path: '/hn/api/v1/search_by_date', file: 'hackernews/search_by_date-stories.json' },
      { path: '/hn/api/v1/users/bradleyjg', file: 'hackernews/user.json' },
      { path: '/feed.xml', status: 404, body: 'gone' },
      { path: '/2/tweets/search/recent', status: 401, body: { title: 'Unauthorized', detail: 'Unauthorized', status: 401 } },
    );
    const poll = await cli(['poll']);
    expect(poll.code).toBe(3);
    expect(poll.stderr).not.toContain('AAAA-super-secret-bearer');
    const r = await cli(['sources']);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout);
    expect(report.map((s: { name: string }) => s.name)).toEqual(['hackernews', 'feed', 'x', 'github']);
    expect(report[0]).toMatchObject({ type: 'hackernews', enabled: true, stale: false, lastError: null, mentions: 1 });
    expect(report[0].lastSuccessAt).not.toBeNull();
    expect(report[0].cursor).toContain('"v":1');
    expect(report[1]).toMatchObject({ stale: true, lastSuccessAt: null });
    expect(report[1].staleReason).toMatch(/^never succeeded; last error: feed: .*404/);
    expect(report[2].stale).toBe(true);
    expect(JSON.stringify(report)).not.toContain('AAAA-super-secret-bearer');
    expect(report[3]).toMatchObject({ enabled: false, stale: false });
    expect(r.stderr).toContain('feed: stale: never succeeded');
  });

  it('flags a source that has not succeeded for poll.staleHours, or has gone quiet', async () => {
    server.add({ path: '/hn/api/v1/search_by_date', file: 'hackernews/search_by_date-stories.json' }, { path: '/hn/api/v1/users/bradleyjg', file: 'hackernews/user.json' });
    await cli(['poll', '--source', 'hackernews']);
    const db = new BetterSqlite3(join(dir.path, 'mentions.db'));
    const day = 86_400_000;
    db.prepare("UPDATE source_states SET last_success_at = ?, last_run_at = ? WHERE name = 'hackernews'").run(Date.now() - 2 * day, Date.now() - 2 * day);
    db.close();
    const old = JSON.parse((await cli(['sources'])).stdout)[0];
    expect(old.staleReason).toMatch(/^no successful poll for 2d \(limit 24h\)/);

    // Twenty mentions a day for six days, none in the last 24 hours: gone quiet.
    const quiet = new BetterSqlite3(join(dir.path, 'mentions.db'));
    quiet.prepare("UPDATE source_states SET last_success_at = ? WHERE name = 'hackernews'").run(Date.now());
    const insert = quiet.prepare("INSERT INTO mentions (id, source, platform, platform_id, text, created_at, fetched_at) VALUES (?, 'hackernews', 'hackernews', ?, 'x', ?, ?)");
    for (let i = 0; i < 120; i++) insert.run(`hackernews:q${i}`, `q${i}`, Date.now() - day - (i % 6) * day - 1000, Date.now());
    quiet.close();
    const report = JSON.parse((await cli(['sources'])).stdout)[0];
    expect(report.staleReason).toBe('gone quiet: 0 mention(s) in the last 24h, usually 20.0/day');
  });

  it('--check makes one request per enabled source and says what is wrong', async () => {
    server.add(
      { path: '/hn/api/v1/search_by_date', file: 'hackernews/search_by_date-stories.json' },
      { path: '/feed.xml', file: 'rss/google-alerts.atom', headers: { 'content-type': 'application/atom+xml' } },
      { path: '/2/tweets/search/recent', status: 401, body: { title: 'Unauthorized', detail: 'Unauthorized', status: 401 } },
    );
    const r = await cli(['sources', '--check']);
    expect(r.code).toBe(3);
    const results = JSON.parse(r.stdout);
    expect(results.map((x: { name: string; ok: boolean }) => [x.name, x.ok])).toEqual([['hackernews', true], ['feed', true], ['x', false]]);
    expect(results[2].message).toMatch(/401/);
    expect(results[2].message).toContain('X_BEARER_TOKEN');
    expect(r.stdout + r.stderr).not.toContain('AAAA-super-secret-bearer');
    expect(r.stderr).toMatch(/^x: .*401/m);
  });
});
