/** The worker side of bulk-writer.ts: one connection, one transaction per batch of rows. */
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { UPSERT_SQL } from './mention-rows.js';

const db = new BetterSqlite3((workerData as { path: string }).path, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
const upsert = db.prepare(UPSERT_SQL);
const writeBatch = db.transaction((rows: unknown[][]) => {
  let written = 0;
  for (const row of rows) written += upsert.run(row).changes;
  return written;
});

parentPort!.on('message', (message: { id: number; rows: unknown[][] } | { close: true }) => {
  if ('close' in message) {
    db.close();
    parentPort!.close();
    return;
  }
  try {
    parentPort!.postMessage({ id: message.id, written: writeBatch.immediate(message.rows) });
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: (error as Error).message });
  }
});
