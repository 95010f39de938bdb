/** The better-sqlite3 implementation of Store. Row types and SQL never leave this folder. */
import type { Database, Statement } from 'better-sqlite3';
import { LockedError } from '../errors.js';
import { RANK_KEY_SQL } from '../rank/priority.js';
import { INSERT_NEW_SQL, UPSERT_SQL, mentionRow } from './mention-rows.js';
import type { SourceKv } from '../sources/types.js';
import type { Intent, MentionStatus, SentimentLabel, Sentiment, SourceType, TriageWeights } from '../types.js';
import type {
  ActionEntry,
  ComplaintPointRow,
  BulkWriter,
  MentionFilter,
  MentionInput,
  MentionUpdate,
  NotifyEventInput,
  NotifyEventKind,
  NotifyEventState,
  SourceState,
  SourceStats,
  Store,
  SpikeInput,
  StoredMention,
  StoredNotifyEvent,
  StoredSpike,
  TriageOrder,
} from './types.js';

interface MentionRow {
  id: string;
  source: string;
  platform: string;
  platform_id: string;
  url: string | null;
  author_handle: string | null;
  author_name: string | null;
  author_url: string | null;
  author_reach: number;
  title: string | null;
  text: string;
  created_at: number;
  fetched_at: number;
  sentiment_score: number | null;
  sentiment_comparative: number | null;
  sentiment_label: string | null;
  complaint: number;
  intent: string | null;
  own: number;
  addresses_brand: number;
  status: string;
  answered_at: number | null;
  answered_by: string | null;
  assignee: string | null;
  snoozed_until: number | null;
  reopened: number;
  thread_ref: string | null;
  thread_checked_at: number | null;
}

const MENTION_COLUMNS = `id, source, platform, platform_id, url, author_handle, author_name, author_url, author_reach, title, text,
  created_at, fetched_at, sentiment_score, sentiment_comparative, sentiment_label, complaint, intent, own, addresses_brand,
  status, answered_at, answered_by, assignee, snoozed_until, reopened, thread_ref, thread_checked_at`;

function toMention(row: MentionRow): StoredMention {
  return {
    id: row.id,
    source: row.source,
    platform: row.platform as SourceType,
    platformId: row.platform_id,
    url: row.url,
    author: { handle: row.author_handle, name: row.author_name, url: row.author_url, reach: row.author_reach },
    title: row.title,
    text: row.text,
    createdAt: row.created_at,
    fetchedAt: row.fetched_at,
    sentiment:
      row.sentiment_label === null
        ? null
        : { score: row.sentiment_score ?? 0, comparative: row.sentiment_comparative ?? 0, label: row.sentiment_label as SentimentLabel },
    complaint: row.complaint === 1,
    intent: row.intent as Intent | null,
    own: row.own === 1,
    addressesBrand: row.addresses_brand === 1,
    status: row.status as MentionStatus,
    answeredAt: row.answered_at,
    answeredBy: row.answered_by as StoredMention['answeredBy'],
    assignee: row.assignee,
    snoozedUntil: row.snoozed_until,
    reopened: row.reopened === 1,
    threadRef: row.thread_ref,
    threadCheckedAt: row.thread_checked_at,
  };
}

const DEFAULT_WEIGHTS: TriageWeights = { slaHours: 24, reachWeight: 1, ageWeight: 5 };

/** Escapes LIKE wildcards so a search for "100%" finds the text "100%". */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function where(filter: MentionFilter, params: Record<string, unknown>, extra: string[] = []): string {
  const clauses = [...extra];
  if (filter.sources && filter.sources.length > 0) {
    const names = filter.sources.map((s, i) => {
      params[`source${i}`] = s;
      return `:source${i}`;
    });
    clauses.push(`source IN (${names.join(', ')})`);
  }
  if (filter.since !== undefined) {
    params.since = filter.since;
    clauses.push('created_at >= :since');
  }
  if (filter.complaints) clauses.push('complaint = 1 AND own = 0');
  if (filter.status) {
    params.now = filter.now;
    if (filter.status === 'open') clauses.push("(status = 'open' OR (status = 'snoozed' AND snoozed_until <= :now))");
    else if (filter.status === 'snoozed') clauses.push("(status = 'snoozed' AND (snoozed_until IS NULL OR snoozed_until > :now))");
    else {
      params.status = filter.status;
      clauses.push('status = :status');
    }
  }
  if (filter.search) {
    params.search = likePattern(filter.search);
    clauses.push("(text LIKE :search ESCAPE '\\' OR title LIKE :search ESCAPE '\\' OR author_handle LIKE :search ESCAPE '\\')");
  }
  if (filter.assignee !== undefined) {
    params.assignee = filter.assignee;
    clauses.push('assignee = :assignee');
  }
  if (filter.minReach !== undefined) {
    params.minReach = filter.minReach;
    clauses.push('author_reach >= :minReach');
  }
  return clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '';
}

export class SqliteStore implements Store {
  private weights: TriageWeights = DEFAULT_WEIGHTS;
  private readonly statements = new Map<string, Statement>();

  constructor(
    private readonly db: Database,
    readonly path: string,
  ) {
    const stored = this.db.prepare("SELECT value FROM settings WHERE key = 'rank_weights'").get() as { value: string } | undefined;
    if (stored) this.weights = JSON.parse(stored.value) as TriageWeights;
    else this.db.prepare("INSERT INTO settings (key, value) VALUES ('rank_weights', ?)").run(JSON.stringify(DEFAULT_WEIGHTS));
  }

  private stmt(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  deferCheckpoints(): void {
    // About 64 MiB of log at the default 4 KiB page; a larger burst still checkpoints once it gets there.
    this.db.pragma('wal_autocheckpoint = 16384');
  }

  insertMentions(source: { name: string; type: string }, mentions: MentionInput[], cursor: string | undefined): string[] {
    const insert = this.stmt(INSERT_NEW_SQL);
    const inserted: string[] = [];
    this.db.transaction(() => {
      for (const mention of mentions) {
        const row = mentionRow(mention, this.weights);
        if (insert.run(row).changes > 0) inserted.push(row[0] as string);
      }
      if (cursor !== undefined) {
        this.stmt(
          `INSERT INTO source_states (name, type, cursor) VALUES (:name, :type, :cursor)
           ON CONFLICT (name) DO UPDATE SET cursor = excluded.cursor, type = excluded.type`,
        ).run({ name: source.name, type: source.type, cursor });
      }
    }).immediate();
    return inserted;
  }

  knownPlatformIds(source: string, platformIds: string[]): Set<string> {
    if (platformIds.length === 0) return new Set();
    // One statement per page, each id looked up in the (source, platform_id) index.
    const lookup = this.stmt('SELECT platform_id FROM mentions WHERE source = ? AND platform_id IN (SELECT value FROM json_each(?))').pluck();
    return new Set(lookup.all(source, JSON.stringify(platformIds)) as string[]);
  }

  upsertMentions(mentions: MentionInput[]): number {
    const upsert = this.stmt(UPSERT_SQL);
    let written = 0;
    this.db.transaction(() => {
      for (const mention of mentions) written += upsert.run(mentionRow(mention, this.weights)).changes;
    }).immediate();
    return written;
  }

  async openBulkWriter(): Promise<BulkWriter> {
    if (this.path === ':memory:') return { write: async (mentions) => this.upsertMentions(mentions), close: async () => {} };
    const { startBulkWriter } = await import('./bulk-writer.js');
    return startBulkWriter(this.path, this.weights);
  }

  getMention(id: string): StoredMention | undefined {
    const row = this.stmt(`SELECT ${MENTION_COLUMNS} FROM mentions WHERE id = ?`).get(id) as MentionRow | undefined;
    return row ? toMention(row) : undefined;
  }

  getRaw(id: string): unknown {
    const row = this.stmt('SELECT raw FROM mentions WHERE id = ?').get(id) as { raw: string | null } | undefined;
    return row?.raw ? JSON.parse(row.raw) : null;
  }

  getVerdict(id: string): unknown {
    const row = this.stmt('SELECT verdict FROM mentions WHERE id = ?').get(id) as { verdict: string | null } | undefined;
    return row?.verdict ? JSON.parse(row.verdict) : null;
  }

  listMentions(filter: MentionFilter): StoredMention[] {
    const params: Record<string, unknown> = { limit: filter.limit ?? -1 };
    const sql = `SELECT ${MENTION_COLUMNS} FROM mentions ${where(filter, params)} ORDER BY created_at DESC, id LIMIT :limit`;
    return (this.stmt(sql).all(params) as MentionRow[]).map(toMention);
  }

  *iterateMentions(filter: MentionFilter): IterableIterator<StoredMention> {
    const params: Record<string, unknown> = { limit: filter.limit ?? -1 };
    // Storage order: a plain table scan streams fastest and never sorts a million rows in memory.
    const sql = `SELECT ${MENTION_COLUMNS} FROM mentions ${where(filter, params)} ORDER BY seq LIMIT :limit`;
    for (const row of this.db.prepare(sql).iterate(params) as IterableIterator<MentionRow>) yield toMention(row);
  }

  listOpenComplaints(filter: MentionFilter, order: TriageOrder): StoredMention[] {
    const params: Record<string, unknown> = { limit: filter.limit ?? -1 };
    const base = where({ ...filter, status: 'open', complaints: true }, params, ["status IN ('open', 'snoozed')"]);
    const orderBy = order === 'age' ? 'created_at ASC, id' : order === 'reach' ? 'author_reach DESC, rank_key DESC, id' : 'rank_key DESC, id';
    const sql = `SELECT ${MENTION_COLUMNS} FROM mentions ${base} ORDER BY ${orderBy} LIMIT :limit`;
    return (this.stmt(sql).all(params) as MentionRow[]).map(toMention);
  }

  countOpenComplaints(filter: MentionFilter, slaCutoff: number): { open: number; pastSla: number; oldest: number | null } {
    const params: Record<string, unknown> = { cutoff: slaCutoff };
    const base = where({ ...filter, limit: undefined, status: 'open', complaints: true }, params, ["status IN ('open', 'snoozed')"]);
    const row = this.stmt(
      `SELECT count(*) AS open, coalesce(sum(created_at <= :cutoff), 0) AS pastSla, min(created_at) AS oldest FROM mentions ${base}`,
    ).get(params) as { open: number; pastSla: number; oldest: number | null };
    return row;
  }

  useRankWeights(weights: TriageWeights): void {
    const same =
      weights.slaHours === this.weights.slaHours && weights.reachWeight === this.weights.reachWeight && weights.ageWeight === this.weights.ageWeight;
    if (same) return;
    this.db.transaction(() => {
      this.db.prepare(`UPDATE mentions SET rank_key = ${RANK_KEY_SQL}`).run(weights);
      this.db.prepare("UPDATE settings SET value = ? WHERE key = 'rank_weights'").run(JSON.stringify(weights));
    }).immediate();
    this.weights = { ...weights };
  }

  applyAction(entry: ActionEntry, update: MentionUpdate): boolean {
    return this.db.transaction(() => {
      const exists = this.stmt('SELECT 1 FROM mentions WHERE id = ?').get(entry.mentionId);
      if (!exists) return false;
      const sets: string[] = [];
      const params: Record<string, unknown> = { id: entry.mentionId };
      const columns: [keyof MentionUpdate, string][] = [
        ['status', 'status'],
        ['answeredAt', 'answered_at'],
        ['answeredBy', 'answered_by'],
        ['assignee', 'assignee'],
        ['snoozedUntil', 'snoozed_until'],
        ['reopened', 'reopened'],
      ];
      for (const [key, column] of columns) {
        if (update[key] === undefined) continue;
        const value = update[key];
        params[column] = typeof value === 'boolean' ? (value ? 1 : 0) : value;
        sets.push(`${column} = :${column}`);
      }
      if (sets.length > 0) this.db.prepare(`UPDATE mentions SET ${sets.join(', ')} WHERE id = :id`).run(params);
      this.stmt('INSERT INTO actions (mention_id, action, actor, at, detail) VALUES (?, ?, ?, ?, ?)').run(
        entry.mentionId,
        entry.action,
        entry.actor,
        entry.at,
        entry.detail ? JSON.stringify(entry.detail) : null,
      );
      return true;
    }).immediate();
  }

  listActions(id: string): ActionEntry[] {
    const rows = this.stmt('SELECT mention_id, action, actor, at, detail FROM actions WHERE mention_id = ? ORDER BY seq').all(id) as {
      mention_id: string;
      action: string;
      actor: string | null;
      at: number;
      detail: string | null;
    }[];
    return rows.map((r) => ({ mentionId: r.mention_id, action: r.action, actor: r.actor, at: r.at, detail: r.detail ? JSON.parse(r.detail) : null }));
  }

  *iterateForClassification(since: number | undefined) {
    const sql = `SELECT seq, id, text, title, addresses_brand, own, sentiment_score, sentiment_comparative, sentiment_label, complaint, intent
      FROM mentions WHERE seq > :after ${since === undefined ? '' : 'AND created_at >= :since'} ORDER BY seq LIMIT 1000`;
    const statement = this.db.prepare(sql);
    let after = 0;
    for (;;) {
      // Batches by seq, so updates between batches never disturb an open cursor.
      const rows = statement.all({ after, since }) as {
        seq: number; id: string; text: string; title: string | null; addresses_brand: number; own: number;
        sentiment_score: number | null; sentiment_comparative: number | null; sentiment_label: string | null; complaint: number; intent: string | null;
      }[];
      if (rows.length === 0) return;
      for (const r of rows) {
        yield {
          id: r.id,
          text: r.text,
          title: r.title,
          addressesBrand: r.addresses_brand === 1,
          own: r.own === 1,
          sentiment: r.sentiment_label === null ? null : { score: r.sentiment_score ?? 0, comparative: r.sentiment_comparative ?? 0, label: r.sentiment_label as SentimentLabel },
          complaint: r.complaint === 1,
          intent: r.intent as Intent | null,
        };
      }
      after = rows.at(-1)!.seq;
    }
  }

  updateClassification(rows: { id: string; sentiment: Sentiment; complaint: boolean; intent: Intent; verdict: unknown }[]): void {
    const update = this.stmt(
      `UPDATE mentions SET sentiment_score = ?, sentiment_comparative = ?, sentiment_label = ?, complaint = ?, intent = ?, verdict = ? WHERE id = ?`,
    );
    this.db.transaction(() => {
      for (const r of rows) {
        update.run(r.sentiment.score, r.sentiment.comparative, r.sentiment.label, r.complaint ? 1 : 0, r.intent, JSON.stringify(r.verdict), r.id);
      }
    }).immediate();
  }

  getSourceState(name: string): SourceState | undefined {
    const row = this.stmt('SELECT * FROM source_states WHERE name = ?').get(name) as Record<string, unknown> | undefined;
    return row ? toSourceState(row) : undefined;
  }

  listSourceStates(): SourceState[] {
    return (this.stmt('SELECT * FROM source_states ORDER BY name').all() as Record<string, unknown>[]).map(toSourceState);
  }

  sourceStats(now: number): SourceStats[] {
    return this.stmt(
      `SELECT source, count(*) AS mentions, coalesce(sum(created_at >= :week), 0) AS lastWeek, coalesce(sum(created_at >= :day), 0) AS lastDay,
        max(created_at) AS newest FROM mentions GROUP BY source ORDER BY source`,
    ).all({ week: now - 7 * 86_400_000, day: now - 86_400_000 }) as SourceStats[];
  }

  recordSourceRun(name: string, type: string, result: { at: number; error?: string }): void {
    if (result.error === undefined) {
      this.stmt(
        `INSERT INTO source_states (name, type, last_run_at, last_success_at) VALUES (:name, :type, :at, :at)
         ON CONFLICT (name) DO UPDATE SET type = excluded.type, last_run_at = :at, last_success_at = :at`,
      ).run({ name, type, at: result.at });
    } else {
      this.stmt(
        `INSERT INTO source_states (name, type, last_run_at, last_error, last_error_at) VALUES (:name, :type, :at, :error, :at)
         ON CONFLICT (name) DO UPDATE SET type = excluded.type, last_run_at = :at, last_error = :error, last_error_at = :at`,
      ).run({ name, type, at: result.at, error: result.error });
    }
  }

  sourceKv(name: string): SourceKv {
    const get = this.stmt('SELECT value FROM source_kv WHERE source = ? AND key = ?');
    const set = this.stmt('INSERT INTO source_kv (source, key, value) VALUES (?, ?, ?) ON CONFLICT (source, key) DO UPDATE SET value = excluded.value');
    const del = this.stmt('DELETE FROM source_kv WHERE source = ? AND key = ?');
    return {
      get: (key) => (get.get(name, key) as { value: string } | undefined)?.value,
      set: (key, value) => {
        if (value === undefined) del.run(name, key);
        else set.run(name, key, value);
      },
    };
  }

  listThreadChecks(source: string, options: { now: number; windowMs: number; limit: number }): StoredMention[] {
    // Needs a reply: complaints and questions, open (or answered, to notice a customer writing again), within the window.
    // Young threads (< 12 h) are due on every poll; older ones at intervals that grow with their age (a quarter of it).
    const rows = this.stmt(
      `SELECT ${MENTION_COLUMNS} FROM mentions
       WHERE source = :source AND own = 0 AND (complaint = 1 OR intent = 'question')
         AND status IN ('open', 'answered', 'snoozed') AND created_at >= :windowStart
         AND (thread_checked_at IS NULL OR :now - created_at < 43200000
              OR :now - thread_checked_at >= (:now - created_at) / 4)
       ORDER BY coalesce(thread_checked_at, 0), created_at DESC LIMIT :limit`,
    ).all({ source, now: options.now, windowStart: options.now - options.windowMs, limit: options.limit }) as MentionRow[];
    return rows.map(toMention);
  }

  recordThreadCheck(id: string, at: number): void {
    this.stmt('UPDATE mentions SET thread_checked_at = ? WHERE id = ?').run(at, id);
  }

  acquireLock(name: string, holder: { pid: number; host: string; now: number; isAlive(pid: number): boolean }): void {
    this.db.transaction(() => {
      const row = this.stmt('SELECT pid, host, acquired_at FROM locks WHERE name = ?').get(name) as
        | { pid: number; host: string; acquired_at: number }
        | undefined;
      if (row && row.pid !== holder.pid) {
        const alive = row.host === holder.host ? holder.isAlive(row.pid) : holder.now - row.acquired_at < 6 * 3_600_000;
        if (alive) {
          throw new LockedError(
            `${this.path}: another poll is running (pid ${row.pid} on ${row.host}, since ${new Date(row.acquired_at).toISOString()})`,
          );
        }
      }
      this.stmt('INSERT OR REPLACE INTO locks (name, pid, host, acquired_at) VALUES (?, ?, ?, ?)').run(name, holder.pid, holder.host, holder.now);
    }).immediate();
  }

  releaseLock(name: string, pid: number): void {
    if (this.db.open) this.stmt('DELETE FROM locks WHERE name = ? AND pid = ?').run(name, pid);
  }

  startPollRun(now: number, pid: number): number {
    return Number(this.stmt('INSERT INTO poll_runs (started_at, pid) VALUES (?, ?)').run(now, pid).lastInsertRowid);
  }

  finishPollRun(seq: number, now: number, summary: unknown): void {
    this.stmt('UPDATE poll_runs SET finished_at = ?, summary = ? WHERE seq = ?').run(now, JSON.stringify(summary), seq);
  }
  listFetchedSince(since: number): StoredMention[] {
    const rows = this.stmt(`SELECT ${MENTION_COLUMNS} FROM mentions WHERE fetched_at >= ? ORDER BY fetched_at, seq`).all(since) as MentionRow[];
    return rows.map(toMention);
  }

  listComplaintPoints(since: number, until: number): ComplaintPointRow[] {
    return this.stmt(
      `SELECT id, source, created_at AS createdAt, author_handle AS authorHandle, title, text FROM mentions
       WHERE complaint = 1 AND own = 0 AND created_at >= ? AND created_at <= ?`,
    ).all(since, until) as ComplaintPointRow[];
  }

  firstMentionTimes(): Record<string, number> {
    const rows = this.stmt('SELECT source, min(created_at) AS first FROM mentions GROUP BY source').all() as { source: string; first: number }[];
    return Object.fromEntries(rows.map((r) => [r.source, r.first]));
  }

  listPollRunStarts(limit: number): { startedAt: number; finishedAt: number | null }[] {
    const rows = this.stmt('SELECT started_at, finished_at FROM poll_runs ORDER BY seq DESC LIMIT ?').all(limit) as { started_at: number; finished_at: number | null }[];
    return rows.map((r) => ({ startedAt: r.started_at, finishedAt: r.finished_at }));
  }

  recordSpike(spike: SpikeInput): { spike: StoredSpike; isNew: boolean } {
    const sourceKey = spike.source ?? '*';
    return this.db.transaction(() => {
      const existing = this.stmt('SELECT * FROM spikes WHERE source = ? AND window_end >= ? ORDER BY window_end DESC LIMIT 1').get(sourceKey, spike.windowStart) as
        | SpikeRow
        | undefined;
      if (existing) {
        const ids = [...new Set([...(JSON.parse(existing.mention_ids) as string[]), ...spike.mentionIds])];
        this.stmt(
          `UPDATE spikes SET window_end = max(window_end, :windowEnd), last_seen_at = :lastSeenAt, count = max(count, :count),
             top_words = :topWords, mention_ids = :mentionIds WHERE id = :id`,
        ).run({
          id: existing.id,
          windowEnd: spike.windowEnd,
          lastSeenAt: spike.detectedAt,
          count: spike.count,
          topWords: JSON.stringify(spike.topWords),
          mentionIds: JSON.stringify(ids),
        });
        const row = this.stmt('SELECT * FROM spikes WHERE id = ?').get(existing.id) as SpikeRow;
        return { spike: toSpike(row), isNew: false };
      }
      const id = Number(
        this.stmt(
          `INSERT INTO spikes (source, window_start, window_end, detected_at, last_seen_at, count, baseline_mean, baseline_sd, threshold, top_words, mention_ids)
           VALUES (:source, :windowStart, :windowEnd, :detectedAt, :detectedAt, :count, :baselineMean, :baselineSd, :threshold, :topWords, :mentionIds)`,
        ).run({
          source: sourceKey,
          windowStart: spike.windowStart,
          windowEnd: spike.windowEnd,
          detectedAt: spike.detectedAt,
          count: spike.count,
          baselineMean: spike.baselineMean,
          baselineSd: spike.baselineSd,
          threshold: spike.threshold,
          topWords: JSON.stringify(spike.topWords),
          mentionIds: JSON.stringify(spike.mentionIds),
        }).lastInsertRowid,
      );
      return { spike: toSpike(this.stmt('SELECT * FROM spikes WHERE id = ?').get(id) as SpikeRow), isNew: true };
    }).immediate();
  }

  listSpikes(since: number): StoredSpike[] {
    const rows = this.stmt('SELECT * FROM spikes WHERE last_seen_at >= ? ORDER BY detected_at DESC, id DESC').all(since) as SpikeRow[];
    return rows.map(toSpike);
  }

  enqueueEvents(events: NotifyEventInput[], now: number): string[] {
    const insert = this.stmt(
      `INSERT INTO notifications (key, kind, state, payload, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
    );
    const inserted: string[] = [];
    this.db.transaction(() => {
      for (const e of events) {
        const payload = e.payload === undefined ? null : JSON.stringify(e.payload);
        if (insert.run(e.key, e.kind, e.state ?? 'pending', payload, now).changes > 0) inserted.push(e.key);
      }
    }).immediate();
    return inserted;
  }

  claimEvents(token: string, now: number, limit: number): StoredNotifyEvent[] {
    // IMMEDIATE: the write lock is taken before reading, so two overlapping runs never claim the same row.
    return this.db.transaction(() => {
      const keys = (this.stmt("SELECT key FROM notifications WHERE state = 'pending' ORDER BY created_at, key LIMIT ?").all(limit) as { key: string }[]).map(
        (r) => r.key,
      );
      const claim = this.stmt("UPDATE notifications SET state = 'claimed', claimed_at = ?, claimed_by = ?, attempts = attempts + 1 WHERE key = ? AND state = 'pending'");
      for (const key of keys) claim.run(now, token, key);
      const get = this.stmt('SELECT * FROM notifications WHERE key = ?');
      return keys.map((key) => toNotifyEvent(get.get(key) as NotificationRow));
    }).immediate();
  }

  markEventsSent(keys: string[], token: string, now: number): void {
    const mark = this.stmt("UPDATE notifications SET state = 'sent', sent_at = ?, last_error = NULL WHERE key = ? AND claimed_by = ? AND state = 'claimed'");
    this.db.transaction(() => {
      for (const key of keys) mark.run(now, key, token);
    }).immediate();
  }

  releaseEvents(keys: string[], token: string, error: string, maxAttempts: number): void {
    const release = this.stmt(
      `UPDATE notifications SET state = CASE WHEN attempts >= ? THEN 'failed' ELSE 'pending' END, last_error = ?, claimed_by = NULL
       WHERE key = ? AND claimed_by = ? AND state = 'claimed'`,
    );
    this.db.transaction(() => {
      for (const key of keys) release.run(maxAttempts, error, key, token);
    }).immediate();
  }

  listEvents(since: number, limit: number): StoredNotifyEvent[] {
    const rows = this.stmt('SELECT * FROM notifications WHERE created_at >= ? ORDER BY created_at DESC, key LIMIT ?').all(since, limit) as NotificationRow[];
    return rows.map(toNotifyEvent);
  }

  skipEvents(keys: string[], token: string, reason: string): void {
    const skip = this.stmt("UPDATE notifications SET state = 'skipped', last_error = ? WHERE key = ? AND claimed_by = ? AND state = 'claimed'");
    this.db.transaction(() => {
      for (const key of keys) skip.run(reason, key, token);
    }).immediate();
  }
}

function toSourceState(row: Record<string, unknown>): SourceState {
  return {
    name: row.name as string,
    type: row.type as string,
    cursor: (row.cursor as string | null) ?? null,
    lastRunAt: (row.last_run_at as number | null) ?? null,
    lastSuccessAt: (row.last_success_at as number | null) ?? null,
    lastError: (row.last_error as string | null) ?? null,
    lastErrorAt: (row.last_error_at as number | null) ?? null,
  };
}

interface SpikeRow {
  id: number;
  source: string;
  window_start: number;
  window_end: number;
  detected_at: number;
  last_seen_at: number;
  count: number;
  baseline_mean: number;
  baseline_sd: number;
  threshold: number;
  top_words: string;
  mention_ids: string;
}

function toSpike(row: SpikeRow): StoredSpike {
  return {
    id: row.id,
    source: row.source === '*' ? null : row.source,
    windowStart: row.window_start,
    windowEnd: row.window_end,
    detectedAt: row.detected_at,
    lastSeenAt: row.last_seen_at,
    count: row.count,
    baselineMean: row.baseline_mean,
    baselineSd: row.baseline_sd,
    threshold: row.threshold,
    topWords: JSON.parse(row.top_words) as string[],
    mentionIds: JSON.parse(row.mention_ids) as string[],
  };
}

interface NotificationRow {
  key: string;
  kind: string;
  state: string;
  payload: string | null;
  created_at: number;
  claimed_at: number | null;
  claimed_by: string | null;
  sent_at: number | null;
  attempts: number;
  last_error: string | null;
}

function toNotifyEvent(row: NotificationRow): StoredNotifyEvent {
  return {
    key: row.key,
    kind: row.kind as NotifyEventKind,
    state: row.state as NotifyEventState,
    payload: row.payload === null ? null : JSON.parse(row.payload),
    createdAt: row.created_at,
    claimedAt: row.claimed_at,
    claimedBy: row.claimed_by,
    sentAt: row.sent_at,
    attempts: row.attempts,
    lastError: row.last_error,
  };
}
