import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, baseEnv, configJson, createTempDir, ndjson, record, runCli, type TempDir } from '../support/cli.js';

let dir: TempDir;
const HOUR = 3_600_000;
const ago = (hours: number) => new Date(Date.now() - hours * HOUR).toISOString();
const neg = { score: -3, comparative: -0.5, label: 'negative' };

const complaints = () => [
  record({ id: 'hackernews:small-old', author: { handle: 'nobody', name: null, url: null, reach: 0 }, createdAt: ago(25), sentiment: neg, complaint: true, intent: 'complaint' }),
  record({ id: 'hackernews:big-new', author: { handle: 'celebrity', name: null, url: null, reach: 10_000 }, createdAt: ago(0.1), sentiment: neg, complaint: true, intent: 'complaint' }),
  record({ id: 'hackernews:mid', author: { handle: 'someone', name: null, url: null, reach: 150 }, createdAt: ago(3), sentiment: neg, complaint: true, intent: 'complaint', assignee: 'alice' }),
  record({ id: 'hackernews:answered', createdAt: ago(30), sentiment: neg, complaint: true, status: 'answered', answeredAt: ago(29), answeredBy: 'platform' }),
  record({ id: 'hackernews:praise', createdAt: ago(40), sentiment: { score: 3, comparative: 0.5, label: 'positive' }, complaint: false, intent: 'praise' }),
  record({ id: 'hackernews:own', createdAt: ago(40), sentiment: neg, complaint: true, own: true }),
];

const cli = (args: string[], input?: string) => runCli(args, { cwd: dir.path, input });
const ids = async (args: string[]) => JSON.parse((await cli(['triage', '--format', 'json', ...args])).stdout).map((m: { id: string }) => m.id);

beforeEach(async () => {
  dir = createTempDir();
  dir.file('mention-watch.json', configJson());
  const r = await cli(['import'], ndjson(complaints()));
  expect(r.code).toBe(0);
});
afterEach(() => dir.remove());

describe('triage', () => {
  it('ranks open complaints so that a zero-reach complaint waiting one SLA period outranks a fresh one with 10,000 followers', async () => {
    const r = await cli(['triage']);
    expect(r.code).toBe(0);
    const records = JSON.parse(r.stdout);
    expect(records.map((m: { id: string }) => m.id)).toEqual(['hackernews:small-old', 'hackernews:big-new', 'hackernews:mid']);
    expect(records[0]).toMatchObject({ slaBreached: true, status: 'open', complaint: true });
    expect(records[1].slaBreached).toBe(false);
    expect(records[0].priority).toBeGreaterThan(records[1].priority);
  });

  it('filters and orders', async () => {
    expect(await ids(['--min-reach', '100'])).toEqual(['hackernews:big-new', 'hackernews:mid']);
    expect(await ids(['--assignee', 'alice'])).toEqual(['hackernews:mid']);
    expect(await ids(['--order', 'reach'])).toEqual(['hackernews:big-new', 'hackernews:mid', 'hackernews:small-old']);
    expect(await ids(['--order', 'age'])).toEqual(['hackernews:small-old', 'hackernews:mid', 'hackernews:big-new']);
    expect(await ids(['--since', '24h'])).toEqual(['hackernews:big-new', 'hackernews:mid']);
    expect(await ids(['--limit', '1'])).toEqual(['hackernews:small-old']);
    expect(await ids(['--source', 'x'])).toEqual([]);
  });

  it('prints CSV and NDJSON with slaBreached', async () => {
    const csv = (await cli(['triage', '--format', 'csv'])).stdout.split('\r\n');
    expect(csv[0]!.endsWith(',priority,slaBreached')).toBe(true);
    expect(csv[1]).toMatch(/^hackernews:small-old,.*,true$/);
    const lines = (await cli(['triage', '--format', 'ndjson'])).stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
  });

  it('draws a table with a summary line when asked for one', async () => {
    const r = await runCli(['triage', '--format', 'table'], { cwd: dir.path, env: { COLUMNS: '120' } });
    expect(r.stdout.split('\n')[0]).toBe('3 open complaints, 1 past the 24h SLA, the oldest waiting 25h');
    expect(r.stdout).toMatch(/ 1 +25h +0 +hackernews +nobody /);
  });

  it('--exit-code exits 5 while something needs an answer, 0 when nothing does', async () => {
    const r = await cli(['triage', '--exit-code']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('3 open complaints');
    await cli(['answer', 'hackernews:small-old', 'hackernews:big-new']);
    await cli(['ignore', 'hackernews:mid', '--reason', 'duplicate']);
    const after = await cli(['triage', '--exit-code']);
    expect(after).toMatchObject({ code: 0, stdout: '[]\n' });
  });

  it('refuses -i without a terminal instead of hanging', async () => {
    const r = await cli(['triage', '-i']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('triage -i needs a terminal');
  });
});

describe('acting on mentions', () => {
  it('records who did what in the history that show prints', async () => {
    expect((await runCli(['answer', 'hackernews:mid', '--as', 'bob'], { cwd: dir.path })).code).toBe(0);
    await cli(['note', 'hackernews:mid', 'called', 'them', 'back']);
    await cli(['assign', 'hackernews:mid', 'carol']);
    await cli(['reopen', 'hackernews:mid']);
    const detail = JSON.parse((await cli(['show', 'hackernews:mid'])).stdout);
    expect(detail.status).toBe('open');
    expect(detail.assignee).toBe('carol');
    expect(detail.actions.map((a: { action: string; actor: string }) => [a.action, a.actor])).toEqual([
      ['answer', 'bob'],
      ['note', 'tester'],
      ['assign', 'tester'],
      ['reopen', 'tester'],
    ]);
    expect(detail.actions[1].detail).toEqual({ text: 'called them back' });
  });

  it('marks manual answers with answeredBy "manual" and the time', async () => {
    await cli(['answer', 'hackernews:mid', '--at', '2026-11-20T10:00:00Z']);
    const [m] = JSON.parse((await cli(['list', '--status', 'answered', '--format', 'json'])).stdout).filter((r: { id: string }) => r.id === 'hackernews:mid');
    expect(m).toMatchObject({ status: 'answered', answeredBy: 'manual', answeredAt: '2026-11-20T10:00:00.000Z' });
  });

  it('applies the known ids, names the unknown one, and exits 3', async () => {
    const r = await cli(['ignore', 'hackernews:mid', 'hackernews:nope', 'hackernews:big-new']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('hackernews:nope: no such mention');
    expect(await ids([])).toEqual(['hackernews:small-old']);
    const only = await cli(['answer', 'hackernews:nope']);
    expect(only.code).toBe(2);
  });

  it('snoozes until the time is up, then the complaint comes back as open', async () => {
    const r = await cli(['snooze', 'hackernews:mid', '--for', '4s']);
    const snoozedAt = Date.now(); // the CLI read its clock before this
    expect(r.code).toBe(0);
    expect(await ids([])).not.toContain('hackernews:mid');
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, snoozedAt + 4100 - Date.now())));
    expect(await ids([])).toContain('hackernews:mid');
    const bad = await cli(['snooze', 'hackernews:mid']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--for 4h');
  });
});

describe('triage -i on a real terminal', () => {
  it('answers with a single key, saves at once, and quits', async () => {
    const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
      // `script` gives the CLI a pseudo-terminal; keys are typed into it.
      const child = spawn('script', ['-qfec', `${process.execPath} ${BIN} triage -i`, '/dev/null'], {
        cwd: dir.path,
        env: { ...baseEnv(dir.path), TERM: 'dumb', COLUMNS: '100' },
      });
      let out = '';
      let sent = false;
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (!sent && out.includes('[1/3]')) {
          sent = true;
          child.stdin.write('a');
          setTimeout(() => child.stdin.write('q'), 300);
        }
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, out });
      });
    });
    expect(r.out).toContain('[1/3] hackernews:small-old');
    expect(r.out).toContain('[2/3] hackernews:big-new');
    expect(r.code).toBe(0);
    const detail = JSON.parse((await cli(['show', 'hackernews:small-old'])).stdout);
    expect(detail).toMatchObject({ status: 'answered', answeredBy: 'manual' });
  });
});
