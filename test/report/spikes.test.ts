import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { baselineStarts, detectSpikes, findSpikes, listAlerts, measureBurst, type ComplaintPoint } from '../../src/app/spikes.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/types.js';
import { complaint, config, DAY, HOUR, NOW, seed } from './fixtures.js';

let n = 0;
function point(source: string, createdAt: number, text = 'Acme app is slow', author?: string | null): ComplaintPoint {
  n += 1;
  return { id: `${source}:${n}`, source, createdAt, author: author === undefined ? `a${n}` : author, text };
}

/** `perHour(hourOfDay, day)` complaints in each hour of the 7 days before NOW, spread evenly within the hour. */
function history(source: string, perHour: (hour: number, day: number) => number): ComplaintPoint[] {
  const points: ComplaintPoint[] = [];
  const start = NOW - 7 * DAY - 2 * HOUR;
  for (let t = Math.floor(start / HOUR) * HOUR; t < NOW - HOUR; t += HOUR) {
    const count = perHour(new Date(t).getUTCHours(), Math.floor((NOW - t) / DAY));
    for (let i = 0; i < count; i++) points.push(point(source, t + Math.floor(((i + 0.5) * HOUR) / count)));
  }
  return points.filter((p) => p.createdAt < NOW - HOUR);
}

/** Busy office hours (6–9 an hour, varying by day), quiet nights (0–1). */
const rhythm = (hour: number, day: number): number => (hour >= 8 && hour < 18 ? 6 + ((hour + day) % 4) : (hour + day) % 2);

const firstSeen = { hn: NOW - 8 * DAY, news: NOW - 8 * DAY };
const exclude = new Set(['acme']);

describe('spike rule', () => {
  it('flags a real burst, with the burst’s top words', () => {
    const burst = Array.from({ length: 30 }, (_, i) =>
      point('hn', NOW - 50 * 60_000 + i * 60_000, i % 2 ? 'Acme login down, 503 everywhere' : 'cannot login to Acme, 503 error'),
    );
    const found = detectSpikes([...history('hn', rhythm), ...burst], { now: NOW, firstSeen, exclude });
    expect(found).toHaveLength(1); // all from hn: the all-sources spike would add nothing
    expect(found[0]).toMatchObject({ source: 'hn', count: 30, isSpike: true, windowStart: NOW - HOUR, windowEnd: NOW });
    expect(found[0]!.topWords.slice(0, 2)).toEqual(['503', 'login']);
    expect(found[0]!.baselineMean).toBeGreaterThan(5);
    expect(found[0]!.mentionIds).toHaveLength(30);
  });

  it('does not flag the ordinary daily rhythm, at any hour of the day', () => {
    const points = [...history('hn', rhythm)];
    for (let h = 0; h < 24; h++) {
      const now = NOW - DAY + h * HOUR; // the last day, hour by hour, against the days before
      const window = points.filter((p) => p.createdAt < now);
      expect(measureBurst(window, now, firstSeen.hn).isSpike, `at ${new Date(now).toISOString()}`).toBe(false);
    }
    // Today's busiest hour at the top of the usual range is not a spike either.
    const today = Array.from({ length: 10 }, (_, i) => point('hn', NOW - 55 * 60_000 + i * 5 * 60_000));
    expect(detectSpikes([...points, ...today], { now: NOW, firstSeen, exclude })).toEqual([]);
  });

  it('does not flag a single loud post, nor one author posting ten times', () => {
    const loud = point('hn', NOW - 10 * 60_000, 'Acme lost all my data!!! 2M followers, everyone hear this');
    const spammer = Array.from({ length: 10 }, (_, i) => point('hn', NOW - 40 * 60_000 + i * 60_000, 'Acme refund now', 'angry'));
    expect(detectSpikes([...history('hn', rhythm), loud, ...spammer], { now: NOW, firstSeen, exclude })).toEqual([]);
  });

  it('needs at least 5 complaints on a quiet history, and uses the preceding day when there is no week yet', () => {
    const quiet = [point('hn', NOW - 30 * HOUR)];
    const four = Array.from({ length: 4 }, (_, i) => point('hn', NOW - 10 * 60_000 - i));
    const six = Array.from({ length: 6 }, (_, i) => point('hn', NOW - 10 * 60_000 - i));
    expect(measureBurst([...quiet, ...four], NOW, NOW - 30 * HOUR)).toMatchObject({ count: 4, isSpike: false, threshold: 5 });
    expect(measureBurst([...quiet, ...six], NOW, NOW - 30 * HOUR)).toMatchObject({ count: 6, isSpike: true });
    // Only one day of history: three same-hour windows are too few, so the 24 preceding hours are the baseline.
    expect(baselineStarts(NOW, NOW - 30 * HOUR)).toHaveLength(24);
    expect(baselineStarts(NOW, NOW - 8 * DAY)).toHaveLength(21);
    expect(baselineStarts(NOW, NOW - 10 * 60_000)).toEqual([]);
  });

  it('reports a spike over all sources when no single source has one', () => {
    const spread = [
      ...Array.from({ length: 4 }, (_, i) => point('hn', NOW - 20 * 60_000 - i, 'Acme checkout broken')),
      ...Array.from({ length: 4 }, (_, i) => point('news', NOW - 20 * 60_000 - i, 'Acme checkout broken')),
    ];
    const found = detectSpikes(spread, { now: NOW, firstSeen, exclude });
    expect(found.map((f) => f.source)).toEqual([null]);
    expect(found[0]!.topWords).toEqual(['broken', 'checkout']); // as many posts each: alphabetical
  });
});

describe('spikes in the store', () => {
  let store: Store;
  beforeEach(() => {
    store = openStore(':memory:');
  });
  afterEach(() => store.close());

  it('records a spike once per burst: the next poll extends it, and alerts lists it', () => {
    seed(store, [complaint({ createdAt: NOW - 8 * DAY, text: 'old' })]);
    const burst = Array.from({ length: 8 }, (_, i) => complaint({ createdAt: NOW - 30 * 60_000 + i * 60_000, text: 'Acme status page says 503 on login' }));
    seed(store, burst);
    const first = findSpikes(store, config(), NOW);
    expect(first.map((s) => [s.spike.source, s.isNew])).toEqual([['hn', true]]);
    seed(store, [complaint({ createdAt: NOW + 5 * 60_000, text: 'Acme login 503 again' })]);
    const second = findSpikes(store, config(), NOW + 15 * 60_000);
    expect(second.map((s) => [s.spike.id, s.isNew])).toEqual([[first[0]!.spike.id, false]]);
    const alerts = listAlerts(store, NOW - DAY);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ source: 'hn', count: 9, detectedAt: new Date(NOW).toISOString(), windowEnd: new Date(NOW + 15 * 60_000).toISOString() });
    expect(alerts[0]!.topWords).toEqual(expect.arrayContaining(['503', 'login']));
    expect(alerts[0]!.mentionIds).toHaveLength(9);
    expect(listAlerts(store, NOW + DAY)).toEqual([]);
  });
});
