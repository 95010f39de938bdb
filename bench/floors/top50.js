/**
 * The top-50 triage query inside one process: the store's listOpenComplaints({ now, limit: 50 }, 'priority')
 * against the best indexed raw SQL over the same columns (partial index mentions_triage), medians of many
 * calls, and EXPLAIN QUERY PLAN of both. Prints JSON.
 */
import Database from 'better-sqlite3';
import { openStore } from '../../dist/store/open.js';
import { timeInProcess } from '../measure.js';

const [path, nowArg, runsArg] = process.argv.slice(2);
const now = Number(nowArg);
const runs = Number(runsArg ?? 200);
const COLUMNS = `id, source, platform, platform_id, url, author_handle, author_name, author_url, author_reach, title, text,
  created_at, fetched_at, sentiment_score, sentiment_comparative, sentiment_label, complaint, intent, own, addresses_brand,
  status, answered_at, answered_by, assignee, snoozed_until, reopened, thread_ref, thread_checked_at`;
const RAW_SQL = `SELECT ${COLUMNS} FROM mentions
  WHERE complaint = 1 AND own = 0 AND status IN ('open', 'snoozed') AND (status = 'open' OR snoozed_until <= :now)
  ORDER BY rank_key DESC, id LIMIT 50`;

const store = openStore(path, { mustExist: true });
let storeRows = [];
const storeMs = timeInProcess(() => {
  storeRows = store.listOpenComplaints({ now, limit: 50 }, 'priority');
}, runs);
// The store keeps its prepared statements by SQL text (a private Map): find the one it just ran to explain it.
const storeSql = [...(store.statements?.keys() ?? [])].find((sql) => sql.includes('ORDER BY rank_key DESC'));

const db = new Database(path, { readonly: true, fileMustExist: true });
const raw = db.prepare(RAW_SQL);
let rawRows = [];
const rawMs = timeInProcess(() => {
  rawRows = raw.all({ now });
}, runs);
const plan = (sql, params) =>
  db
    .prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .all(params)
    .map((r) => r.detail)
    .join('; ');
const storeParams = { now, limit: 50 };
const result = {
  storeMs,
  rawMs,
  sameIds: storeRows.map((m) => m.id).join() === rawRows.map((r) => r.id).join(),
  rows: storeRows.length,
  rawPlan: plan(RAW_SQL, { now }),
  storePlan: storeSql ? plan(storeSql, storeParams) : 'n/a (statement not found)',
  openComplaints: db.prepare("SELECT count(*) AS n FROM mentions WHERE complaint = 1 AND own = 0 AND status IN ('open','snoozed')").get().n,
  complaintShare: db.prepare('SELECT avg(complaint) AS p FROM mentions').get().p,
};
store.close();
db.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
