/** The PRAGMA user_version migration runner: each pending migration in its own transaction. */
import type { Database } from 'better-sqlite3';
import { UsageError } from '../errors.js';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

export class NewerDatabaseError extends UsageError {}

/** Throws NewerDatabaseError, before touching anything, when the database was written by a newer mention-watch. */
export function assertNotNewer(db: Database, migrations: readonly Migration[], path: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new NewerDatabaseError(
      `${path}: database schema version ${current} is newer than this mention-watch supports (${latest})`,
      'Upgrade mention-watch, or point --db at another database.',
    );
  }
}

export function migrate(db: Database, migrations: readonly Migration[], path: string): number {
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i]!.version <= migrations[i - 1]!.version) throw new Error(`migrations out of order at ${migrations[i]!.name}`);
  }
  assertNotNewer(db, migrations, path);
  let current = db.pragma('user_version', { simple: true }) as number;
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
    current = migration.version;
  }
  return current;
}
