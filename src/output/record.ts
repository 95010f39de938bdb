/** StoredMention → the mention record (README "The mention record"), with ageHours and priority for `now`. */
import { ageHoursOf, priorityOf } from '../rank/priority.js';
import type { StoredMention } from '../store/types.js';
import type { Mention, MentionStatus, TriageWeights } from '../types.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const round = (n: number, places: number): number => {
  const f = 10 ** places;
  return Math.round(n * f) / f;
};

/** A snooze whose time is up counts as open again. */
export function effectiveStatus(m: Pick<StoredMention, 'status' | 'snoozedUntil'>, now: number): MentionStatus {
  if (m.status === 'snoozed' && m.snoozedUntil !== null && m.snoozedUntil <= now) return 'open';
  return m.status;
}

export function toRecord(m: StoredMention, now: number, weights: TriageWeights): Mention {
  return {
    id: m.id,
    source: m.source,
    platform: m.platform,
    url: m.url,
    author: { ...m.author },
    title: m.title,
    text: m.text,
    createdAt: iso(m.createdAt)!,
    fetchedAt: iso(m.fetchedAt)!,
    sentiment: m.sentiment ? { ...m.sentiment } : null,
    complaint: m.complaint,
    intent: m.intent,
    own: m.own,
    status: effectiveStatus(m, now),
    answeredAt: iso(m.answeredAt),
    answeredBy: m.answeredBy,
    assignee: m.assignee,
    snoozedUntil: m.status === 'snoozed' ? iso(m.snoozedUntil) : null,
    ageHours: round(ageHoursOf(m.createdAt, now), 2),
    priority: round(priorityOf(m.author.reach, m.createdAt, now, weights), 3),
  };
}
