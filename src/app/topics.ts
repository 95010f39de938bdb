/**
 * topics: recent complaints that are about the same thing (README "topics"). Never prints.
 *
 * The rule: each complaint's terms are its words without stop words, filler and the brand's own names
 * (src/report/terms.ts). Terms that are everyday vocabulary for this brand (in a quarter or more of the
 * 30 days of complaints before the period, once there are at least 20) are not distinctive and start no
 * group. Then, greedily: the term shared by the most complaints not yet grouped starts a group of those
 * complaints (ties: the term rarer in that background, then alphabetical), and the group is named by that
 * term plus up to two others found in at least 60% of its members. Repeat until the biggest candidate is
 * smaller than `min`. Each complaint belongs to one group at most.
 */
import type { Config } from '../config/types.js';
import { brandWords, extractTerms } from '../report/terms.js';
import type { Store, StoredMention } from '../store/types.js';

const DAY = 86_400_000;

export interface TopicGroup {
  /** The term that formed the group first, then the others most of its members share. */
  terms: string[];
  size: number;
  /** Distinct authors among the members. */
  authors: number;
  /** Source names, most members first. */
  sources: string[];
  oldest: string;
  newest: string;
  /** Up to three member ids, newest first. */
  examples: string[];
  /** Every member id, newest first. */
  ids: string[];
}

export interface TopicsOptions {
  now: number;
  since: number;
  min: number;
}

export interface TopicComplaint {
  id: string;
  source: string;
  createdAt: number;
  author: string | null;
  text: string;
}

export function findTopics(store: Store, config: Config, options: TopicsOptions): TopicGroup[] {
  const toPoint = (m: StoredMention): TopicComplaint => ({
    id: m.id,
    source: m.source,
    createdAt: m.createdAt,
    author: m.author.handle,
    text: `${m.title ?? ''}\n${m.text}`,
  });
  const recent = store.listMentions({ complaints: true, since: options.since, now: options.now }).filter((m) => m.createdAt <= options.now);
  const background = store
    .listMentions({ complaints: true, since: options.since - 30 * DAY, now: options.now })
    .filter((m) => m.createdAt < options.since);
  return groupComplaints(recent.map(toPoint), background.map(toPoint), { min: options.min, exclude: brandWords(config.brand) });
}

/** The pure part. */
export function groupComplaints(
  complaints: readonly TopicComplaint[],
  background: readonly TopicComplaint[],
  options: { min: number; exclude: ReadonlySet<string> },
): TopicGroup[] {
  const min = Math.max(2, options.min);
  const backgroundDf = new Map<string, number>();
  for (const c of background) for (const t of extractTerms(c.text, options.exclude)) backgroundDf.set(t, (backgroundDf.get(t) ?? 0) + 1);
  const everyday = (term: string): boolean => background.length >= 20 && (backgroundDf.get(term) ?? 0) >= background.length / 4;

  let remaining = complaints.map((c) => ({ complaint: c, terms: new Set(extractTerms(c.text, options.exclude)) }));
  const groups: TopicGroup[] = [];
  for (;;) {
    const df = new Map<string, number>();
    for (const r of remaining) for (const t of r.terms) if (!everyday(t)) df.set(t, (df.get(t) ?? 0) + 1);
    const best = [...df].sort(
      (a, b) => b[1] - a[1] || (backgroundDf.get(a[0]) ?? 0) - (backgroundDf.get(b[0]) ?? 0) || (a[0] < b[0] ? -1 : 1),
    )[0];
    if (!best || best[1] < min) break;
    const [seed] = best;
    const members = remaining.filter((r) => r.terms.has(seed));
    remaining = remaining.filter((r) => !r.terms.has(seed));
    const shared = new Map<string, number>();
    for (const m of members) for (const t of m.terms) if (t !== seed && !everyday(t)) shared.set(t, (shared.get(t) ?? 0) + 1);
    const others = [...shared]
      .filter(([, n]) => n >= members.length * 0.6)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 2)
      .map(([t]) => t);
    const sorted = members.map((m) => m.complaint).sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
    const sourceCounts = new Map<string, number>();
    for (const c of sorted) sourceCounts.set(c.source, (sourceCounts.get(c.source) ?? 0) + 1);
    groups.push({
      terms: [seed, ...others],
      size: sorted.length,
      authors: new Set(sorted.map((c) => (c.author === null ? `id:${c.id}` : `${c.source}:${c.author.toLowerCase()}`))).size,
      sources: [...sourceCounts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([s]) => s),
      oldest: new Date(sorted.at(-1)!.createdAt).toISOString(),
      newest: new Date(sorted[0]!.createdAt).toISOString(),
      examples: sorted.slice(0, 3).map((c) => c.id),
      ids: sorted.map((c) => c.id),
    });
  }
  return groups.sort((a, b) => b.size - a.size || (a.newest < b.newest ? 1 : a.newest > b.newest ? -1 : 0));
}
