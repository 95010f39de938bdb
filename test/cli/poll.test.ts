import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startReplayServer, type ReplayRoute, type ReplayServer } from '../support/replay-server.js';
import { BIN, baseEnv, createTempDir, runCli, type TempDir } from '../support/cli.js';

let dir: TempDir;
let server: ReplayServer;

const hnRoutes = (): ReplayRoute[] => [
  { path: '/hn/api/v1/search_by_date', file: 'hackernews/search_by_date-stories.json' },
  { path: '/hn/api/v1/users/bradleyjg', file: 'hackernews/user.json' },
];
const seRoutes = (): ReplayRoute[] => [
  { path: '/se/2.3/search/advanced', query: { page: '1' }, file: 'stackexchange/questions-wrapper.json' },
  { path: '/se/2.3/search/advanced', file: 'stackexchange/search-advanced-empty.json' },
];
const rssRoutes = (): ReplayRoute[] => [{ path: '/alerts/feeds/1/2', file: 'rss/google-alerts.atom', headers: { 'content-type': 'application/atom+xml' } }];

function writeConfig(extra: Record<string, unknown> = {}): void {
  dir.file(
    'mention-watch.json',
    JSON.stringify({
      brand: { name: 'Slack', keywords: ['slack', 'apple', 'sql server'], accounts: {} },
      database: './mentions.db',
      sources: [
        { type: 'hackernews', baseUrl: `${server.url}/hn/api/v1` },
        { type: 'stackexchange', site: 'stackoverflow', baseUrl: `${server.url}/se/2.3` },
        { type: 'rss', name: 'alerts', url: 'https://www.google.com/alerts/feeds/1/2', baseUrl: server.url },
      ],
      // The recorded payloads are years old: reach back far enough on the first poll to keep them.
      poll: { retries: 1, timeoutSeconds: 2, maxWaitSeconds: 0, lookbackHours: 24 * 365 * 20 },
      ...extra,
    }),
  );
}

const poll = (args: string[] = []) => runCli(['poll', '--json', ...args], { cwd: dir.path });

function count(sql: string): number {
  const db = new BetterSqlite3(join(dir.path, 'mentions.db'), { readonly: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

beforeEach(async () => {
  dir = createTempDir();
  server = await startReplayServer();
});
afterEach(async () => {
  await server.close();
  dir.remove();
});

describe('poll', () => {
  it('stores mentions from every source, prints a JSON summary, and stores no duplicates the second time', async () => {
    server.add(...hnRoutes(), ...seRoutes(), ...rssRoutes());
    writeConfig();
    const first = await poll();
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(summary.failed).toBe(0);
    expect(summary.sources.map((s: { name: string }) => s.name)).toEqual(['hackernews', 'stackexchange', 'alerts']);
    for (const s of summary.sources) {
      expect(s).toMatchObject({ error: null, answered: 0 });
      expect(s.fetched).toBeGreaterThan(0);
      expect(s.new).toBeGreaterThan(0);
      expect(typeof s.durationMs).toBe('number');
    }
    const stored = count('SELECT count(*) AS n FROM mentions');
    expect(stored).toBe(summary.new);
    // Keywords are applied after fetching: Stack Exchange returned five questions, one mentions "SQL Server".
    expect(summary.sources[1].fetched).toBeGreaterThan(summary.sources[1].new);

    const list = JSON.parse((await runCli(['list', '--source', 'alerts', '--limit', '100'], { cwd: dir.path })).stdout);
    expect(list.length).toBe(summary.sources[2].new);
    expect(list[0].url).not.toContain('google.com/url'); // Google Alerts redirects unwrapped
    expect(list[0].sentiment).not.toBeNull();

    // The karma looked up during the poll is cached for the next one.
    expect(count("SELECT count(*) AS n FROM source_kv WHERE source = 'hackernews' AND key = 'karma:bradleyjg'")).toBe(1);
    const lookups = () => server.requests.filter((r) => r.path === '/hn/api/v1/users/bradleyjg').length;
    expect(lookups()).toBe(1);

    const second = await poll();
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout).new).toBe(0);
    expect(count('SELECT count(*) AS n FROM mentions')).toBe(stored);
    expect(count('SELECT count(*) AS n FROM source_states WHERE cursor IS NOT NULL AND last_success_at IS NOT NULL')).toBe(3);
    expect(lookups()).toBe(1);
  });

  it('keeps storing the other sources when one is down, names it on stderr, and exits 3', async () => {
    server.add({ path: '/hn/api/v1/search_by_date', status: 503, body: 'down' }, ...seRoutes(), ...rssRoutes());
    writeConfig();
    const r = await poll();
    expect(r.code).toBe(3);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^hackernews: GET http:\/\/127\.0\.0\.1:\d+\/hn\/api\/v1\/search_by_date\?.* 503/);
    const summary = JSON.parse(r.stdout);
    expect(summary.failed).toBe(1);
    expect(summary.sources[0].error).toMatch(/^hackernews: /);
    expect(summary.sources[1].new + summary.sources[2].new).toBeGreaterThan(0);
    expect(count("SELECT count(*) AS n FROM mentions WHERE source = 'hackernews'")).toBe(0);
    expect(count('SELECT count(*) AS n FROM mentions')).toBe(summary.new);
    expect(count("SELECT count(*) AS n FROM source_states WHERE name = 'hackernews' AND last_error LIKE 'hackernews: %503%'")).toBe(1);
  });

  it('reports garbage, oversized and rate-limited answers as that source failing, with the URL', async () => {
    server.add(
      { path: '/hn/api/v1/search_by_date', body: '<html>blocked</html>', headers: { 'content-type': 'text/html' } },
      { path: '/se/2.3/search/advanced', flood: 30 * 1024 * 1024 },
      { path: '/alerts/feeds/1/2', status: 429, headers: { 'retry-after': '3600' } },
    );
    writeConfig({ poll: { retries: 0, timeoutSeconds: 5, maxWaitSeconds: 0, maxResponseBytes: 1048576 } });
    const r = await poll();
    expect(r.code).toBe(3);
    const summary = JSON.parse(r.stdout);
    expect(summary.failed).toBe(3);
    expect(summary.sources[0].error).toContain('expected JSON, got text/html');
    expect(summary.sources[1].error).toMatch(/^stackexchange: .*over 1048576 bytes/);
    expect(summary.sources[2].error).toMatch(/^alerts: .*(rate limit|429)/i);
  });

  it('--dry-run prints what would be stored and writes nothing', async () => {
    server.add(...hnRoutes(), ...seRoutes(), ...rssRoutes());
    writeConfig();
    const r = await runCli(['poll', '--dry-run'], { cwd: dir.path });
    expect(r.code).toBe(0);
    const records = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(records.length).toBeGreaterThan(3);
    expect(records[0]).toHaveProperty('sentiment.label');
    expect(r.stderr).toContain('would store');
    expect(count('SELECT count(*) AS n FROM mentions')).toBe(0);
    expect(count('SELECT count(*) AS n FROM source_states')).toBe(0);
  });

  it('--source polls only the named sources and rejects an unknown name', async () => {
    server.add(...seRoutes());
    writeConfig();
    const r = await poll(['--source', 'stackexchange']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).sources.map((s: { name: string }) => s.name)).toEqual(['stackexchange']);
    const bad = await poll(['--source', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--source nope: no such source');
  });

  it('exits 4 at once when another poll holds the lock, and takes over a lock left by a dead process', async () => {
    server.add({ path: '/hn/api/v1/search_by_date', file: 'hackernews/search_by_date-stories.json', delayMs: 5000, times: 1 });
    writeConfig({
      brand: { name: 'Apple', keywords: ['apple'] },
      sources: [{ type: 'hackernews', baseUrl: `${server.url}/hn/api/v1` }],
      poll: { timeoutSeconds: 10, retries: 0 },
    });
    const slow = runCli(['poll', '--json'], { cwd: dir.path });
    await waitFor(() => server.requests.length > 0);
    const second = await runCli(['poll'], { cwd: dir.path });
    expect(second.code).toBe(4);
    expect(second.stderr).toMatch(/another poll is running \(pid \d+/);
    expect((await slow).code).toBe(0);

    // A lock left behind by a process that no longer exists is taken over.
    const db = new BetterSqlite3(join(dir.path, 'mentions.db'));
    db.prepare("INSERT INTO locks (name, pid, host, acquired_at) VALUES ('poll', 999999, ?, 0)").run((await import('node:os')).hostname());
    db.close();
    server.add({ path: '/hn/api/v1/search_by_date', file: 'hackernews/search_by_date-stories.json' });
    const after = await runCli(['poll'], { cwd: dir.path });
    expect(after.code).toBe(0);
  });

  it('loses nothing and duplicates nothing after kill -9 in mid-poll', async () => {
    server.add(
      ...seRoutes(),
      { path: '/hn/api/v1/search_by_date', file: 'hackernews/search_by_date-stories.json', delayMs: 5000, times: 1 },
      { path: '/hn/api/v1/search_by_date', file: 'hackernews/search_by_date-stories.json' },
    );
    writeConfig({ sources: [{ type: 'stackexchange', site: 'stackoverflow', baseUrl: `${server.url}/se/2.3` }, { type: 'hackernews', baseUrl: `${server.url}/hn/api/v1` }], poll: { timeoutSeconds: 10, retries: 0 } });
    const child = spawn(process.execPath, [BIN, 'poll'], { cwd: dir.path, env: baseEnv(dir.path), stdio: 'ignore' });
    await waitFor(() => server.requests.some((r) => r.path.startsWith('/hn/')));
    await new Promise((r) => setTimeout(r, 300)); // let stackexchange finish storing
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    const seStored = count("SELECT count(*) AS n FROM mentions WHERE source = 'stackexchange'");
    const again = await poll();
    expect(again.code).toBe(0);
    const summary = JSON.parse(again.stdout);
    expect(summary.sources.find((s: { name: string }) => s.name === 'hackernews').new).toBeGreaterThan(0);
    expect(count("SELECT count(*) AS n FROM mentions WHERE source = 'stackexchange'")).toBe(seStored + summary.sources.find((s: { name: string }) => s.name === 'stackexchange').new);
    expect(count('SELECT count(*) - count(DISTINCT source || platform_id) AS n FROM mentions')).toBe(0);
  });

  it('exits 130 on Ctrl-C, keeping what other sources stored and releasing the lock', async () => {
    server.add(...seRoutes(), { path: '/hn/api/v1/search_by_date', file: 'hackernews/search_by_date-stories.json', delayMs: 8000 });
    writeConfig({
      sources: [{ type: 'stackexchange', site: 'stackoverflow', baseUrl: `${server.url}/se/2.3` }, { type: 'hackernews', baseUrl: `${server.url}/hn/api/v1` }],
      poll: { timeoutSeconds: 20, retries: 0, lookbackHours: 24 * 365 * 20 },
    });
    const child = spawn(process.execPath, [BIN, 'poll'], { cwd: dir.path, env: baseEnv(dir.path) });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    await waitFor(() => server.requests.some((r) => r.path.startsWith('/hn/')));
    await waitFor(() => existsSync(join(dir.path, 'mentions.db')) && count("SELECT count(*) AS n FROM mentions WHERE source = 'stackexchange'") > 0);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(130);
    expect(stderr).toContain('interrupted');
    expect(count("SELECT count(*) AS n FROM mentions WHERE source = 'stackexchange'")).toBeGreaterThan(0);
    expect(count('SELECT count(*) AS n FROM locks')).toBe(0);
  });

  it('refuses to poll when an enabled source lacks its credentials, naming the variable', async () => {
    writeConfig({ sources: [{ type: 'x', baseUrl: server.url }] });
    const r = await poll();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('sources[0].bearerTokenEnv: environment variable X_BEARER_TOKEN is not set');
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
