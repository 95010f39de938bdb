/** Mention rows as SQLite binds them: the column list, the row builder, and the insert statements. */
import { rankKeyOf } from '../rank/priority.js';
import type { TriageWeights } from '../types.js';
import type { MentionInput } from './types.js';

export const INSERT_COLUMNS = [
  'id', 'source', 'platform', 'platform_id', 'url', 'author_handle', 'author_name', 'author_url', 'author_reach', 'title', 'text',
  'created_at', 'fetched_at', 'sentiment_score', 'sentiment_comparative', 'sentiment_label', 'complaint', 'intent', 'verdict', 'own',
  'addresses_brand', 'status', 'answered_at', 'answered_by', 'assignee', 'snoozed_until', 'thread_ref', 'rank_key', 'raw',
] as const;

/** Not part of the exported record: an import must not erase what polling learnt. */
const KEPT_ON_UPSERT: readonly string[] = ['id', 'raw', 'thread_ref', 'verdict', 'addresses_brand'];

const VALUES = `(${INSERT_COLUMNS.join(', ')}) VALUES (${INSERT_COLUMNS.map(() => '?').join(', ')})`;

/** New mentions only: a duplicate on (source, platform id) or id is ignored. */
export const INSERT_NEW_SQL = `INSERT INTO mentions ${VALUES} ON CONFLICT DO NOTHING`;

/** Insert or replace the record's fields, keeping what only polling knows. */
export const UPSERT_SQL = `INSERT INTO mentions ${VALUES}
  ON CONFLICT (id) DO UPDATE SET ${INSERT_COLUMNS.filter((c) => !KEPT_ON_UPSERT.includes(c)).map((c) => `${c} = excluded.${c}`).join(', ')},
    raw = coalesce(excluded.raw, raw), thread_ref = coalesce(excluded.thread_ref, thread_ref),
    verdict = coalesce(excluded.verdict, verdict), addresses_brand = max(excluded.addresses_brand, addresses_brand)`;

/** The row for INSERT_COLUMNS, positionally (binding by position is a third cheaper than by name). */
export function mentionRow(m: MentionInput, weights: TriageWeights): unknown[] {
  const reach = Math.max(0, Math.round(m.author.reach || 0));
  return [
    `${m.source}:${m.platformId}`,
    m.source,
    m.platform,
    m.platformId,
    m.url,
    m.author.handle,
    m.author.name,
    m.author.url,
    reach,
    m.title,
    m.text,
    m.createdAt,
    m.fetchedAt,
    m.sentiment?.score ?? null,
    m.sentiment?.comparative ?? null,
    m.sentiment?.label ?? null,
    m.complaint ? 1 : 0,
    m.intent,
    m.verdict === undefined || m.verdict === null ? null : JSON.stringify(m.verdict),
    m.own ? 1 : 0,
    m.addressesBrand ? 1 : 0,
    m.status ?? 'open',
    m.answeredAt ?? null,
    m.answeredBy ?? null,
    m.assignee ?? null,
    m.snoozedUntil ?? null,
    m.threadRef,
    rankKeyOf(reach, m.createdAt, weights),
    m.raw === undefined || m.raw === null ? null : JSON.stringify(m.raw),
  ];
}
