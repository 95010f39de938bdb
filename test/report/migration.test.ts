import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/migrate.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { openStore } from '../../src/store/open.js';
import { createTempDir, type TempDir } from '../support/cli.js';

let dir: TempDir;
beforeEach(() => {
  dir = createTempDir();
});
afterEach(() => dir.remove());

describe('migration 0020-reports', () => {
  it('adds the spikes and notifications tables to a version-10 database, keeping its mentions', () => {
    const path = join(dir.path, 'old.db');
    const db = new BetterSqlite3(path);
    migrate(db, MIGRATIONS.filter((m) => m.version <= 10), path);
    db.prepare("INSERT INTO mentions (id, source, platform, platform_id, text, created_at, fetched_at) VALUES ('hn:1', 'hn', 'hackernews', '1', 'hi', 1, 2)").run();
    expect(db.pragma('user_version', { simple: true })).toBe(10);
    db.close();

    const store = openStore(path);
    try {
      expect(store.getMention('hn:1')?.text).toBe('hi');
      expect(store.enqueueEvents([{ key: 'sla:hn:1', kind: 'sla', payload: { a: 1 } }], 5)).toEqual(['sla:hn:1']);
      expect(store.enqueueEvents([{ key: 'sla:hn:1', kind: 'sla', payload: { a: 2 } }], 6)).toEqual([]);
      expect(store.listEvents(0, 10)).toEqual([
        { key: 'sla:hn:1', kind: 'sla', state: 'pending', payload: { a: 1 }, createdAt: 5, claimedAt: null, claimedBy: null, sentAt: null, attempts: 0, lastError: null },
      ]);
    } finally {
      store.close();
    }
    const check = new BetterSqlite3(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(check.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'mentions_open_by_age'").pluck().get()).toBe('mentions_open_by_age');
    check.close();
  });
});
