/** `sources`: each configured source's state, and whether it has gone stale (silent failure is the worst failure). */
import type { Config } from '../config/types.js';
import type { Store } from '../store/types.js';

export interface SourceReport {
  name: string;
  type: string;
  enabled: boolean;
  lastRunAt: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  cursor: string | null;
  mentions: number;
  mentionsLastDay: number;
  /** Average per day over the last 7 days. */
  perDay: number;
  stale: boolean;
  staleReason: string | null;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function hoursAgo(ms: number, now: number): string {
  const h = (now - ms) / 3_600_000;
  return h < 48 ? `${Math.round(h)}h` : `${Math.round(h / 24)}d`;
}

export function reportSources(config: Config, store: Store, now: number): SourceReport[] {
  const states = new Map(store.listSourceStates().map((s) => [s.name, s]));
  const stats = new Map(store.sourceStats(now).map((s) => [s.source, s]));
  const staleMs = config.poll.staleHours * 3_600_000;
  return config.sources.map((source) => {
    const state = states.get(source.name);
    const stat = stats.get(source.name);
    const lastWeek = stat?.lastWeek ?? 0;
    const lastDay = stat?.lastDay ?? 0;
    let staleReason: string | null = null;
    if (source.enabled) {
      if (!state?.lastRunAt) staleReason = 'never polled: is the cron job running?';
      else if (!state.lastSuccessAt) staleReason = `never succeeded; last error: ${state.lastError ?? 'unknown'}`;
      else if (now - state.lastSuccessAt > staleMs) {
        staleReason = `no successful poll for ${hoursAgo(state.lastSuccessAt, now)} (limit ${config.poll.staleHours}h)${state.lastError ? `; last error: ${state.lastError}` : ''}`;
      } else {
        // Gone quiet: the last day far below the previous six days' average (a broken query or a blocked key looks like this).
        const usual = (lastWeek - lastDay) / 6;
        if (usual >= 2 && lastDay < usual * 0.1) staleReason = `gone quiet: ${lastDay} mention(s) in the last 24h, usually ${usual.toFixed(1)}/day`;
      }
    }
    return {
      name: source.name,
      type: source.type,
      enabled: source.enabled,
      lastRunAt: iso(state?.lastRunAt ?? null),
      lastSuccessAt: iso(state?.lastSuccessAt ?? null),
      lastError: state?.lastError ?? null,
      lastErrorAt: iso(state?.lastErrorAt ?? null),
      cursor: state?.cursor ?? null,
      mentions: stat?.mentions ?? 0,
      mentionsLastDay: lastDay,
      perDay: Math.round((lastWeek / 7) * 10) / 10,
      stale: staleReason !== null,
      staleReason,
    };
  });
}

