/**
 * Poll's page write: a page's new mentions and the source's cursor in one transaction, so a poll killed at
 * any moment neither loses nor repeats a page. Shared by the store (in-process) and the writer thread.
 */
import type { Database, Statement } from 'better-sqlite3';

/** Moves a source's cursor (creating its state row on its first page). */
export const MOVE_CURSOR_SQL = `INSERT INTO source_states (name, type, cursor) VALUES (:name, :type, :cursor)
  ON CONFLICT (name) DO UPDATE SET cursor = excluded.cursor, type = excluded.type`;

export interface PageStatements {
  /** INSERT_NEW_SQL: duplicates on (source, platform id) or id are ignored. */
  insert: Statement;
  /** MOVE_CURSOR_SQL, asked for only when there is a cursor. */
  moveCursor(): Statement;
}

/** Inserts the rows (mentionRow order) and moves the cursor, in one immediate transaction. Returns the ids inserted. */
export function insertPage(
  db: Database,
  statements: PageStatements,
  source: { name: string; type: string },
  rows: readonly unknown[][],
  cursor: string | undefined,
): string[] {
  const inserted: string[] = [];
  db.transaction(() => {
    for (const row of rows) if (statements.insert.run(row).changes > 0) inserted.push(row[0] as string);
    if (cursor !== undefined) statements.moveCursor().run({ name: source.name, type: source.type, cursor });
  }).immediate();
  return inserted;
}
