/**
 * poll: every enabled source, concurrently (p-queue), fetched since its cursor, filtered by the brand's keywords,
 * classified, and stored with the cursor in the same transaction; then the brand's replies are looked for.
 * One failing source never stops the others. Never prints: progress goes to `onProgress`, data is returned.
 */
import PQueue from 'p-queue';
import { secretsOf } from '../config/schema.js';
import type { Config, SourceConfig } from '../config/types.js';
import { InterruptedError } from '../errors.js';
import { createHttpClient } from '../http/client.js';
import type { HttpClient } from '../http/types.js';
import type { SourceFactory } from '../sources/index.js';
import type { Logger, SourceContext, SourceKv, ThreadCheck } from '../sources/types.js';
import type { MentionInput, Store } from '../store/types.js';
import type { FetchedMention } from '../types.js';
import type { ClassifyMention } from './classification.js';
import { createKeywordMatcher } from './match.js';
import { readAhead } from './read-ahead.js';
import { createTurns, type Turns } from './turns.js';

/**
 * Pages requested from an adapter ahead of the one being stored: its next request goes out while a page is
 * classified and stored (and while its reach lookups finish). Bounds the pages held in memory per source.
 */
export const READ_AHEAD_PAGES = 3;

/** Mentions classified per turn of the event loop: a few milliseconds, so responses arriving meanwhile are read promptly. */
export const CLASSIFY_PER_TURN = 25;

export interface SourceSummary {
  name: string;
  type: string;
  fetched: number;
  new: number;
  complaints: number;
  answered: number;
  reopened: number;
  error: string | null;
  durationMs: number;
  /** This was the source's first poll (no stored state before): its mentions are history, not news. */
  firstPoll: boolean;
}

export interface PollSummary {
  sources: SourceSummary[];
  new: number;
  failed: number;
  dryRun: boolean;
}

export type PollProgress =
  | { kind: 'start'; source: string }
  | { kind: 'page'; source: string; fetched: number; new: number }
  | { kind: 'done'; summary: SourceSummary };

export interface PollOptions {
  config: Config;
  store: Store;
  env: Record<string, string | undefined>;
  now(): Date;
  signal: AbortSignal;
  log: Logger;
  /**
   * The classifier, asked for when the first page arrives (so building it overlaps the requests still in
   * flight); called once per poll.
   */
  classifier(): Promise<ClassifyMention>;
  createSource: SourceFactory;
  /** Only these source names (default: every enabled source). */
  only?: string[];
  /** Fetch and return what would be stored, writing nothing. */
  dryRun?: boolean;
  userAgent: string;
  /** Defaults to the undici client configured from `config.poll`. */
  createHttp?: (source: SourceConfig, secrets: string[]) => HttpClient;
  onProgress?(event: PollProgress): void;
  /** Dry run: receives every mention that would be stored. */
  onMention?(mention: MentionInput): void;
}

/** A kv that reads through to the store but keeps its writes in memory (dry run). */
function overlayKv(base: SourceKv): SourceKv {
  const writes = new Map<string, string | undefined>();
  return {
    get: (key) => (writes.has(key) ? writes.get(key) : base.get(key)),
    set: (key, value) => {
      writes.set(key, value);
    },
  };
}

/** What the sources of one poll share, each built once when first asked for. */
interface PollShared {
  classifier(): Promise<ClassifyMention>;
  /** Responses, then classifying and storing, one piece per turn of the event loop. */
  turns: Turns;
}

function prefixed(log: Logger, name: string): Logger {
  const line = (m: string): string => (m.startsWith(`${name}:`) ? m : `${name}: ${m}`);
  return {
    debug: (m) => log.debug(line(m)),
    info: (m) => log.info(line(m)),
    warn: (m) => log.warn(line(m)),
  };
}

/** Error lines start with the source's name, once. */
function errorLine(name: string, error: unknown): string {
  const message = ((error as Error)?.message ?? String(error)).split('\n')[0]!;
  return message.startsWith(`${name}:`) ? message : `${name}: ${message}`;
}

export async function pollSources(options: PollOptions): Promise<PollSummary> {
  const { config, store } = options;
  const enabled = config.sources.filter((s) => s.enabled);
  const selected = options.only && options.only.length > 0 ? config.sources.filter((s) => options.only!.includes(s.name)) : enabled;
  const queue = new PQueue({ concurrency: config.poll.concurrency });
  let classifier: Promise<ClassifyMention> | undefined;
  const shared: PollShared = {
    classifier: () => (classifier ??= options.classifier()),
    turns: createTurns(),
  };
  const polls = Promise.all(selected.map((source) => queue.add(() => pollOne(source, options, shared))));
  // Once the first requests are out, build the classifier while their answers are on the way.
  setImmediate(() => void shared.classifier().catch(() => {}));
  const summaries = (await polls) as SourceSummary[];
  if (options.signal.aborted) throw new InterruptedError('poll: interrupted; everything fetched so far is stored');
  return {
    sources: summaries,
    new: summaries.reduce((n, s) => n + s.new, 0),
    failed: summaries.filter((s) => s.error !== null).length,
    dryRun: options.dryRun === true,
  };
}

async function pollOne(sourceConfig: SourceConfig, options: PollOptions, shared: PollShared): Promise<SourceSummary> {
  const { config, store, dryRun } = options;
  const started = options.now().getTime();
  const storedCursor = store.getSourceState(sourceConfig.name)?.cursor ?? null;
  const summary: SourceSummary = {
    name: sourceConfig.name,
    type: sourceConfig.type,
    fetched: 0,
    new: 0,
    complaints: 0,
    answered: 0,
    reopened: 0,
    error: null,
    durationMs: 0,
    firstPoll: storedCursor === null,
  };
  options.onProgress?.({ kind: 'start', source: sourceConfig.name });
  const secrets = secretsOf(sourceConfig, options.env);
  const http =
    options.createHttp?.(sourceConfig, secrets) ??
    createHttpClient({
      name: sourceConfig.name,
      userAgent: options.userAgent,
      timeoutMs: config.poll.timeoutSeconds * 1000,
      retries: config.poll.retries,
      maxBodyBytes: config.poll.maxResponseBytes,
      maxWaitMs: config.poll.maxWaitSeconds * 1000,
      secrets,
      signal: options.signal,
      now: () => options.now().getTime(),
      turn: shared.turns.network,
    });
  const kv = dryRun ? overlayKv(store.sourceKv(sourceConfig.name)) : store.sourceKv(sourceConfig.name);
  const ctx: SourceContext = {
    http,
    now: options.now,
    log: prefixed(options.log, sourceConfig.name),
    signal: options.signal,
    env: options.env,
    kv,
    pace: shared.turns.work,
  };
  try {
    const source = options.createSource(sourceConfig, config.brand);
    const matcher = createKeywordMatcher([...config.brand.keywords, ...(sourceConfig.keywords ?? [])], config.brand.exclude);
    const window = { cursor: storedCursor, since: new Date(started - config.poll.lookbackHours * 3_600_000) };
    for await (const page of readAhead(source.fetchMentions(window, ctx), READ_AHEAD_PAGES)) {
      await page.pending;
      // Responses of several sources often land together: pages are classified and stored in small pieces, one
      // per turn of the event loop, after the responses waiting (so every source's next request goes out first).
      await shared.turns.work();
      summary.fetched += page.mentions.length;
      const fetchedAt = options.now().getTime();
      const matching = page.mentions.filter((m) => m.addressesBrand || matcher.matches(`${m.title ?? ''}\n${m.text}`));
      // Mentions already stored (overlap windows, re-served feed entries) are skipped before classifying them.
      const known = store.knownPlatformIds(sourceConfig.name, matching.map((m) => m.platformId));
      const fresh = matching.filter((m) => !known.has(m.platformId));
      const classify = fresh.length > 0 ? await shared.classifier() : undefined;
      const inputs: MentionInput[] = [];
      for (let i = 0; i < fresh.length; i += CLASSIFY_PER_TURN) {
        if (i > 0) await shared.turns.work();
        for (const m of fresh.slice(i, i + CLASSIFY_PER_TURN)) inputs.push(toInput(m, sourceConfig, fetchedAt, classify!));
      }
      if (dryRun) {
        summary.new += inputs.length;
        summary.complaints += inputs.filter((i) => i.complaint).length;
        for (const input of inputs) options.onMention?.(input);
      } else {
        const inserted = new Set(store.insertMentions(sourceConfig, inputs, page.cursor));
        summary.new += inserted.size;
        summary.complaints += inputs.filter((i) => i.complaint && inserted.has(`${i.source}:${i.platformId}`)).length;
      }
      options.onProgress?.({ kind: 'page', source: sourceConfig.name, fetched: summary.fetched, new: summary.new });
    }
    if (!dryRun && source.checkThreads && (config.brand.accounts[sourceConfig.type]?.length ?? 0) > 0) {
      await checkReplies(source.checkThreads.bind(source), sourceConfig.name, ctx, options, summary);
    }
    if (!dryRun) store.recordSourceRun(sourceConfig.name, sourceConfig.type, { at: options.now().getTime() });
  } catch (error) {
    if (error instanceof InterruptedError || options.signal.aborted) {
      summary.error = `${sourceConfig.name}: interrupted`;
    } else {
      summary.error = errorLine(sourceConfig.name, error);
      options.log.debug((error as Error)?.stack ?? String(error));
    }
    if (!dryRun) {
      try {
        store.recordSourceRun(sourceConfig.name, sourceConfig.type, { at: options.now().getTime(), error: summary.error });
      } catch {
        // The store itself failing is reported by the next command; this source's error is already in the summary.
      }
    }
  }
  summary.durationMs = options.now().getTime() - started;
  options.onProgress?.({ kind: 'done', summary });
  return summary;
}

function toInput(m: FetchedMention, source: SourceConfig, fetchedAt: number, classify: ClassifyMention): MentionInput {
  const verdict = classify({ title: m.title, text: m.text, addressesBrand: m.addressesBrand, own: m.own });
  return {
    source: source.name,
    platform: source.type,
    platformId: m.platformId,
    url: m.url,
    author: m.author,
    title: m.title,
    text: m.text,
    createdAt: m.createdAt,
    fetchedAt,
    sentiment: verdict.sentiment,
    complaint: verdict.complaint,
    intent: verdict.intent,
    verdict: verdict.verdict,
    own: m.own,
    addressesBrand: m.addressesBrand,
    threadRef: m.threadRef,
    raw: m.raw,
  };
}

/** Looks for the brand's replies within the thread-check budget and updates the statuses it finds. */
async function checkReplies(
  checkThreads: (mentions: ThreadCheck[], ctx: SourceContext) => Promise<{ platformId: string; answeredAt: number | null; reopened: boolean }[]>,
  name: string,
  ctx: SourceContext,
  options: PollOptions,
  summary: SourceSummary,
): Promise<void> {
  const { store, config } = options;
  const now = options.now().getTime();
  const due = store.listThreadChecks(name, { now, windowMs: config.poll.answerWindowHours * 3_600_000, limit: config.poll.threadChecks });
  if (due.length === 0) return;
  const byPlatformId = new Map(due.map((m) => [m.platformId, m]));
  const results = await checkThreads(
    due.map((m) => ({ platformId: m.platformId, threadRef: m.threadRef, url: m.url, authorHandle: m.author.handle, createdAt: m.createdAt })),
    ctx,
  );
  const checkedAt = options.now().getTime();
  for (const mention of due) store.recordThreadCheck(mention.id, checkedAt);
  for (const result of results) {
    const mention = byPlatformId.get(result.platformId);
    if (!mention) continue;
    if (result.reopened && mention.status === 'answered') {
      store.applyAction(
        { mentionId: mention.id, action: 'reopen', actor: 'platform', at: checkedAt, detail: { reason: "the customer wrote again after the brand's answer" } },
        { status: 'open', reopened: true },
      );
      summary.reopened++;
    } else if (result.answeredAt !== null && !result.reopened && (mention.status === 'open' || mention.status === 'snoozed')) {
      store.applyAction(
        { mentionId: mention.id, action: 'answer', actor: 'platform', at: checkedAt, detail: { answeredAt: new Date(result.answeredAt).toISOString() } },
        { status: 'answered', answeredAt: result.answeredAt, answeredBy: 'platform', reopened: false },
      );
      summary.answered++;
    }
  }
}
