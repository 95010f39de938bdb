import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, baseEnv, configJson, createTempDir, ndjson, record, runCli, type TempDir } from '../support/cli.js';

let dir: TempDir;
beforeEach(() => {
  dir = createTempDir();
  dir.file('mention-watch.json', configJson());
});
afterEach(() => dir.remove());

const cli = (args: string[], input?: string, env?: Record<string, string>) => runCli(args, { cwd: dir.path, input, env });

const sample = [
  record(),
  record({
    id: 'x:1859263117485862912',
    source: 'x',
    platform: 'x',
    url: 'https://x.com/bob/status/1859263117485862912',
    author: { handle: 'bob', name: 'Bob, "the builder"', url: 'https://x.com/bob', reach: 10000 },
    text: 'Loving the new Acme release!\nGreat work, team',
    createdAt: '2026-11-21T08:30:00.000Z',
    sentiment: { score: 6, comparative: 0.75, label: 'positive' },
    complaint: false,
    intent: 'praise',
    status: 'ignored',
  }),
  record({
    id: 'rss:tag:google.com,2013:googlealerts/feed:123',
    source: 'rss',
    platform: 'rss',
    author: { handle: null, name: null, url: null, reach: 0 },
    title: '=HYPERLINK("http://evil.example","click")',
    text: '@SUM(1+1) charged twice, I want a refund',
    createdAt: '2026-11-22T12:00:00.000Z',
    sentiment: { score: -2, comparative: -0.25, label: 'negative' },
    complaint: true,
    intent: 'complaint',
    status: 'answered',
    answeredAt: '2026-11-22T13:00:00.000Z',
    answeredBy: 'manual',
    assignee: 'carol',
  }),
];

describe('import and export', () => {
  it('round-trips records losslessly: export → import into a fresh database → export again', async () => {
    const imported = await cli(['import', '-'], ndjson(sample));
    expect(imported.code).toBe(0);
    expect(imported.stderr).toContain('3 of 3 records stored');
    const first = await cli(['export', '--format', 'ndjson']);
    expect(first.code).toBe(0);
    const lines = first.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    const x = lines.map((l) => JSON.parse(l)).find((r) => r.source === 'x');
    expect(x.id).toBe('x:1859263117485862912'); // an id above 2^53 stays exact
    expect(x.author.name).toBe('Bob, "the builder"');
    expect(x.sentiment).toEqual({ score: 6, comparative: 0.75, label: 'positive' });

    const other = createTempDir();
    try {
      other.file('mention-watch.json', configJson());
      const again = await runCli(['import'], { cwd: other.path, input: first.stdout });
      expect(again.code).toBe(0);
      const second = await runCli(['export', '--format', 'ndjson'], { cwd: other.path });
      // ageHours and priority depend on "now"; everything else must be identical.
      const strip = (s: string) => s.trim().split('\n').map((l) => { const { ageHours, priority, ...rest } = JSON.parse(l); return rest; });
      expect(strip(second.stdout)).toEqual(strip(first.stdout));
    } finally {
      other.remove();
    }
  });

  it('classifies records that arrive without a sentiment', async () => {
    await cli(['import'], ndjson([record()]));
    const [r] = JSON.parse((await cli(['list', '--format', 'json'])).stdout);
    expect(r.sentiment).not.toBeNull();
    expect(r.complaint).toBe(true);
    expect(r.intent).toBe('complaint');
  });

  it('reports a malformed line with its number, stores the rest, and exits 3', async () => {
    const input = [JSON.stringify(sample[0]), '{"id": oops', JSON.stringify({ ...sample[1], platform: 'myspace' }), JSON.stringify(sample[2])].join('\n');
    const r = await cli(['import', '-'], input);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('(stdin):2: skipped: invalid JSON');
    expect(r.stderr).toContain('(stdin):3: skipped: platform: expected one of');
    const stored = JSON.parse((await cli(['list', '--format', 'json'])).stdout);
    expect(stored.map((m: { id: string }) => m.id).sort()).toEqual([sample[0]!.id, sample[2]!.id].sort());
  });

  it('names a missing input file and exits 2', async () => {
    const r = await cli(['import', 'nope.ndjson']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nope.ndjson: no such file');
  });

  it('writes RFC 4180 CSV with flattened headers and a formula guard', async () => {
    await cli(['import'], ndjson(sample));
    const r = await cli(['export', '--format', 'csv', '--source', 'rss', '--source', 'x']);
    expect(r.code).toBe(0);
    const [header] = r.stdout.split('\r\n');
    expect(header).toBe(
      'id,source,platform,url,author.handle,author.name,author.url,author.reach,title,text,createdAt,fetchedAt,sentiment.score,sentiment.comparative,sentiment.label,complaint,intent,own,status,answeredAt,answeredBy,assignee,snoozedUntil,ageHours,priority',
    );
    expect(r.stdout).toContain(`"Bob, ""the builder"""`);
    expect(r.stdout).toContain('"Loving the new Acme release!\nGreat work, team"');
    expect(r.stdout).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(r.stdout).toContain(`'@SUM(1+1) charged twice`);
    expect(r.stdout).toContain(',-2,-0.25,negative,'); // numbers are not guarded
  });

  it('streams JSON as one array, and [] / header-only when nothing matches', async () => {
    await cli(['import'], ndjson(sample));
    const all = JSON.parse((await cli(['export', '--format', 'json'])).stdout);
    expect(all).toHaveLength(3);
    expect((await cli(['export', '--format', 'json', '--since', '2030-01-01'])).stdout).toBe('[]\n');
    expect((await cli(['export', '--format', 'ndjson', '--since', '2030-01-01'])).stdout).toBe('');
    expect((await cli(['export', '--format', 'csv', '--since', '2030-01-01'])).stdout.split('\r\n').filter(Boolean)).toHaveLength(1);
  });

  it('filters export by --complaints and --status', async () => {
    await cli(['import'], ndjson(sample));
    const complaints = (await cli(['export', '--complaints'])).stdout.trim().split('\n').map((l) => JSON.parse(l).id);
    expect(complaints.sort()).toEqual(['hackernews:1001', 'rss:tag:google.com,2013:googlealerts/feed:123']);
    const ignored = (await cli(['export', '--status', 'ignored'])).stdout.trim().split('\n').map((l) => JSON.parse(l).id);
    expect(ignored).toEqual(['x:1859263117485862912']);
  });

  it('--out writes the file atomically and leaves no temp file behind', async () => {
    await cli(['import'], ndjson(sample));
    const r = await cli(['export', '--out', 'out.ndjson']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(join(dir.path, 'out.ndjson'), 'utf8').trim().split('\n')).toHaveLength(3);
    expect(readdirSync(dir.path).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const bad = await cli(['export', '--out', 'no/such/dir/out.ndjson']);
    expect(bad.code).toBe(2);
    expect(existsSync(join(dir.path, 'no'))).toBe(false);
  });

  it('ends quietly with exit 0 when the reader closes the pipe (export | head -1)', async () => {
    const many = Array.from({ length: 20000 }, (_, i) => record({ id: `hackernews:${i}`, sentiment: { score: 0, comparative: 0, label: 'neutral' } }));
    await cli(['import'], ndjson(many));
    const result = await new Promise<{ code: number | null; stderr: string; first: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'export', '--format', 'ndjson'], { cwd: dir.path, env: baseEnv(dir.path) });
      let stderr = '';
      let first = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.stdout.once('data', (d: Buffer) => {
        first = d.toString().split('\n')[0]!;
        child.stdout.destroy(); // like head -1 exiting
      });
      child.on('close', (code) => resolve({ code, stderr, first }));
    });
    expect(JSON.parse(result.first).source).toBe('hackernews');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});

describe('list and show', () => {
  it('lists newest first with filters, as JSON when piped', async () => {
    await cli(['import'], ndjson(sample));
    const all = JSON.parse((await cli(['list'])).stdout).map((m: { id: string }) => m.id);
    expect(all).toEqual([sample[2]!.id, sample[1]!.id, sample[0]!.id]);
    const search = JSON.parse((await cli(['list', '--search', 'RELEASE'])).stdout);
    expect(search.map((m: { id: string }) => m.id)).toEqual([sample[1]!.id]);
    expect(JSON.parse((await cli(['list', '--limit', '1'])).stdout)).toHaveLength(1);
    expect(JSON.parse((await cli(['list', '--status', 'open'])).stdout).map((m: { id: string }) => m.id)).toEqual([sample[0]!.id]);
    const ndjsonOut = (await cli(['list', '--format', 'ndjson', '--complaints'])).stdout.trim().split('\n');
    expect(ndjsonOut).toHaveLength(2);
  });

  it('computes ageHours and priority with the configured weights', async () => {
    dir.file('mention-watch.json', configJson({ triage: { slaHours: 10, reachWeight: 2, ageWeight: 1 } }));
    await cli(['import'], ndjson([record({ createdAt: new Date(Date.now() - 5 * 3600_000).toISOString(), author: { handle: 'a', name: null, url: null, reach: 99 } })]));
    const [m] = JSON.parse((await cli(['list'])).stdout);
    expect(m.ageHours).toBeCloseTo(5, 1);
    expect(m.priority).toBeCloseTo(2 * 2 + 5 / 10, 1);
  });

  it('shows one mention with its verdict as JSON, and names an unknown id', async () => {
    await cli(['import'], ndjson([record()]));
    const r = await cli(['show', 'hackernews:1001']);
    expect(r.code).toBe(0);
    const detail = JSON.parse(r.stdout);
    expect(detail).toMatchObject({ id: 'hackernews:1001', complaint: true, actions: [], reopened: false });
    expect(detail.verdict.rules.length).toBeGreaterThan(0);
    const text = await cli(['show', 'hackernews:1001', '--format', 'text']);
    expect(text.stdout).toContain('Why:');
    expect(text.stdout).toContain('Priority:');
    const missing = await cli(['show', 'hackernews:404']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('hackernews:404: no such mention');
  });

  it('strips terminal escape sequences from mention text in tables and text output', async () => {
    await cli(['import'], ndjson([record({ text: 'Acme \u001b]0;pwned\u0007\u001b[2J\u001b[31mred\u001b[0m is down \u009b1m' })]));
    const text = await cli(['show', 'hackernews:1001', '--format', 'text']);
    expect(text.stdout).toContain('Acme red is down');
    expect(text.stdout).not.toContain('pwned');
    expect(text.stdout).not.toMatch(/[\u001b\u0007\u009b]/);
    const table = await cli(['list', '--format', 'table'], undefined, { COLUMNS: '200' });
    expect(table.stdout).toContain('Acme red is down');
    expect(table.stdout).not.toMatch(/[\u0007\u009b]/);
    expect(table.stdout).not.toContain('\u001b]');
  });

  it('says there is no database yet instead of creating one for read-only commands', async () => {
    const r = await cli(['list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no database here yet');
    expect(existsSync(join(dir.path, 'mentions.db'))).toBe(false);
  });

  it('uses --db over $MENTION_WATCH_DB over the config', async () => {
    await cli(['--db', 'flag.db', 'import'], ndjson([record()]));
    expect(existsSync(join(dir.path, 'flag.db'))).toBe(true);
    await cli(['import'], ndjson([record()]), { MENTION_WATCH_DB: join(dir.path, 'env.db') });
    expect(existsSync(join(dir.path, 'env.db'))).toBe(true);
    expect(existsSync(join(dir.path, 'mentions.db'))).toBe(false);
  });
});

describe('colour', () => {
  it('honours FORCE_COLOR, NO_COLOR and --no-color in tables', async () => {
    await cli(['import'], ndjson(sample));
    const forced = await cli(['list', '--format', 'table'], undefined, { FORCE_COLOR: '1', COLUMNS: '150' });
    expect(forced.stdout).toContain('\u001b[');
    const off = await cli(['list', '--format', 'table'], undefined, { FORCE_COLOR: '1', NO_COLOR: '1', COLUMNS: '150' });
    expect(off.stdout).not.toContain('\u001b[');
    const flag = await cli(['--no-color', 'list', '--format', 'table'], undefined, { FORCE_COLOR: '1', COLUMNS: '150' });
    expect(flag.stdout).not.toContain('\u001b[');
    const piped = await cli(['list', '--format', 'table'], undefined, { COLUMNS: '150' });
    expect(piped.stdout).not.toContain('\u001b[');
  });
});
