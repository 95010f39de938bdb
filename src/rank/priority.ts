/** The priority formula (README "Priority"): pure, so ranking is testable with a fixed clock. */
import type { TriageWeights } from '../types.js';

const HOUR_MS = 3_600_000;

export function ageHoursOf(createdAt: number, now: number): number {
  return Math.max(0, (now - createdAt) / HOUR_MS);
}

/** reachWeight × log10(1 + reach) + ageWeight × ageHours / slaHours */
export function priorityOf(reach: number, createdAt: number, now: number, w: TriageWeights): number {
  return w.reachWeight * Math.log10(1 + Math.max(0, reach)) + (w.ageWeight * ageHoursOf(createdAt, now)) / w.slaHours;
}

/**
 * The part of the priority that does not depend on "now": priority = rankKey + ageWeight × now / (slaHours × 1h)
 * (for mentions not from the future), so ordering by rankKey is ordering by priority and an index can serve it.
 */
export function rankKeyOf(reach: number, createdAt: number, w: TriageWeights): number {
  return w.reachWeight * Math.log10(1 + Math.max(0, reach)) - (w.ageWeight * createdAt) / (w.slaHours * HOUR_MS);
}

/** The same as SQL over the mentions table's columns, with :reachWeight, :ageWeight, :slaHours bound. */
export const RANK_KEY_SQL = ':reachWeight * log10(1 + max(author_reach, 0)) - :ageWeight * created_at / (:slaHours * 3600000.0)';
