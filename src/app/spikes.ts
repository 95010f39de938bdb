/**
 * Spike detection, run at the end of every poll (README "Spikes"). Never prints.
 *
 * The rule: count the complaints created in the last hour (each author once), per source and over all
 * sources. The baseline is the same hour of the day on each of the 7 preceding days, shifted by −1 h,
 * 0 and +1 h (up to 21 one-hour windows), so an ordinary daily rhythm is its own baseline. Windows from
 * before a source's first stored mention are left out; with fewer than 6 left, the 24 preceding hours
 * are the baseline instead. A spike is a count of at least `minCount` (5) that is also at least
 * mean + 3 × max(sd, √mean, 1): the √mean floor keeps a flat, quiet history from making every small
 * wobble a spike, and counting authors keeps one person posting ten times from being one.
 */
import type { Config } from '../config/types.js';
import { brandWords, topTerms } from '../report/terms.js';
import type { Store, StoredSpike } from '../store/types.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface SpikeRule {
  windowMs: number;
  baselineDays: number;
  minCount: number;
  sigmas: number;
  /** Fewer same-hour windows than this: use the preceding 24 hours instead. */
  minSamples: number;
}

export const SPIKE_RULE: SpikeRule = { windowMs: HOUR, baselineDays: 7, minCount: 5, sigmas: 3, minSamples: 6 };

export interface ComplaintPoint {
  id: string;
  source: string;
  createdAt: number;
  author: string | null;
  text: string;
}

export interface Burst {
  /** Distinct authors with a complaint in the window (a complaint without an author counts alone). */
  count: number;
  baselineMean: number;
  baselineSd: number;
  threshold: number;
  /** Baseline windows used. */
  samples: number;
  isSpike: boolean;
}

export interface SpikeFinding extends Burst {
  /** null = all sources together. */
  source: string | null;
  windowStart: number;
  windowEnd: number;
  topWords: string[];
  mentionIds: string[];
}

function distinctAuthors(points: readonly ComplaintPoint[], start: number, end: number): number {
  const authors = new Set<string>();
  for (const p of points) {
    if (p.createdAt >= start && p.createdAt < end) authors.add(p.author === null ? `id:${p.id}` : `${p.source}:${p.author.toLowerCase()}`);
  }
  return authors.size;
}

/** The baseline windows' start times for a window ending at `now`. */
export function baselineStarts(now: number, coverageStart: number, rule: SpikeRule = SPIKE_RULE): number[] {
  const sameHour: number[] = [];
  for (let d = 1; d <= rule.baselineDays; d++) {
    for (const shift of [-HOUR, 0, HOUR]) {
      const start = now - d * DAY + shift - rule.windowMs;
      if (start >= coverageStart) sameHour.push(start);
    }
  }
  if (sameHour.length >= rule.minSamples) return sameHour;
  const recent: number[] = [];
  for (let k = 1; k <= 24; k++) {
    const start = now - (k + 1) * rule.windowMs;
    if (start >= coverageStart) recent.push(start);
  }
  return recent.length > sameHour.length ? recent : sameHour;
}

/** Measures the last window against its baseline. `points` may hold anything; only the windows are read. */
export function measureBurst(points: readonly ComplaintPoint[], now: number, coverageStart: number, rule: SpikeRule = SPIKE_RULE): Burst {
  const count = distinctAuthors(points, now - rule.windowMs, now + 1);
  const counts = baselineStarts(now, coverageStart, rule).map((start) => distinctAuthors(points, start, start + rule.windowMs));
  const mean = counts.length === 0 ? 0 : counts.reduce((a, b) => a + b, 0) / counts.length;
  const sd = counts.length === 0 ? 0 : Math.sqrt(counts.reduce((a, b) => a + (b - mean) ** 2, 0) / counts.length);
  const threshold = Math.max(rule.minCount, mean + rule.sigmas * Math.max(sd, Math.sqrt(mean), 1));
  return {
    count,
    baselineMean: round(mean, 2),
    baselineSd: round(sd, 2),
    threshold: round(threshold, 2),
    samples: counts.length,
    isSpike: count >= threshold,
  };
}

/** Spikes per source and over all sources. `firstSeen`: each source's earliest stored mention. */
export function detectSpikes(
  points: readonly ComplaintPoint[],
  options: { now: number; firstSeen: Record<string, number>; exclude: ReadonlySet<string>; rule?: SpikeRule },
): SpikeFinding[] {
  const rule = options.rule ?? SPIKE_RULE;
  const { now } = options;
  const windowStart = now - rule.windowMs;
  const inWindow = (p: ComplaintPoint): boolean => p.createdAt >= windowStart && p.createdAt <= now;
  const finding = (source: string | null, subset: readonly ComplaintPoint[], coverage: number): SpikeFinding | null => {
    const burst = measureBurst(subset, now, coverage, rule);
    if (!burst.isSpike) return null;
    const members = subset.filter(inWindow).sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
    return {
      source,
      windowStart,
      windowEnd: now,
      ...burst,
      topWords: topTerms(members.map((m) => m.text), options.exclude, 5),
      mentionIds: members.map((m) => m.id),
    };
  };
  const bySource = new Map<string, ComplaintPoint[]>();
  for (const p of points) {
    const list = bySource.get(p.source);
    if (list) list.push(p);
    else bySource.set(p.source, [p]);
  }
  const found: SpikeFinding[] = [];
  for (const [source, subset] of [...bySource].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (!subset.some(inWindow)) continue;
    const f = finding(source, subset, options.firstSeen[source] ?? subset.reduce((min, p) => Math.min(min, p.createdAt), Infinity));
    if (f) found.push(f);
  }
  const coverages = Object.values(options.firstSeen);
  const overall = finding(null, points, coverages.length > 0 ? Math.min(...coverages) : -Infinity);
  // The overall spike adds nothing when all of its complaints come from sources that spiked on their own.
  if (overall) {
    const spiking = new Set(found.map((f) => f.source));
    if (!points.filter(inWindow).every((p) => spiking.has(p.source))) found.push(overall);
  }
  return found;
}

export interface RecordedSpike {
  spike: StoredSpike;
  /** False when the poll only saw a burst that an earlier poll already recorded (it was extended). */
  isNew: boolean;
  samples: number;
}

/** Detects spikes at `now` from the store's complaints and records them (a continuing burst stays one spike). */
export function findSpikes(store: Store, config: Config, now: number, rule: SpikeRule = SPIKE_RULE): RecordedSpike[] {
  const since = now - rule.baselineDays * DAY - 2 * HOUR - rule.windowMs;
  const points: ComplaintPoint[] = store
    .listComplaintPoints(since, now)
    .map((m) => ({ id: m.id, source: m.source, createdAt: m.createdAt, author: m.authorHandle, text: `${m.title ?? ''}\n${m.text}` }));
  const findings = detectSpikes(points, { now, firstSeen: store.firstMentionTimes(), exclude: brandWords(config.brand), rule });
  return findings.map((f) => {
    const { spike, isNew } = store.recordSpike({
      source: f.source,
      windowStart: f.windowStart,
      windowEnd: f.windowEnd,
      detectedAt: now,
      count: f.count,
      baselineMean: f.baselineMean,
      baselineSd: f.baselineSd,
      threshold: f.threshold,
      topWords: f.topWords,
      mentionIds: f.mentionIds,
    });
    return { spike, isNew, samples: f.samples };
  });
}

/** The spike as printed (JSON, webhook): ISO times. */
export interface SpikeRecord {
  id: number;
  source: string | null;
  windowStart: string;
  windowEnd: string;
  detectedAt: string;
  lastSeenAt: string;
  count: number;
  baselineMean: number;
  baselineSd: number;
  threshold: number;
  topWords: string[];
  mentionIds: string[];
}

export function toSpikeRecord(s: StoredSpike): SpikeRecord {
  const iso = (ms: number): string => new Date(ms).toISOString();
  return {
    id: s.id,
    source: s.source,
    windowStart: iso(s.windowStart),
    windowEnd: iso(s.windowEnd),
    detectedAt: iso(s.detectedAt),
    lastSeenAt: iso(s.lastSeenAt),
    count: s.count,
    baselineMean: s.baselineMean,
    baselineSd: s.baselineSd,
    threshold: s.threshold,
    topWords: s.topWords,
    mentionIds: s.mentionIds,
  };
}

/** alerts: the spikes seen since `since`, newest first. */
export function listAlerts(store: Store, since: number): SpikeRecord[] {
  return store.listSpikes(since).map(toSpikeRecord);
}

/** One line for the poll summary and the webhook text. */
export function describeSpike(s: Pick<StoredSpike, 'source' | 'count' | 'baselineMean' | 'topWords'>): string {
  const words = s.topWords.length > 0 ? `: ${s.topWords.map((w) => `"${w}"`).join(', ')}` : '';
  return `spike: ${s.count} complaints in the last hour ${s.source === null ? 'across all sources' : `on ${s.source}`} (usually ${s.baselineMean})${words}`;
}

function round(n: number, places: number): number {
  const f = 10 ** places;
  return Math.round(n * f) / f;
}
