import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configJson, createTempDir, ndjson, record, runCli, type TempDir } from '../support/cli.js';

let dir: TempDir;
beforeEach(() => {
  dir = createTempDir();
  dir.file('mention-watch.json', configJson());
});
afterEach(() => dir.remove());
const cli = (args: string[], input?: string) => runCli(args, { cwd: dir.path, input });
const lines = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l));

describe('classify', () => {
  it('prints one verdict per argument with the deciding words and rules', async () => {
    const r = await cli(['classify', 'been on hold for 2 hours, still no answer', 'You folks are great, thank you!']);
    expect(r.code).toBe(0);
    const [complaint, praise] = lines(r.stdout);
    expect(complaint).toMatchObject({ text: 'been on hold for 2 hours, still no answer', label: 'negative', complaint: true, intent: 'complaint' });
    expect(complaint.rules.length).toBeGreaterThan(0);
    expect(complaint.negative.length).toBeGreaterThan(0);
    expect(praise).toMatchObject({ label: 'positive', complaint: false, intent: 'praise' });
    for (const key of ['text', 'label', 'score', 'comparative', 'complaint', 'intent', 'positive', 'negative', 'rules']) expect(complaint).toHaveProperty(key);
  });

  it('reads plain lines and NDJSON {"text"} lines from stdin, keeping extra fields, and reports bad lines', async () => {
    const input = ['my order never arrived', '{"id": "a1", "text": "charged twice this month"}', '{"id": 2}', ''].join('\n');
    const r = await cli(['classify'], input);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('(stdin):3: skipped: expected a "text" string');
    const out = lines(r.stdout);
    expect(out).toHaveLength(2);
    expect(out[1]).toMatchObject({ id: 'a1', text: 'charged twice this month', complaint: true });
  });

  it('applies classify.extraWords and classify.complaintPhrases from the config without a rebuild', async () => {
    const text = 'the flux capacitor is wobbly';
    expect(lines((await cli(['classify', text])).stdout)[0].complaint).toBe(false);
    dir.file('mention-watch.json', configJson({ classify: { complaintPhrases: ['flux capacitor'], extraWords: { wobbly: -3 } } }));
    const [v] = lines((await cli(['classify', text])).stdout);
    expect(v.complaint).toBe(true);
    expect(v.score).toBeLessThan(0);
  });
});

describe('reclassify', () => {
  it('re-runs the classifier over stored mentions and reports how many verdicts changed', async () => {
    const stale = { sentiment: { score: 2, comparative: 0.2, label: 'positive' }, complaint: false, intent: 'praise' };
    await cli(['import'], ndjson([
      record({ id: 'hackernews:1', text: 'Acme charged me twice and support is not answering', createdAt: '2026-11-20T10:00:00Z', ...stale }),
      record({ id: 'hackernews:2', text: 'Acme is down again, third time this week', createdAt: '2020-01-01T00:00:00Z', ...stale }),
    ]));
    const recent = await cli(['reclassify', '--since', '2026-01-01', '--json']);
    expect(recent.code).toBe(0);
    expect(JSON.parse(recent.stdout)).toEqual({ mentions: 1, changed: 1, becameComplaints: 1, stoppedBeingComplaints: 0 });
    const all = JSON.parse((await cli(['reclassify', '--json'])).stdout);
    expect(all).toMatchObject({ mentions: 2, changed: 1 });
    const again = JSON.parse((await cli(['reclassify', '--json'])).stdout);
    expect(again.changed).toBe(0);
    const stored = JSON.parse((await cli(['list', '--complaints'])).stdout);
    expect(stored).toHaveLength(2);
    const show = JSON.parse((await cli(['show', 'hackernews:1'])).stdout);
    expect(show.verdict.rules.length).toBeGreaterThan(0);
  });
});
