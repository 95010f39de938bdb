import type { Database } from 'better-sqlite3';

export const version = 10;
export const name = '0010-initial';

export function up(db: Database): void {
  db.exec(`
    CREATE TABLE mentions (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      source TEXT NOT NULL,
      platform TEXT NOT NULL,
      platform_id TEXT NOT NULL,
      url TEXT,
      author_handle TEXT,
      author_name TEXT,
      author_url TEXT,
      author_reach INTEGER NOT NULL DEFAULT 0,
      title TEXT,
      text TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      fetched_at INTEGER NOT NULL,
      sentiment_score REAL,
      sentiment_comparative REAL,
      sentiment_label TEXT,
      complaint INTEGER NOT NULL DEFAULT 0,
      intent TEXT,
      verdict TEXT,
      own INTEGER NOT NULL DEFAULT 0,
      addresses_brand INTEGER NOT NULL DEFAULT 0,
      status TEXT NOT NULL DEFAULT 'open',
      answered_at INTEGER,
      answered_by TEXT,
      assignee TEXT,
      snoozed_until INTEGER,
      reopened INTEGER NOT NULL DEFAULT 0,
      thread_ref TEXT,
      thread_checked_at INTEGER,
      rank_key REAL NOT NULL DEFAULT 0,
      raw TEXT,
      UNIQUE (source, platform_id)
    ) STRICT;

    CREATE INDEX mentions_created ON mentions (created_at DESC);
    CREATE INDEX mentions_source_created ON mentions (source, created_at DESC);
    CREATE INDEX mentions_triage ON mentions (rank_key DESC, id)
      WHERE complaint = 1 AND own = 0 AND status IN ('open', 'snoozed');

    CREATE TABLE actions (
      seq INTEGER PRIMARY KEY,
      mention_id TEXT NOT NULL REFERENCES mentions (id) ON DELETE CASCADE,
      action TEXT NOT NULL,
      actor TEXT,
      at INTEGER NOT NULL,
      detail TEXT
    ) STRICT;
    CREATE INDEX actions_mention ON actions (mention_id, seq);

    CREATE TABLE source_states (
      name TEXT PRIMARY KEY,
      type TEXT NOT NULL,
      cursor TEXT,
      last_run_at INTEGER,
      last_success_at INTEGER,
      last_error TEXT,
      last_error_at INTEGER
    ) STRICT;

    CREATE TABLE source_kv (
      source TEXT NOT NULL,
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      PRIMARY KEY (source, key)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE poll_runs (
      seq INTEGER PRIMARY KEY,
      started_at INTEGER NOT NULL,
      finished_at INTEGER,
      pid INTEGER,
      summary TEXT
    ) STRICT;

    CREATE TABLE locks (
      name TEXT PRIMARY KEY,
      pid INTEGER NOT NULL,
      host TEXT NOT NULL,
      acquired_at INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;
  `);
}
