/**
 * The re-poll's per-row cost inside one process: `repoll.js <config> <db> <runs>` runs pollSources (the real
 * store, sources, classifier and undici client) against the bench server, which the caller has set to 0 ms
 * latency, after clearing the stored cursors so that every source hands back what is already stored. It times
 * the whole poll, the time spent in store methods and in the classifier, per fetched row; medians over the runs.
 */
import Database from 'better-sqlite3';
import { createMentionClassifier } from '../../dist/app/classification.js';
import { pollSources } from '../../dist/app/poll.js';
import { loadConfig } from '../../dist/config/load.js';
import { createSource } from '../../dist/sources/index.js';
import { openStore } from '../../dist/store/open.js';
import { median } from '../measure.js';

const [configPath, dbPath, runsArg] = process.argv.slice(2);
const loaded = loadConfig({ configPath, env: process.env, cwd: process.cwd(), requireConfig: true, requireCredentials: true });
const store = openStore(dbPath);
// Every store method the poll calls is timed (insertMentions, and whatever looks up known ids first).
let storeNs = 0n;
for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(store))) {
  const method = store[name];
  if (name === 'constructor' || typeof method !== 'function') continue;
  store[name] = (...args) => {
    const t = process.hrtime.bigint();
    try {
      return method.apply(store, args);
    } finally {
      storeNs += process.hrtime.bigint() - t;
    }
  };
}
const classifier = createMentionClassifier(loaded.config);
let classifyNs = 0n;
const classify = (m) => {
  const t = process.hrtime.bigint();
  try {
    return classifier(m);
  } finally {
    classifyNs += process.hrtime.bigint() - t;
  }
};
const side = new Database(dbPath);
side.pragma('busy_timeout = 5000');
const quiet = { debug() {}, info() {}, warn() {} };
const samples = { total: [], store: [], classify: [] };
let fetched = 0;
let inserted = 0;
let errors = [];
for (let run = 0; run < Number(runsArg ?? 5) + 1; run++) {
  side.prepare('UPDATE source_states SET cursor = NULL').run();
  storeNs = 0n;
  classifyNs = 0n;
  const t = process.hrtime.bigint();
  const summary = await pollSources({
    config: loaded.config,
    store,
    env: loaded.env,
    now: () => new Date(),
    signal: new AbortController().signal,
    log: quiet,
    classifier: async () => classify,
    createSource,
    userAgent: 'mention-watch-bench',
  });
  const totalNs = process.hrtime.bigint() - t;
  fetched = summary.sources.reduce((n, s) => n + s.fetched, 0);
  inserted = summary.new;
  errors = summary.sources.filter((s) => s.error).map((s) => s.error);
  if (run === 0) continue; // warm-up
  samples.total.push(Number(totalNs) / 1000 / fetched);
  samples.store.push(Number(storeNs) / 1000 / fetched);
  samples.classify.push(Number(classifyNs) / 1000 / fetched);
}
side.close();
store.close();
process.stdout.write(
  `${JSON.stringify({ fetched, inserted, errors, totalUs: median(samples.total), storeUs: median(samples.store), classifyUs: median(samples.classify) })}\n`,
);
