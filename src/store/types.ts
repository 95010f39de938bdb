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

/** A burst of complaints found at the end of a poll (src/app/spikes.ts). `source` null = all sources together. */
export interface SpikeInput {
  source: string | null;
  windowStart: number;
  windowEnd: number;
  detectedAt: number;
  count: number;
  baselineMean: number;
  baselineSd: number;
  threshold: number;
  topWords: string[];
  mentionIds: string[];
}

export interface StoredSpike extends SpikeInput {
  id: number;
  /** The last poll that still saw this burst (a burst seen by several polls is one spike). */
  lastSeenAt: number;
}

export type NotifyEventKind = 'complaint' | 'sla' | 'spike';
export type NotifyEventState = 'pending' | 'claimed' | 'sent' | 'skipped' | 'failed';

/** A webhook event; `key` ("complaint:<id>", "sla:<id>", "spike:<spike id>") makes it unique forever. */
export interface NotifyEventInput {
  key: string;
  kind: NotifyEventKind;
  payload: unknown;
  /** 'skipped' records an event that must never be sent (history from a source's first poll). */
  state?: 'pending' | 'skipped';
}

export interface StoredNotifyEvent {
  key: string;
  kind: NotifyEventKind;
  state: NotifyEventState;
  payload: unknown;
  createdAt: number;
  claimedAt: number | null;
  claimedBy: string | null;
  sentAt: number | null;
  attempts: number;
  lastError: string | null;
}

/** Batched upserts that may run on another thread; at most a few writes should be in flight. */
export interface BulkWriter {
  write(mentions: MentionInput[]): Promise<number>;
  close(): Promise<void>;
}

/** One complaint as spike detection sees it. */
export interface ComplaintPointRow {
  id: string;
  source: string;
  createdAt: number;
  authorHandle: string | null;
  title: string | null;
  text: string;
}

export interface Store {
  readonly path: string;
  close(): void;
  /**
   * For a burst of writes (a poll): no automatic WAL checkpoint until close, so no write stops the thread to
   * copy the log into the database half-way; closing checkpoints as usual.
   */
  deferCheckpoints(): void;

  /** Inserts new mentions (duplicates on source + platform id ignored) and stores the source's cursor, in one transaction. */
  insertMentions(source: { name: string; type: string }, mentions: MentionInput[], cursor: string | undefined): string[];
  /** Which of these platform ids the source has stored already. */
  knownPlatformIds(source: string, platformIds: string[]): Set<string>;
  /** Inserts or replaces mention records (import). Returns how many rows were written. */
  upsertMentions(mentions: MentionInput[]): number;
  /** The same, batch after batch, on a second thread where the store allows it (import). */
  openBulkWriter(): Promise<BulkWriter>;
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
  /** Mentions fetched (stored) at or after `since`, epoch ms, oldest first: what one poll run added. */
  listFetchedSince(since: number): StoredMention[];
  /** Complaints (not the brand's own) created in [since, until]: only what spike detection reads. */
  listComplaintPoints(since: number, until: number): ComplaintPointRow[];
  /** The earliest created_at per source: where each source's history starts. */
  firstMentionTimes(): Record<string, number>;
  /** Start times of the latest poll runs, newest first (the running poll's own row included). */
  listPollRunStarts(limit: number): { startedAt: number; finishedAt: number | null }[];
  /** Stores a spike, or merges it into the same source's spike whose window it overlaps. */
  recordSpike(spike: SpikeInput): { spike: StoredSpike; isNew: boolean };
  /** Spikes last seen at or after `since`, newest first. */
  listSpikes(since: number): StoredSpike[];
  /** Inserts events whose key is new (a known key is never queued again); returns the keys inserted. */
  enqueueEvents(events: NotifyEventInput[], now: number): string[];
  /** Atomically moves up to `limit` pending events to 'claimed' by `token` and returns them, oldest first. */
  claimEvents(token: string, now: number, limit: number): StoredNotifyEvent[];
  /** Marks claimed events sent. */
  markEventsSent(keys: string[], token: string, now: number): void;
  /** Puts claimed events back to pending (or 'failed' after `maxAttempts`), recording the error. */
  releaseEvents(keys: string[], token: string, error: string, maxAttempts: number): void;
  /** Events created at or after `since`, newest first. */
  listEvents(since: number, limit: number): StoredNotifyEvent[];
  /** Marks claimed events skipped (no longer worth sending, e.g. answered meanwhile), recording why. */
  skipEvents(keys: string[], token: string, reason: string): void;
}
