// Measures complaint detection on a labelled CSV of customer posts (default: ../shared/data/airline-dev.csv,
// the dev split of "Twitter US Airline Sentiment", CC BY-NC-SA 4.0: used here to measure, never shipped).
//
//   npm run eval                      build, then evaluate the default file
//   node scripts/eval.js <file.csv>   evaluate another file with the same columns
//   node scripts/eval.js --errors 40  also print up to 40 misclassified texts to stderr
//
// `negative` counts as a complaint. Prints precision, recall, F1 and MCC beside the always-complaint
// baseline, 3-class accuracy, the intent confusion, and single-core throughput.
import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_DATA = resolve(ROOT, '../shared/data/airline-dev.csv');
const BRAND_NAMES = [
  '@united', 'United', 'United Airlines',
  '@AmericanAir', 'American', 'American Airlines',
  '@SouthwestAir', 'Southwest', 'Southwest Airlines',
  '@JetBlue', 'JetBlue',
  '@USAirways', 'US Airways', 'USAirways',
  '@VirginAmerica', 'Virgin America',
];
const BRAND_HANDLE = /@(united|americanair|southwestair|jetblue|usairways|virginamerica)\b/i;
const WARMUP_PASSES = 3;
const TIMED_ROUNDS = 7;
const PASSES_PER_ROUND = 4;

/** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks; CRLF or LF row ends. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let i = 0;
  let quoted = false;
  const n = text.length;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  while (i < n) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      i++;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\n' || c === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      i++;
    }
  }
  if (quoted) throw new Error('CSV: unterminated quoted field at end of file');
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** The published texts are HTML-escaped; mentions reach the classifier decoded. */
function decodeEntities(text) {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

function parseArgs(argv) {
  const args = { file: DEFAULT_DATA, errors: 0 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--errors') {
      args.errors = Number(argv[++i] ?? 20);
    } else if (arg.startsWith('-')) {
      throw new Error(`eval: unknown option ${arg}. Usage: node scripts/eval.js [file.csv] [--errors N]`);
    } else {
      args.file = resolve(arg);
    }
  }
  return args;
}

function loadRows(file) {
  if (!existsSync(file)) {
    throw new Error(`eval: dataset not found: ${file}. Pass the CSV path as an argument.`);
  }
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
  const textAt = header.indexOf('text');
  const goldAt = header.indexOf('airline_sentiment');
  if (textAt < 0 || goldAt < 0) {
    throw new Error(`eval: ${file} has no "text" and "airline_sentiment" columns (found: ${header.join(', ')})`);
  }
  return rows
    .filter((row) => row.length > Math.max(textAt, goldAt))
    .map((row) => ({ text: decodeEntities(row[textAt]), gold: row[goldAt] }));
}

function ratio(a, b) {
  return b === 0 ? 0 : a / b;
}

function binaryMetrics(tp, fp, fn, tn) {
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const f1 = ratio(2 * precision * recall, precision + recall);
  const denominator = Math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
  const mcc = denominator === 0 ? 0 : (tp * tn - fp * fn) / denominator;
  return { precision, recall, f1, mcc };
}

/** Texts per second on this thread: best and median of several timed rounds, after warm-up. */
function measureThroughput(classify, samples) {
  for (let pass = 0; pass < WARMUP_PASSES; pass++) {
    for (const s of samples) classify(s.text, s.hints);
  }
  let sink = 0;
  const rates = [];
  for (let round = 0; round < TIMED_ROUNDS; round++) {
    const start = performance.now();
    for (let pass = 0; pass < PASSES_PER_ROUND; pass++) {
      for (const s of samples) sink += classify(s.text, s.hints).score;
    }
    rates.push((samples.length * PASSES_PER_ROUND) / ((performance.now() - start) / 1000));
  }
  rates.sort((x, y) => y - x);
  return { best: rates[0], median: rates[Math.floor(rates.length / 2)], sink };
}

const fmt = (x) => x.toFixed(3);
const pad = (s, w) => String(s).padStart(w);

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const rows = loadRows(args.file);
  const { createClassifier } = await import('../dist/sentiment/classify.js');
  const classify = createClassifier({ brandNames: BRAND_NAMES });
  const samples = rows.map((row) => ({ ...row, hints: { addressesBrand: BRAND_HANDLE.test(row.text) } }));

  let tp = 0, fp = 0, fn = 0, tn = 0, correct = 0;
  const intents = ['complaint', 'question', 'praise', 'other'];
  const classes = ['negative', 'neutral', 'positive'];
  const confusion = Object.fromEntries(classes.map((c) => [c, Object.fromEntries(intents.map((i) => [i, 0]))]));
  const errors = [];
  for (const s of samples) {
    const result = classify(s.text, s.hints);
    const isComplaint = s.gold === 'negative';
    if (result.complaint && isComplaint) tp++;
    else if (result.complaint) fp++;
    else if (isComplaint) fn++;
    else tn++;
    if (result.label === s.gold) correct++;
    if (confusion[s.gold]) confusion[s.gold][result.intent]++;
    if (result.complaint !== isComplaint) errors.push({ s, result });
  }
  const total = samples.length;
  const positives = tp + fn;
  const model = binaryMetrics(tp, fp, fn, tn);
  const baseline = binaryMetrics(positives, total - positives, 0, 0);
  const majority = Math.max(...classes.map((c) => samples.filter((s) => s.gold === c).length));
  const throughput = measureThroughput(classify, samples);

  const out = [];
  out.push(`dataset     ${args.file}`);
  out.push(`texts       ${total} (${positives} complaints)`);
  out.push('');
  out.push('complaint detection   classifier   always-complaint');
  for (const key of ['precision', 'recall', 'f1', 'mcc']) {
    out.push(`  ${key.padEnd(20)}${pad(fmt(model[key]), 10)}   ${pad(fmt(baseline[key]), 16)}`);
  }
  out.push(`  ${'3-class accuracy'.padEnd(20)}${pad(fmt(correct / total), 10)}   ${pad(fmt(majority / total), 16)}  (baseline: majority class)`);
  out.push(`  confusion             tp ${tp}  fp ${fp}  fn ${fn}  tn ${tn}`);
  out.push('');
  out.push(`intent by label ${intents.map((i) => pad(i, 10)).join('')}`);
  for (const c of classes) {
    out.push(`  ${c.padEnd(14)}${intents.map((i) => pad(confusion[c][i], 10)).join('')}`);
  }
  out.push('');
  const perSecond = (x) => Math.round(x).toLocaleString('en-US');
  out.push(
    `throughput  ${perSecond(throughput.best)} texts/s on one thread (best of ${TIMED_ROUNDS} rounds of ${PASSES_PER_ROUND} passes; median ${perSecond(throughput.median)})`,
  );
  process.stdout.write(`${out.join('\n')}\n`);

  if (args.errors > 0) {
    for (const { s, result } of errors.slice(0, args.errors)) {
      process.stderr.write(
        `${s.gold.padEnd(8)} ${String(result.score).padStart(3)} ${result.intent.padEnd(9)} ${JSON.stringify(s.text)} ${result.rules.join('; ')}\n`,
      );
    }
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
