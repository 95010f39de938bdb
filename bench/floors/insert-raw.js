/**
 * Floors for writing: `insert <db> <count> <now>` times a raw better-sqlite3 INSERT loop of synthetic rows
 * (prepared statement, transactions of 5,000, no classification, rows built before the clock starts) into a
 * database that already has the schema; `ignore <db>` times INSERT OR IGNORE of every stored row again (all
 * duplicates). Prints {"rows", "ms"} as JSON.
 */
import Database from 'better-sqlite3';
import { syntheticRecords } from '../synthetic.js';

const [mode, path, countArg, nowArg] = process.argv.slice(2);
const db = new Database(path, { fileMustExist: true });
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');
// BENCH_CACHE_KIB: try a larger page cache (the store keeps SQLite's default of 2 MiB).
if (process.env.BENCH_CACHE_KIB) db.pragma(`cache_size = -${Number(process.env.BENCH_CACHE_KIB)}`);
const COLUMNS = ['id', 'source', 'platform', 'platform_id', 'url', 'author_handle', 'author_name', 'author_url', 'author_reach', 'title', 'text',
  'created_at', 'fetched_at', 'sentiment_score', 'sentiment_comparative', 'sentiment_label', 'complaint', 'intent', 'verdict', 'own',
  'addresses_brand', 'status', 'answered_at', 'answered_by', 'assignee', 'snoozed_until', 'thread_ref', 'rank_key', 'raw'];
const BATCH = 5000;
/** The re-poll stores a page (about 100 rows) per transaction, so the duplicate floor does too. */
const PAGE = 100;
let rows = 0;
let ns = 0n;
const extra = {};

function timed(statement, batch) {
  const t = process.hrtime.bigint();
  db.transaction(() => {
    for (const params of batch) statement.run(params);
  })();
  ns += process.hrtime.bigint() - t;
  rows += batch.length;
}

if (mode === 'insert') {
  const insert = db.prepare(`INSERT INTO mentions (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`);
  let batch = [];
  for (const r of syntheticRecords(Number(countArg), Number(nowArg))) {
    const createdAt = Date.parse(r.createdAt);
    batch.push([r.id, r.source, r.platform, r.id.slice(r.source.length + 1), r.url, r.author.handle, r.author.name, r.author.url, r.author.reach,
      r.title, r.text, createdAt, Date.parse(r.fetchedAt), null, null, null, 0, null, null, r.own ? 1 : 0, 0, r.status, null, null, r.assignee, null, null,
      Math.log10(1 + r.author.reach) - (5 * createdAt) / (24 * 3_600_000), null]);
    if (batch.length === BATCH) {
      timed(insert, batch);
      batch = [];
    }
  }
  if (batch.length > 0) timed(insert, batch);
} else if (mode === 'ignore') {
  const all = db.prepare(`SELECT ${COLUMNS.join(', ')} FROM mentions ORDER BY seq`).raw().all();
  const insert = db.prepare(`INSERT OR IGNORE INTO mentions (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`);
  // Median of five passes (after one warm-up); every pass is all duplicates.
  const passes = [];
  for (let pass = 0; pass < 6; pass++) {
    ns = 0n;
    rows = 0;
    for (let i = 0; i < all.length; i += PAGE) timed(insert, all.slice(i, i + PAGE));
    if (pass > 0) passes.push(Number(ns));
  }
  passes.sort((a, b) => a - b);
  ns = BigInt(passes[2]);
  // Proposal check: what a duplicate would cost if the store looked the key up before building the row.
  const exists = db.prepare('SELECT 1 FROM mentions WHERE source = ? AND platform_id = ?').pluck();
  const keys = all.map((r) => [r[1], r[3]]);
  const lookups = [];
  for (let pass = 0; pass < 6; pass++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < keys.length; i += PAGE) {
      db.transaction(() => {
        for (const [source, platformId] of keys.slice(i, i + PAGE)) exists.get(source, platformId);
      })();
    }
    if (pass > 0) lookups.push(Number(process.hrtime.bigint() - t));
  }
  lookups.sort((a, b) => a - b);
  extra.lookupMs = lookups[2] / 1e6;
} else throw new Error(`unknown mode ${mode}`);
db.close();
process.stdout.write(`${JSON.stringify({ rows, ms: Number(ns) / 1e6, ...extra })}\n`);
