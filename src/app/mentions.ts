/** Reading mentions as records: list, stream for export, show one with its history. Never prints. */
import { toRecord } from '../output/record.js';
import type { ActionEntry, MentionFilter, Store } from '../store/types.js';
import type { Mention, TriageWeights } from '../types.js';

export function listMentionRecords(store: Store, filter: MentionFilter, weights: TriageWeights): Mention[] {
  return store.listMentions(filter).map((m) => toRecord(m, filter.now, weights));
}

export function* streamMentionRecords(store: Store, filter: MentionFilter, weights: TriageWeights): Generator<Mention> {
  for (const m of store.iterateMentions(filter)) yield toRecord(m, filter.now, weights);
}

export interface MentionDetail {
  record: Mention;
  verdict: unknown;
  reopened: boolean;
  actions: (Omit<ActionEntry, 'at' | 'mentionId'> & { at: string })[];
  raw?: unknown;
}

export function showMention(store: Store, id: string, now: number, weights: TriageWeights, withRaw: boolean): MentionDetail | undefined {
  const m = store.getMention(id);
  if (!m) return undefined;
  const detail: MentionDetail = {
    record: toRecord(m, now, weights),
    verdict: store.getVerdict(id),
    reopened: m.reopened,
    actions: store.listActions(id).map((a) => ({ action: a.action, actor: a.actor, at: new Date(a.at).toISOString(), detail: a.detail })),
  };
  if (withRaw) detail.raw = store.getRaw(id);
  return detail;
}
