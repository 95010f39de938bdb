/**
 * stats: how fast the brand answers, per source (or day, or week) and overall, plus a fairness line by
 * the author's reach (README "stats"). Pure over the store's mentions and an injected `now`. Never prints.
 */
import { effectiveStatus } from '../output/record.js';
import type { Store, StoredMention } from '../store/types.js';

const DAY = 86_400_000;

export type StatsGrouping = 'source' | 'day' | 'week';

export interface ResponseTimes {
  /** Answered complaints measured. */
  count: number;
  /** Median minutes from the complaint's creation to the first response (answeredAt); null without any. */
  medianMinutes: number | null;
  /** 90th percentile, same unit (linear interpolation between ranks). */
  p90Minutes: number | null;
}

export interface StatsRow {
  /** Source name, UTC day (2026-11-23), or the Monday that starts the ISO week; "total" for the total row. */
  key: string;
  /** Mentions created in the period, the brand's own posts left out. */
  mentions: number;
  complaints: number;
  /** Negative mentions / mentions with a sentiment; null without any. */
  negativeShare: number | null;
  /** Complaints with a first response (answeredAt set, also when reopened later). */
  answered: number;
  /** answered / (complaints − ignored without an answer); null when nothing needed an answer. */
  answeredShare: number | null;
  firstResponse: { all: ResponseTimes; platform: ResponseTimes; manual: ResponseTimes };
  /** Complaints answered after more than slaHours, or still unanswered and older than slaHours. */
  pastSla: number;
  /** Complaints of the period still open (a snooze that ran out counts as open). */
  open: number;
  /** Age of the oldest of them, in hours. */
  oldestOpenHours: number | null;
  /** Complaints per UTC day, aligned with the result's `days` (source rows and the total only). */
  complaintsPerDay?: number[];
}

export interface FairnessRow {
  /** "0-99", "100-9,999", "10,000+" */
  reach: string;
  minReach: number;
  maxReach: number | null;
  complaints: number;
  answered: number;
  answeredShare: number | null;
  medianResponseMinutes: number | null;
}

export interface StatsResult {
  since: string;
  until: string;
  by: StatsGrouping;
  slaHours: number;
  /** UTC days of the period, oldest first: the x axis of complaintsPerDay. */
  days: string[];
  rows: StatsRow[];
  total: StatsRow;
  fairness: FairnessRow[];
}

export interface StatsOptions {
  now: number;
  since: number;
  by: StatsGrouping;
  slaHours: number;
  /** Lower bounds of the reach buckets, ascending, starting at 0. */
  reachBuckets?: number[];
}

export const DEFAULT_REACH_BUCKETS = [0, 100, 10_000];

export function computeStats(store: Store, options: StatsOptions): StatsResult {
  const mentions = store.listMentions({ since: options.since, now: options.now }).filter((m) => !m.own && m.createdAt <= options.now);
  return summarizeMentions(mentions, options);
}

/** The pure part: mentions in, numbers out. */
export function summarizeMentions(mentions: readonly StoredMention[], options: StatsOptions): StatsResult {
  const { now, since, by, slaHours } = options;
  const days = dayRange(since, now);
  const groups = new Map<string, StoredMention[]>();
  for (const m of mentions) {
    const key = by === 'source' ? m.source : by === 'day' ? dayOf(m.createdAt) : weekOf(m.createdAt);
    const list = groups.get(key);
    if (list) list.push(m);
    else groups.set(key, [m]);
  }
  const keys = [...groups.keys()].sort();
  const rows = keys.map((key) => summarizeGroup(key, groups.get(key)!, now, slaHours, by === 'source' ? days : null));
  return {
    since: new Date(since).toISOString(),
    until: new Date(now).toISOString(),
    by,
    slaHours,
    days,
    rows,
    total: summarizeGroup('total', mentions, now, slaHours, days),
    fairness: fairness(mentions, options.reachBuckets ?? DEFAULT_REACH_BUCKETS),
  };
}

function summarizeGroup(key: string, mentions: readonly StoredMention[], now: number, slaHours: number, days: string[] | null): StatsRow {
  const slaMs = slaHours * 3_600_000;
  const complaints = mentions.filter((m) => m.complaint);
  const classified = mentions.filter((m) => m.sentiment !== null);
  const answered = complaints.filter((m) => m.answeredAt !== null);
  const needed = complaints.filter((m) => m.answeredAt !== null || m.status !== 'ignored');
  const open = complaints.filter((m) => m.answeredAt === null && effectiveStatus(m, now) === 'open');
  const waiting = complaints.filter((m) => m.answeredAt === null && (m.status === 'open' || m.status === 'snoozed'));
  const pastSla =
    answered.filter((m) => m.answeredAt! - m.createdAt > slaMs).length + waiting.filter((m) => now - m.createdAt > slaMs).length;
  const oldest = open.length === 0 ? null : open.reduce((min, m) => Math.min(min, m.createdAt), Infinity);
  const row: StatsRow = {
    key,
    mentions: mentions.length,
    complaints: complaints.length,
    negativeShare: share(classified.filter((m) => m.sentiment!.label === 'negative').length, classified.length),
    answered: answered.length,
    answeredShare: share(answered.length, needed.length),
    firstResponse: {
      all: responseTimes(answered),
      platform: responseTimes(answered.filter((m) => m.answeredBy === 'platform')),
      manual: responseTimes(answered.filter((m) => m.answeredBy !== 'platform')),
    },
    pastSla,
    open: open.length,
    oldestOpenHours: oldest === null ? null : round(Math.max(0, now - oldest) / 3_600_000, 1),
  };
  if (days) {
    const index = new Map(days.map((d, i) => [d, i]));
    const perDay = days.map(() => 0);
    for (const m of complaints) {
      const i = index.get(dayOf(m.createdAt));
      if (i !== undefined) perDay[i]!++;
    }
    row.complaintsPerDay = perDay;
  }
  return row;
}

function fairness(mentions: readonly StoredMention[], buckets: number[]): FairnessRow[] {
  const complaints = mentions.filter((m) => m.complaint);
  return buckets.map((min, i) => {
    const next = buckets[i + 1];
    const max = next === undefined ? null : next - 1;
    const inBucket = complaints.filter((m) => m.author.reach >= min && (max === null || m.author.reach <= max));
    const answered = inBucket.filter((m) => m.answeredAt !== null);
    const needed = inBucket.filter((m) => m.answeredAt !== null || m.status !== 'ignored');
    return {
      reach: max === null ? `${min.toLocaleString('en-US')}+` : `${min.toLocaleString('en-US')}-${max.toLocaleString('en-US')}`,
      minReach: min,
      maxReach: max,
      complaints: inBucket.length,
      answered: answered.length,
      answeredShare: share(answered.length, needed.length),
      medianResponseMinutes: responseTimes(answered).medianMinutes,
    };
  });
}

function responseTimes(answered: readonly StoredMention[]): ResponseTimes {
  const minutes = answered.map((m) => Math.max(0, m.answeredAt! - m.createdAt) / 60_000).sort((a, b) => a - b);
  return {
    count: minutes.length,
    medianMinutes: minutes.length === 0 ? null : round(quantile(minutes, 0.5), 1),
    p90Minutes: minutes.length === 0 ? null : round(quantile(minutes, 0.9), 1),
  };
}

/** Linear interpolation between closest ranks (the spreadsheet PERCENTILE.INC). `sorted` is ascending, non-empty. */
export function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

function share(part: number, whole: number): number | null {
  return whole === 0 ? null : round(part / whole, 3);
}

function round(n: number, places: number): number {
  const f = 10 ** places;
  return Math.round(n * f) / f;
}

export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The Monday (UTC) of the ISO week holding `ms`. */
export function weekOf(ms: number): string {
  const day = new Date(ms).getUTCDay(); // 0 = Sunday
  return dayOf(ms - ((day + 6) % 7) * DAY);
}

function dayRange(since: number, now: number): string[] {
  const days: string[] = [];
  const last = dayOf(now);
  for (let t = Date.parse(`${dayOf(since)}T00:00:00Z`); ; t += DAY) {
    const d = dayOf(t);
    days.push(d);
    if (d >= last || days.length > 3660) break;
  }
  return days;
}
