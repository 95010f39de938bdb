import type { Database } from 'better-sqlite3';

export const version = 20;
export const name = '0020-reports';

/** Spikes found at the end of polls, and the webhook event log that makes each event go out once. */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE spikes (
      id INTEGER PRIMARY KEY,
      source TEXT NOT NULL,
      window_start INTEGER NOT NULL,
      window_end INTEGER NOT NULL,
      detected_at INTEGER NOT NULL,
      last_seen_at INTEGER NOT NULL,
      count INTEGER NOT NULL,
      baseline_mean REAL NOT NULL,
      baseline_sd REAL NOT NULL,
      threshold REAL NOT NULL,
      top_words TEXT NOT NULL,
      mention_ids TEXT NOT NULL
    ) STRICT;
    CREATE INDEX spikes_source_end ON spikes (source, window_end DESC);
    CREATE INDEX spikes_detected ON spikes (detected_at DESC);

    CREATE TABLE notifications (
      key TEXT PRIMARY KEY,
      kind TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('pending', 'claimed', 'sent', 'skipped', 'failed')),
      payload TEXT,
      created_at INTEGER NOT NULL,
      claimed_at INTEGER,
      claimed_by TEXT,
      sent_at INTEGER,
      attempts INTEGER NOT NULL DEFAULT 0,
      last_error TEXT
    ) STRICT;
    CREATE INDEX notifications_pending ON notifications (created_at) WHERE state = 'pending';
    CREATE INDEX notifications_created ON notifications (created_at DESC);
  `);
}
