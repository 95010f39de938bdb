#!/usr/bin/env node
/**
 * `npm run bench`: builds a temporary database of synthetic mentions through `import`, then measures every
 * figure beside a floor measured in the same run on the same machine, and prints one table.
 *
 *   node bench/run.js [--rows 1000000] [--runs 7] [--only import,version,list,query,export,poll]
 *
 * Whole-process figures spawn `node bin/mention-watch.js ...` (and the floor `node -e 0`) interleaved and
 * report medians. Temporary files live in bench/.tmp/ (gitignored); the NDJSON input is reused between runs
 * when the generator, row count and day are the same. Results also go to bench/RESULTS.md.
 */
import { cpus, totalmem } from 'node:os';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MEMORY_METHOD, compareRuns, median, runNode } from './measure.js';
import { runPollBench } from './poll.js';
import { writeSyntheticNdjson } from './synthetic.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'mention-watch.js');
const TMP = join(ROOT, 'bench', '.tmp');

const { values: opts } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '7' },
    only: { type: 'string' },
  },
});
const ROWS = Number(opts.rows);
const RUNS = Number(opts.runs);
const only = opts.only ? new Set(opts.only.split(',')) : null;
const want = (part) => only === null || only.has(part);
const DAY_MS = 86_400_000;
const NOW = Math.floor(Date.now() / DAY_MS) * DAY_MS; // data clock: today 00:00 UTC, so the NDJSON can be reused today

const TRIAGE_WHERE = "complaint = 1 AND own = 0 AND status IN ('open', 'snoozed')";
const results = [];
const notes = [];
const log = (line) => process.stderr.write(`bench: ${line}\n`);
const fmtMs = (ms) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`);
const fmtRate = (n) => `${Math.round(n).toLocaleString('en-US')} rows/s`;
const fmtMb = (mb) => `${mb.toFixed(0)} MB`;
const fmtUs = (us) => `${us.toFixed(1)} µs/row`;

/** One table row. `ok` is computed by the caller against the goal. */
function record(figure, measured, floor, ratio, goal, ok) {
  results.push({ figure, measured, floor, ratio: ratio === null ? '' : `${ratio.toFixed(2)}x`, goal, ok: ok === null ? '' : ok ? 'yes' : 'NO' });
}

mkdirSync(TMP, { recursive: true });
const CONFIG = join(TMP, 'mention-watch.json');
writeFileSync(CONFIG, JSON.stringify({ brand: { name: 'Acme', keywords: ['acme'] }, database: './mentions.db', sources: [] }, null, 2));
const ENV = { HOME: TMP, XDG_CONFIG_HOME: join(TMP, 'xdg'), XDG_DATA_HOME: join(TMP, 'xdg'), NO_COLOR: '1', MENTION_WATCH_CONFIG: '', MENTION_WATCH_DB: '' };
const cli = (args, options = {}) => runNode([BIN, '--config', CONFIG, ...args], { cwd: TMP, env: ENV, ...options });
const nodeFloor = () => runNode(['-e', '0'], { cwd: TMP, env: ENV });

const MAIN_DB = join(TMP, `main-${ROWS}.db`);
const SMALL_ROWS = Math.max(1000, Math.floor(ROWS / 10));
const SMALL_DB = join(TMP, `small-${SMALL_ROWS}.db`);
const removeDb = (path) => {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
};

async function main() {
  const started = Date.now();
  log(`node ${process.version}, ${cpus().length} cores, ${ROWS.toLocaleString('en-US')} rows, ${RUNS} runs per whole-process figure`);
  const input = join(TMP, `mentions-${ROWS}.ndjson`);
  const smallInput = join(TMP, `mentions-${SMALL_ROWS}.ndjson`);
  const needDb = want('import') || want('list') || want('query') || want('export');
  if (needDb) {
    log(`generating ${input} (reused when unchanged)`);
    await writeSyntheticNdjson(input, ROWS, NOW);
    await writeSyntheticNdjson(smallInput, SMALL_ROWS, NOW);
  }

  // import: builds the databases every later figure reads.
  if (needDb) {
    if (want('import') || !existsSync(MAIN_DB) || !existsSync(SMALL_DB)) {
      removeDb(MAIN_DB);
      log(`import of ${ROWS} records…`);
      const run = await cli(['--db', MAIN_DB, 'import', input], { memory: true });
      if (run.code !== 0) throw new Error(`import failed (${run.code}): ${run.stderr.slice(0, 2000)}`);
      const rate = ROWS / (run.ms / 1000);
      removeDb(SMALL_DB);
      const small = await cli(['--db', SMALL_DB, 'import', smallInput]);
      if (small.code !== 0) throw new Error(`small import failed: ${small.stderr}`);
      // Floor: a raw better-sqlite3 insert loop into an empty database with the same schema.
      const floorDb = join(TMP, 'floor-insert.db');
      removeDb(floorDb);
      const schema = await cli(['--db', floorDb, 'import', '/dev/null']);
      if (schema.code !== 0) throw new Error(`creating the floor database failed: ${schema.stderr}`);
      log('raw insert floor…');
      const floorRun = await runNode([join(ROOT, 'bench/floors/insert-raw.js'), 'insert', floorDb, String(ROWS), String(NOW)], { cwd: TMP, stdout: 'capture' });
      if (floorRun.code !== 0) throw new Error(`insert floor failed: ${floorRun.stderr}`);
      const floor = JSON.parse(floorRun.stdout);
      const floorRate = floor.rows / (floor.ms / 1000);
      removeDb(floorDb);
      record(`import ${ROWS.toLocaleString('en-US')} records (whole process, classification incl.)`, fmtRate(rate), fmtRate(floorRate), rate / floorRate, '>= 33,000 rows/s', rate >= 33_000);
      notes.push(`import: one run of ${fmtMs(run.ms)} (${fmtMb(run.maxRssMb)} peak); a ${SMALL_ROWS.toLocaleString('en-US')}-row import took ${fmtMs(small.ms)} (${fmtRate(SMALL_ROWS / (small.ms / 1000))}). Floor: raw INSERT loop, 5,000-row transactions, insert time only.`);
    }
  }

  if (want('version')) {
    log('--version vs node -e 0…');
    const r = await compareRuns({ floor: nodeFloor, version: () => cli(['--version']) }, Math.max(RUNS, 15));
    const ratio = r.version.ms / r.floor.ms;
    record('`mention-watch --version` (whole process)', fmtMs(r.version.ms), `${fmtMs(r.floor.ms)} node -e 0`, ratio, '<= 1.6x', ratio <= 1.6);
  }

  if (want('list')) {
    log('list/triage --limit 50 vs node -e 0…');
    const commands = { floor: nodeFloor, list: () => cli(['--db', MAIN_DB, 'list', '--limit', '50', '--format', 'json'], { stdout: 'capture' }) };
    const triageHelp = await cli(['triage', '--help']);
    const hasTriage = triageHelp.code === 0;
    if (hasTriage) commands.triage = () => cli(['--db', MAIN_DB, 'triage', '--limit', '50', '--format', 'json'], { stdout: 'capture' });
    const r = await compareRuns(commands, RUNS);
    const listRows = JSON.parse(r.list.last.stdout).length;
    record(`\`list --limit 50 --format json\` at ${ROWS.toLocaleString('en-US')} (whole process)`, fmtMs(r.list.ms), `${fmtMs(r.floor.ms)} node -e 0`, r.list.ms / r.floor.ms, '<= 2.3x', r.list.ms / r.floor.ms <= 2.3);
    if (hasTriage) {
      const triageRows = JSON.parse(r.triage.last.stdout).length;
      record(`\`triage --limit 50 --format json\` at ${ROWS.toLocaleString('en-US')} (whole process)`, fmtMs(r.triage.ms), `${fmtMs(r.floor.ms)} node -e 0`, r.triage.ms / r.floor.ms, '<= 2.3x', r.triage.ms / r.floor.ms <= 2.3);
      notes.push(`list printed ${listRows} rows, triage ${triageRows}; runs (ms): floor ${r.floor.all.join(' ')} | list ${r.list.all.join(' ')} | triage ${r.triage.all.join(' ')}`);
      await measureTriageIndexProposal(r.triage.ms, commands.triage);
    } else notes.push('triage: `triage --help` did not exit 0, so only list was measured');
  }

  if (want('query')) {
    log('top-50 query in process…');
    const run = await runNode([join(ROOT, 'bench/floors/top50.js'), MAIN_DB, String(Date.now()), '300'], { cwd: TMP, stdout: 'capture' });
    if (run.code !== 0) throw new Error(`top50 failed: ${run.stderr}`);
    const q = JSON.parse(run.stdout);
    const ratio = q.storeMs / q.rawMs;
    record("top-50 `listOpenComplaints(…, 'priority')` in process", fmtMs(q.storeMs), `${fmtMs(q.rawMs)} raw SQL`, ratio, '<= 2x', ratio <= 2);
    notes.push(
      `top-50: same ids as raw SQL: ${q.sameIds}; ${q.openComplaints.toLocaleString('en-US')} open complaints (${(q.complaintShare * 100).toFixed(1)}% of rows are complaints). ` +
        `Plan (store): ${q.storePlan}. Plan (raw): ${q.rawPlan}.`,
    );
  }

  if (want('export')) {
    log('export --format ndjson vs stmt.iterate() floor…');
    const exportRuns = Math.max(3, Math.min(RUNS, 3));
    const r = await compareRuns(
      {
        floor: () => runNode([join(ROOT, 'bench/floors/export-raw.js'), MAIN_DB], { cwd: TMP, env: ENV, memory: true }),
        export: () => cli(['--db', MAIN_DB, 'export', '--format', 'ndjson'], { memory: true }),
      },
      exportRuns,
      { warmup: 0 },
    );
    const ratio = r.export.ms / r.floor.ms;
    record(`\`export --format ndjson\` of ${ROWS.toLocaleString('en-US')} rows: time`, fmtMs(r.export.ms), `${fmtMs(r.floor.ms)} iterate()`, ratio, '<= 1.3x', ratio <= 1.3);
    // Memory, and whether it stays flat: the same export of a database a tenth the size.
    const small = await compareRuns(
      {
        floor: () => runNode([join(ROOT, 'bench/floors/export-raw.js'), SMALL_DB], { cwd: TMP, env: ENV, memory: true }),
        export: () => cli(['--db', SMALL_DB, 'export', '--format', 'ndjson'], { memory: true }),
      },
      3,
      { warmup: 0 },
    );
    const lines = await cli(['--db', SMALL_DB, 'export', '--format', 'ndjson'], { stdout: 'capture' });
    const count = lines.stdout.split('\n').filter(Boolean).length;
    if (count !== SMALL_ROWS) throw new Error(`export printed ${count} lines for ${SMALL_ROWS} rows`);
    // Flat: from a tenth of the rows to all of them, export's peak grows by no more than the floor's + 10 MB
    // (the floor's own growth is the allocator and SQLite, not buffered rows).
    const growth = r.export.maxRssMb - small.export.maxRssMb;
    const floorGrowth = r.floor.maxRssMb - small.floor.maxRssMb;
    record(
      `\`export\` peak memory (${SMALL_ROWS.toLocaleString('en-US')} → ${ROWS.toLocaleString('en-US')} rows)`,
      `${fmtMb(small.export.maxRssMb)} → ${fmtMb(r.export.maxRssMb)}`,
      `${fmtMb(small.floor.maxRssMb)} → ${fmtMb(r.floor.maxRssMb)} iterate()`,
      r.export.maxRssMb / r.floor.maxRssMb,
      '< 180 MB; growth ≤ floor growth + 10 MB',
      r.export.maxRssMb < 180 && growth <= floorGrowth + 10,
    );
    notes.push(`export runs (ms): floor ${r.floor.all.join(' ')} | export ${r.export.all.join(' ')}; ${SMALL_ROWS}-row export printed ${count} lines.`);
  }

  if (want('poll')) {
    log('poll of 8 sources against the local replay server…');
    const poll = await runPollBench({ root: ROOT, tmp: TMP, bin: BIN, runs: Math.min(RUNS, 5), log });
    results.push(...poll.rows.map((r) => ({ ...r, ratio: r.ratio === null ? '' : `${r.ratio.toFixed(2)}x`, ok: r.ok === null ? '' : r.ok ? 'yes' : 'NO' })));
    notes.push(...poll.notes);
  }

  const table = renderTable(results);
  process.stdout.write(`${table}\n`);
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  const machine = `node ${process.version}, ${process.platform}/${process.arch}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM`;
  const md = [
    '# Benchmark results',
    '',
    `\`node bench/run.js --rows ${ROWS} --runs ${RUNS}\` on ${new Date().toISOString()}, ${seconds} s in total.`,
    '',
    `Machine: ${machine}. Shared with other people's test runs, so whole-process figures are medians of interleaved runs (floor and figure alternate).`,
    `Peak memory: ${MEMORY_METHOD}.`,
    '',
    'Method: bench/synthetic.js writes the NDJSON input (seeded; eight source types, reach over six orders of magnitude,',
    'six months of creation times in storage order, 10-30% complaints after classification, some non-ASCII, `sentiment: null`).',
    'Whole-process figures spawn `node bin/mention-watch.js …` and `node -e 0` alternately and take medians; the top-50 query is',
    'timed in one process (median of 300 calls); floors are bench/floors/*.js; the poll server is bench/poll-server.js.',
    '',
    table,
    '',
    '## Notes',
    '',
    ...notes.map((n) => `- ${n}`),
    '',
  ].join('\n');
  if (only === null) writeFileSync(join(ROOT, 'bench', 'RESULTS.md'), md);
  else writeFileSync(join(TMP, 'RESULTS.partial.md'), md);
  for (const n of notes) log(n);
  log(`done in ${seconds} s`);
}

/**
 * Proposal, measured and undone: countOpenComplaints (triage's summary line) reads every open complaint's row
 * for created_at unless a covering partial index answers it. Skipped when the schema already has one.
 */
async function measureTriageIndexProposal(triageMs, runTriage) {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(MAIN_DB);
  try {
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT count(*), min(created_at) FROM mentions WHERE ${TRIAGE_WHERE} AND (status = 'open' OR snoozed_until <= 0)`)
      .all()
      .map((row) => row.detail)
      .join('; ');
    if (/COVERING INDEX/.test(plan)) {
      notes.push(`triage: counting open complaints reads a covering index (${plan}).`);
      return;
    }
    db.exec(`CREATE INDEX bench_open_complaints ON mentions (created_at, status, snoozed_until) WHERE ${TRIAGE_WHERE}`);
    try {
      const p = await compareRuns({ floor: nodeFloor, triage: runTriage }, RUNS);
      notes.push(
        `triage with the proposed index \`CREATE INDEX … ON mentions (created_at, status, snoozed_until) WHERE ${TRIAGE_WHERE}\`: ` +
          `${fmtMs(p.triage.ms)} (${(p.triage.ms / p.floor.ms).toFixed(2)}x node -e 0) instead of ${fmtMs(triageMs)}.`,
      );
    } finally {
      db.exec('DROP INDEX bench_open_complaints');
    }
  } finally {
    db.close();
  }
}

function renderTable(rows) {
  const header = ['figure', 'measured', 'floor', 'ratio', 'goal', 'ok?'];
  const cells = rows.map((r) => [r.figure, r.measured, r.floor, r.ratio, r.goal, r.ok]);
  const line = (c) => `| ${c.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...cells.map(line)].join('\n');
}

main().catch((error) => {
  process.stderr.write(`bench: ${error.stack ?? error}\n`);
  process.exitCode = 1;
});

export { median };
