/** What runs at the end of every poll, after the sources: spike detection and webhook notifications. */
import type { Config } from '../config/types.js';
import type { Logger } from '../sources/types.js';
import type { Store } from '../store/types.js';
import type { PollSummary } from './poll.js';

export interface AfterPollInput {
  config: Config;
  store: Store;
  env: Record<string, string | undefined>;
  now: number;
  summary: PollSummary;
  log: Logger;
  signal: AbortSignal;
  userAgent: string;
}

export interface AfterPollResult {
  /** Extra fields merged into the poll's JSON summary (e.g. spikes, notify). */
  summary: Record<string, unknown>;
  /** Lines for the human summary on stderr. */
  lines: string[];
  /** Set when notifying failed: the poll exits 3, everything is stored. */
  error: string | null;
}

export async function afterPoll(_input: AfterPollInput): Promise<AfterPollResult> {
  return { summary: {}, lines: [], error: null };
}
