/** Acting on mentions by hand: answer, ignore, snooze, assign, reopen, note. Each appends to the action log. */
import type { MentionUpdate, Store } from '../store/types.js';

export type ManualAction =
  | { kind: 'answer'; at: number }
  | { kind: 'ignore'; reason?: string }
  | { kind: 'snooze'; until: number }
  | { kind: 'assign'; to: string | null }
  | { kind: 'reopen' }
  | { kind: 'note'; text: string };

export interface ActionOutcome {
  applied: string[];
  unknown: string[];
}

export function updateFor(action: ManualAction): { update: MentionUpdate; detail: Record<string, unknown> | null } {
  switch (action.kind) {
    case 'answer':
      return { update: { status: 'answered', answeredAt: action.at, answeredBy: 'manual', snoozedUntil: null, reopened: false }, detail: null };
    case 'ignore':
      return { update: { status: 'ignored', snoozedUntil: null }, detail: action.reason ? { reason: action.reason } : null };
    case 'snooze':
      return { update: { status: 'snoozed', snoozedUntil: action.until }, detail: { until: new Date(action.until).toISOString() } };
    case 'assign':
      return { update: { assignee: action.to }, detail: { to: action.to } };
    case 'reopen':
      return { update: { status: 'open', answeredAt: null, answeredBy: null, snoozedUntil: null }, detail: null };
    case 'note':
      return { update: {}, detail: { text: action.text } };
  }
}

/** Applies the action to every id that exists; unknown ids are reported, the others still applied. */
export function applyManualAction(store: Store, ids: string[], action: ManualAction, actor: string | null, now: number): ActionOutcome {
  const outcome: ActionOutcome = { applied: [], unknown: [] };
  const { update, detail } = updateFor(action);
  for (const id of ids) {
    const ok = store.applyAction({ mentionId: id, action: action.kind, actor, at: now, detail }, update);
    (ok ? outcome.applied : outcome.unknown).push(id);
  }
  return outcome;
}
