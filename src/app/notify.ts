/**
 * Webhook notifications (README "Webhook notifications"). Never prints.
 *
 * Events ("complaint:<id>", "sla:<id>", "spike:<spike id>") are queued in the store's `notifications`
 * table; a key once queued is never queued again. Sending claims the pending events in one IMMEDIATE
 * transaction (so overlapping runs never claim the same event), POSTs one digest for all of them, then
 * marks them sent. A failed POST puts them back to pending, for the next poll. A crash between the POST
 * and the marking leaves them claimed: they are never sent again (at most once, as the issue asks).
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { Config, NotifyConfig } from '../config/types.js';
import { createHttpClient } from '../http/client.js';
import type { HttpClient } from '../http/types.js';
import { formatReach, truncate } from '../output/humanize.js';
import { effectiveStatus, toRecord } from '../output/record.js';
import { toOneLine } from '../output/sanitize.js';
import { priorityOf } from '../rank/priority.js';
import type { NotifyEventInput, Store, StoredNotifyEvent } from '../store/types.js';
import type { Mention } from '../types.js';
import { VERSION } from '../version.js';
import { describeSpike, type RecordedSpike, type SpikeRecord, toSpikeRecord } from './spikes.js';

const HOUR = 3_600_000;
/** Events per message; more wait for the next poll. */
export const MAX_EVENTS_PER_MESSAGE = 200;
/** A failing event is given up ('failed') after this many attempts. */
export const MAX_ATTEMPTS = 20;
export const SIGNATURE_HEADER = 'x-mention-watch-signature';
export const TIMESTAMP_HEADER = 'x-mention-watch-timestamp';
export const DELIVERY_HEADER = 'x-mention-watch-delivery';

export interface NotifyEvent {
  key: string;
  type: 'complaint' | 'sla' | 'spike' | 'test';
  /** When the event was queued. */
  queuedAt: string;
  mention?: Mention;
  spike?: SpikeRecord;
}

/** The JSON body POSTed to the webhook. */
export interface NotifyMessage {
  /** Slack-compatible text: a summary line and the first `digestSize` events. */
  text: string;
  brand: string;
  sentAt: string;
  test: boolean;
  counts: { complaint: number; sla: number; spike: number };
  /** Every event of the digest, in full. */
  events: NotifyEvent[];
  version: string;
}

export interface CollectInput {
  store: Store;
  config: Config;
  now: number;
  /** When this poll run started: mentions fetched since then are new. */
  runStartedAt: number;
  /** Sources polled for the first time in this run: what they stored is history, never announced. */
  firstPollSources: ReadonlySet<string>;
  /** Spikes this poll saw. */
  spikes: readonly RecordedSpike[];
}

/** Queues this poll's events; returns how many were queued and how many were recorded as history (skipped). */
export function queueEvents(input: CollectInput): { queued: number; skipped: number } {
  const { store, config, now, runStartedAt, firstPollSources } = input;
  const notify = config.notify;
  if (!notify?.enabled) return { queued: 0, skipped: 0 };
  const weights = config.triage;
  const slaMs = weights.slaHours * HOUR;
  const events: NotifyEventInput[] = [];
  const fresh = store.listFetchedSince(runStartedAt).filter((m) => m.complaint && !m.own);
  for (const m of fresh) {
    if (firstPollSources.has(m.source)) {
      events.push({ key: `complaint:${m.id}`, kind: 'complaint', payload: null, state: 'skipped' });
      events.push({ key: `sla:${m.id}`, kind: 'sla', payload: null, state: 'skipped' });
    } else if (notify.minPriority !== undefined && m.status === 'open' && priorityOf(m.author.reach, m.createdAt, now, weights) >= notify.minPriority) {
      events.push({ key: `complaint:${m.id}`, kind: 'complaint', payload: { mention: toRecord(m, now, weights) } });
    }
  }
  if (notify.slaBreaches) {
    // Deadlines that passed since the previous poll started (at most a week back; a day on the first poll).
    const previous = store.listPollRunStarts(10).find((r) => r.startedAt < runStartedAt && r.finishedAt !== null);
    const watermark = Math.max(previous?.startedAt ?? now - 24 * HOUR, now - 7 * 24 * HOUR);
    for (const m of store.listOpenComplaints({ now, since: watermark - slaMs }, 'age')) {
      if (m.createdAt + slaMs > now || firstPollSources.has(m.source)) continue;
      events.push({ key: `sla:${m.id}`, kind: 'sla', payload: { mention: toRecord(m, now, weights) } });
    }
  }
  if (notify.spikes) {
    const allFirst = config.sources.filter((s) => s.enabled).every((s) => firstPollSources.has(s.name));
    for (const { spike, isNew } of input.spikes) {
      if (!isNew) continue;
      if (spike.source === null ? allFirst && firstPollSources.size > 0 : firstPollSources.has(spike.source)) continue;
      events.push({ key: `spike:${spike.id}`, kind: 'spike', payload: { spike: toSpikeRecord(spike) } });
    }
  }
  const inserted = new Set(store.enqueueEvents(events, now));
  const skipped = events.filter((e) => e.state === 'skipped' && e.kind === 'complaint' && inserted.has(e.key)).length;
  return { queued: events.filter((e) => e.state !== 'skipped' && inserted.has(e.key)).length, skipped };
}

export interface SendOptions {
  store: Store;
  config: Config;
  env: Record<string, string | undefined>;
  now: number;
  signal: AbortSignal;
  userAgent: string;
  /** Defaults to the undici client configured from `config.poll`. */
  createHttp?: (secrets: string[]) => HttpClient;
}

export interface SendResult {
  /** Events delivered by this run. */
  sent: number;
  /** Events still waiting (after a failure, or beyond one message's limit). */
  pending: number;
  error: string | null;
}

/** Sends every pending event as one digest. */
export async function sendPendingEvents(options: SendOptions): Promise<SendResult> {
  const notify = options.config.notify;
  if (!notify?.enabled) return { sent: 0, pending: 0, error: null };
  const target = resolveWebhook(notify, options.env);
  if ('error' in target) return { sent: 0, pending: 0, error: target.error };
  const token = randomUUID();
  const claimed = options.store.claimEvents(token, options.now, MAX_EVENTS_PER_MESSAGE);
  if (claimed.length === 0) return { sent: 0, pending: 0, error: null };
  // Complaints are sent as they are now: one answered or ignored meanwhile (after a failed send) is not news any more.
  const events: NotifyEvent[] = [];
  const stale: string[] = [];
  for (const e of claimed) {
    const event = toEvent(e);
    if (e.kind === 'complaint' || e.kind === 'sla') {
      const stored = options.store.getMention(e.key.slice(e.key.indexOf(':') + 1));
      if (!stored || stored.own || effectiveStatus(stored, options.now) !== 'open') {
        stale.push(e.key);
        continue;
      }
      event.mention = toRecord(stored, options.now, options.config.triage);
    }
    events.push(event);
  }
  if (stale.length > 0) options.store.skipEvents(stale, token, 'no longer open when it was due to be sent');
  if (events.length === 0) return { sent: 0, pending: 0, error: null };
  const skipped = new Set(stale);
  const keys = claimed.map((e) => e.key).filter((k) => !skipped.has(k));
  const message = buildMessage(
    events,
    { brand: options.config.brand.name, slaHours: options.config.triage.slaHours, digestSize: notify.digestSize, now: options.now, test: false },
  );
  try {
    await postMessage(message, target, token, options);
  } catch (error) {
    const reason = ((error as Error)?.message ?? String(error)).split('\n')[0]!;
    options.store.releaseEvents(keys, token, reason, MAX_ATTEMPTS);
    return { sent: 0, pending: keys.length, error: `${reason}; ${keys.length} event${keys.length === 1 ? '' : 's'} kept for the next poll` };
  }
  options.store.markEventsSent(keys, token, options.now);
  return { sent: keys.length, pending: 0, error: null };
}

/** `notify --test`: a sample message with one made-up complaint, not recorded. Throws on failure. */
export async function sendTestMessage(options: Omit<SendOptions, 'store'>): Promise<NotifyMessage> {
  const notify = options.config.notify;
  if (!notify) throw new Error('no "notify" section in the config');
  const target = resolveWebhook(notify, options.env);
  if ('error' in target) throw new Error(target.error);
  const at = new Date(options.now).toISOString();
  const mention: Mention = {
    id: 'test:1',
    source: 'test',
    platform: 'rss',
    url: null,
    author: { handle: 'mention-watch', name: 'mention-watch', url: null, reach: 0 },
    title: null,
    text: `This is a test message from mention-watch for ${options.config.brand.name}. If you can read it, notifications work.`,
    createdAt: at,
    fetchedAt: at,
    sentiment: null,
    complaint: true,
    intent: 'complaint',
    own: false,
    status: 'open',
    answeredAt: null,
    answeredBy: null,
    assignee: null,
    snoozedUntil: null,
    ageHours: 0,
    priority: 0,
  };
  const message = buildMessage([{ key: `test:${options.now}`, type: 'test', queuedAt: at, mention }], {
    brand: options.config.brand.name,
    slaHours: options.config.triage.slaHours,
    digestSize: notify.digestSize,
    now: options.now,
    test: true,
  });
  await postMessage(message, target, randomUUID(), options);
  return message;
}

function resolveWebhook(notify: NotifyConfig, env: Record<string, string | undefined>): { url: string; secret: string | undefined } | { error: string } {
  const url = env[notify.webhookUrlEnv];
  if (!url) return { error: `notify.webhookUrlEnv: environment variable ${notify.webhookUrlEnv} is not set` };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { error: `notify.webhookUrlEnv: ${notify.webhookUrlEnv} is not a URL` };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return { error: `notify.webhookUrlEnv: ${notify.webhookUrlEnv} is not an http(s) URL` };
  const secret = notify.secretEnv ? env[notify.secretEnv] : undefined;
  if (notify.secretEnv && !secret) return { error: `notify.secretEnv: environment variable ${notify.secretEnv} is not set` };
  return { url, secret };
}

/** `sha256=` + hex HMAC-SHA256 of "<timestamp>.<body>" with the secret. */
export function signBody(body: string, timestamp: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

async function postMessage(
  message: NotifyMessage,
  target: { url: string; secret: string | undefined },
  delivery: string,
  options: Omit<SendOptions, 'store'>,
): Promise<void> {
  const secrets = [target.url, ...(target.secret ? [target.secret] : [])];
  const poll = options.config.poll;
  const http =
    options.createHttp?.(secrets) ??
    createHttpClient({
      name: 'notify',
      userAgent: options.userAgent,
      timeoutMs: poll.timeoutSeconds * 1000,
      retries: poll.retries,
      maxBodyBytes: 1024 * 1024,
      maxWaitMs: poll.maxWaitSeconds * 1000,
      secrets,
      signal: options.signal,
      now: () => options.now,
    });
  const body = JSON.stringify(message);
  const timestamp = String(Math.floor(options.now / 1000));
  const headers: Record<string, string> = { [TIMESTAMP_HEADER]: timestamp, [DELIVERY_HEADER]: delivery };
  if (target.secret) headers[SIGNATURE_HEADER] = signBody(body, timestamp, target.secret);
  // The client serialises `json` with JSON.stringify too, so the signed bytes are the bytes sent.
  await http.request({ url: target.url, method: 'POST', json: message, headers });
}

function toEvent(e: StoredNotifyEvent): NotifyEvent {
  const payload = (e.payload ?? {}) as { mention?: Mention; spike?: SpikeRecord };
  const event: NotifyEvent = { key: e.key, type: e.kind, queuedAt: new Date(e.createdAt).toISOString() };
  if (payload.mention) event.mention = payload.mention;
  if (payload.spike) event.spike = payload.spike;
  return event;
}

/** Slack mrkdwn: &, < and > are control characters. */
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One digest: spikes first, then SLA breaches, then new complaints by priority. */
export function buildMessage(
  events: NotifyEvent[],
  context: { brand: string; slaHours: number; digestSize: number; now: number; test: boolean },
): NotifyMessage {
  const rank = { spike: 0, sla: 1, complaint: 2, test: 3 } as const;
  const ordered = [...events].sort(
    (a, b) => rank[a.type] - rank[b.type] || (b.mention?.priority ?? 0) - (a.mention?.priority ?? 0) || (a.key < b.key ? -1 : 1),
  );
  const counts = {
    complaint: events.filter((e) => e.type === 'complaint').length,
    sla: events.filter((e) => e.type === 'sla').length,
    spike: events.filter((e) => e.type === 'spike').length,
  };
  const parts: string[] = [];
  if (context.test) parts.push('test message');
  if (counts.spike > 0) parts.push(plural(counts.spike, 'spike'));
  if (counts.sla > 0) parts.push(`${plural(counts.sla, 'complaint')} past the ${context.slaHours}h SLA`);
  if (counts.complaint > 0) parts.push(plural(counts.complaint, 'new complaint'));
  const shown = ordered.slice(0, Math.max(0, context.digestSize));
  const more = ordered.length > shown.length ? `, top ${shown.length} shown` : '';
  const lines = [`*mention-watch · ${slackEscape(context.brand)}*: ${parts.join(', ')}${more}`];
  for (const e of shown) lines.push(`• ${slackEscape(describeEvent(e, context.slaHours))}`);
  return {
    text: lines.join('\n'),
    brand: context.brand,
    sentAt: new Date(context.now).toISOString(),
    test: context.test,
    counts,
    events: ordered,
    version: VERSION,
  };
}

function describeEvent(e: NotifyEvent, slaHours: number): string {
  if (e.spike) return describeSpike({ ...e.spike, source: e.spike.source });
  const m = e.mention;
  if (!m) return e.key;
  const who = m.author.handle ? `@${m.author.handle}` : (m.author.name ?? 'someone');
  const text = truncate(toOneLine(m.title && !m.text.startsWith(m.title) ? `${m.title}: ${m.text}` : m.text), 140);
  const prefix = e.type === 'sla' ? `past the ${slaHours}h SLA, ` : '';
  return `${prefix}[${m.source}] ${who} (${formatReach(m.author.reach)}): ${text}${m.url ? ` ${m.url}` : ''}`;
}
