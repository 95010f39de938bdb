/** What runs at the end of every poll, after the sources: spike detection and webhook notifications. */
import type { Config } from '../config/types.js';
import type { HttpClient } from '../http/types.js';
import type { Logger } from '../sources/types.js';
import type { Store } from '../store/types.js';
import { queueEvents, sendPendingEvents } from './notify.js';
import type { PollSummary } from './poll.js';
import { describeSpike, findSpikes, toSpikeRecord, type SpikeRecord } from './spikes.js';

export interface AfterPollInput {
  config: Config;
  store: Store;
  env: Record<string, string | undefined>;
  now: number;
  summary: PollSummary;
  log: Logger;
  signal: AbortSignal;
  userAgent: string;
  /** When the poll run started (default: the latest poll run's start in the store). */
  startedAt?: number;
  /** Defaults to the undici client configured from `config.poll`. */
  createHttp?: (secrets: string[]) => HttpClient;
}

export interface AfterPollResult {
  /** Extra fields merged into the poll's JSON summary (e.g. spikes, notify). */
  summary: Record<string, unknown>;
  /** Lines for the human summary on stderr. */
  lines: string[];
  /** Lines that matter even under --quiet (a new spike): printed at warning level. */
  warnings?: string[];
  /** Set when notifying failed: the poll exits 3, everything is stored. */
  error: string | null;
}

export interface NotifySummary {
  /** Events queued by this poll. */
  queued: number;
  /** Complaints from a source's first poll, recorded as history and never sent. */
  skipped: number;
  /** Events delivered by this poll (including ones queued by earlier polls). */
  sent: number;
  /** Events waiting for the next poll. */
  pending: number;
  error: string | null;
}

export async function afterPoll(input: AfterPollInput): Promise<AfterPollResult> {
  const { store, config, now } = input;
  const startedAt =
    input.startedAt ?? store.listPollRunStarts(1)[0]?.startedAt ?? now - Math.max(0, ...input.summary.sources.map((s) => s.durationMs));
  const spikes = findSpikes(store, config, now);
  const lines: string[] = [];
  const warnings: string[] = [];
  for (const { spike, isNew } of spikes) {
    if (isNew) warnings.push(describeSpike(spike));
    else lines.push(`${describeSpike(spike)} (continuing since ${new Date(spike.windowStart).toISOString().slice(11, 16)} UTC)`);
  }
  const spikeRecords: (SpikeRecord & { new: boolean })[] = spikes.map(({ spike, isNew }) => ({ ...toSpikeRecord(spike), new: isNew }));
  if (!config.notify?.enabled) return { summary: { spikes: spikeRecords, notify: null }, lines, warnings, error: null };

  const firstPollSources = new Set(input.summary.sources.filter((s) => s.firstPoll).map((s) => s.name));
  const { queued, skipped } = queueEvents({ store, config, now, runStartedAt: startedAt, firstPollSources, spikes });
  const sent = await sendPendingEvents({
    store,
    config,
    env: input.env,
    now,
    signal: input.signal,
    userAgent: input.userAgent,
    ...(input.createHttp ? { createHttp: input.createHttp } : {}),
  });
  const notify: NotifySummary = { queued, skipped, sent: sent.sent, pending: sent.pending, error: sent.error };
  if (sent.sent > 0) lines.push(`notify: sent ${sent.sent} event${sent.sent === 1 ? '' : 's'} in one message`);
  if (skipped > 0) lines.push(`notify: ${skipped} complaint${skipped === 1 ? '' : 's'} from a first poll kept quiet (history)`);
  return { summary: { spikes: spikeRecords, notify }, lines, warnings, error: sent.error };
}
