import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { afterPoll, type AfterPollInput } from '../../src/app/after-poll.js';
import { buildMessage, sendPendingEvents } from '../../src/app/notify.js';
import type { PollSummary } from '../../src/app/poll.js';
import type { Config } from '../../src/config/types.js';
import { createHttpClient } from '../../src/http/client.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/types.js';
import { createTempDir, type TempDir } from '../support/cli.js';
import { startReplayServer, type ReplayServer } from '../support/replay-server.js';
import { complaint, config, DAY, HOUR, NOW, seed } from './fixtures.js';

const MIN = 60_000;
const SECRET = 'hook-secret-123';
let server: ReplayServer;
let store: Store;
let dir: TempDir;

beforeEach(async () => {
  server = await startReplayServer();
  dir = createTempDir();
  store = openStore(join(dir.path, 'mentions.db'));
});
afterEach(async () => {
  store.close();
  await server.close();
  dir.remove();
});

function notifyConfig(notify: Record<string, unknown> = {}): Config {
  return config({ notify: { webhookUrlEnv: 'HOOK_URL', secretEnv: 'HOOK_SECRET', minPriority: 0, ...notify }, poll: { retries: 2, timeoutSeconds: 2 } });
}

const summary = (firstPoll: string[] = []): PollSummary => ({
  sources: ['hn', 'news'].map((name) => ({
    name, type: name === 'hn' ? 'hackernews' : 'rss', fetched: 0, new: 0, complaints: 0, answered: 0, reopened: 0, error: null, durationMs: 100, firstPoll: firstPoll.includes(name),
  })),
  new: 0,
  failed: 0,
  dryRun: false,
});

const silent = { debug: () => {}, info: () => {}, warn: () => {} };

function run(now: number, extra: Partial<AfterPollInput> = {}, cfg = notifyConfig(), s = store) {
  return afterPoll({
    config: cfg,
    store: s,
    env: { HOOK_URL: `${server.url}/hooks/T000/B000/XXXX`, HOOK_SECRET: SECRET },
    now,
    summary: summary(),
    log: silent,
    signal: new AbortController().signal,
    userAgent: 'mention-watch/test',
    startedAt: now - MIN,
    createHttp: (secrets) =>
      createHttpClient({ name: 'notify', userAgent: 'mention-watch/test', timeoutMs: 2000, retries: 2, maxBodyBytes: 1 << 20, maxWaitMs: 0, secrets, sleep: async () => {} }),
    ...extra,
  });
}

const hook = (status = 200, times?: number) => ({ method: 'POST', path: '/hooks/T000/B000/XXXX', status, body: status === 200 ? 'ok' : 'boom', ...(times ? { times } : {}) });
const bodies = () => server.requests.filter((r) => r.method === 'POST').map((r) => JSON.parse(r.body));

describe('webhook notifications', () => {
  it('sends new complaints as one signed message with Slack text and the full records, once', async () => {
    seed(store, [complaint({ id: 'old', createdAt: NOW - 2 * HOUR, fetchedAt: NOW - 2 * HOUR })]);
    seed(store, [
      complaint({ id: '1', createdAt: NOW - 5 * MIN, text: 'Acme <login> & 2FA broken', author: { handle: 'alice', name: null, url: null, reach: 12_400 } }),
      complaint({ id: '2', createdAt: NOW - 3 * MIN }),
      complaint({ id: 'praise', complaint: false, createdAt: NOW - 3 * MIN }),
    ]);
    server.add(hook());
    const result = await run(NOW);
    expect(result.error).toBeNull();
    expect(result.summary.notify).toEqual({ queued: 2, skipped: 0, sent: 2, pending: 0, error: null });
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0]!;
    const body = JSON.parse(req.body);
    expect(body.text).toBe(
      '*mention-watch · Acme*: 2 new complaints\n' +
        '• [hn] @alice (12.4k): Acme &lt;login&gt; &amp; 2FA broken https://news.ycombinator.com/item?id=1\n' +
        `• [hn] @${body.events[1].mention.author.handle} (10): Acme is not working for me https://news.ycombinator.com/item?id=2`,
    );
    expect(body).toMatchObject({ brand: 'Acme', test: false, counts: { complaint: 2, sla: 0, spike: 0 }, sentAt: new Date(NOW).toISOString() });
    expect(body.events.map((e: { key: string }) => e.key)).toEqual(['complaint:hn:1', 'complaint:hn:2']);
    expect(body.events[0].mention).toMatchObject({ id: 'hn:1', status: 'open', author: { handle: 'alice', reach: 12400 } });
    // Signed: HMAC-SHA256 over "<timestamp>.<body>".
    const ts = req.headers['x-mention-watch-timestamp']!;
    expect(ts).toBe(String(NOW / 1000));
    expect(req.headers['x-mention-watch-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(`${ts}.${req.body}`).digest('hex')}`);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['x-mention-watch-delivery']).toMatch(/^[0-9a-f-]{36}$/);

    // The next poll finds nothing new: no request at all.
    const again = await run(NOW + 15 * MIN);
    expect(again.summary.notify).toMatchObject({ queued: 0, sent: 0 });
    expect(server.requests).toHaveLength(1);
    server.assertDone();
  });

  it('turns many events into one digest, top 5 in the text, every record in events', async () => {
    // Created hours ago (no spike), found by this poll.
    seed(store, Array.from({ length: 37 }, (_, i) => complaint({ id: `c${i}`, createdAt: NOW - 2 * HOUR - i * MIN })));
    server.add(hook());
    await run(NOW);
    expect(server.requests).toHaveLength(1);
    const body = bodies()[0];
    expect(body.text.split('\n')[0]).toBe('*mention-watch · Acme*: 37 new complaints, top 5 shown');
    expect(body.text.split('\n')).toHaveLength(6);
    expect(body.events).toHaveLength(37);
  });

  it('keeps the first poll of a source quiet, also when its complaints cross the SLA later', async () => {
    seed(store, [complaint({ id: 'h1', createdAt: NOW - 2 * HOUR }), complaint({ id: 'h2', createdAt: NOW - 30 * HOUR })]);
    const first = await run(NOW, { summary: summary(['hn']) });
    expect(first.summary.notify).toEqual({ queued: 0, skipped: 2, sent: 0, pending: 0, error: null });
    expect(first.lines).toContain('notify: 2 complaints from a first poll kept quiet (history)');
    store.startPollRun(NOW - MIN, 1);
    store.finishPollRun(1, NOW, {});
    const later = await run(NOW + 23 * HOUR);
    expect(later.summary.notify).toMatchObject({ queued: 0, sent: 0 });
    expect(server.requests).toHaveLength(0);
    expect(store.listEvents(0, 10).map((e) => [e.key, e.state]).sort()).toEqual([
      ['complaint:hn:h1', 'skipped'], ['complaint:hn:h2', 'skipped'], ['sla:hn:h1', 'skipped'], ['sla:hn:h2', 'skipped'],
    ]);
  });

  it('announces a complaint crossing the SLA since the previous poll, and a new spike', async () => {
    seed(store, [complaint({ id: 'waiting', createdAt: NOW - 23 * HOUR - 30 * MIN, fetchedAt: NOW - 23 * HOUR })]);
    store.startPollRun(NOW - 15 * MIN, 1);
    store.finishPollRun(1, NOW - 14 * MIN, {});
    const burst = Array.from({ length: 6 }, (_, i) => complaint({ id: `b${i}`, createdAt: NOW - 10 * MIN, text: 'Acme checkout 500 error' }));
    seed(store, burst);
    server.add(hook());
    const result = await run(NOW + 31 * MIN, {}, notifyConfig({ minPriority: 99 }));
    expect(result.warnings).toEqual(['spike: 6 complaints in the last hour on hn (usually 0): "500", "checkout", "error"']);
    const body = bodies()[0];
    expect(body.counts).toEqual({ complaint: 0, sla: 1, spike: 1 });
    expect(body.events.map((e: { key: string }) => e.key)).toEqual([`spike:${result.summary.spikes && (result.summary.spikes as { id: number }[])[0]!.id}`, 'sla:hn:waiting']);
    expect(body.text).toContain('1 spike, 1 complaint past the 24h SLA');
    expect(body.text).toContain('• past the 24h SLA, [hn]');
  });

  it('keeps events after a failing webhook (exit 3 for the poll), and sends them with the next poll, once', async () => {
    seed(store, [complaint({ id: '1', createdAt: NOW - 5 * MIN })]);
    server.add(hook(500, 3));
    const failed = await run(NOW);
    expect(failed.error).toMatch(/^notify: POST \*\*\* 500 Internal Server Error \(after 3 attempts\)|^notify: POST \*\*\* 500/);
    expect(failed.error).toContain('1 event kept for the next poll');
    expect(failed.error).not.toContain('XXXX');
    expect(server.requests).toHaveLength(3); // retried with backoff
    expect(store.listEvents(0, 10)[0]).toMatchObject({ key: 'complaint:hn:1', state: 'pending', attempts: 1 });
    expect(store.getMention('hn:1')).toBeDefined(); // storing is untouched

    seed(store, [complaint({ id: '2', createdAt: NOW + 5 * MIN, fetchedAt: NOW + 14 * MIN })]);
    server.add(hook());
    const next = await run(NOW + 15 * MIN);
    expect(next.error).toBeNull();
    expect(bodies().at(-1).events.map((e: { key: string }) => e.key).sort()).toEqual(['complaint:hn:1', 'complaint:hn:2']);
    await run(NOW + 30 * MIN);
    expect(server.requests).toHaveLength(4);
  });

  it('never sends an event twice: overlapping runs, and a crash after sending', async () => {
    seed(store, [complaint({ id: '1', createdAt: NOW - 5 * MIN })]);
    const cfg = notifyConfig();
    const other = openStore(join(dir.path, 'mentions.db'));
    try {
      server.add(hook());
      const env = { HOOK_URL: `${server.url}/hooks/T000/B000/XXXX`, HOOK_SECRET: SECRET };
      const { queueEvents } = await import('../../src/app/notify.js');
      queueEvents({ store, config: cfg, now: NOW, runStartedAt: NOW - MIN, firstPollSources: new Set(), spikes: [] });
      const send = (s: Store) => sendPendingEvents({ store: s, config: cfg, env, now: NOW, signal: new AbortController().signal, userAgent: 'test' });
      const [a, b] = await Promise.all([send(store), send(other)]);
      expect(a.sent + b.sent).toBe(1);
      expect(server.requests).toHaveLength(1);

      // A crash between claiming (or sending) and marking leaves the event claimed: it is not sent again.
      seed(store, [complaint({ id: '2', createdAt: NOW, fetchedAt: NOW + MIN })]);
      queueEvents({ store, config: cfg, now: NOW + MIN, runStartedAt: NOW + MIN - 1, firstPollSources: new Set(), spikes: [] });
      store.enqueueEvents([{ key: 'complaint:hn:crash', kind: 'complaint', payload: null }], NOW);
      expect(store.claimEvents('crashed-run', NOW, 1).map((e) => e.key)).toEqual(['complaint:hn:crash']);
      await send(other);
      expect(bodies().at(-1).events.map((e: { key: string }) => e.key)).toEqual(['complaint:hn:2']);
      expect(store.listEvents(0, 10).find((e) => e.key === 'complaint:hn:crash')?.state).toBe('claimed');
    } finally {
      other.close();
    }
  });

  it('does not send a waiting complaint that was answered meanwhile', async () => {
    seed(store, [complaint({ id: '1', createdAt: NOW - 5 * MIN }), complaint({ id: '2', createdAt: NOW - 4 * MIN })]);
    server.add(hook(500, 3));
    expect((await run(NOW)).error).not.toBeNull();
    store.applyAction({ mentionId: 'hn:1', action: 'answer', actor: 'alice', at: NOW + MIN, detail: null }, { status: 'answered', answeredAt: NOW + MIN, answeredBy: 'manual' });
    server.add(hook());
    const next = await run(NOW + 15 * MIN);
    expect(next.summary.notify).toMatchObject({ sent: 1, error: null });
    const body = bodies().at(-1);
    expect(body.events.map((e: { key: string }) => e.key)).toEqual(['complaint:hn:2']);
    expect(body.events[0].mention.ageHours).toBe(0.32); // the record as it is when sent
    expect(store.listEvents(0, 10).find((e) => e.key === 'complaint:hn:1')).toMatchObject({ state: 'skipped', lastError: 'no longer open when it was due to be sent' });
  });

  it('gives an event up after 20 failed attempts', () => {
    store.enqueueEvents([{ key: 'complaint:hn:x', kind: 'complaint', payload: null }], NOW);
    for (let i = 0; i < 20; i++) {
      expect(store.claimEvents(`run${i}`, NOW + i, 10)).toHaveLength(1);
      store.releaseEvents(['complaint:hn:x'], `run${i}`, 'notify: POST *** 500', 20);
    }
    expect(store.listEvents(0, 10)[0]).toMatchObject({ state: 'failed', attempts: 20, lastError: 'notify: POST *** 500' });
    expect(store.claimEvents('later', NOW + 100, 10)).toEqual([]);
  });

  it('reports a missing webhook variable as the error, storing untouched', async () => {
    seed(store, [complaint({ id: '1', createdAt: NOW - 5 * MIN })]);
    const result = await run(NOW, { env: {} });
    expect(result.error).toBe('notify.webhookUrlEnv: environment variable HOOK_URL is not set');
    expect(store.listEvents(0, 10)[0]).toMatchObject({ state: 'pending' });
  });

  it('does nothing without a notify section, but still finds spikes', async () => {
    seed(store, Array.from({ length: 5 }, () => complaint({ createdAt: NOW - 5 * MIN })));
    const result = await run(NOW, {}, config());
    expect(result.summary.notify).toBeNull();
    expect((result.summary.spikes as unknown[]).length).toBe(1);
    expect(store.listEvents(0, 10)).toEqual([]);
  });
});

describe('digest text', () => {
  it('puts spikes first, then SLA breaches, then complaints by priority', () => {
    const mention = (id: string, priority: number) => ({ id, source: 'x', author: { handle: id, name: null, url: null, reach: 0 }, text: `text ${id}`, title: null, url: null, priority }) as never;
    const msg = buildMessage(
      [
        { key: 'complaint:x:low', type: 'complaint', queuedAt: '', mention: mention('low', 1) },
        { key: 'complaint:x:high', type: 'complaint', queuedAt: '', mention: mention('high', 5) },
        { key: 'sla:x:late', type: 'sla', queuedAt: '', mention: mention('late', 2) },
      ],
      { brand: 'Acme', slaHours: 24, digestSize: 2, now: NOW - DAY, test: false },
    );
    expect(msg.text).toBe('*mention-watch · Acme*: 1 complaint past the 24h SLA, 2 new complaints, top 2 shown\n• past the 24h SLA, [x] @late (0): text late\n• [x] @high (0): text high');
    expect(msg.events.map((e) => e.key)).toEqual(['sla:x:late', 'complaint:x:high', 'complaint:x:low']);
  });
});
