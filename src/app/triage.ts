/** triage: the open complaints, ranked, with the SLA state; and a summary line's numbers. Never prints. */
import { toRecord } from '../output/record.js';
import type { MentionFilter, Store, TriageOrder } from '../store/types.js';
import type { Mention, TriageWeights } from '../types.js';

export interface TriageRecord extends Mention {
  slaBreached: boolean;
}

export interface TriageResult {
  records: TriageRecord[];
  /** Over every open complaint matching the filters (not only the listed ones); null without `withCounts`. */
  counts: { open: number; pastSla: number; oldestAgeHours: number | null } | null;
}

export interface TriageOptions {
  filter: MentionFilter;
  order: TriageOrder;
  weights: TriageWeights;
  /** Count every open complaint for the summary line (a table wants it; JSON output does not). */
  withCounts: boolean;
}

export function triageComplaints(store: Store, options: TriageOptions): TriageResult {
  const { filter, weights } = options;
  store.useRankWeights(weights);
  const slaCutoff = filter.now - weights.slaHours * 3_600_000;
  const records = store.listOpenComplaints(filter, options.order).map((m) => {
    const record = toRecord(m, filter.now, weights);
    return { ...record, slaBreached: m.createdAt <= slaCutoff };
  });
  if (!options.withCounts) return { records, counts: null };
  const counts = store.countOpenComplaints(filter, slaCutoff);
  return {
    records,
    counts: {
      open: counts.open,
      pastSla: counts.pastSla,
      oldestAgeHours: counts.oldest === null ? null : Math.max(0, (filter.now - counts.oldest) / 3_600_000),
    },
  };
}
