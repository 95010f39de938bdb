/** The worker side of bulk-writer.ts: one connection, one transaction per message, in the order received. */
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { MOVE_CURSOR_SQL, insertPage } from './insert-page.js';
import { INSERT_NEW_SQL, UPSERT_SQL } from './mention-rows.js';

export type WriterMessage =
  | { id: number; kind: 'upsert'; rows: unknown[][] }
  | { id: number; kind: 'insert'; rows: unknown[][]; source: { name: string; type: string }; cursor: string | undefined }
  | { close: true };

export type WriterReply = { id: number; written: number } | { id: number; inserted: string[] } | { id: number; error: string };

const db = new BetterSqlite3((workerData as { path: string }).path, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
const upsert = db.prepare(UPSERT_SQL);
const moveCursor = db.prepare(MOVE_CURSOR_SQL);
const page = { insert: db.prepare(INSERT_NEW_SQL), moveCursor: () => moveCursor };
const writeBatch = db.transaction((rows: unknown[][]) => {
  let written = 0;
  for (const row of rows) written += upsert.run(row).changes;
  return written;
});

parentPort!.on('message', (message: WriterMessage) => {
  if ('close' in message) {
    db.close();
    parentPort!.close();
    return;
  }
  let reply: WriterReply;
  try {
    reply =
      message.kind === 'upsert'
        ? { id: message.id, written: writeBatch.immediate(message.rows) }
        : { id: message.id, inserted: insertPage(db, page, message.source, message.rows, message.cursor) };
  } catch (error) {
    reply = { id: message.id, error: (error as Error).message };
  }
  parentPort!.postMessage(reply);
});
