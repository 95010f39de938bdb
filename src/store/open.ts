/** openStore(path): creates the file with mode 0600, refuses newer schemas, sets pragmas, migrates. */
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { UsageError } from '../errors.js';
import { assertNotNewer, migrate } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';
import { SqliteStore } from './sqlite-store.js';
import type { Store } from './types.js';

export interface OpenStoreOptions {
  /** Do not create the database when it does not exist (read-only commands). */
  mustExist?: boolean;
}

export function openStore(path: string, options: OpenStoreOptions = {}): Store {
  const memory = path === ':memory:';
  if (!memory && !existsSync(path)) {
    if (options.mustExist) {
      throw new UsageError(`${path}: no database here yet`, 'Run `mention-watch init` or `mention-watch poll` first, or pass --db.');
    }
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      closeSync(openSync(path, 'wx', 0o600));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new UsageError(`${path}: cannot create database: ${(error as Error).message}`);
      }
    }
  }
  let db: BetterSqlite3.Database;
  try {
    db = new BetterSqlite3(path, { fileMustExist: !memory });
  } catch (error) {
    throw new UsageError(`${path}: cannot open database: ${(error as Error).message}`);
  }
  try {
    db.pragma('busy_timeout = 5000');
    assertNotNewer(db, MIGRATIONS, path);
    if (!memory) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS, path);
  } catch (error) {
    db.close();
    if (error instanceof UsageError) throw error;
    const message = (error as Error).message;
    throw new UsageError(`${path}: not a usable mention-watch database: ${message}`);
  }
  return new SqliteStore(db, path);
}
