/** Floor for `export --format ndjson`: stmt.iterate() over the same columns, one JSON line per row, 64 KiB writes to stdout. */
import { writeSync } from 'node:fs';
import Database from 'better-sqlite3';

const db = new Database(process.argv[2], { readonly: true, fileMustExist: true });
const COLUMNS = `id, source, platform, platform_id, url, author_handle, author_name, author_url, author_reach, title, text,
  created_at, fetched_at, sentiment_score, sentiment_comparative, sentiment_label, complaint, intent, own, addresses_brand,
  status, answered_at, answered_by, assignee, snoozed_until, reopened, thread_ref, thread_checked_at`;
let buffer = '';
let rows = 0;
for (const row of db.prepare(`SELECT ${COLUMNS} FROM mentions ORDER BY seq`).iterate()) {
  buffer += `${JSON.stringify(row)}\n`;
  rows++;
  if (buffer.length >= 65536) {
    writeSync(1, buffer);
    buffer = '';
  }
}
if (buffer.length > 0) writeSync(1, buffer);
db.close();
process.stderr.write(`${rows}\n`);
