/** import: NDJSON mention records → upserts, in batches; a bad line is reported with its number and skipped. */
import type { BulkWriter, MentionInput } from '../store/types.js';
import { SOURCE_TYPES, STATUSES, type Intent, type SourceType } from '../types.js';
import type { ClassifyMention } from './classification.js';

export interface ImportResult {
  read: number;
  written: number;
  skipped: { line: number; reason: string }[];
}

const INTENTS = ['complaint', 'question', 'praise', 'other'];
const LABELS = ['negative', 'neutral', 'positive'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function time(value: unknown, field: string, nullable: boolean): number | null {
  if (value === null || value === undefined) {
    if (nullable) return null;
    throw new Error(`${field}: required`);
  }
  if (typeof value !== 'string') throw new Error(`${field}: expected an ISO 8601 time string`);
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new Error(`${field}: not a time: ${JSON.stringify(value).slice(0, 40)}`);
  return ms;
}

function str(value: unknown, field: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw new Error(`${field}: expected a string or null`);
  return value;
}

/** Validates one export record and turns it into a MentionInput. Throws with the field at fault. */
export function parseRecord(line: string, now: number): { input: MentionInput; classified: boolean } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new Error(`invalid JSON: ${(error as Error).message.replace(/^.*?: /, '')}`);
  }
  if (!isObject(value)) throw new Error('expected a JSON object (a mention record)');
  const r = value;
  const source = str(r.source, 'source');
  const id = str(r.id, 'id');
  if (!source) throw new Error('source: required');
  if (!id) throw new Error('id: required');
  if (!id.startsWith(`${source}:`) || id.length <= source.length + 1) throw new Error(`id: expected "${source}:<platform id>", got ${JSON.stringify(id).slice(0, 60)}`);
  if (typeof r.platform !== 'string' || !(SOURCE_TYPES as readonly string[]).includes(r.platform)) {
    throw new Error(`platform: expected one of ${SOURCE_TYPES.join(', ')}`);
  }
  if (typeof r.text !== 'string') throw new Error('text: expected a string');
  const author = isObject(r.author) ? r.author : {};
  const reach = author.reach ?? 0;
  if (typeof reach !== 'number' || !Number.isFinite(reach) || reach < 0) throw new Error('author.reach: expected a number of 0 or more');
  let sentiment: MentionInput['sentiment'] = null;
  if (r.sentiment !== null && r.sentiment !== undefined) {
    const s = r.sentiment;
    if (!isObject(s) || typeof s.score !== 'number' || typeof s.comparative !== 'number' || !LABELS.includes(s.label as string)) {
      throw new Error('sentiment: expected {score, comparative, label} or null');
    }
    sentiment = { score: s.score, comparative: s.comparative, label: s.label as 'negative' | 'neutral' | 'positive' };
  }
  const status = r.status ?? 'open';
  if (!(STATUSES as readonly string[]).includes(status as string)) throw new Error(`status: expected one of ${STATUSES.join(', ')}`);
  const answeredBy = r.answeredBy ?? null;
  if (answeredBy !== null && answeredBy !== 'platform' && answeredBy !== 'manual') throw new Error('answeredBy: expected "platform", "manual" or null');
  if (r.intent !== undefined && r.intent !== null && !INTENTS.includes(r.intent as string)) throw new Error(`intent: expected one of ${INTENTS.join(', ')}`);
  const input: MentionInput = {
    source,
    platform: r.platform as SourceType,
    platformId: id.slice(source.length + 1),
    url: str(r.url, 'url'),
    author: { handle: str(author.handle, 'author.handle'), name: str(author.name, 'author.name'), url: str(author.url, 'author.url'), reach },
    title: str(r.title, 'title'),
    text: r.text,
    createdAt: time(r.createdAt, 'createdAt', false)!,
    fetchedAt: time(r.fetchedAt, 'fetchedAt', true) ?? now,
    sentiment,
    complaint: r.complaint === true,
    intent: (r.intent as Intent | null | undefined) ?? null,
    verdict: null,
    own: r.own === true,
    addressesBrand: false,
    threadRef: null,
    raw: null,
    status: status as MentionInput['status'],
    answeredAt: time(r.answeredAt, 'answeredAt', true),
    answeredBy: answeredBy as MentionInput['answeredBy'],
    assignee: str(r.assignee, 'assignee'),
    snoozedUntil: time(r.snoozedUntil, 'snoozedUntil', true),
  };
  return { input, classified: sentiment !== null };
}

/** Lines per batch: one SQLite transaction. */
export const IMPORT_BATCH = 5000;

/** A batch of lines parsed and classified, ready to store. */
export interface PreparedBatch {
  inputs: MentionInput[];
  /** Non-blank lines in the batch. */
  read: number;
  skipped: { line: number; reason: string }[];
}

/**
 * Validates and, when a record carries no sentiment, classifies each line. A record that carries a sentiment
 * keeps its verdict (export → import round-trips losslessly).
 */
export function prepareBatch(lines: readonly string[], firstLine: number, classify: ClassifyMention, now: number): PreparedBatch {
  const batch: PreparedBatch = { inputs: [], read: 0, skipped: [] };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    batch.read++;
    try {
      const { input, classified } = parseRecord(line, now);
      if (!classified) {
        const v = classify(input);
        input.sentiment = v.sentiment;
        input.complaint = v.complaint;
        input.intent = v.intent;
        input.verdict = v.verdict;
      }
      batch.inputs.push(input);
    } catch (error) {
      batch.skipped.push({ line: firstLine + i, reason: (error as Error).message });
    }
  }
  return batch;
}

/**
 * Splits text chunks into batches of lines. Lines end at LF, CRLF or a lone CR, as with node:readline
 * (`crlfDelay: Infinity`); a last line without an ending counts too.
 */
export async function* splitLines(chunks: AsyncIterable<string>, batchSize = IMPORT_BATCH): AsyncGenerator<string[]> {
  let rest = '';
  let batch: string[] = [];
  const push = (line: string): void => {
    if (line.includes('\r')) {
      const parts = line.split('\r');
      // "a\r\nb" was cut at the LF: its CR ends the line and adds no empty one.
      if (parts.at(-1) === '') parts.pop();
      batch.push(...parts);
    } else batch.push(line);
  };
  for await (const chunk of chunks) {
    const text = rest + chunk;
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      push(text.slice(start, end));
      start = end + 1;
    }
    rest = text.slice(start);
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (rest !== '') push(rest);
  if (batch.length > 0) yield batch;
}

/**
 * Reads batches of lines and upserts them, one transaction per batch. Parsing and classifying the next batch
 * overlaps with storing the previous one when the writer runs on another thread (Store.openBulkWriter).
 */
export async function importRecords(batches: AsyncIterable<string[]>, writer: BulkWriter, classify: ClassifyMention, now: number): Promise<ImportResult> {
  const result: ImportResult = { read: 0, written: 0, skipped: [] };
  let lineNo = 1;
  let inFlight: Promise<void> | undefined;
  for await (const lines of batches) {
    const batch = prepareBatch(lines, lineNo, classify, now);
    lineNo += lines.length;
    result.read += batch.read;
    for (const skipped of batch.skipped) result.skipped.push(skipped);
    if (batch.inputs.length === 0) continue;
    const writing = writer.write(batch.inputs).then((n) => {
      result.written += n;
    });
    writing.catch(() => {}); // handled when awaited below; never an unhandled rejection meanwhile
    // One batch stored while the next is prepared: memory stays at two batches.
    if (inFlight) await inFlight;
    inFlight = writing;
  }
  if (inFlight) await inFlight;
  return result;
}
