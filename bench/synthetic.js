/**
 * Synthetic mentions for the benchmark: deterministic (seeded), with the variety of a real database:
 * eight source types, reach spread over six orders of magnitude, creation times over six months (in
 * storage order, i.e. roughly chronological, as `export` writes them),
 * texts of 50-280 characters from a vocabulary with complaint and praise phrases and some non-ASCII.
 */
import { createWriteStream, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

export const GENERATOR_VERSION = 5;
const DAY_MS = 86_400_000;

/** mulberry32: a small, fast, seeded PRNG. */
export function createRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const SOURCES = [
  // [type, weight]: X and Reddit are loud, Stack Exchange and GitHub quiet.
  ['x', 30],
  ['reddit', 20],
  ['hackernews', 10],
  ['mastodon', 10],
  ['bluesky', 12],
  ['github', 6],
  ['stackexchange', 4],
  ['rss', 8],
];
const SOURCE_TABLE = SOURCES.flatMap(([type, weight]) => Array(weight).fill(type));

const NEUTRAL = (
  'the a an and or but so with for from about after before today yesterday this that our my their new old ' +
  'release update version app website dashboard account billing invoice plan api docs team support order ' +
  'delivery package shipment phone laptop router cloud storage backup sync login password email settings ' +
  'feature button page screen data report export import integration webhook server region europe mobile ' +
  'desktop browser chrome firefox linux windows mac week month morning night customer service ticket chat'
).split(' ');
const BRAND = ['Acme', 'acme', '@acme', 'Acme Cloud', '#acme', 'ACME'];
const COMPLAINTS = [
  'still waiting for my refund',
  'the app keeps crashing',
  'worst customer service ever',
  'charged twice this month',
  "can't log in since the update",
  'nobody answers the support ticket',
  'my order never arrived',
  'is the API down again?',
  'this is unacceptable',
  'thanks for nothing',
  'been on hold for two hours',
  'the sync is broken and I lost data',
];
const PRAISE = [
  'love the new update',
  'great support, thank you',
  'works perfectly now',
  'best purchase this year',
  'the team fixed it in minutes',
  'really impressed with the new dashboard',
];
const QUESTIONS = ['how do I export my data?', 'does anyone know if it supports SSO?', 'which plan includes backups?'];
const EXTRA = ['café', 'naïve', 'Überweisung', 'façade', 'Zürich', 'São Paulo', '日本語のサポート', 'поддержка', '😡', '🎉', '👍', '🙏', '—', '…'];

function pick(random, list) {
  return list[Math.floor(random() * list.length)];
}

/** One record in the export/import shape, `sentiment: null` so `import` classifies it. */
export function syntheticRecord(i, random, now, count = 1) {
  const platform = pick(random, SOURCE_TABLE);
  const r = random();
  // 11% carry a complaint phrase, 15% praise, 5% a question; the classifier decides (about 20% complaints).
  const kind = r < 0.11 ? 'complaint' : r < 0.26 ? 'praise' : r < 0.31 ? 'question' : 'neutral';
  const target = 50 + Math.floor(random() * 231);
  const words = [];
  let length = 0;
  const push = (w) => {
    words.push(w);
    length += w.length + 1;
  };
  push(pick(random, BRAND));
  if (kind === 'complaint') push(pick(random, COMPLAINTS));
  else if (kind === 'praise') push(pick(random, PRAISE));
  else if (kind === 'question') push(pick(random, QUESTIONS));
  while (length < target) push(random() < 0.06 ? pick(random, EXTRA) : pick(random, NEUTRAL));
  // Shuffle the brand/phrase into the middle sometimes.
  if (random() < 0.5 && words.length > 4) {
    const [head] = words.splice(0, 1);
    words.splice(Math.floor(words.length / 2), 0, head);
  }
  let text = words.join(' ');
  if (text.length > 280) text = text.slice(0, 280);
  // Storage order, as an export writes it: roughly chronological over 180 days (polls fetch with a
  // lookback, so neighbours are up to six hours out of order).
  const createdAt = Math.floor(now - 180 * DAY_MS + (i / count) * 180 * DAY_MS - random() * 6 * 3_600_000);
  const reach = Math.floor(10 ** (random() * 6.5));
  const handle = `user${Math.floor(random() * 200_000)}`;
  const s = random();
  const status = s < 0.62 ? 'open' : s < 0.9 ? 'answered' : s < 0.97 ? 'ignored' : 'snoozed';
  const id = `${platform}:${i.toString(36)}${platform === 'x' ? '0' : ''}`;
  return {
    id,
    source: platform,
    platform,
    url: `https://${platform}.example/${handle}/${i}`,
    author: { handle, name: random() < 0.1 ? `José ${handle}` : handle, url: `https://${platform}.example/${handle}`, reach },
    title: platform === 'reddit' || platform === 'github' || platform === 'stackexchange' || platform === 'rss' ? `About Acme #${i % 997}` : null,
    text,
    createdAt: new Date(createdAt).toISOString(),
    fetchedAt: new Date(createdAt + 60_000 + Math.floor(random() * 3_600_000)).toISOString(),
    sentiment: null,
    complaint: false,
    intent: null,
    own: random() < 0.01,
    status,
    answeredAt: status === 'answered' ? new Date(createdAt + 3_600_000).toISOString() : null,
    answeredBy: status === 'answered' ? 'manual' : null,
    assignee: random() < 0.05 ? 'alice' : null,
    snoozedUntil: status === 'snoozed' ? new Date(now + (random() < 0.5 ? -1 : 1) * DAY_MS).toISOString() : null,
  };
}

/** The rows in creation order: the same seed and count give the same file. */
export function* syntheticRecords(count, now, seed = 42) {
  const random = createRandom(seed);
  for (let i = 0; i < count; i++) yield syntheticRecord(i, random, now, count);
}

/**
 * Writes `count` records as NDJSON to `path` unless a file made by the same generator version, count and
 * clock day already exists (`path.meta.json`). Returns true when it wrote a new file.
 */
export async function writeSyntheticNdjson(path, count, now) {
  const meta = JSON.stringify({ version: GENERATOR_VERSION, count, now });
  if (existsSync(path) && existsSync(`${path}.meta.json`) && readFileSync(`${path}.meta.json`, 'utf8') === meta) return false;
  const temp = `${path}.partial`;
  const out = createWriteStream(temp);
  let buffer = '';
  for (const record of syntheticRecords(count, now)) {
    buffer += `${JSON.stringify(record)}\n`;
    if (buffer.length >= 1 << 20) {
      if (!out.write(buffer)) await new Promise((ok) => out.once('drain', ok));
      buffer = '';
    }
  }
  out.write(buffer);
  await new Promise((ok, fail) => out.end((error) => (error ? fail(error) : ok())));
  renameSync(temp, path);
  writeFileSync(`${path}.meta.json`, meta);
  return true;
}
