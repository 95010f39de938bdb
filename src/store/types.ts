/** The store's domain interface: commands talk to this, never to SQL (a PostgreSQL store could implement it). */
import type { SourceKv } from '../sources/types.js';
import type { Author, Intent, MentionStatus, Sentiment, SourceType, TriageWeights } from '../types.js';

/** A mention as stored (times as epoch ms). The record shape printed by commands is built from it in output/. */
export interface StoredMention {
  id: string;
  source: string;
  platform: SourceType;
  platformId: string;
  url: string | null;
  author: Author;
  title: string | null;
  text: string;
  createdAt: number;
  fetchedAt: number;
  sentiment: Sentiment | null;
  complaint: boolean;
  intent: Intent | null;
  own: boolean;
  addressesBrand: boolean;
  status: MentionStatus;
  answeredAt: number | null;
  answeredBy: 'platform' | 'manual' | null;
  assignee: string | null;
  snoozedUntil: number | null;
  reopened: boolean;
  threadRef: string | null;
  threadCheckedAt: number | null;
}

/** A mention to insert or upsert. */
export interface MentionInput {
  source: string;
  platform: SourceType;
  platformId: string;
  url: string | null;
  author: Author;
  title: string | null;
  text: string;
  createdAt: number;
  fetchedAt: number;
  sentiment: Sentiment | null;
  complaint: boolean;
  intent: Intent | null;
  /** Why the classifier decided as it did (JSON-serialisable), shown by `show`. */
  verdict: unknown;
  own: boolean;
  addressesBrand: boolean;
  threadRef: string | null;
  raw: unknown;
  status?: MentionStatus;
  answeredAt?: number | null;
  answeredBy?: 'platform' | 'manual' | null;
  assignee?: string | null;
  snoozedUntil?: number | null;
}

export interface MentionFilter {
  sources?: string[];
  /** created_at >= since (epoch ms) */
  since?: number;
  status?: MentionStatus;
  complaints?: boolean;
  search?: string;
  assignee?: string;
  minReach?: number;
  limit?: number;
  /** Needed to decide whether a snooze has run out. */
  now: number;
}

export type TriageOrder = 'priority' | 'age' | 'reach';

export interface ActionEntry {
  mentionId: string;
  action: string;
  actor: string | null;
  at: number;
  detail: Record<string, unknown> | null;
}

/** Fields an action changes on the mention (undefined = unchanged). */
export interface MentionUpdate {
  status?: MentionStatus;
  answeredAt?: number | null;
  answeredBy?: 'platform' | 'manual' | null;
  assignee?: string | null;
  snoozedUntil?: number | null;
  reopened?: boolean;
}

export interface SourceState {
  name: string;
  type: string;
  cursor: string | null;
  lastRunAt: number | null;
  lastSuccessAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
}

export interface SourceStats {
  source: string;
  mentions: number;
  /** Mentions created in the last 7 days before `now`. */
  lastWeek: number;
  /** Mentions created in the last 24 hours before `now`. */
  lastDay: number;
  newest: number | null;
}

export interface Store {
  readonly path: string;
  close(): void;

  /** Inserts new mentions (duplicates on source + platform id ignored) and stores the source's cursor, in one transaction. */
  insertMentions(source: { name: string; type: string }, mentions: MentionInput[], cursor: string | undefined, now: number): string[];
  /** Inserts or replaces mention records (import). Returns how many rows were written. */
  upsertMentions(mentions: MentionInput[]): number;
  getMention(id: string): StoredMention | undefined;
  getRaw(id: string): unknown;
  getVerdict(id: string): unknown;
  listMentions(filter: MentionFilter): StoredMention[];
  iterateMentions(filter: MentionFilter): IterableIterator<StoredMention>;
  /** Open complaints (not answered, ignored, own, or snoozed into the future), ranked. */
  listOpenComplaints(filter: MentionFilter, order: TriageOrder): StoredMention[];
  countOpenComplaints(filter: MentionFilter, slaCutoff: number): { open: number; pastSla: number; oldest: number | null };
  /** Keeps the stored rank key in step with the configured weights (recomputes when they change). */
  useRankWeights(weights: TriageWeights): void;
  /** Applies an update and appends to the action log, in one transaction. False when the id is unknown. */
  applyAction(entry: ActionEntry, update: MentionUpdate): boolean;
  listActions(id: string): ActionEntry[];
  /** Re-classification: every mention created since `since`, in batches of `batch`. */
  iterateForClassification(since: number | undefined): IterableIterator<{ id: string; text: string; title: string | null; addressesBrand: boolean; own: boolean; sentiment: Sentiment | null; complaint: boolean; intent: Intent | null }>;
  updateClassification(rows: { id: string; sentiment: Sentiment; complaint: boolean; intent: Intent; verdict: unknown }[]): void;

  getSourceState(name: string): SourceState | undefined;
  listSourceStates(): SourceState[];
  sourceStats(now: number): SourceStats[];
  recordSourceRun(name: string, type: string, result: { at: number; error?: string }): void;
  sourceKv(name: string): SourceKv;

  /** Threads to check for brand replies (least recently checked first). */
  listThreadChecks(source: string, options: { now: number; windowMs: number; limit: number }): StoredMention[];
  recordThreadCheck(id: string, at: number): void;

  /** Takes the named lock, or throws LockedError when a live process holds it; a dead holder's lock is taken over. */
  acquireLock(name: string, holder: { pid: number; host: string; now: number; isAlive(pid: number): boolean }): void;
  releaseLock(name: string, pid: number): void;

  startPollRun(now: number, pid: number): number;
  finishPollRun(seq: number, now: number, summary: unknown): void;
}
