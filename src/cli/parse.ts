/** Flag value parsers: durations ("90m", "24h", "7d", "2w"), instants, counts. Pure. */
import { UsageError } from '../errors.js';
import type { MentionFilter } from '../store/types.js';
import type { MentionStatus } from '../types.js';

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "90m" → 5_400_000. Throws UsageError naming the flag. */
export function parseDuration(value: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$/i.exec(value);
  if (!match) throw new UsageError(`${flag}: expected a duration like 90m, 24h, 7d or 2w, got ${JSON.stringify(value)}`);
  return Number(match[1]) * UNITS[match[2]!.toLowerCase()]!;
}

/** "24h" → now − 24 h; an ISO 8601 date or time → that instant. */
export function parseSince(value: string, now: number, flag = '--since'): number {
  if (/^\s*\d+(?:\.\d+)?\s*[smhdw]\s*$/i.test(value)) return now - parseDuration(value, flag);
  return parseInstant(value, flag);
}

export function parseInstant(value: string, flag: string): number {
  if (/^\d{4}-\d{2}-\d{2}/.test(value.trim())) {
    const ms = Date.parse(value);
    if (Number.isFinite(ms)) return ms;
  }
  throw new UsageError(`${flag}: expected a duration like 24h or 7d, or an ISO 8601 date like 2026-11-01, got ${JSON.stringify(value)}`);
}

export function parseCount(value: string, flag: string, min = 0): number {
  if (!/^\s*\d+\s*$/.test(value) || Number(value) < min) {
    throw new UsageError(`${flag}: expected a whole number${min > 0 ? ` of at least ${min}` : ''}, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

export function parseChoice<T extends string>(value: string, choices: readonly T[], flag: string): T {
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`${flag}: expected one of ${choices.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

/** The mention filter flags shared by list, export and triage → a MentionFilter. */
export interface FilterFlags {
  source?: string[];
  since?: string;
  status?: MentionStatus;
  complaints?: boolean;
  search?: string;
  minReach?: string;
  assignee?: string;
}

export function parseFilter(flags: FilterFlags, now: number, limit?: number): MentionFilter {
  return {
    now,
    sources: flags.source,
    since: flags.since === undefined ? undefined : parseSince(flags.since, now),
    status: flags.status,
    complaints: flags.complaints === true,
    search: flags.search,
    minReach: flags.minReach === undefined ? undefined : parseCount(flags.minReach, '--min-reach'),
    assignee: flags.assignee,
    limit,
  };
}
