import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import type { MentionInput, Store } from '../../src/store/types.js';
import { LockedError, UsageError } from '../../src/errors.js';
import { createTempDir, runCli, type TempDir } from '../support/cli.js';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-11-23T12:00:00Z');

function mention(platformId: string, overrides: Partial<MentionInput> = {}): MentionInput {
  return {
    source: 'hn',
    platform: 'hackernews',
    platformId,
    url: `https://news.ycombinator.com/item?id=${platformId}`,
    author: { handle: 'alice', name: null, url: null, reach: 0 },
    title: null,
    text: `text ${platformId}`,
    createdAt: NOW - HOUR,
    fetchedAt: NOW,
    sentiment: { score: -2, comparative: -0.5, label: 'negative' },
    complaint: true,
    intent: 'complaint',
    verdict: { rules: ['test'] },
    own: false,
    addressesBrand: false,
    threadRef: platformId,
    raw: { id: platformId },
    ...overrides,
  };
}

let store: Store;
beforeEach(() => {
  store = openStore(':memory:');
});
afterEach(() => store.close());

describe('mentions', () => {
  it('ignores duplicates on source + platform id and stores the cursor in the same call', () => {
    expect(store.insertMentions({ name: 'hn', type: 'hackernews' }, [mention('1'), mention('2')], 'c1')).toEqual(['hn:1', 'hn:2']);
    expect(store.insertMentions({ name: 'hn', type: 'hackernews' }, [mention('2'), mention('3')], 'c2')).toEqual(['hn:3']);
    expect(store.getSourceState('hn')?.cursor).toBe('c2');
    expect(store.getRaw('hn:1')).toEqual({ id: '1' });
    expect(store.getVerdict('hn:1')).toEqual({ rules: ['test'] });
  });

  it('rolls back the mentions when storing the cursor fails', () => {
    const broken = store as unknown as { stmt(sql: string): unknown };
    const original = broken.stmt.bind(store);
    broken.stmt = (sql: string) => {
      if (sql.includes('source_states')) throw new Error('disk full');
      return original(sql);
    };
    expect(() => store.insertMentions({ name: 'hn', type: 'hackernews' }, [mention('1')], 'c1')).toThrow('disk full');
    broken.stmt = original;
    expect(store.getMention('hn:1')).toBeUndefined();
  });

  it('ranks open complaints by priority; a zero-reach complaint waiting one SLA outranks a fresh one with 10,000 followers', () => {
    store.insertMentions({ name: 'hn', type: 'hackernews' }, [
      mention('small-old', { createdAt: NOW - 24 * HOUR, author: { handle: 'a', name: null, url: null, reach: 0 } }),
      mention('big-new', { createdAt: NOW, author: { handle: 'b', name: null, url: null, reach: 10_000 } }),
      mention('praise', { complaint: false, createdAt: NOW - 48 * HOUR }),
      mention('own', { own: true, createdAt: NOW - 48 * HOUR }),
      mention('tie-b', { createdAt: NOW - 2 * HOUR }),
      mention('tie-a', { createdAt: NOW - 2 * HOUR }),
    ], undefined);
    const ids = store.listOpenComplaints({ now: NOW }, 'priority').map((m) => m.id);
    expect(ids).toEqual(['hn:small-old', 'hn:big-new', 'hn:tie-a', 'hn:tie-b']);
    expect(store.listOpenComplaints({ now: NOW }, 'reach').map((m) => m.id)[0]).toBe('hn:big-new');
    expect(store.listOpenComplaints({ now: NOW }, 'age').map((m) => m.id)[0]).toBe('hn:small-old');
  });

  it('re-ranks when the weights change', () => {
    store.insertMentions({ name: 'hn', type: 'hackernews' }, [
      mention('old', { createdAt: NOW - 24 * HOUR }),
      mention('loud', { createdAt: NOW, author: { handle: 'b', name: null, url: null, reach: 1_000_000 } }),
    ], undefined);
    expect(store.listOpenComplaints({ now: NOW }, 'priority')[0]!.id).toBe('hn:loud');
    store.useRankWeights({ slaHours: 1, reachWeight: 1, ageWeight: 5 });
    expect(store.listOpenComplaints({ now: NOW }, 'priority')[0]!.id).toBe('hn:old');
  });

  it('brings a snoozed complaint back as open when its time is up', () => {
    store.insertMentions({ name: 'hn', type: 'hackernews' }, [mention('1')], undefined);
    store.applyAction({ mentionId: 'hn:1', action: 'snooze', actor: 'me', at: NOW, detail: null }, { status: 'snoozed', snoozedUntil: NOW + HOUR });
    expect(store.listOpenComplaints({ now: NOW }, 'priority')).toEqual([]);
    expect(store.listMentions({ now: NOW, status: 'snoozed' })).toHaveLength(1);
    expect(store.listOpenComplaints({ now: NOW + 2 * HOUR }, 'priority').map((m) => m.id)).toEqual(['hn:1']);
    expect(store.listMentions({ now: NOW + 2 * HOUR, status: 'open' })).toHaveLength(1);
  });

  it('appends to the action log and refuses unknown ids', () => {
    store.insertMentions({ name: 'hn', type: 'hackernews' }, [mention('1')], undefined);
    expect(store.applyAction({ mentionId: 'hn:1', action: 'assign', actor: 'me', at: NOW, detail: { to: 'bo' } }, { assignee: 'bo' })).toBe(true);
    expect(store.applyAction({ mentionId: 'hn:9', action: 'assign', actor: 'me', at: NOW, detail: null }, { assignee: 'bo' })).toBe(false);
    expect(store.getMention('hn:1')?.assignee).toBe('bo');
    expect(store.listActions('hn:1')).toEqual([{ mentionId: 'hn:1', action: 'assign', actor: 'me', at: NOW, detail: { to: 'bo' } }]);
  });

  it('binds search text as a parameter and escapes LIKE wildcards', () => {
    store.insertMentions({ name: 'hn', type: 'hackernews' }, [
      mention('1', { text: "100% broken'; DROP TABLE mentions; --" }),
      mention('2', { text: '1000 things' }),
    ], undefined);
    expect(store.listMentions({ now: NOW, search: "100%" }).map((m) => m.id)).toEqual(['hn:1']);
    expect(store.listMentions({ now: NOW, search: "'; DROP TABLE mentions; --" }).map((m) => m.id)).toEqual(['hn:1']);
    expect(store.listMentions({ now: NOW })).toHaveLength(2);
  });

  it('keeps what polling learnt when an import upserts the same record', () => {
    store.insertMentions({ name: 'hn', type: 'hackernews' }, [mention('1', { addressesBrand: true })], undefined);
    store.upsertMentions([mention('1', { raw: null, threadRef: null, verdict: null, addressesBrand: false, status: 'answered', answeredBy: 'manual', answeredAt: NOW })]);
    const m = store.getMention('hn:1')!;
    expect(m).toMatchObject({ status: 'answered', answeredBy: 'manual', addressesBrand: true, threadRef: '1' });
    expect(store.getRaw('hn:1')).toEqual({ id: '1' });
  });
});

describe('complaint points (spike detection)', () => {
  it("lists complaints that are not the brand's own within [since, until], with only the fields spikes read", () => {
    store.insertMentions({ name: 'hn', type: 'hackernews' }, [
      mention('in', { title: 'Down', author: { handle: 'Bob', name: 'Bob B', url: null, reach: 9 } }),
      mention('own', { own: true }),
      mention('praise', { complaint: false }),
      mention('old', { createdAt: NOW - 10 * HOUR }),
      mention('future', { createdAt: NOW + HOUR }),
    ], undefined);
    expect(store.listComplaintPoints(NOW - 2 * HOUR, NOW)).toEqual([
      { id: 'hn:in', source: 'hn', createdAt: NOW - HOUR, authorHandle: 'Bob', title: 'Down', text: 'text in' },
    ]);
  });
});

describe('known platform ids', () => {
  it("says which of a page's ids the source has stored, in one lookup; other sources' ids do not count", () => {
    store.insertMentions({ name: 'hn', type: 'hackernews' }, [mention('1'), mention('"quoted" ü'), mention('2^53+1:9007199254740993')], undefined);
    store.insertMentions({ name: 'other', type: 'hackernews' }, [mention('3', { source: 'other' })], undefined);
    expect(store.knownPlatformIds('hn', ['1', '3', '"quoted" ü', '9007199254740993', '2^53+1:9007199254740993', '1'])).toEqual(new Set(['1', '"quoted" ü', '2^53+1:9007199254740993']));
    expect(store.knownPlatformIds('hn', [])).toEqual(new Set());
  });
});

describe('locks', () => {
  it('refuses a second holder while the first is alive and takes over from a dead one', () => {
    store.acquireLock('poll', { pid: 100, host: 'h', now: NOW, isAlive: () => true });
    expect(() => store.acquireLock('poll', { pid: 200, host: 'h', now: NOW, isAlive: () => true })).toThrow(LockedError);
    store.acquireLock('poll', { pid: 200, host: 'h', now: NOW, isAlive: (pid) => pid !== 100 });
    store.releaseLock('poll', 200);
    store.acquireLock('poll', { pid: 300, host: 'h', now: NOW, isAlive: () => true });
  });
});

describe('database files', () => {
  let dir: TempDir;
  beforeEach(() => {
    dir = createTempDir();
  });
  afterEach(() => dir.remove());

  it('deferCheckpoints: a burst of writes grows the log instead of checkpointing half-way; close checkpoints', () => {
    const walAfterBurst = (defer: boolean): number => {
      const path = join(dir.path, `${defer ? 'deferred' : 'default'}.db`);
      const file = openStore(path);
      if (defer) file.deferCheckpoints();
      // About 6 MB of rows, in page-sized transactions as a poll writes them: more than the default 1,000-page log.
      const big = 'x'.repeat(4000);
      for (let page = 0; page < 15; page++) {
        const rows = Array.from({ length: 100 }, (_, i) => mention(`${page}-${i}`, { raw: { big } }));
        file.insertMentions({ name: 'hn', type: 'hackernews' }, rows, `c${page}`);
      }
      const size = statSync(`${path}-wal`).size;
      file.close();
      expect(existsSync(`${path}-wal`)).toBe(false); // closing checkpointed everything into the database
      return size;
    };
    const pageSize = 4096;
    expect(walAfterBurst(false)).toBeLessThan(1300 * pageSize); // 1,000 pages, then the log starts over
    expect(walAfterBurst(true)).toBeGreaterThan(1600 * pageSize);
  });

  it('creates the file with mode 0600 and WAL, and migrates to the latest version', () => {
    const path = join(dir.path, 'sub', 'm.db');
    openStore(path).close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const db = new BetterSqlite3(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(10);
    db.close();
    openStore(path).close(); // reopening applies nothing twice
  });

  it('refuses a database from a newer version, before touching it, with exit code 2', async () => {
    const path = join(dir.path, 'future.db');
    const db = new BetterSqlite3(path);
    db.pragma('user_version = 9999');
    db.close();
    const before = statSync(path).mtimeMs;
    expect(() => openStore(path)).toThrow(UsageError);
    expect(statSync(path).mtimeMs).toBe(before);
    dir.file('mention-watch.json', JSON.stringify({ brand: { name: 'Acme' }, database: 'future.db' }));
    const r = await runCli(['list'], { cwd: dir.path });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('database schema version 9999 is newer than this mention-watch supports');
  });
});

describe('thread-check budget', () => {
  it('picks at most `limit` threads that need a reply, least recently checked first, within the window, older ones less often', () => {
    store.insertMentions({ name: 'hn', type: 'hackernews' }, [
      mention('young-a', { createdAt: NOW - 1 * HOUR }),
      mention('young-b', { createdAt: NOW - 2 * HOUR }),
      mention('old', { createdAt: NOW - 100 * HOUR }),
      mention('too-old', { createdAt: NOW - 200 * HOUR }),
      mention('praise', { complaint: false, intent: 'praise' }),
      mention('question', { complaint: false, intent: 'question' }),
      mention('own', { own: true }),
    ], undefined);
    const due = (now: number, limit = 50) => store.listThreadChecks('hn', { now, windowMs: 168 * HOUR, limit }).map((m) => m.platformId);
    expect(due(NOW).sort()).toEqual(['old', 'question', 'young-a', 'young-b']);
    expect(due(NOW, 2)).toHaveLength(2);
    for (const id of ['young-a', 'old', 'question', 'young-b']) store.recordThreadCheck(`hn:${id}`, NOW);
    // Ten minutes later: young threads are due again; the 100-hour-old one waits a quarter of its age.
    expect(due(NOW + 10 * 60_000).sort()).toEqual(['question', 'young-a', 'young-b']);
    expect(due(NOW + 20 * HOUR)).not.toContain('old');
    expect(due(NOW + 40 * HOUR)).toContain('old');
    store.recordThreadCheck('hn:young-b', NOW + 5 * 60_000);
    expect(due(NOW + 10 * 60_000, 1)).toEqual(['young-a']);
  });
});
